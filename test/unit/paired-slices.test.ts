/**
 * The paired-slice statistics of interleaved runs, on inputs whose answers
 * are known exactly.
 */
import { describe, expect, it } from 'vitest';
import { MIN_PAIRED_SLICES, pairedSlices, signTest } from '../../src/compare/paired-slices.js';

const slices = (medians: number[]) => medians.map((medianSeconds) => ({ count: 3, medianSeconds }));

describe('signTest', () => {
  it('gives the exact two-sided binomial p', () => {
    expect(signTest(Array(12).fill(1))).toBeCloseTo(2 / 4096, 15);
    // 10 of 12 one way: 2 * P(B <= 2) = 2 * (1 + 12 + 66) / 4096
    expect(signTest([...Array(10).fill(0.1), -0.1, -0.2])).toBeCloseTo((2 * 79) / 4096, 15);
    expect(signTest([1, -1])).toBe(1);
  });

  it('drops ties, and says nothing without a sign', () => {
    expect(signTest([0, 0, 0])).toBe(1);
    expect(signTest([0, 0, 1, 1, 1])).toBeCloseTo(2 / 8, 15);
  });
});

describe('pairedSlices', () => {
  const base = slices(Array(12).fill(1e-3));
  // d_i = i/100 exactly: head slice i is e^(i/100) times base slice i
  const head = slices(Array.from({ length: 12 }, (_, i) => 1e-3 * Math.exp((i + 1) / 100)));

  it('takes the median paired ratio, its order-statistic interval and the sign test', () => {
    const paired = pairedSlices(base, head, 0.99)!;
    expect(paired.pairs).toBe(12);
    expect(paired.timeRatio).toBeCloseTo(Math.exp(0.065), 12);
    // n = 12 at 99%: [d_(2), d_(11)], coverage 1 - 2 P(B <= 1) = 1 - 2 * 13/4096
    expect(paired.low).toBeCloseTo(Math.exp(0.02), 12);
    expect(paired.high).toBeCloseTo(Math.exp(0.11), 12);
    expect(paired.coverage).toBeCloseTo(1 - 26 / 4096, 12);
    expect(paired.p).toBeCloseTo(2 / 4096, 15);
  });

  it('pairs slice i with slice i: the order of the slices matters, not only their values', () => {
    // the same head medians, reversed: now the ratios are no longer all above 1
    const shuffledBase = slices(Array.from({ length: 12 }, (_, i) => 1e-3 * Math.exp((12 - i) / 100)));
    const paired = pairedSlices(shuffledBase, head, 0.99)!;
    expect(paired.p).toBeCloseTo(1, 12);
    expect(paired.timeRatio).toBeCloseTo(1, 12);
  });

  it('needs the same, sufficient number of slices on both sides', () => {
    expect(pairedSlices(base, head.slice(1), 0.99)).toBeUndefined();
    const few = MIN_PAIRED_SLICES - 1;
    expect(pairedSlices(base.slice(0, few), head.slice(0, few), 0.99)).toBeUndefined();
  });
});
