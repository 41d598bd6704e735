/**
 * The parts of a WebGPU device (Dawn's, the one gpu.js's webgpu kernels use) that the hand-written WGSL kernels
 * use, typed here without the DOM's types, and the helpers they share.
 */

/** GPUBufferUsage and GPUMapMode flags (WebGPU spec; Dawn's globals hold the same values). */
export const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80, QUERY_RESOLVE: 0x200 } as const;
export const MAP_READ = 0x1;

export interface GpuBuffer {
  mapAsync(mode: number): Promise<void>;
  getMappedRange(): ArrayBuffer;
  unmap(): void;
  destroy(): void;
}
export interface GpuPass {
  setPipeline(p: unknown): void;
  setBindGroup(i: number, g: unknown): void;
  dispatchWorkgroups(x: number, y: number): void;
  end(): void;
}
/** Where a compute pass writes its beginning and end timestamps (timestamp-query). */
export interface TimestampWrites {
  querySet: unknown;
  beginningOfPassWriteIndex: number;
  endOfPassWriteIndex: number;
}
export interface GpuEncoder {
  beginComputePass(descriptor?: { timestampWrites?: TimestampWrites }): GpuPass;
  resolveQuerySet(querySet: unknown, first: number, count: number, destination: GpuBuffer, offset: number): void;
  copyBufferToBuffer(src: GpuBuffer, srcOffset: number, dst: GpuBuffer, dstOffset: number, size: number): void;
  clearBuffer(buffer: GpuBuffer): void;
  finish(): unknown;
}
export interface GpuDeviceLike {
  features?: { has(feature: string): boolean };
  createQuerySet?(d: { type: 'timestamp'; count: number }): { destroy(): void };
  limits: { maxComputeInvocationsPerWorkgroup: number; maxComputeWorkgroupSizeX: number; maxComputeWorkgroupSizeY: number; maxComputeWorkgroupStorageSize: number };
  queue: { writeBuffer(b: GpuBuffer, offset: number, data: ArrayBufferView): void; submit(c: unknown[]): void; onSubmittedWorkDone(): Promise<void> };
  createBuffer(d: { size: number; usage: number }): GpuBuffer;
  createShaderModule(d: { code: string }): unknown;
  createComputePipeline(d: { layout: 'auto'; compute: { module: unknown; entryPoint: string } }): { getBindGroupLayout(i: number): unknown };
  createBindGroup(d: { layout: unknown; entries: { binding: number; resource: { buffer: GpuBuffer } }[] }): unknown;
  createCommandEncoder(): GpuEncoder;
  pushErrorScope(filter: string): void;
  popErrorScope(): Promise<{ message: string } | null>;
}

/** Runs `body` in a validation error scope, always closed (an open scope would swallow gpu.js's errors on this device). */
export async function validated<T>(gpu: GpuDeviceLike, what: string, body: () => Promise<T> | T): Promise<T> {
  gpu.pushErrorScope('validation');
  let result: T;
  try {
    result = await body();
  } finally {
    const invalid = await gpu.popErrorScope();
    if (invalid) throw new Error(`${what}: ${invalid.message.split('\n')[0]}`);
  }
  return result;
}

/** A compute pipeline of `code`'s `main` with `buffers` bound at 0, 1, ... of group 0; throws what the device refused. */
export async function boundPipeline(gpu: GpuDeviceLike, code: string, buffers: readonly GpuBuffer[]): Promise<{ pipeline: unknown; group: unknown }> {
  return validated(gpu, 'did not compile or bind', () => {
    const pipeline = gpu.createComputePipeline({ layout: 'auto', compute: { module: gpu.createShaderModule({ code }), entryPoint: 'main' } });
    const group = gpu.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) });
    return { pipeline, group };
  });
}

/** Records one dispatch of a bound pipeline, in a pass of its own (with `timestampWrites`, timed by the device). */
export function dispatch(encoder: GpuEncoder, bound: { pipeline: unknown; group: unknown }, x: number, y = 1, timestampWrites?: TimestampWrites): void {
  const pass = encoder.beginComputePass(timestampWrites ? { timestampWrites } : undefined);
  pass.setPipeline(bound.pipeline);
  pass.setBindGroup(0, bound.group);
  pass.dispatchWorkgroups(x, y);
  pass.end();
}

/** Submits the work `record` records, then waits once for the queue (onSubmittedWorkDone): a resident sample. */
export async function submitAndWait(gpu: GpuDeviceLike, record: (encoder: GpuEncoder) => void): Promise<void> {
  const encoder = gpu.createCommandEncoder();
  record(encoder);
  gpu.queue.submit([encoder.finish()]);
  await gpu.queue.onSubmittedWorkDone();
}

/**
 * `bytes` of `source` copied to the mappable `read` buffer and read into host memory; `before` records work (a
 * dispatch) into the same submission first.
 */
export async function readBuffer(gpu: GpuDeviceLike, source: GpuBuffer, read: GpuBuffer, bytes: number, before?: (encoder: GpuEncoder) => void): Promise<Float32Array> {
  const encoder = gpu.createCommandEncoder();
  before?.(encoder);
  encoder.copyBufferToBuffer(source, 0, read, 0, bytes);
  gpu.queue.submit([encoder.finish()]);
  await read.mapAsync(MAP_READ);
  const out = new Float32Array(read.getMappedRange().slice(0, bytes));
  read.unmap();
  return out;
}

/** Records work whose compute pass writes the given timestamps. */
export type TimedWork = (encoder: GpuEncoder, timestampWrites: TimestampWrites) => void;

/** Dispatches made after timing to read the kernel's own time on the device. */
export const DEVICE_TIME_CALLS = 10;

/**
 * The kernel's own time on the device, one figure a call: its compute pass's beginning and end timestamps,
 * resolved and read back after each call, in seconds. Undefined where the device has no timestamp-query (Dawn's
 * OpenGL backend offers none; gpu.js's device is asked for it where the adapter has it, webgpu-shim.ts).
 */
export function deviceTimer(gpu: GpuDeviceLike): ((work: TimedWork, calls?: number) => Promise<number[]>) | undefined {
  if (!gpu.features?.has('timestamp-query') || !gpu.createQuerySet) return undefined;
  const createQuerySet = gpu.createQuerySet.bind(gpu);
  return async (work, calls = DEVICE_TIME_CALLS) => {
    const querySet = createQuerySet({ type: 'timestamp', count: 2 });
    const resolved = gpu.createBuffer({ size: 16, usage: USAGE.QUERY_RESOLVE | USAGE.COPY_SRC });
    const read = gpu.createBuffer({ size: 16, usage: USAGE.MAP_READ | USAGE.COPY_DST });
    try {
      const seconds: number[] = [];
      for (let call = 0; call < calls; call++) {
        const encoder = gpu.createCommandEncoder();
        work(encoder, { querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 });
        encoder.resolveQuerySet(querySet, 0, 2, resolved, 0);
        encoder.copyBufferToBuffer(resolved, 0, read, 0, 16);
        gpu.queue.submit([encoder.finish()]);
        await read.mapAsync(MAP_READ);
        const [begin, end] = new BigUint64Array(read.getMappedRange().slice(0, 16));
        read.unmap();
        // a pass whose timestamps do not advance (a device whose clock did not tick, or wrapped) says nothing
        if (end! > begin!) seconds.push(Number(end! - begin!) / 1e9);
      }
      return seconds;
    } finally {
      querySet.destroy();
      resolved.destroy();
      read.destroy();
    }
  };
}
