/**
 * gpu.js's API as chipbench uses it, and the kernels of the engine itself: the probe's test GEMM and the copies that
 * put inputs on a device. The measured kernels are in the suite files (bench/builtin/). Why GEMM has K as a
 * compile-time constant and its operands indexed in 2D through gpu.js `input()`:
 * - a loop bound taken from an argument is silently capped at 1000
 *   iterations on every gpu.js mode (loopMaxIterations), a constant is not;
 * - flat indices are computed in f32 on webgpu, webasm and headlessgl and go
 *   wrong past 2^24 elements; 2D indexing stays exact.
 * (Both measured on this project's machines; see docs/methodology.md.)
 */

/** Structural type of the part of gpu.js we use; gpu.js's own typings lag its 2.24 API. */
export interface GpujsKernel {
  (...args: unknown[]): unknown;
  kernel: {
    constructor: { name: string; mode?: string };
    context?: unknown;
    _device?: unknown;
    fallbackReason?: string;
  };
  destroy?: (removeCanvasReferences?: boolean) => void;
}

export interface GpujsInstance {
  createKernel(fn: (...args: never[]) => unknown, settings: Record<string, unknown>): GpujsKernel;
  destroy(): Promise<void> | void;
}

export interface GpujsModule {
  GPU: new (settings: Record<string, unknown>) => GpujsInstance;
  input: (value: Float32Array, size: number[]) => unknown;
  /** gpu.js's one WebGPU device per process (its context.js): the hand-written WGSL kernel runs on the same one */
  WebGPUContext?: { destroy?: () => Promise<void> | void; acquire?: () => Promise<{ adapter: { info?: Record<string, unknown> }; device: unknown }> };
  WebAssemblyKernel?: { isSIMDSupported?: boolean; isThreadsSupported?: boolean };
}

/* eslint-disable -- gpu.js transpiles these function bodies; `this` is gpu.js's kernel context. */
interface KernelThis {
  thread: { x: number; y: number; z: number };
  constants: { K: number };
}

/**
 * The probe's test GEMM, C[y][x] = sum_p A[y][p] * B[p][x] (gpu.js's README kernel): whether a backend works at all,
 * before any case. The measured kernels, this one's twin among them, are in bench/builtin/gemm.bench.ts.
 */
export function probeGemmSource(this: KernelThis, a: number[][], b: number[][]): number {
  let sum = 0;
  for (let p = 0; p < this.constants.K; p++) {
    sum += a[this.thread.y]![p]! * b[p]![this.thread.x]!;
  }
  return sum;
}

interface CopyThis {
  thread: { x: number };
}

/** c[i] = a[i]: puts a 1-D input on the device once (pipeline: true), or moves a collective's piece to its receiver. */
export function copySource(this: CopyThis, a: number[]): number {
  return a[this.thread.x]!;
}

/** Copies a 2D input to a same-shaped output: used with pipeline: true to put an operand on the device once. */
export function identityKernelSource(this: KernelThis, a: number[][]): number {
  return a[this.thread.y]![this.thread.x]!;
}
