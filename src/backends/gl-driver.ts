/**
 * Which OpenGL driver headless-gl really uses. headless-gl reports only
 * 'ANGLE' / 'stack-gl' as renderer and has no WEBGL_debug_renderer_info, so
 * we read the driver libraries the process has loaded (/proc/self/maps,
 * Linux) after a context exists: Mesa's swrast_dri.so is the llvmpipe
 * software rasteriser, i.e. the CPU; libGLX_nvidia is NVIDIA's GPU driver.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Device } from '../results/schema.js';

/** Set by the runner in the headlessgl worker's environment when it started Xvfb itself: the display it chose. */
export const PRIVATE_XVFB_ENV = 'CHIPBENCH_PRIVATE_XVFB';

interface DriverRule {
  pattern: RegExp;
  name: (env: NodeJS.ProcessEnv) => string;
  executesOn: Device['executesOn'];
  software: boolean;
}

const RULES: DriverRule[] = [
  { pattern: /libGLX_nvidia|libnvidia-glcore/, name: () => 'NVIDIA OpenGL driver (libGLX_nvidia)', executesOn: 'gpu', software: false },
  {
    pattern: /swrast_dri\.so|kms_swrast_dri\.so/,
    name: (env) => `Mesa ${env.GALLIUM_DRIVER === 'softpipe' ? 'softpipe' : 'llvmpipe'} (swrast_dri.so)`,
    executesOn: 'cpu',
    software: true,
  },
  { pattern: /zink_dri\.so/, name: () => 'Mesa zink (OpenGL over Vulkan)', executesOn: 'gpu', software: false },
  { pattern: /radeonsi_dri\.so/, name: () => 'Mesa radeonsi (AMD GPU)', executesOn: 'gpu', software: false },
  { pattern: /(iris|crocus|i965)_dri\.so/, name: () => 'Mesa Intel GPU driver', executesOn: 'gpu', software: false },
  { pattern: /nouveau_dri\.so/, name: () => 'Mesa nouveau (NVIDIA GPU, open driver)', executesOn: 'gpu', software: false },
  // Mesa 24+ puts every driver in libgallium-*.so behind stub *_dri.so files: the library no longer tells which one ran.
  { pattern: /libgallium/, name: () => 'Mesa Gallium driver (which one: unknown)', executesOn: 'unknown', software: false },
  { pattern: /_dri\.so/, name: () => 'Mesa DRI driver (which one: unknown)', executesOn: 'unknown', software: false },
];

/** details.driverLibraries when no GL driver library is mapped yet */
export const NO_DRIVER_LIBRARIES = 'none found';

/** Libraries mapped into this process whose names look like GL drivers. */
export function loadedGlLibraries(maps: string): string[] {
  const paths = maps
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[5])
    .filter((p): p is string => !!p && /_dri\.so|libgallium|libGLX_|libnvidia-glcore|libGL\.so/.test(p));
  return [...new Set(paths.map((p) => basename(p)))];
}

/**
 * The device headless-gl renders on, from the loaded driver libraries.
 * Under a private Xvfb the answer is certain whatever the libraries say:
 * Xvfb offers only Mesa's software GLX.
 */
export function describeGlDriver(maps: string, env: NodeJS.ProcessEnv = process.env): Device {
  const libs = loadedGlLibraries(maps);
  const joined = libs.join(' ');
  const rule = RULES.find((r) => r.pattern.test(joined));
  const details: Record<string, string> = { driverLibraries: libs.join(', ') || NO_DRIVER_LIBRARIES };
  const driver = 'headless-gl 8 (WebGL 1 through ANGLE over GLX)';
  const privateDisplay = env[PRIVATE_XVFB_ENV];
  if (privateDisplay) {
    details.display = `${privateDisplay} (a private Xvfb started by chipbench)`;
    const name = rule?.software ? rule.name(env) : `Mesa software rasteriser under Xvfb (${rule ? rule.name(env) : 'driver library not found'})`;
    return { executesOn: 'cpu', name, driver, softwareRenderer: true, details };
  }
  if (!rule) return { executesOn: 'unknown', name: 'unknown OpenGL driver', driver, details };
  return { executesOn: rule.executesOn, name: rule.name(env), driver, softwareRenderer: rule.software, details };
}

export function readProcMaps(): string {
  try {
    return readFileSync('/proc/self/maps', 'utf8');
  } catch {
    return '';
  }
}
