/** The comparison statistics on fixed samples with known answers. */
import { describe, expect, it } from 'vitest';
import { bootstrapMedianRatio, mannWhitneyU, median, normalCdf, thin } from '../../src/compare/two-sample.js';

describe('Mann-Whitney U', () => {
  // SciPy's documented example (scipy.stats.mannwhitneyu): U1 = 17, exact p = 0.1111..., asymptotic p = 0.11134688653314041
  const males = [19, 22, 16, 29, 24];
  const females = [20, 11, 17, 12];
  it('gives U and the exact two-sided p without ties', () => {
    const r = mannWhitneyU(males, females);
    expect(r.u).toBe(17);
    expect(r.method).toBe('exact');
    expect(r.p).toBeCloseTo(14 / 126, 12);
  });
  it('gives the normal approximation with continuity correction', () => {
    const r = mannWhitneyU(males, females, 'normal');
    expect(r.p).toBeCloseTo(0.11134688653314041, 6);
  });
  it('is symmetric, and separates fully separated samples: U = 0, exact p = 2 / C(10, 5)', () => {
    const r = mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(r.u).toBe(0);
    expect(r.p).toBeCloseTo(2 / 252, 12);
    expect(mannWhitneyU([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]).p).toBeCloseTo(2 / 252, 12);
  });
  it('corrects the variance for ties, and gives p = 1 for identical samples', () => {
    // all equal: no information
    expect(mannWhitneyU([1, 1, 1], [1, 1, 1]).p).toBe(1);
    // ties between the samples: U counts them 1/2; n1 = n2 = 4, ranks of a = 1, 3, 3, 5.5 -> U = 12.5 - 10 = 2.5
    const r = mannWhitneyU([1, 2, 2, 3], [2, 3, 4, 5]);
    expect(r.u).toBe(2.5);
    expect(r.method).toBe('normal');
    // tie term: groups of 3 (2s) and 2 (3s): 24 + 6 = 30; var = 16/12 * (9 - 30/56); z = (5.5 - 0.5) / sqrt(var)
    const z = 5 / Math.sqrt((16 / 12) * (9 - 30 / 56));
    expect(r.p).toBeCloseTo(2 * (1 - normalCdf(z)), 12);
  });
});

describe('the normal CDF', () => {
  it('matches tabulated values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-2.575829)).toBeCloseTo(0.005, 6);
  });
});

describe('the bootstrap interval of the ratio of medians', () => {
  const base = Array.from({ length: 101 }, (_, i) => 1 + i / 100);
  it('reports the ratio of medians and an interval around it; the same seed gives the same interval', () => {
    const slower = base.map((x) => x * 1.15);
    const r = bootstrapMedianRatio(base, slower);
    expect(r.ratio).toBeCloseTo(1.15, 12);
    expect(r.low).toBeLessThan(1.15);
    expect(r.high).toBeGreaterThan(1.15);
    expect(r.low).toBeGreaterThan(1);
    expect(bootstrapMedianRatio(base, slower)).toEqual(r);
  });
  it('contains 1 for the same samples', () => {
    const r = bootstrapMedianRatio(base, [...base].reverse());
    expect(r.ratio).toBe(1);
    expect(r.low).toBeLessThanOrEqual(1);
    expect(r.high).toBeGreaterThanOrEqual(1);
  });
});

describe('helpers', () => {
  it('median of odd and even samples', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('thins to at most max samples, evenly over the run', () => {
    expect(thin([1, 2, 3], 5)).toEqual([1, 2, 3]);
    expect(thin([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 5)).toEqual([0, 2, 4, 6, 8]);
  });
});

describe("Student's t", () => {
  it('gives tabulated quantiles', async () => {
    const { tQuantile, tCdf } = await import('../../src/compare/student-t.js');
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
    expect(tQuantile(0.975, 4)).toBeCloseTo(2.7764, 4);
    expect(tQuantile(0.9995, 9)).toBeCloseTo(4.7809, 3);
    expect(tQuantile(0.975, 1000)).toBeCloseTo(1.9623, 3);
    expect(tCdf(0, 5)).toBeCloseTo(0.5, 12);
    expect(tCdf(-2.7764, 4)).toBeCloseTo(0.025, 4);
  });
});
