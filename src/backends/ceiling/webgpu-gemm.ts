/**
 * The WebGPU ceiling of a GEMM: the hand-written WGSL kernel (wgsl-gemm-source.ts) dispatched through Dawn on the
 * device gpu.js's webgpu kernels use, timed by the same harness. Several tilings are tried on the device (each
 * verified, then its fastest of a few calls: fastest-form.ts) and the fastest kept; the case records them all, and
 * the choice is cached per device (ceiling-form-cache.ts). Resident: A and B in storage buffers before timing; a sample is one dispatch and one wait for the queue (onSubmittedWorkDone), as gpu.js's resident kernels
 * wait once. End-to-end: a sample also writes A and B and maps C back.
 */
import type { Device, Executed, TimingMode } from '../../results/schema.js';
import { fastestForm, type FormTrial } from './fastest-form.js';
import { runWithADoubled } from './doubled-a.js';
import type { GemmOperands } from '../../workloads/gemm/inputs.js';
import type { CeilingGemm } from '../session.js';
import { boundPipeline, deviceTimer, dispatch, readBuffer, submitAndWait, USAGE, validated, type GpuDeviceLike, type GpuEncoder, type TimestampWrites } from './webgpu-device.js';
import { tileOf, tilingName, WGSL_TILINGS, wgslGemmSource, workgroupBytes, type WgslTiling } from './wgsl-gemm-source.js';

/** Why a tiling cannot run on the device, or undefined when it can. */
export function tilingUnfit(t: WgslTiling, limits: GpuDeviceLike['limits']): string | undefined {
  if (t.wx * t.wy > limits.maxComputeInvocationsPerWorkgroup) return `${t.wx * t.wy} invocations a workgroup, more than the device's ${limits.maxComputeInvocationsPerWorkgroup}`;
  if (t.wy > limits.maxComputeWorkgroupSizeY || t.wx > limits.maxComputeWorkgroupSizeX) return `a ${t.wx}x${t.wy} workgroup, past the device's sizes`;
  if (workgroupBytes(t) > limits.maxComputeWorkgroupStorageSize) return `${workgroupBytes(t)} bytes of workgroup memory, more than the device's ${limits.maxComputeWorkgroupStorageSize}`;
  return undefined;
}

const DESCRIPTION =
  'hand-written WGSL GEMM, dispatched through Dawn: 64x64 tiles of C with A and B staged in workgroup memory, or direct forms ' +
  'reading them from storage, each invocation accumulating its outputs in registers; the fastest verified of several tilings on this device';

/** One compiled tiling over the shared buffers. */
interface Kernel {
  tiling: WgslTiling;
  dispatch(encoder: GpuEncoder, timestampWrites?: TimestampWrites): void;
}

/**
 * Compiles the candidate tilings, puts A and B in storage buffers on `gpu`, keeps the fastest tiling whose output
 * `isRight` accepts, and returns the ceiling for the shape. A tiling that does not fit, compile or verify is a
 * candidate that failed, recorded with its reason.
 */
export async function prepareWebgpuCeilingGemm(
  ops: GemmOperands,
  gpu: GpuDeviceLike,
  device: Device,
  isRight: (c: Float32Array) => boolean,
  /** a tiling an earlier fork of the case chose: tried alone, so every fork measures the same kernel */
  pinned?: string,
  tilings: readonly WgslTiling[] = WGSL_TILINGS.filter((t) => pinned === undefined || tilingName(t) === pinned),
): Promise<CeilingGemm> {
  const { m, n, k } = ops.shape;
  const storage = (floats: number, extra = 0) => gpu.createBuffer({ size: 4 * floats, usage: USAGE.STORAGE | USAGE.COPY_DST | extra });
  const a = storage(m * k);
  const b = storage(k * n);
  const c = storage(m * n, USAGE.COPY_SRC);
  const read = gpu.createBuffer({ size: 4 * m * n, usage: USAGE.MAP_READ | USAGE.COPY_DST });
  const dims = gpu.createBuffer({ size: 16, usage: USAGE.UNIFORM | USAGE.COPY_DST });
  const buffers = [a, b, c, read, dims];
  gpu.queue.writeBuffer(dims, 0, new Uint32Array([m, n, k, 0]));
  const upload = (values: Float32Array) => {
    gpu.queue.writeBuffer(a, 0, values);
    gpu.queue.writeBuffer(b, 0, ops.b);
  };
  const compile = async (tiling: WgslTiling): Promise<Kernel> => {
    const bound = await boundPipeline(gpu, wgslGemmSource(tiling), [a, b, c, dims]);
    const { bm, bn } = tileOf(tiling);
    return { tiling, dispatch: (encoder, timestampWrites) => dispatch(encoder, bound, Math.ceil(n / bn), Math.ceil(m / bm), timestampWrites) };
  };
  /** One dispatch, then one wait for the queue: the resident sample. */
  const compute = (kernel: Kernel) => submitAndWait(gpu, (encoder) => kernel.dispatch(encoder));
  /** Zeroes C, so a kernel that writes nothing (or part of C) cannot pass on an earlier kernel's result. */
  const clearC = () => {
    const encoder = gpu.createCommandEncoder();
    encoder.clearBuffer(c);
    gpu.queue.submit([encoder.finish()]);
  };
  /** C copied to the mappable buffer and read into host memory (with `kernel`, after one dispatch in the same submission). */
  const readC = (kernel?: Kernel) => readBuffer(gpu, c, read, 4 * m * n, kernel ? (encoder) => kernel.dispatch(encoder) : undefined);
  upload(ops.a);
  const forms: FormTrial<Kernel>[] = tilings.map((tiling) => ({
    name: tilingName(tiling),
    unfit: tilingUnfit(tiling, gpu.limits),
    build: () => compile(tiling),
    verify: async (kernel) => {
      clearC();
      const output = await validated(gpu, 'failed to run', async () => {
        await compute(kernel);
        return readC();
      });
      if (!isRight(output)) throw new Error('gave a wrong C');
    },
    call: compute,
  }));
  let picked: Awaited<ReturnType<typeof fastestForm<Kernel>>>;
  try {
    picked = await fastestForm(forms, 'WGSL tiling');
  } catch (error) {
    for (const buffer of buffers) buffer.destroy();
    throw error;
  }
  const { kernel, candidates } = picked;
  const id = tilingName(kernel.tiling);
  let readbacks = 0;
  const executed: Executed = { backend: 'webgpu', kernelClass: `hand-written WGSL (${id})`, device };
  const timer = deviceTimer(gpu);
  const endToEnd = async (values: Float32Array) => {
    upload(values);
    return readC(kernel);
  };
  return {
    ceiling: { id, description: DESCRIPTION, candidates },
    threads: 1,
    timingNotes: {
      resident: 'A and B in storage buffers before timing; a sample is one dispatch of the WGSL kernel and one wait for the queue (onSubmittedWorkDone)',
      'end-to-end': 'a sample writes A and B to storage buffers, dispatches the WGSL kernel, copies C to a mappable buffer and maps it',
    } satisfies Record<TimingMode, string>,
    toRowMajor: (output) => output as Float32Array,
    executed: () => executed,
    endToEnd: () => endToEnd(ops.a),
    resident: () => compute(kernel),
    readResident: () => {
      readbacks++;
      return readC();
    },
    readbacks: () => readbacks,
    runDoubled: (timing) => runWithADoubled(ops.a, timing, { place: upload, compute: () => compute(kernel), read: () => readC(), endToEnd }),
    ...(timer ? { deviceTimes: () => timer((encoder, writes) => kernel.dispatch(encoder, writes)) } : {}),
    dispose: () => {
      for (const buffer of buffers) buffer.destroy();
    },
  };
}
