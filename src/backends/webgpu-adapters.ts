/**
 * Every WebGPU adapter Dawn offers on this machine, and which one a run
 * takes.
 *
 * dawn.node (the `webgpu` package, 0.6.2) has no call that enumerates
 * adapters. Two of its own options do the job (seen here, 2026-12-02):
 * `create(['backend=B', 'adapter=NAME'])` picks the first adapter of
 * backend B whose name contains NAME (case-sensitive), and an `adapter=`
 * that matches nothing makes requestAdapter reject with a message that lists
 * the backend's adapters, one line each:
 *   " * backend: 'vulkan', name: 'llvmpipe (LLVM 15.0.6, 256 bits)'".
 * Dawn's default request looks only at Vulkan on Linux; its OpenGL and
 * OpenGL ES adapters show only when asked for by backend, and only at the
 * 'compatibility' feature level. So each backend is asked in turn, and each
 * listed adapter is then opened at 'core' and, failing that, at
 * 'compatibility' to read its info and limits.
 */
import type { WebgpuAdapter, WebgpuAdapterChoice } from '../results/schema.js';
import { isSoftwareRenderer } from './device-class.js';

/** Dawn's backends worth asking per platform ('null' is Dawn's test backend, never a device). */
const DAWN_BACKENDS_BY_PLATFORM: Record<string, readonly string[]> = {
  linux: ['vulkan', 'opengl', 'opengles'],
  darwin: ['metal'],
  win32: ['d3d12', 'vulkan', 'd3d11'],
};

/** Preference of Dawn backends for the default choice: the path a GPU runner's driver takes first. */
const BACKEND_RANK: Record<string, number> = { metal: 0, d3d12: 0, vulkan: 0, d3d11: 1, opengl: 2, opengles: 3 };

/** Every Dawn backend name a selector may give. */
const KNOWN_DAWN_BACKENDS = new Set(Object.keys(BACKEND_RANK));

/** An adapter name that no device has: Dawn then lists the backend's adapters. */
const NO_SUCH_ADAPTER = 'chipbench: list the adapters';

/** The limits of an adapter that bound chipbench's cases (bytes, or counts). */
export const ADAPTER_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxStorageBuffersPerShaderStage',
] as const;

/** The (backend, name) pairs in a dawn.node "Available adapters" message, in its order. */
export function parseAvailableAdapters(message: string): { backend: string; name: string }[] {
  const found: { backend: string; name: string }[] = [];
  for (const line of message.split('\n')) {
    const m = /^\s*\*\s*backend:\s*'([^']*)',\s*name:\s*'(.*)'\s*$/.exec(line);
    if (m) found.push({ backend: m[1]!, name: m[2]! });
  }
  return found;
}

/** Default order: hardware before software, then Dawn's backends as BACKEND_RANK ranks them; otherwise as listed. */
export function byPreference(adapters: readonly WebgpuAdapter[]): WebgpuAdapter[] {
  const rank = (a: WebgpuAdapter) => (a.software ? 10 : 0) + (BACKEND_RANK[a.backend] ?? 5);
  return adapters
    .map((a, order) => ({ a, order }))
    .sort((x, y) => rank(x.a) - rank(y.a) || x.order - y.order)
    .map(({ a }, index) => ({ ...a, index }));
}

const describeOne = (a: WebgpuAdapter) => `${a.index} (${a.backend}, ${a.name}, ${a.software ? 'software' : 'hardware'}, ${a.featureLevel})`;

/**
 * The adapter a selector names: an index of the list (three or more digits
 * past its end are read as part of a name: '4090'), a Dawn backend
 * ('vulkan', 'opengl', ...: its first adapter, or none), or a
 * case-insensitive part of the adapter's name or description (the first
 * that matches). No selector: the first of the list, which byPreference
 * ordered.
 */
export function chooseAdapter(adapters: readonly WebgpuAdapter[], selector?: string): WebgpuAdapterChoice {
  const listed = adapters.map(describeOne).join('; ') || 'none';
  if (selector === undefined || selector === '') {
    const first = adapters[0];
    if (!first) return { chosen: null, reason: 'Dawn offers no WebGPU adapter here' };
    const why = first.software
      ? `no hardware adapter; ${first.backend} is the first path Dawn offers here (Vulkan before OpenGL before OpenGL ES)`
      : 'the first hardware adapter (hardware before software, then Vulkan before OpenGL)';
    return { chosen: first.index, reason: `took adapter ${describeOne(first)}: ${why}` };
  }
  const pick = (a: WebgpuAdapter | undefined, how: string): WebgpuAdapterChoice =>
    a
      ? { chosen: a.index, selector, reason: `took adapter ${describeOne(a)}: --webgpu-adapter ${selector} ${how}` }
      : { chosen: null, selector, reason: `no WebGPU adapter matches --webgpu-adapter '${selector}'; adapters here: ${listed}` };
  // digits are an index; past the list, three or more may be part of a name ('4090', '100' of 'A100')
  if (/^\d+$/.test(selector) && (Number(selector) < adapters.length || selector.length < 3)) return pick(adapters[Number(selector)], 'is its index');
  const wanted = selector.toLowerCase();
  // a Dawn backend's name takes its first adapter, or none: 'vulkan' must not match an OpenGL adapter named 'zink Vulkan ...'
  if (KNOWN_DAWN_BACKENDS.has(wanted)) return pick(adapters.find((a) => a.backend === wanted), 'names its Dawn backend');
  return pick(
    adapters.find((a) => `${a.name}\n${a.description}`.toLowerCase().includes(wanted)),
    'matches its name',
  );
}

/** Whether a selector was given and named no adapter here: bad input, wherever the choice is read. */
export function selectorMatchedNothing(choice: WebgpuAdapterChoice | undefined): boolean {
  return choice?.selector !== undefined && choice.chosen === null;
}

/**
 * Whether an adapter is a software renderer on the CPU: lavapipe says architecture 'software' and
 * isFallbackAdapter; Dawn's GL adapters say neither, so the name and driver decide (llvmpipe, SwiftShader, ...).
 */
export function isSoftwareAdapter(name: string, info: Record<string, unknown>): boolean {
  return text(info, 'architecture') === 'software' || info.isFallbackAdapter === true || isSoftwareRenderer(`${name} ${text(info, 'description')}`);
}

interface DawnAdapterLike {
  info: Record<string, unknown>;
  limits: Record<string, unknown>;
}
export interface DawnModule {
  create(options: string[]): { requestAdapter(options?: Record<string, unknown>): Promise<unknown> };
}

/**
 * Dawn instances made here, kept for the life of the process. A dropped one is destroyed when V8 collects it, and
 * with an OpenGL adapter in use that aborted the worker ("terminate called after throwing an instance of
 * 'std::system_error'", seen here on Mesa 22's llvmpipe); the listing makes a few, and a worker only one run.
 */
const instances = new WeakMap<DawnModule, Map<string, ReturnType<DawnModule['create']>>>();

/**
 * Dawn rounds timestamp queries to a coarse step by default (its timestamp_quantization toggle, against timing side
 * channels in a browser: every pass on lavapipe came out a multiple of 32.8 us here): a benchmark wants the device's
 * own resolution (sub-microsecond on lavapipe with the toggle off, measured 2026-12-02).
 */
const DAWN_TOGGLES = ['disable-dawn-features=timestamp_quantization'];

function instance(dawn: DawnModule, options: string[]): ReturnType<DawnModule['create']> {
  let made = instances.get(dawn);
  if (!made) instances.set(dawn, (made = new Map()));
  const key = options.join('\n');
  let gpu = made.get(key);
  if (!gpu) made.set(key, (gpu = dawn.create([...options, ...DAWN_TOGGLES])));
  return gpu;
}

const text = (info: Record<string, unknown>, key: string) => (typeof info[key] === 'string' ? (info[key] as string) : '');

/** Requests of an adapter before it counts as missing, and the pause between them. */
const ADAPTER_ATTEMPTS = 3;
const ADAPTER_RETRY_MS = 250;

/**
 * Opens one listed adapter: core level first, then compatibility. Null when
 * Dawn will not give it at either. Mesa's GL path now and then answers null
 * while other processes start on it (seen here in 2 of 3 full test runs, with
 * many workers starting Dawn at once; the next process got an adapter), so it
 * is asked again before it counts as missing.
 */
export async function openAdapter(
  dawn: DawnModule,
  backend: string,
  name: string,
  featureLevels: readonly ('core' | 'compatibility')[] = ['core', 'compatibility'],
): Promise<{ adapter: unknown; featureLevel: 'core' | 'compatibility' } | null> {
  const gpu = instance(dawn, [`backend=${backend}`, `adapter=${name}`]);
  for (let attempt = 1; ; attempt++) {
    for (const featureLevel of featureLevels) {
      const adapter = await gpu.requestAdapter({ featureLevel, powerPreference: 'high-performance' }).catch(() => null);
      if (adapter) return { adapter, featureLevel };
    }
    if (attempt >= ADAPTER_ATTEMPTS) return null;
    await new Promise((resolve) => setTimeout(resolve, ADAPTER_RETRY_MS));
  }
}

/**
 * Whether an opened adapter is the listed one. Dawn's `adapter=NAME` takes the first whose name contains NAME, so
 * 'NVIDIA H200' could open an 'NVIDIA H200 NVL' listed before it: its device, driver, vendor and architecture must agree.
 */
export function isSameAdapter(listed: WebgpuAdapter, opened: unknown): boolean {
  const { info } = opened as DawnAdapterLike;
  return (['device', 'description', 'vendor', 'architecture'] as const).every((k) => text(info, k) === listed[k]);
}

/** The record of an opened adapter. */
export function adapterRecord(backend: string, name: string, featureLevel: 'core' | 'compatibility', adapter: unknown): WebgpuAdapter {
  const { info, limits } = adapter as DawnAdapterLike;
  const record: WebgpuAdapter = {
    index: 0,
    backend,
    name,
    vendor: text(info, 'vendor'),
    architecture: text(info, 'architecture'),
    device: text(info, 'device'),
    description: text(info, 'description'),
    featureLevel,
    software: isSoftwareAdapter(name, info),
    limits: {},
  };
  for (const key of ADAPTER_LIMITS) if (typeof limits[key] === 'number') record.limits[key] = limits[key] as number;
  return record;
}

/** Every adapter Dawn offers here, opened and in the default order of preference (index 0 is the default). */
export async function listAdapters(dawn: DawnModule, platform: string = process.platform): Promise<WebgpuAdapter[]> {
  const found: WebgpuAdapter[] = [];
  for (const backend of DAWN_BACKENDS_BY_PLATFORM[platform] ?? ['vulkan']) {
    let names: string[] = [];
    try {
      await instance(dawn, [`backend=${backend}`, `adapter=${NO_SUCH_ADAPTER}`]).requestAdapter({ featureLevel: 'compatibility' });
    } catch (error) {
      names = parseAvailableAdapters(error instanceof Error ? error.message : String(error))
        .filter((a) => a.backend === backend)
        .map((a) => a.name);
    }
    for (const name of new Set(names)) {
      const opened = await openAdapter(dawn, backend, name);
      if (opened) found.push(adapterRecord(backend, name, opened.featureLevel, opened.adapter));
    }
  }
  return byPreference(found);
}
