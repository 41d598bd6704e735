/**
 * Gives Node a `navigator.gpu` backed by Dawn (the `webgpu` package), which
 * gpu.js looks for before it will use its webgpu backend, on the adapter
 * this run takes.
 *
 * gpu.js calls navigator.gpu.requestAdapter() with no options. The shim
 * lists every adapter Dawn offers (webgpu-adapters.ts), takes the one
 * CHIPBENCH_WEBGPU_ADAPTER names (set from --webgpu-adapter) or by default
 * the first by preference (hardware, then Vulkan, then OpenGL), and answers
 * gpu.js's request with that adapter at the feature level it opened at: on
 * a CPU-only box with Debian 12's Mesa only an OpenGL adapter at
 * 'compatibility' exists (../shared/PLATFORM.md). Without an X display
 * Dawn's OpenGL backend needs EGL_PLATFORM=surfaceless.
 */
import type { WebgpuAdapter, WebgpuAdapterChoice } from '../results/schema.js';
import { chooseAdapter, listAdapters, openAdapter, type DawnModule } from './webgpu-adapters.js';

/** The worker's copy of --webgpu-adapter (an index, a Dawn backend, or part of an adapter's name). */
export const WEBGPU_ADAPTER_ENV = 'CHIPBENCH_WEBGPU_ADAPTER';

/** Every adapter here, the one taken and why: the device record and the probe carry it. */
export interface DawnAdapters {
  adapters: WebgpuAdapter[];
  choice: WebgpuAdapterChoice;
  /** the adapter taken, when one was */
  chosen?: WebgpuAdapter;
}

interface GpuLike {
  requestAdapter(options?: Record<string, unknown>): Promise<unknown>;
}

let installed: DawnAdapters | undefined;

/** Installs globalThis.navigator.gpu once per process; returns the adapters and the choice. */
export async function installNavigatorGpu(env: NodeJS.ProcessEnv = process.env): Promise<DawnAdapters> {
  if (installed) return installed;
  if (!env.DISPLAY && !env.EGL_PLATFORM) process.env.EGL_PLATFORM = 'surfaceless';
  const webgpu = (await import('webgpu')) as unknown as DawnModule & { create(options: string[]): GpuLike; globals: Record<string, unknown> };
  Object.assign(globalThis, webgpu.globals);
  const adapters = await listAdapters(webgpu);
  const choice = chooseAdapter(adapters, env[WEBGPU_ADAPTER_ENV]);
  const chosen = choice.chosen === null ? undefined : adapters[choice.chosen];
  const gpu = webgpu.create([]);
  // Replace the method on Dawn's own object so every other member keeps its native `this`.
  gpu.requestAdapter = async () => (chosen ? ((await openAdapter(webgpu, chosen.backend, chosen.name, [chosen.featureLevel]))?.adapter ?? null) : null);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  installed = { adapters, choice, ...(chosen ? { chosen } : {}) };
  return installed;
}
