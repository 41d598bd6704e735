import { describe, expect, it } from 'vitest';
import { makeGemmOperands, mulberry32 } from '../../src/workloads/gemm/inputs.js';
import { F32_UNIT_ROUNDOFF, gamma, gemmErrorBound, float64Gemm, verifyGemm } from '../../src/workloads/gemm/verify.js';

/** A plain f32 GEMM (round after every operation, like a GPU without FMA). */
function f32Gemm(a: Float32Array, b: Float32Array, m: number, n: number, k: number, skipP = -1): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) if (p !== skipP) s = Math.fround(s + Math.fround(a[i * k + p]! * b[p * n + j]!));
      c[i * n + j] = s;
    }
  }
  return c;
}

describe('reference GEMM', () => {
  it('computes a 2x2 product exactly', () => {
    const ops = { shape: { m: 2, n: 2, k: 2 }, seed: 0, a: new Float32Array([1, 2, 3, 4]), b: new Float32Array([5, 6, 7, 8]) };
    const { c, absSum } = float64Gemm(ops);
    expect([...c]).toEqual([19, 22, 43, 50]);
    expect([...absSum]).toEqual([19, 22, 43, 50]);
  });
  it('computes a rectangular 2x3 by 3x1 product exactly', () => {
    const ops = { shape: { m: 2, n: 1, k: 3 }, seed: 0, a: new Float32Array([1, -2, 3, 4, 5, -6]), b: new Float32Array([7, 8, 9]) };
    const { c, absSum } = float64Gemm(ops);
    expect([...c]).toEqual([7 - 16 + 27, 28 + 40 - 54]);
    expect([...absSum]).toEqual([7 + 16 + 27, 28 + 40 + 54]);
  });
});

describe('error bound', () => {
  it('is gamma_{K+1} = (K+1)u / (1 - (K+1)u) with u = 2^-24', () => {
    expect(F32_UNIT_ROUNDOFF).toBe(5.960464477539063e-8);
    expect(gamma(1)).toBeCloseTo(F32_UNIT_ROUNDOFF / (1 - F32_UNIT_ROUNDOFF), 20);
    const u = 2 ** -24;
    expect(gemmErrorBound(1023)).toBeCloseTo((1024 * u) / (1 - 1024 * u), 18);
    expect(gamma(2 ** 24)).toBe(Infinity);
  });
});

describe('verifyGemm', () => {
  const shape = { m: 37, n: 23, k: 129 };
  const ops = makeGemmOperands(shape, 7);
  const ref = float64Gemm(ops);

  it('accepts a correct f32 result and reports its error figure', () => {
    const v = verifyGemm(f32Gemm(ops.a, ops.b, shape.m, shape.n, shape.k), ref, shape.k);
    expect(v.passed).toBe(true);
    expect(v.maxRelError).toBeGreaterThan(0);
    expect(v.maxRelError).toBeLessThanOrEqual(v.bound);
    expect(v.checkedElements).toBe(shape.m * shape.n);
    expect(v.wrongElements).toBe(0);
  });
  it('fails a result that dropped one term of the dot product', () => {
    const v = verifyGemm(f32Gemm(ops.a, ops.b, shape.m, shape.n, shape.k, 64), ref, shape.k);
    expect(v.passed).toBe(false);
    expect(v.wrongElements).toBeGreaterThan(shape.m * shape.n * 0.9);
  });
  it('fails one corrupted element and points at it', () => {
    const c = f32Gemm(ops.a, ops.b, shape.m, shape.n, shape.k);
    c[100]! += 1e-3;
    const v = verifyGemm(c, ref, shape.k);
    expect(v.passed).toBe(false);
    expect(v.wrongElements).toBe(1);
    expect(v.worstIndex).toBe(100);
  });
  it('fails half precision arithmetic (u = 2^-11)', () => {
    const c = f32Gemm(ops.a, ops.b, shape.m, shape.n, shape.k).map((x) => x * (1 + 2 ** -11));
    expect(verifyGemm(c, ref, shape.k).passed).toBe(false);
  });
  it('fails NaN and a wrong length', () => {
    const c = f32Gemm(ops.a, ops.b, shape.m, shape.n, shape.k);
    c[0] = NaN;
    const nan = verifyGemm(c, ref, shape.k);
    expect(nan.passed).toBe(false);
    expect(nan.maxRelError).toBe(Infinity);
    expect(verifyGemm(new Float32Array(5), ref, shape.k).passed).toBe(false);
  });
});

describe('operands', () => {
  it('are deterministic per seed and differ across seeds', () => {
    const a = makeGemmOperands({ m: 4, n: 3, k: 5 }, 42);
    const b = makeGemmOperands({ m: 4, n: 3, k: 5 }, 42);
    const c = makeGemmOperands({ m: 4, n: 3, k: 5 }, 43);
    expect([...a.a]).toEqual([...b.a]);
    expect([...a.b]).toEqual([...b.b]);
    expect([...a.a]).not.toEqual([...c.a]);
  });
  it('lie in [-1, 1) and have the right lengths', () => {
    const ops = makeGemmOperands({ m: 33, n: 17, k: 9 }, 20250715);
    expect(ops.a.length).toBe(33 * 9);
    expect(ops.b.length).toBe(9 * 17);
    for (const x of [...ops.a, ...ops.b]) {
      expect(x).toBeGreaterThanOrEqual(-1);
      expect(x).toBeLessThan(1);
    }
  });
  it('come from mulberry32, whose first outputs are fixed', () => {
    const next = mulberry32(1);
    // Pinned so that a change of generator (and of every recorded input) cannot go unnoticed.
    const first = [next(), next(), next()];
    expect(first.map((x) => x.toFixed(10))).toEqual(['0.6270739406', '0.0027357212', '0.5274470400']);
  });
});
