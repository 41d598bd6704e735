import { describe, expect, it } from 'vitest';
import { binomialHalfCdf, medianConfidenceInterval, quantile, summarize, tCritical95 } from '../../src/stats/statistics.js';

describe('quantile (type 7)', () => {
  it('interpolates between order statistics', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0)).toBe(1);
    expect(quantile([1, 2, 3, 4], 1)).toBe(4);
    // h = 0.99 * 3 = 2.97 -> 3 + 0.97 * (4 - 3)
    expect(quantile([1, 2, 3, 4], 0.99)).toBeCloseTo(3.97, 12);
  });
  it('refuses no samples and q outside [0, 1]', () => {
    expect(() => quantile([], 0.5)).toThrow(RangeError);
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
  });
});

describe('binomialHalfCdf', () => {
  it('matches exact binomial sums', () => {
    expect(binomialHalfCdf(10, 1)).toBeCloseTo(11 / 1024, 15);
    expect(binomialHalfCdf(10, 2)).toBeCloseTo(56 / 1024, 15);
    expect(binomialHalfCdf(4, 4)).toBeCloseTo(1, 15);
  });
});

describe('medianConfidenceInterval', () => {
  it('uses ranks 2 and 9 for n = 10 (coverage 1 - 2*11/1024)', () => {
    const xs = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    const ci = medianConfidenceInterval(xs);
    expect(ci.low).toBe(2);
    expect(ci.high).toBe(9);
    expect(ci.coverage).toBeCloseTo(1 - 22 / 1024, 12);
  });
  it('falls back to [min, max] with its true coverage when n < 6', () => {
    const ci = medianConfidenceInterval([5, 1, 3]);
    expect([ci.low, ci.high]).toEqual([1, 5]);
    expect(ci.coverage).toBeCloseTo(0.75, 12);
  });
  it('stays exact for large n, where 2^-n underflows (normal approximation: rank n/2 - 0.98 sqrt(n))', () => {
    const n = 10_000;
    const ci = medianConfidenceInterval(Array.from({ length: n }, (_, i) => i + 1));
    expect(ci.low).toBeGreaterThanOrEqual(4900);
    expect(ci.low).toBeLessThanOrEqual(4903);
    expect(ci.high).toBe(n + 1 - ci.low);
    expect(ci.coverage).toBeGreaterThanOrEqual(0.95);
    expect(ci.coverage).toBeLessThan(0.952);
  });
  it('reaches at least 95% once n >= 6', () => {
    for (let n = 6; n <= 60; n++) {
      const ci = medianConfidenceInterval(Array.from({ length: n }, (_, i) => i));
      expect(ci.coverage).toBeGreaterThanOrEqual(0.95);
    }
  });
});

describe('tCritical95', () => {
  it('matches the t table inside and beyond df = 30', () => {
    expect(tCritical95(1)).toBe(12.706);
    expect(tCritical95(30)).toBe(2.042);
    // published two-sided 95% values: df 40 -> 2.021, 60 -> 2.000, 120 -> 1.980
    expect(tCritical95(40)).toBeCloseTo(2.021, 3);
    expect(tCritical95(60)).toBeCloseTo(2.0, 3);
    expect(tCritical95(120)).toBeCloseTo(1.98, 3);
    expect(tCritical95(1e9)).toBeCloseTo(1.96, 3);
  });
});

describe('summarize', () => {
  it('gives exact statistics for 1..5', () => {
    const s = summarize([5, 3, 1, 4, 2]);
    expect(s.count).toBe(5);
    expect(s.median).toBe(3);
    expect(s.mean).toBe(3);
    expect(s.min).toBe(1);
    expect(s.max).toBe(5);
    expect(s.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    // 100 * t(0.975, 4) * sd / sqrt(n) / mean = 100 * 2.776 * 1.58114 / 2.23607 / 3
    expect(s.rmePercent).toBeCloseTo((100 * 2.776 * Math.sqrt(2.5)) / Math.sqrt(5) / 3, 10);
    expect(s.p99).toBeCloseTo(4.96, 12);
  });
  it('has no margin of error for one sample, rather than a zero one', () => {
    expect(summarize([0.5]).rmePercent).toBeNull();
  });
  it('refuses an empty sample list rather than reporting zero', () => {
    expect(() => summarize([])).toThrow(RangeError);
  });
});
