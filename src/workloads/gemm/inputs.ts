/**
 * Deterministic GEMM operands. The same seed gives the same f32 values on
 * every machine and every run, so results are comparable and a wrong element
 * can be reproduced.
 */
import type { GemmShape } from '../../metrics/gemm-work.js';


/**
 * mulberry32: a 32-bit PRNG with a full 2^32 period, small and fast
 * (Tommy Ettinger, public domain). Returns floats in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fills a Float32Array with values uniform in [-1, 1) from the given generator. */
export function uniformF32(length: number, next: () => number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = 2 * next() - 1;
  return out;
}

/** Row-major operands: a is M x K (a[i*K + p]), b is K x N (b[p*N + j]). */
export interface GemmOperands {
  shape: GemmShape;
  seed: number;
  a: Float32Array;
  b: Float32Array;
}

/** A and B for a shape, uniform in [-1, 1), from one seeded stream (A first, then B). */
export function makeGemmOperands(shape: GemmShape, seed: number): GemmOperands {
  const next = mulberry32(seed);
  const a = uniformF32(shape.m * shape.k, next);
  const b = uniformF32(shape.k * shape.n, next);
  return { shape, seed, a, b };
}
