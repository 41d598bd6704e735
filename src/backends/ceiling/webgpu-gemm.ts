/**
 * The WebGPU ceiling of a GEMM: the hand-written WGSL kernel (wgsl-gemm-source.ts) dispatched through Dawn on the
 * device gpu.js's webgpu kernels use, timed by the same harness. Resident: A and B in storage buffers before
 * timing; a sample is one dispatch and one wait for the queue (onSubmittedWorkDone), as gpu.js's resident kernels
 * wait once. End-to-end: a sample also writes A and B and maps C back.
 */
import type { Device, Executed, TimingMode } from '../../results/schema.js';
import type { GemmOperands } from '../../workloads/gemm/inputs.js';
import type { CeilingGemm } from '../session.js';
import { TILING_128, TILING_256, tileOf, wgslGemmSource, type WgslTiling } from './wgsl-gemm-source.js';

/** GPUBufferUsage and GPUMapMode flags (WebGPU spec; Dawn's globals hold the same values). */
const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
const MAP_READ = 0x1;

/** The parts of a WebGPU device this kernel uses (no DOM types here). */
interface GpuBuffer {
  mapAsync(mode: number): Promise<void>;
  getMappedRange(): ArrayBuffer;
  unmap(): void;
  destroy(): void;
}
interface GpuPass {
  setPipeline(p: unknown): void;
  setBindGroup(i: number, g: unknown): void;
  dispatchWorkgroups(x: number, y: number): void;
  end(): void;
}
interface GpuEncoder {
  beginComputePass(): GpuPass;
  copyBufferToBuffer(src: GpuBuffer, srcOffset: number, dst: GpuBuffer, dstOffset: number, size: number): void;
  finish(): unknown;
}
export interface GpuDeviceLike {
  limits: { maxComputeInvocationsPerWorkgroup: number; maxComputeWorkgroupSizeY: number };
  queue: { writeBuffer(b: GpuBuffer, offset: number, data: ArrayBufferView): void; submit(c: unknown[]): void; onSubmittedWorkDone(): Promise<void> };
  createBuffer(d: { size: number; usage: number }): GpuBuffer;
  createShaderModule(d: { code: string }): unknown;
  createComputePipeline(d: { layout: 'auto'; compute: { module: unknown; entryPoint: string } }): { getBindGroupLayout(i: number): unknown };
  createBindGroup(d: { layout: unknown; entries: { binding: number; resource: { buffer: GpuBuffer } }[] }): unknown;
  createCommandEncoder(): GpuEncoder;
  pushErrorScope(filter: string): void;
  popErrorScope(): Promise<{ message: string } | null>;
}

/** The widest tiling the device allows: 256 invocations where it can, else the 128 of compatibility mode. */
export function tilingFor(limits: GpuDeviceLike['limits']): WgslTiling {
  return limits.maxComputeInvocationsPerWorkgroup >= 256 && limits.maxComputeWorkgroupSizeY >= 16 ? TILING_256 : TILING_128;
}

function ceilingRecord(t: WgslTiling) {
  const { bm, bn } = tileOf(t);
  return {
    id: `wgsl-tiled-${bm}x${bn}`,
    description:
      `hand-written WGSL GEMM: ${t.wx}x${t.wy} invocations a workgroup, each ${t.tm}x${t.tn} outputs in registers, ` +
      `${bm}x${bn} tiles of C with A and B staged ${t.bk} deep in workgroup memory, dispatched through Dawn`,
  };
}

/** Compiles the kernel, puts A and B in storage buffers on `gpu`, and returns the ceiling for the shape. */
export async function prepareWebgpuCeilingGemm(ops: GemmOperands, gpu: GpuDeviceLike, device: Device): Promise<CeilingGemm> {
  const { m, n, k } = ops.shape;
  const tiling = tilingFor(gpu.limits);
  const { bm, bn } = tileOf(tiling);
  const ceiling = ceilingRecord(tiling);
  gpu.pushErrorScope('validation');
  const storage = (floats: number, extra = 0) => gpu.createBuffer({ size: 4 * floats, usage: USAGE.STORAGE | USAGE.COPY_DST | extra });
  const a = storage(m * k);
  const b = storage(k * n);
  const c = storage(m * n, USAGE.COPY_SRC);
  const read = gpu.createBuffer({ size: 4 * m * n, usage: USAGE.MAP_READ | USAGE.COPY_DST });
  const dims = gpu.createBuffer({ size: 16, usage: USAGE.UNIFORM | USAGE.COPY_DST });
  gpu.queue.writeBuffer(dims, 0, new Uint32Array([m, n, k, 0]));
  const pipeline = gpu.createComputePipeline({ layout: 'auto', compute: { module: gpu.createShaderModule({ code: wgslGemmSource(tiling) }), entryPoint: 'main' } });
  const group = gpu.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [a, b, c, dims].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const invalid = await gpu.popErrorScope();
  if (invalid) throw new Error(`the WGSL kernel did not compile or bind: ${invalid.message}`);
  const upload = (values: Float32Array) => {
    gpu.queue.writeBuffer(a, 0, values);
    gpu.queue.writeBuffer(b, 0, ops.b);
  };
  const dispatch = (encoder: GpuEncoder) => {
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(Math.ceil(n / bn), Math.ceil(m / bm));
    pass.end();
  };
  /** One dispatch, then one wait for the queue: the resident sample. */
  const compute = async () => {
    const encoder = gpu.createCommandEncoder();
    dispatch(encoder);
    gpu.queue.submit([encoder.finish()]);
    await gpu.queue.onSubmittedWorkDone();
  };
  /** C copied to the mappable buffer and read into host memory (with `computeFirst`, after one dispatch in the same submission). */
  const readC = async (computeFirst: boolean) => {
    const encoder = gpu.createCommandEncoder();
    if (computeFirst) dispatch(encoder);
    encoder.copyBufferToBuffer(c, 0, read, 0, 4 * m * n);
    gpu.queue.submit([encoder.finish()]);
    await read.mapAsync(MAP_READ);
    const out = new Float32Array(read.getMappedRange().slice(0));
    read.unmap();
    return out;
  };
  upload(ops.a);
  let readbacks = 0;
  const executed: Executed = { backend: 'webgpu', kernelClass: `hand-written WGSL (${ceiling.id})`, device };
  const endToEnd = async (values: Float32Array) => {
    upload(values);
    return readC(true);
  };
  return {
    ceiling,
    threads: 1,
    timingNotes: {
      resident: 'A and B in storage buffers before timing; a sample is one dispatch of the WGSL kernel and one wait for the queue (onSubmittedWorkDone)',
      'end-to-end': 'a sample writes A and B to storage buffers, dispatches the WGSL kernel, copies C to a mappable buffer and maps it',
    } satisfies Record<TimingMode, string>,
    toRowMajor: (output) => output as Float32Array,
    executed: () => executed,
    endToEnd: () => endToEnd(ops.a),
    resident: compute,
    readResident: () => {
      readbacks++;
      return readC(false);
    },
    readbacks: () => readbacks,
    runDoubled: async (timing) => {
      const doubled = ops.a.map((x) => 2 * x);
      const out = timing === 'end-to-end' ? await endToEnd(doubled) : (upload(doubled), await compute(), await readC(false));
      upload(ops.a);
      return out;
    },
    dispose: () => {
      for (const buffer of [a, b, c, read, dims]) buffer.destroy();
    },
  };
}
