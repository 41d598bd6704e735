/**
 * What a user is told when a gpu.js backend cannot run here: the reason, in
 * the words the probe reports, and the remedy (which packages to install,
 * which option to pass). The texts are part of the probe's output and of
 * 'chipbench backends'; tests and users match on them, so they change only
 * on purpose.
 */
import { createRequire } from 'node:module';
import { errorLine } from '../errors/error-message.js';

/** The Debian packages that headless-gl's native addon needs to build. */
const BUILD_PACKAGES = 'python3 make g++ pkg-config libx11-dev libxi-dev libxext-dev mesa-common-dev';

/** Why a backend cannot run here, and what the user can do about it. */
export interface Unavailable {
  reason: string;
  remedy: string;
}

/** headless-gl's preconditions, checked in the order a user would fix them. */
export function headlessGlUnavailable(env: NodeJS.ProcessEnv): Unavailable | undefined {
  const require = createRequire(import.meta.url);
  let createGl: (w: number, h: number) => unknown;
  try {
    createGl = require('gl') as typeof createGl;
  } catch (error) {
    return {
      reason: `the gl addon is not built (${errorLine(error)})`,
      remedy: `install ${BUILD_PACKAGES} (Debian packages), then run 'npm rebuild gl'`,
    };
  }
  if (!env.DISPLAY) {
    return {
      reason: 'no X display (headless-gl needs one even off-screen)',
      remedy: "install xvfb ('apt-get install xvfb'): chipbench starts it by itself; or run under 'xvfb-run -a'",
    };
  }
  if (!createGl(1, 1)) {
    return {
      reason: `headless-gl could not create a WebGL context on display ${env.DISPLAY}`,
      remedy:
        `check that the X server at DISPLAY=${env.DISPLAY} is running and offers GLX, or unset DISPLAY so that chipbench starts Xvfb; ` +
        "on Mesa install its GL drivers ('apt-get install libgl1-mesa-dri libglx-mesa0')",
    };
  }
  return undefined;
}

/** Dawn (the webgpu package) failed to load: `error` is what loading it threw. */
export function dawnUnavailable(error: unknown): Unavailable {
  return {
    reason: `Dawn (the webgpu package) did not load: ${errorLine(error)}`,
    remedy: "keep package.json's override \"webgpu\": \"0.6.2\" (its Dawn needs only GLIBCXX_3.4.30) and run 'npm ci'",
  };
}

/** Dawn loaded but offers no adapter (or opening one failed with an adapter error). */
export const NO_ADAPTER_REMEDY =
  "for a GPU install its driver with Vulkan (libvulkan1 and the vendor's ICD); on a CPU-only Debian 12 box install " +
  'mesa-vulkan-drivers from bookworm-backports (Vulkan, as .ci/system-packages does) or libegl1 libgl1-mesa-dri (OpenGL)';

/** Adapters exist, but the user's --webgpu-adapter selector matched none of them. */
export const ADAPTER_SELECTOR_REMEDY =
  "run 'chipbench backends' to list the adapters, then pass --webgpu-adapter an index, a Dawn backend (vulkan, opengl) or part of a name";
