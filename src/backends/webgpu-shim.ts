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
 *
 * Where the adapter offers timestamp-query, gpu.js's device is asked for it
 * too (gpu.js asks for none): the hand-written WebGPU kernels, which share
 * gpu.js's device, then record their own time on the device. The feature
 * changes nothing gpu.js does.
 */
import type { WebgpuAdapter, WebgpuAdapterChoice } from '../results/schema.js';
import { chooseAdapter, isSameAdapter, listAdapters, openAdapter, type DawnModule } from './webgpu-adapters.js';

/** The worker's copy of --webgpu-adapter (an index, a Dawn backend, or part of an adapter's name). */
export const WEBGPU_ADAPTER_ENV = 'CHIPBENCH_WEBGPU_ADAPTER';

/**
 * The adapter the run's probe took, as JSON ({ adapter, reason }), for every later worker of the run: each opens
 * that one instead of listing again, so a listing that comes out otherwise in another process (Mesa's GL path
 * now and then answers null while other processes start on it) cannot move cases of one run to another adapter.
 */
export const WEBGPU_PINNED_ADAPTER_ENV = 'CHIPBENCH_WEBGPU_PINNED_ADAPTER';

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

interface TimedAdapter {
  features: { has(feature: string): boolean };
  requestDevice(descriptor?: { requiredFeatures?: string[] }): Promise<unknown>;
}

/** Makes the adapter's devices ask for timestamp-query when it has the feature (replacing the method on Dawn's own object, as installNavigatorGpu does). */
function withTimestamps(adapter: TimedAdapter): void {
  if (!adapter.features.has('timestamp-query')) return;
  const request = adapter.requestDevice.bind(adapter);
  adapter.requestDevice = (descriptor = {}) => request({ ...descriptor, requiredFeatures: [...(descriptor.requiredFeatures ?? []), 'timestamp-query'] });
}

/** The adapters and the choice: the probe's pinned adapter when the runner passed one, else a listing and the selector. */
async function adaptersOf(webgpu: DawnModule, env: NodeJS.ProcessEnv): Promise<DawnAdapters> {
  const pinned = env[WEBGPU_PINNED_ADAPTER_ENV];
  if (pinned) {
    const { adapter, reason } = JSON.parse(pinned) as { adapter: WebgpuAdapter; reason: string };
    return { adapters: [adapter], choice: { chosen: adapter.index, reason }, chosen: adapter };
  }
  const adapters = await listAdapters(webgpu);
  const choice = chooseAdapter(adapters, env[WEBGPU_ADAPTER_ENV]);
  const chosen = adapters.find((a) => a.index === choice.chosen);
  return { adapters, choice, ...(chosen ? { chosen } : {}) };
}

/** Installs globalThis.navigator.gpu once per process; returns the adapters and the choice. */
export async function installNavigatorGpu(env: NodeJS.ProcessEnv = process.env): Promise<DawnAdapters> {
  if (installed) return installed;
  if (!env.DISPLAY && !env.EGL_PLATFORM) process.env.EGL_PLATFORM = 'surfaceless';
  const webgpu = (await import('webgpu')) as unknown as DawnModule & { create(options: string[]): GpuLike; globals: Record<string, unknown> };
  Object.assign(globalThis, webgpu.globals);
  const dawn = await adaptersOf(webgpu, env);
  const chosen = dawn.chosen;
  const gpu = webgpu.create([]);
  // Replace the method on Dawn's own object so every other member keeps its native `this`. An adapter that is not
  // the chosen one (Dawn's adapter= matches part of a name) is no adapter: the case fails rather than run elsewhere.
  gpu.requestAdapter = async () => {
    if (!chosen) return null;
    const opened = await openAdapter(webgpu, chosen.backend, chosen.name, [chosen.featureLevel]);
    if (!opened || !isSameAdapter(chosen, opened.adapter)) return null;
    withTimestamps(opened.adapter as TimedAdapter);
    return opened.adapter;
  };
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  installed = dawn;
  return installed;
}
