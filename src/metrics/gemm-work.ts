/**
 * Work accounting for GEMM, C = A x B with A: M x K, B: K x N, C: M x N.
 *
 * Each of the M*N output elements needs K multiplies and K adds, so
 * FLOPs = 2*M*N*K. This is the convention of BLAS benchmarks, cuBLAS and the
 * vendors' peak figures (one fused multiply-add counts as 2 FLOPs).
 */
export interface GemmShape {
  /** rows of A and C */
  m: number;
  /** columns of B and C */
  n: number;
  /** columns of A, rows of B (the reduction length) */
  k: number;
}

/** Floating-point operations of one GEMM: 2*M*N*K (one FMA = 2 FLOPs). */
export function gemmFlop(shape: GemmShape): number {
  return 2 * shape.m * shape.n * shape.k;
}

/** Bytes of A, B and C in f32, each read or written once: 4*(M*K + K*N + M*N), the least a GEMM moves. */
export function gemmOperandBytes(shape: GemmShape): number {
  return 4 * (shape.m * shape.k + shape.k * shape.n + shape.m * shape.n);
}

/** The shape as people write it, MxNxK: formatShape({ m: 333, n: 517, k: 129 }) = '333x517x129'. */
export function formatShape(shape: GemmShape): string {
  return `${shape.m}x${shape.n}x${shape.k}`;
}
