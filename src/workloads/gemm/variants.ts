/**
 * GEMM kernel variants: how the work of C = A B is laid out over gpu.js
 * threads. The kernels themselves are in bench/builtin/gemm.bench.ts; this
 * is what the host needs to know about each: how many output cells a thread
 * computes, whether B goes in transposed, how far the operands are padded.
 *
 * Padding: a variant that computes R rows x C columns per thread, or steps
 * through K by S, needs M, N and K to be multiples of R, C and S. Operands
 * are zero-padded up to those multiples before anything is timed (zeros add
 * nothing to a dot product), and only the real M x N cells are read back and
 * verified. The padded cells' work is not credited: every rate is 2MNK of the
 * real shape over the time.
 *
 * Per-variant speeds measured here (2-core EPYC, gpu.js 2.24.1, 512^3, GFLOP/s,
 * naive -> best): cpu 1.0 -> 2.1 (t22); webasm 3.3 -> 6.9 (r4u4 family);
 * headlessgl on llvmpipe 1.7 -> 3.4 (t22); webgpu on llvmpipe 1.4 -> 1.8 (t22).
 * The autotuner picks per backend, device and shape; nothing is assumed.
 */
import type { GemmShape } from '../../metrics/gemm-work.js';
import type { GemmOperands } from './inputs.js';

export const GEMM_VARIANT_IDS = ['naive', 'bt', 'flat', 'c4', 't22', 'r4u4', 'r4u4b64'] as const;
export type GemmVariantId = (typeof GEMM_VARIANT_IDS)[number];

export interface GemmVariant {
  id: GemmVariantId;
  /** in words, recorded with every case that used it */
  description: string;
  /** output rows and columns one thread computes */
  rows: number;
  cols: number;
  /** K is stepped through this many at a time (the loop is unrolled) */
  kStep: number;
  /** B is passed as B^T (N x K), so a thread's reads of B run along K */
  transposedB: boolean;
  /** operands indexed as flat arrays (computed indices) instead of 2D */
  flat: boolean;
  /**
   * Column blocking: threads finish every row of one strip of this many columns before the next strip (a 3D
   * output [blockCols / cols, M / rows, N / blockCols], thread.z the strip). gpu.js's CPU backends run threads in
   * output order, so a strip of B (K x blockCols floats) is read from cache by all M / rows threads of the strip
   * instead of streaming all of B from memory for every row. N is padded to a multiple of it.
   */
  blockCols?: number;
}

export const GEMM_VARIANTS: Record<GemmVariantId, GemmVariant> = {
  naive: { id: 'naive', description: "gpu.js README kernel: one output cell per thread, a[y][p] * b[p][x]", rows: 1, cols: 1, kStep: 1, transposedB: false, flat: false },
  bt: { id: 'bt', description: 'one cell per thread, B transposed: a[y][p] * bt[x][p]', rows: 1, cols: 1, kStep: 1, transposedB: true, flat: false },
  flat: { id: 'flat', description: 'one cell per thread, flat typed arrays, B transposed: a[y*K + p] * bt[x*K + p]', rows: 1, cols: 1, kStep: 1, transposedB: true, flat: true },
  c4: { id: 'c4', description: '4 columns per thread (Array(4)), B transposed: one read of a[y][p] for 4 products', rows: 1, cols: 4, kStep: 1, transposedB: true, flat: false },
  t22: { id: 't22', description: 'a 2x2 tile per thread (Array(4)), B transposed: 4 reads for 4 products', rows: 2, cols: 2, kStep: 1, transposedB: true, flat: false },
  r4u4: { id: 'r4u4', description: '4 rows per thread (Array(4)), K unrolled by 4: one read of b[p][x] for 4 products', rows: 4, cols: 1, kStep: 4, transposedB: false, flat: false },
  r4u4b64: {
    id: 'r4u4b64',
    description: 'r4u4 in 64-column strips: threads finish all rows of one strip of B (K x 64) before the next, so the strip stays in cache',
    rows: 4,
    cols: 1,
    kStep: 4,
    transposedB: false,
    flat: false,
    blockCols: 64,
  },
};

/**
 * Flat indices are computed in f32 on webgpu, webasm and headlessgl and go wrong past 2^24 elements (measured
 * here; src/backends/gpujs-kernels.ts): the flat variant is only offered below that.
 */
export const FLAT_INDEX_LIMIT = 2 ** 24;

/** The shape a variant computes: M, N and K rounded up to its multiples. */
export function paddedShape(shape: GemmShape, v: GemmVariant): GemmShape {
  const up = (x: number, step: number) => Math.ceil(x / step) * step;
  return { m: up(shape.m, v.rows), n: up(shape.n, v.blockCols ?? v.cols), k: up(shape.k, v.kStep) };
}

/** Why a variant cannot run a shape, or undefined when it can. */
export function variantUnfit(shape: GemmShape, v: GemmVariant): string | undefined {
  const p = paddedShape(shape, v);
  if (v.flat && Math.max(p.m * p.k, p.n * p.k) >= FLAT_INDEX_LIMIT) {
    return `flat indices past 2^24 elements are computed in f32 by gpu.js and go wrong (${p.m}x${p.k} or ${p.n}x${p.k})`;
  }
  return undefined;
}

/** A (M' x K') and B (K' x N') or B^T (N' x K'), row-major, zero-padded to the variant's shape. */
export function layoutOperands(ops: GemmOperands, v: GemmVariant): { shape: GemmShape; a: Float32Array; b: Float32Array } {
  const { m, n, k } = ops.shape;
  const p = paddedShape(ops.shape, v);
  let a = ops.a;
  if (p.m !== m || p.k !== k) {
    a = new Float32Array(p.m * p.k);
    for (let i = 0; i < m; i++) a.set(ops.a.subarray(i * k, i * k + k), i * p.k);
  }
  let b: Float32Array;
  if (v.transposedB) {
    b = new Float32Array(p.n * p.k);
    for (let q = 0; q < k; q++) for (let j = 0; j < n; j++) b[j * p.k + q] = ops.b[q * n + j]!;
  } else if (p.n !== n || p.k !== k) {
    b = new Float32Array(p.k * p.n);
    for (let q = 0; q < k; q++) b.set(ops.b.subarray(q * n, q * n + n), q * p.n);
  } else {
    b = ops.b;
  }
  return { shape: p, a, b };
}

/** gpu.js's output dimensions for a variant on a padded shape: [x, y] or, column-blocked, [x, y, z]. */
export function outputDims(padded: GemmShape, v: GemmVariant): number[] {
  if (v.blockCols) return [v.blockCols / v.cols, padded.m / v.rows, padded.n / v.blockCols];
  return [padded.n / v.cols, padded.m / v.rows];
}

/**
 * The real M x N result, row-major, from a variant's output as gpu.js returns it: rows of threads, each a row
 * of cells, each cell a number (one cell per thread) or an Array(4) of a thread's rows x cols block, row-major.
 * A column-blocked variant's output has one such grid per strip of columns. Outside any timed region.
 */
export function unpackOutput(output: unknown, shape: GemmShape, v: GemmVariant): Float32Array {
  const { m, n } = shape;
  const rows = output as ArrayLike<ArrayLike<number | ArrayLike<number>>>;
  const c = new Float32Array(m * n);
  const perThread = v.rows * v.cols;
  if (v.blockCols) {
    const strips = output as ArrayLike<ArrayLike<ArrayLike<ArrayLike<number>>>>;
    const threadsPerStrip = v.blockCols / v.cols;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const t = Math.floor(j / v.cols);
        const cell = strips[Math.floor(t / threadsPerStrip)]?.[Math.floor(i / v.rows)]?.[t % threadsPerStrip];
        if (!cell) return new Float32Array(0);
        c[i * n + j] = cell[(i % v.rows) * v.cols + (j % v.cols)]!;
      }
    }
    return c;
  }
  if (perThread === 1) {
    if (output instanceof Float32Array && output.length === m * n) return output;
    for (let i = 0; i < m; i++) {
      const row = rows[i];
      if (!row) return new Float32Array(0); // a wrong row count is a wrong result: verification fails on the length
      for (let j = 0; j < n; j++) c[i * n + j] = row[j] as number;
    }
    return c;
  }
  for (let i = 0; i < m; i++) {
    const row = rows[Math.floor(i / v.rows)];
    if (!row) return new Float32Array(0);
    for (let j = 0; j < n; j++) {
      const cell = row[Math.floor(j / v.cols)] as ArrayLike<number> | undefined;
      if (!cell) return new Float32Array(0);
      c[i * n + j] = cell[(i % v.rows) * v.cols + (j % v.cols)]!;
    }
  }
  return c;
}
