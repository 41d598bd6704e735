/**
 * Verification of a GEMM result against a float64 reference.
 *
 * Error measure, per element: |c_ij - ref_ij| / sum_p |a_ip| |b_pj|.
 * Dividing by the sum of absolute products (not by |ref_ij|) keeps the
 * measure meaningful when the dot product cancels to near zero.
 *
 * Bound: a dot product of length K computed in IEEE binary32 in any order,
 * with or without FMA, satisfies |fl(x.y) - x.y| <= gamma_K |x|.|y| with
 * gamma_K = K u / (1 - K u), u = 2^-24 (Higham, Accuracy and Stability of
 * Numerical Algorithms, 2nd ed., eq. 3.5). Storing the result in f32 adds at
 * most one more rounding, so we accept errors up to gamma_{K+1}. The inputs
 * are exact f32 values, so the reference sees exactly what the kernel saw.
 * A kernel that drops a term, reads a wrong index or computes in half
 * precision (u = 2^-11) exceeds this bound on the shapes we run.
 */
import type { GemmOperands } from './inputs.js';

/** Unit roundoff of IEEE binary32. */
export const F32_UNIT_ROUNDOFF = 2 ** -24;

/** gamma_n = n u / (1 - n u), Higham eq. 3.5. */
export function gamma(n: number, u = F32_UNIT_ROUNDOFF): number {
  const nu = n * u;
  if (nu >= 1) return Infinity;
  return nu / (1 - nu);
}

/** Accepted per-element normalised error for an f32 GEMM with reduction length K: gamma_{K+1}. */
export function gemmErrorBound(k: number): number {
  return gamma(k + 1);
}

/**
 * C = A x B in float64 from the f32 operands, row-major M x N, plus the
 * per-element sums of absolute products that normalise the error.
 * i-p-j loop order so the inner loop streams rows of B and C.
 */
export function float64Gemm(ops: GemmOperands): { c: Float64Array; absSum: Float64Array } {
  const { m, n, k } = ops.shape;
  const c = new Float64Array(m * n);
  const absSum = new Float64Array(m * n);
  const { a, b } = ops;
  for (let i = 0; i < m; i++) {
    const rowOffset = i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      const absAip = Math.abs(aip);
      const bRow = p * n;
      for (let j = 0; j < n; j++) {
        const bpj = b[bRow + j]!;
        c[rowOffset + j]! += aip * bpj;
        absSum[rowOffset + j]! += absAip * Math.abs(bpj);
      }
    }
  }
  return { c, absSum };
}

export interface GemmVerification {
  passed: boolean;
  /** largest per-element normalised error, see the module comment */
  maxRelError: number;
  /** the accepted bound, gamma_{K+1} */
  bound: number;
  /** row-major index of the worst element, or -1 */
  worstIndex: number;
  /** elements compared (all of C) */
  checkedElements: number;
  /** elements over the bound, NaN or infinite */
  wrongElements: number;
}

/** Compares a row-major M x N result with the float64 result `exact`; NaN or a wrong length fails. */
export function verifyGemm(
  result: ArrayLike<number>,
  exact: { c: Float64Array; absSum: Float64Array },
  k: number,
): GemmVerification {
  const bound = gemmErrorBound(k);
  const expected = exact.c.length;
  if (result.length !== expected) {
    return { passed: false, maxRelError: Infinity, bound, worstIndex: -1, checkedElements: 0, wrongElements: expected };
  }
  let maxRelError = 0;
  let worstIndex = -1;
  let wrongElements = 0;
  for (let i = 0; i < expected; i++) {
    const diff = Math.abs(result[i]! - exact.c[i]!);
    // absSum is 0 only when a row of A or a column of B is all zeros; then any nonzero result is wrong.
    const scale = exact.absSum[i]! > 0 ? exact.absSum[i]! : Number.MIN_VALUE;
    const rel = Number.isNaN(diff) ? Infinity : diff / scale;
    if (rel > bound) wrongElements++;
    if (rel > maxRelError || worstIndex === -1) {
      maxRelError = rel;
      worstIndex = i;
    }
  }
  return { passed: wrongElements === 0, maxRelError, bound, worstIndex, checkedElements: expected, wrongElements };
}
