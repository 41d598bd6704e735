/**
 * GEMM as chipbench measures it on every backend: C = A B in f32 through gpu.js, at the run's shapes (--sizes, or
 * the profile's), the README's naive kernel in each timing asked for (gemm/<backend>/f32/m256-n256-k256/resident),
 * and beside it the fastest of the variants below (gemm-tuned/...), picked per backend, device and shape by the
 * engine's autotuner. The hand-written kernels on the same APIs (gemm-ceiling/..., src/backends/ceiling/) are fed
 * the same operands and judged by the same check.
 *
 * The engine lays the operands out for each variant (padded with zeros to the variant's multiples, B transposed
 * where it reads B^T: src/workloads/gemm/variants.ts), sets K and the output grid, and reads C back from the
 * variant's cells; the padded cells' work is never credited. A and B are uniform in [-1, 1), seeded with --seed, A
 * first. An element is right when its error, normalised by sum_p |a_ip| |b_pj|, is within gamma_{K+1}, the bound
 * of any f32 dot product of length K (Higham, eq. 3.5): a kernel that drops a term, reads a wrong index or
 * computes in half precision fails it. The work is 2 M N K: every figure is f32 FLOP/s.
 */
import { defineSuite, type CheckResult, type HostInput, type KernelInput, type KernelThis } from '../../src/suite/index.js';
import { builtinCase } from '../../src/suite/builtin.js';
import { float64Gemm, verifyGemm } from '../../src/workloads/gemm/verify.js';

type Shape = { m: number; n: number; k: number };
type GemmThis = KernelThis<{ K: number }>;

/* eslint-disable -- gpu.js transpiles these function bodies; `this` is gpu.js's kernel context. */

/** naive, gpu.js's README kernel: C[y][x] = sum_p A[y][p] * B[p][x], one output cell per thread. */
function naive(this: GemmThis, a: number[][], b: number[][]): number {
  let sum = 0;
  for (let p = 0; p < this.constants.K; p++) {
    sum += a[this.thread.y]![p]! * b[p]![this.thread.x]!;
  }
  return sum;
}

/* The variants. K is the padded K; B^T is N x K. An Array(4) kernel returns a thread's block of cells row-major:
   [c(y,x), c(y,x+1), c(y+1,x), c(y+1,x+1)] for t22. */

/** bt: one cell per thread, B transposed: C[y][x] = sum_p A[y][p] * BT[x][p]. */
function bt(this: GemmThis, a: number[][], bt: number[][]): number {
  let sum = 0;
  for (let p = 0; p < this.constants.K; p++) {
    sum += a[this.thread.y]![p]! * bt[this.thread.x]![p]!;
  }
  return sum;
}

/** flat: bt on flat arrays, indices computed (exact below 2^24 elements only: the engine offers it below that). */
function flat(this: GemmThis, a: number[], bt: number[]): number {
  let sum = 0;
  const ay = this.thread.y * this.constants.K;
  const bx = this.thread.x * this.constants.K;
  for (let p = 0; p < this.constants.K; p++) {
    sum += a[ay + p]! * bt[bx + p]!;
  }
  return sum;
}

/** c4: columns 4x .. 4x+3 of row y, B transposed: one read of a[y][p] for 4 products. */
function c4(this: GemmThis, a: number[][], bt: number[][]): number[] {
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

/** t22: rows 2y, 2y+1 by columns 2x, 2x+1, B transposed: 4 reads for 4 products. */
function t22(this: GemmThis, a: number[][], bt: number[][]): number[] {
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

/** r4u4: rows 4y .. 4y+3 of column x, K stepped by 4 (padded to a multiple of 4): one read of b[p][x] for 4 products. */
function r4u4(this: GemmThis, a: number[][], b: number[][]): number[] {
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

/**
 * r4u4b64: r4u4 in 64-column strips (thread.z the strip, thread.x the column in it): threads finish every row of one
 * strip of B (K x 64) before the next, so on gpu.js's CPU backends the strip stays in cache.
 */
function r4u4b64(this: GemmThis, a: number[][], b: number[][]): number[] {
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
/* eslint-enable */

/** The float64 C of one A (and B): made once per operand array, so every case and check of a shape shares it. */
const exactOf = new WeakMap<Float32Array, ReturnType<typeof float64Gemm>>();

/** C (row-major M x N) against the float64 result, each element within gamma_{K+1} of its normalised error. */
function checkGemm(output: Float32Array, [a, b]: readonly HostInput[], { m, n, k }: Shape): CheckResult {
  const A = a as Float32Array;
  let exact = exactOf.get(A);
  if (!exact) exactOf.set(A, (exact = float64Gemm({ shape: { m, n, k }, seed: 0, a: A, b: b as Float32Array })));
  const v = verifyGemm(output, exact, k);
  return { wrong: v.wrongElements, maxError: v.maxRelError, bound: v.bound, note: 'error normalised by sum_p |a_ip| |b_pj|, within gamma_{K+1}' };
}

export default defineSuite({
  name: 'gemm',
  cases: [
    builtinCase<Shape>(
      { workload: 'gemm', variants: { bt, flat, c4, t22, r4u4, r4u4b64 } },
      {
        name: 'gemm',
        // the timings are the run's (--timings): end-to-end and resident by default
        sizes: (run) => run.shapes,
        kernel: ({ m, n, k }) => ({ source: naive, output: [n, m], constants: { K: k }, settings: { tactic: 'precision' } }),
        inputs: ({ m, n, k }, random): KernelInput[] => [
          { values: random.uniform(m * k), dims: [k, m] },
          { values: random.uniform(k * n), dims: [n, k] },
        ],
        check: checkGemm,
        work: ({ m, n, k }) => ({ flops: 2 * m * n * k }),
      },
    ),
  ],
});
