/**
 * Two-sample statistics for comparing one case's timing samples between two
 * runs: the Mann-Whitney U test (a difference in location without assuming
 * a distribution: timing samples are skewed and have outliers), and a
 * bootstrap confidence interval of the ratio of medians.
 */
import { mulberry32 } from '../workloads/gemm/inputs.js';

/** The standard normal CDF, by the Abramowitz & Stegun 7.1.26 erf approximation (|error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

export interface MannWhitney {
  /** U of the first sample: the number of pairs (a, b) with a > b, ties counting 1/2 */
  u: number;
  /** two-sided p-value */
  p: number;
  method: 'exact' | 'normal';
}

/** Below this n1 * n2, without ties, the exact distribution of U is computed. */
const EXACT_LIMIT = 2500;

/** P(U = u) for u = 0..n1*n2 under H0 with no ties, by the recurrence of Mann & Whitney (1947). */
function exactUDistribution(n1: number, n2: number): number[] {
  // counts[i][j][u] via a rolling table: f(i, j, u) = f(i-1, j, u-j) + f(i, j-1, u)
  let table: number[][] = Array.from({ length: n2 + 1 }, () => [1]);
  for (let i = 1; i <= n1; i++) {
    const next: number[][] = [[1]];
    for (let j = 1; j <= n2; j++) {
      const size = i * j + 1;
      const row = new Array<number>(size).fill(0);
      const a = table[j]!; // f(i-1, j, .)
      const b = next[j - 1]!; // f(i, j-1, .)
      for (let u = 0; u < size; u++) row[u] = (u - j >= 0 ? (a[u - j] ?? 0) : 0) + (b[u] ?? 0);
      next.push(row);
    }
    table = next;
  }
  const counts = table[n2]!;
  const total = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => c / total);
}

/**
 * Mann-Whitney U test, two-sided. Exact when n1 * n2 <= 2500 and there are
 * no ties; otherwise the normal approximation with the tie correction of the
 * variance and a continuity correction (as SciPy's mannwhitneyu, method
 * 'asymptotic', use_continuity=True).
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[], method: 'auto' | 'normal' = 'auto'): MannWhitney {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('Mann-Whitney U needs samples on both sides');
  const all = [...a.map((v) => ({ v, first: true })), ...b.map((v) => ({ v, first: false }))].sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(all.length);
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[k] = rank;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  let rankSumA = 0;
  all.forEach((x, i) => {
    if (x.first) rankSumA += ranks[i]!;
  });
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  if (method === 'auto' && tieTerm === 0 && n1 * n2 <= EXACT_LIMIT) {
    const pmf = exactUDistribution(n1, n2);
    const extreme = Math.min(u, n1 * n2 - u);
    let tail = 0;
    for (let k = 0; k <= extreme; k++) tail += pmf[k]!;
    return { u, p: Math.min(1, 2 * tail), method: 'exact' };
  }
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, p: 1, method: 'normal' };
  const z = (Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * (1 - normalCdf(Math.max(0, z)))), method: 'normal' };
}

/** The median of a sample, O(n log n) on a copy. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new RangeError('median of no samples');
  const s = [...samples].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * At most `max` samples, evenly spaced over the run (every k-th in time
 * order), so that long runs compare in bounded time and drift within a run
 * stays represented.
 */
export function thin(samples: readonly number[], max: number): number[] {
  if (samples.length <= max) return [...samples];
  const step = samples.length / max;
  return Array.from({ length: max }, (_, i) => samples[Math.floor(i * step)]!);
}

export interface RatioInterval {
  /** median(head) / median(base) */
  ratio: number;
  low: number;
  high: number;
  level: number;
}

/**
 * Percentile bootstrap of median(head) / median(base) (Efron & Tibshirani,
 * "An Introduction to the Bootstrap", ch. 13): `resamples` resamples of each
 * side with replacement, from a seeded generator so a comparison is
 * reproducible.
 */
export function bootstrapMedianRatio(base: readonly number[], head: readonly number[], level = 0.99, resamples = 2000, seed = 1): RatioInterval {
  if (base.length === 0 || head.length === 0) throw new RangeError('a ratio of medians needs samples on both sides');
  const next = mulberry32(seed);
  // typed arrays sort numerically in native code, several times faster than Array#sort with a comparator
  const resampleMedian = (xs: readonly number[], buffer: Float64Array) => {
    for (let i = 0; i < xs.length; i++) buffer[i] = xs[Math.floor(next() * xs.length)]!;
    buffer.sort();
    const mid = xs.length >> 1;
    return xs.length % 2 ? buffer[mid]! : (buffer[mid - 1]! + buffer[mid]!) / 2;
  };
  const bufA = new Float64Array(base.length);
  const bufB = new Float64Array(head.length);
  const ratios: number[] = [];
  for (let r = 0; r < resamples; r++) ratios.push(resampleMedian(head, bufB) / resampleMedian(base, bufA));
  ratios.sort((x, y) => x - y);
  const tail = (1 - level) / 2;
  const at = (q: number) => ratios[Math.min(ratios.length - 1, Math.max(0, Math.floor(q * (ratios.length - 1))))]!;
  return { ratio: median(head) / median(base), low: at(tail), high: at(1 - tail), level };
}
