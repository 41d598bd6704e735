/**
 * The gpu.js GEMM kernels. One output cell per thread, K as a compile-time
 * constant and the operands indexed in 2D through gpu.js `input()`:
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

/** C[y][x] = sum_p A[y][p] * B[p][x]; output [N, M] (x = column, y = row). */
export function gemmKernelSource(this: KernelThis, a: number[][], b: number[][]): number {
  let sum = 0;
  for (let p = 0; p < this.constants.K; p++) {
    sum += a[this.thread.y]![p]! * b[p]![this.thread.x]!;
  }
  return sum;
}

/* The variants of src/workloads/gemm/variants.ts. K is the padded K; B^T is N x K. An Array(4) kernel returns a
   thread's block of cells row-major: [c(y,x), c(y,x+1), c(y+1,x), c(y+1,x+1)] for t22. */

/** bt: C[y][x] = sum_p A[y][p] * BT[x][p]. */
export function gemmBtSource(this: KernelThis, a: number[][], bt: number[][]): number {
  let sum = 0;
  for (let p = 0; p < this.constants.K; p++) {
    sum += a[this.thread.y]![p]! * bt[this.thread.x]![p]!;
  }
  return sum;
}

/** flat: the same as bt on flat arrays, indices computed (exact below 2^24 elements only). */
export function gemmFlatSource(this: KernelThis, a: number[], bt: number[]): number {
  let sum = 0;
  const ay = this.thread.y * this.constants.K;
  const bx = this.thread.x * this.constants.K;
  for (let p = 0; p < this.constants.K; p++) {
    sum += a[ay + p]! * bt[bx + p]!;
  }
  return sum;
}

/** c4: columns 4x .. 4x+3 of row y. */
export function gemmC4Source(this: KernelThis, a: number[][], bt: number[][]): number[] {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const x = this.thread.x * 4;
  for (let p = 0; p < this.constants.K; p++) {
    const av = a[this.thread.y]![p]!;
    s0 += av * bt[x]![p]!;
    s1 += av * bt[x + 1]![p]!;
    s2 += av * bt[x + 2]![p]!;
    s3 += av * bt[x + 3]![p]!;
  }
  return [s0, s1, s2, s3];
}

/** t22: rows 2y, 2y+1 by columns 2x, 2x+1. */
export function gemmT22Source(this: KernelThis, a: number[][], bt: number[][]): number[] {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const x = this.thread.x * 2;
  const y = this.thread.y * 2;
  for (let p = 0; p < this.constants.K; p++) {
    const a0 = a[y]![p]!;
    const a1 = a[y + 1]![p]!;
    const b0 = bt[x]![p]!;
    const b1 = bt[x + 1]![p]!;
    s0 += a0 * b0;
    s1 += a0 * b1;
    s2 += a1 * b0;
    s3 += a1 * b1;
  }
  return [s0, s1, s2, s3];
}

/** r4u4: rows 4y .. 4y+3 of column x, K stepped by 4 (K padded to a multiple of 4). */
export function gemmR4U4Source(this: KernelThis, a: number[][], b: number[][]): number[] {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const y = this.thread.y * 4;
  const x = this.thread.x;
  for (let p = 0; p < this.constants.K; p += 4) {
    const b0 = b[p]![x]!;
    const b1 = b[p + 1]![x]!;
    const b2 = b[p + 2]![x]!;
    const b3 = b[p + 3]![x]!;
    s0 += a[y]![p]! * b0 + a[y]![p + 1]! * b1 + a[y]![p + 2]! * b2 + a[y]![p + 3]! * b3;
    s1 += a[y + 1]![p]! * b0 + a[y + 1]![p + 1]! * b1 + a[y + 1]![p + 2]! * b2 + a[y + 1]![p + 3]! * b3;
    s2 += a[y + 2]![p]! * b0 + a[y + 2]![p + 1]! * b1 + a[y + 2]![p + 2]! * b2 + a[y + 2]![p + 3]! * b3;
    s3 += a[y + 3]![p]! * b0 + a[y + 3]![p + 1]! * b1 + a[y + 3]![p + 2]! * b2 + a[y + 3]![p + 3]! * b3;
  }
  return [s0, s1, s2, s3];
}

/** r4u4b64: r4u4 with 64-column strips; thread.z is the strip, thread.x the column in it, thread.y rows 4y .. 4y+3. */
export function gemmR4U4B64Source(this: KernelThis, a: number[][], b: number[][]): number[] {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const y = this.thread.y * 4;
  const x = this.thread.z * 64 + this.thread.x;
  for (let p = 0; p < this.constants.K; p += 4) {
    const b0 = b[p]![x]!;
    const b1 = b[p + 1]![x]!;
    const b2 = b[p + 2]![x]!;
    const b3 = b[p + 3]![x]!;
    s0 += a[y]![p]! * b0 + a[y]![p + 1]! * b1 + a[y]![p + 2]! * b2 + a[y]![p + 3]! * b3;
    s1 += a[y + 1]![p]! * b0 + a[y + 1]![p + 1]! * b1 + a[y + 1]![p + 2]! * b2 + a[y + 1]![p + 3]! * b3;
    s2 += a[y + 2]![p]! * b0 + a[y + 2]![p + 1]! * b1 + a[y + 2]![p + 2]! * b2 + a[y + 2]![p + 3]! * b3;
    s3 += a[y + 3]![p]! * b0 + a[y + 3]![p + 1]! * b1 + a[y + 3]![p + 2]! * b2 + a[y + 3]![p + 3]! * b3;
  }
  return [s0, s1, s2, s3];
}

interface CopyThis {
  thread: { x: number };
}

/** c[i] = a[i]: puts a 1-D input on the device once (pipeline: true), as a resident case's inputs are. */
export function streamCopySource(this: CopyThis, a: number[]): number {
  return a[this.thread.x]!;
}

/** Copies a 2D input to a same-shaped output: used with pipeline: true to put an operand on the device once. */
export function identityKernelSource(this: KernelThis, a: number[][]): number {
  return a[this.thread.y]![this.thread.x]!;
}
