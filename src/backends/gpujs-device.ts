/**
 * What a gpu.js kernel really ran on, read from the kernel after it ran,
 * and the device's size limits, read from the probe's kernel. The
 * session (gpujs-session.ts) picks the function by the backend that
 * executed, which can differ from the one asked for (a gpu.js fallback).
 */
import type { DeviceLimits } from './session.js';
import type { Device } from '../results/schema.js';
import type { GpujsKernel, GpujsModule } from './gpujs-kernels.js';
import { hostCpuDevice } from './host-cpu.js';
import type { GpujsBackend } from './names.js';
import type { DawnAdapters } from './webgpu-shim.js';
import { isSoftwareAdapter } from './webgpu-adapters.js';

/** WebAssembly 32-bit memory: 65536 pages of 64 KiB; gpu.js adds 16 pages of its own. */
const WASM_MAX_BYTES = (65536 - 16) * 65536;

/**
 * The largest operand a backend takes, read from `kernel` (the probe's host GEMM kernel, which has run):
 * headlessgl in texels per side, webgpu and webasm in bytes; cpu has no limit of its own.
 */
export async function gpujsDeviceLimits(backend: GpujsBackend, kernel: GpujsKernel['kernel']): Promise<DeviceLimits> {
  if (backend === 'headlessgl') {
    const gl = kernel.context as { getParameter(p: number): number; MAX_TEXTURE_SIZE: number };
    return { maxTextureSize: gl.getParameter(gl.MAX_TEXTURE_SIZE), source: 'WebGL MAX_TEXTURE_SIZE' };
  }
  if (backend === 'webgpu') {
    const device = kernel._device as { limits: { maxStorageBufferBindingSize: number; maxBufferSize: number } };
    return {
      maxBufferBytes: Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize),
      source: 'WebGPU maxStorageBufferBindingSize / maxBufferSize',
    };
  }
  if (backend === 'webasm') return { maxTotalBytes: WASM_MAX_BYTES, source: 'WebAssembly 32-bit memory (4 GiB)' };
  return {};
}

/** headlessgl: `driver` (the GL driver found in /proc/self/maps) with what WebGL itself says about `kernel`'s context. */
export function headlessGlDevice(kernel: GpujsKernel, driver: Device): Device {
  return glContextDevice(kernel.kernel.context as GlContext | undefined, driver);
}

type GlContext = { getParameter(p: number): unknown; readonly [constant: string]: unknown };

/** headlessgl: the driver found, with what a WebGL context itself says of it. */
export function glContextDevice(gl: GlContext | undefined, driver: Device): Device {
  const device: Device = { ...driver, details: { ...driver.details } };
  // What WebGL itself says (headless-gl: 'ANGLE', 'WebGL 1.0 stack-gl ...'): recorded verbatim beside the driver we found.
  if (gl) device.details = { ...device.details, webglRenderer: String(gl.getParameter(gl.RENDERER as number)), webglVersion: String(gl.getParameter(gl.VERSION as number)) };
  return device;
}

/** webgpu: the adapter `kernel`'s context opened, with Dawn's listing of it (`dawn`) where there is one. */
export function webgpuDevice(kernel: GpujsKernel, dawn: DawnAdapters | undefined): Device {
  const context = kernel.kernel.context as { adapter?: { info?: Record<string, unknown> } } | undefined;
  return webgpuAdapterDevice(context?.adapter?.info ?? {}, dawn);
}

/** webgpu: an opened adapter's info, with Dawn's listing of it (`dawn`) where there is one. */
export function webgpuAdapterDevice(info: Record<string, unknown>, dawn: DawnAdapters | undefined): Device {
  const field = (k: string) => (typeof info[k] === 'string' ? (info[k] as string) : '');
  const adapter = dawn?.chosen;
  const listed = adapter?.name || field('device') || field('description') || 'unknown WebGPU adapter';
  // software if the listing said so or the adapter that opened says so
  const software = (adapter?.software ?? false) || isSoftwareAdapter(listed, info);
  const details: Record<string, string> = {};
  for (const k of ['vendor', 'architecture', 'device', 'description']) if (field(k)) details[k] = field(k);
  if (adapter) {
    details.dawnBackend = adapter.backend;
    details.featureLevel = adapter.featureLevel;
    details.adapterIndex = String(adapter.index);
    for (const [k, v] of Object.entries(adapter.limits)) details[k] = String(v);
  }
  if (dawn) details.adapterChoice = dawn.choice.reason;
  return {
    executesOn: software ? 'cpu' : 'gpu',
    // the Dawn backend and level are part of the name: the same llvmpipe through Vulkan and through OpenGL are two
    // devices to compare (they run other code), and compare tells devices apart by name
    name: adapter ? `${listed} via Dawn ${adapter.backend} (${adapter.featureLevel})` : listed,
    ...(field('vendor') ? { vendor: field('vendor') } : {}),
    driver: field('description') || 'Dawn',
    softwareRenderer: software,
    details,
  };
}

/** webasm: the host CPU, with the path `kernel`'s last call took and what gpu.js (`gpujs`) says WebAssembly supports. */
export function webasmDevice(kernel: GpujsKernel, gpujs: GpujsModule | undefined): Device {
  const cpu = hostCpuDevice();
  // What this kernel's last call really did (gpu.js 2.24 internals): 'threaded' (worker pool, >= 4096 output
  // cells under asyncMode), 'simd' (rows a multiple of 4 wide), 'simd+scalar-tail' or 'scalar'.
  const k = kernel.kernel as { _lastRunPath?: string | null; _threadable?: () => boolean; _pool?: { size?: number } | null };
  const wasm = gpujs?.WebAssemblyKernel;
  cpu.details = {
    ...cpu.details,
    lastRunPath: k._lastRunPath ?? 'unknown',
    threaded: String(k._threadable?.() ?? 'unknown'),
    ...(k._pool?.size ? { threadPoolSize: String(k._pool.size) } : {}),
    simdSupported: String(wasm?.isSIMDSupported ?? 'unknown'),
  };
  return cpu;
}
