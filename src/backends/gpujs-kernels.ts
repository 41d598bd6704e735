/**
 * The gpu.js GEMM kernels. One output cell per thread, K as a compile-time
 * constant and the operands indexed in 2D through gpu.js `input()`:
 * - a loop bound taken from an argument is silently capped at 1000
 *   iterations on every gpu.js mode (loopMaxIterations), a constant is not;
 * - flat indices are computed in f32 on webgpu, webasm and headlessgl and go
 *   wrong past 2^24 elements; 2D indexing stays exact.
 * (Both measured here; see ../shared/PLATFORM.md and the research notes in the README.)
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
  WebGPUContext?: { destroy?: () => Promise<void> | void };
  WebAssemblyKernel?: { isSIMDSupported?: boolean; isThreadsSupported?: boolean };
}

/* eslint-disable -- gpu.js transpiles these function bodies; `this` is gpu.js's kernel context. */
interface KernelThis {
  thread: { x: number; y: number };
  constants: { K: number };
}

/** C[y][x] = sum_p A[y][p] * B[p][x]; output [N, M] (x = column, y = row). */
export function gemmKernelSource(this: KernelThis, a: number[][], b: number[][]): number {
  let sum = 0;
  for (let p = 0; p < this.constants.K; p++) {
    sum += a[this.thread.y]![p]! * b[p]![this.thread.x]!;
  }
  return sum;
}

interface StreamThis {
  thread: { x: number };
  constants: { s: number };
}

/** STREAM copy: c[i] = a[i]. */
export function streamCopySource(this: StreamThis, a: number[]): number {
  return a[this.thread.x]!;
}

/** STREAM triad: a[i] = b[i] + s * c[i]. */
export function streamTriadSource(this: StreamThis, b: number[], c: number[]): number {
  return b[this.thread.x]! + this.constants.s * c[this.thread.x]!;
}

/** Copies a 2D input to a same-shaped output: used with pipeline: true to put an operand on the device once. */
export function identityKernelSource(this: KernelThis, a: number[][]): number {
  return a[this.thread.y]![this.thread.x]!;
}
