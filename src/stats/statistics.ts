/**
 * Distribution-free statistics of benchmark samples. Timing samples are
 * skewed (a few slow outliers from GC, the OS, a shared core), so the median
 * and an order-statistic confidence interval for it are the figures we lead
 * with; the mean-based relative margin of error is kept for comparison with
 * tinybench and other tools.
 */

/** Sorted copy, ascending. */
function sorted(samples: readonly number[]): number[] {
  return [...samples].sort((a, b) => a - b);
}

/**
 * Quantile with linear interpolation between order statistics (Hyndman & Fan
 * type 7, the default of R, NumPy and tinybench): h = (n-1)q.
 */
export function quantile(sortedSamples: readonly number[], q: number): number {
  const n = sortedSamples.length;
  if (n === 0) throw new RangeError('quantile of no samples');
  if (q < 0 || q > 1) throw new RangeError(`quantile q must be in [0, 1], got ${q}`);
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sortedSamples[lo]!;
  const b = sortedSamples[hi]!;
  return a + (h - lo) * (b - a);
}

/** The arithmetic mean; NaN for no values. */
export function meanOf(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** The sample variance (n - 1 in the denominator); 0 for fewer than 2 values. */
export function sampleVariance(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = meanOf(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
}

/** The median of samples in any order (type-7 quantile at 1/2). */
export function medianOf(samples: readonly number[]): number {
  return quantile(sorted(samples), 0.5);
}

/**
 * P(B <= i) for B ~ Binomial(n, 1/2), for i = 0..upTo, in O(upTo).
 * The pmf follows the recurrence p(i+1) = p(i) (n-i)/(i+1) in log space,
 * since 2^-n underflows for n > 1074; terms that underflow are < 1e-308.
 */
function binomialHalfCdfs(n: number, upTo: number): number[] {
  const cdfs: number[] = [];
  let logPmf = -n * Math.LN2;
  let cdf = 0;
  for (let i = 0; i <= upTo; i++) {
    cdf += Math.exp(logPmf);
    cdfs.push(Math.min(1, cdf));
    logPmf += Math.log(n - i) - Math.log(i + 1);
  }
  return cdfs;
}

/** P(X <= x) for X ~ Binomial(n, 1/2). */
export function binomialHalfCdf(n: number, x: number): number {
  return binomialHalfCdfs(n, Math.min(x, n))[Math.min(x, n)]!;
}

/** A confidence interval for the median and the coverage it really has. */
export interface MedianInterval {
  low: number;
  high: number;
  /** actual coverage probability of [low, high], >= the requested level when n allows it */
  coverage: number;
}

/**
 * Distribution-free confidence interval for the median from order statistics
 * (e.g. Conover, Practical Nonparametric Statistics, 3rd ed., sec. 3.2):
 * [x_(j), x_(n+1-j)] covers the median with probability 1 - 2 P(B <= j-1),
 * B ~ Binomial(n, 1/2). We take the largest j that reaches the requested
 * level; with fewer than 6 samples no j reaches 95% and the interval is
 * [min, max] with its true, lower coverage.
 */
export function medianConfidenceInterval(samples: readonly number[], level = 0.95): MedianInterval {
  const xs = sorted(samples);
  const n = xs.length;
  if (n === 0) throw new RangeError('median interval of no samples');
  const half = Math.floor(n / 2);
  const cdfs = binomialHalfCdfs(n, Math.max(half, 1));
  let j = 1;
  while (j + 1 <= half && 1 - 2 * cdfs[j]! >= level) j++;
  const coverage = n === 1 ? 0 : 1 - 2 * cdfs[j - 1]!;
  return { low: xs[j - 1]!, high: xs[n - j]!, coverage };
}

/** Two-sided 95% Student t critical values for df = 1..30 (standard tables). */
const T_CRITICAL_95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12,
  2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/**
 * Two-sided 95% Student t critical value t(0.975, df): the table up to
 * df = 30, beyond it the Cornish-Fisher expansion around z = 1.959964
 * (Abramowitz & Stegun 26.7.5), accurate to better than 1e-4 there.
 */
export function tCritical95(df: number): number {
  if (!(df >= 1)) throw new RangeError(`degrees of freedom must be >= 1, got ${df}`);
  const fromTable = T_CRITICAL_95[Math.floor(df) - 1];
  if (fromTable !== undefined) return fromTable;
  const z = 1.959963984540054;
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3;
}

/** Summary statistics of one case's samples, in the samples' unit (seconds here). */
export interface SampleSummary {
  count: number;
  median: number;
  mean: number;
  min: number;
  max: number;
  /** 99th percentile, type-7 interpolation */
  p99: number;
  /** sample standard deviation (n-1) */
  sd: number;
  /** relative margin of error of the mean, percent: 100 * t(0.975, n-1) * sd / sqrt(n) / mean; null when undefined (one sample, zero mean) */
  rmePercent: number | null;
  /** distribution-free 95% interval for the median (see medianConfidenceInterval) */
  medianCi: MedianInterval;
}

/** Summarises samples; throws on an empty list (a case with no sample is an error, not a zero). */
export function summarize(samples: readonly number[]): SampleSummary {
  const xs = sorted(samples);
  const n = xs.length;
  if (n === 0) throw new RangeError('no samples to summarise');
  const mean = meanOf(xs);
  const sd = Math.sqrt(sampleVariance(xs));
  const rmePercent = n > 1 && mean !== 0 ? (100 * tCritical95(n - 1) * sd) / Math.sqrt(n) / Math.abs(mean) : null;
  return {
    count: n,
    median: quantile(xs, 0.5),
    mean,
    min: xs[0]!,
    max: xs[n - 1]!,
    p99: quantile(xs, 0.99),
    sd,
    rmePercent,
    medianCi: medianConfidenceInterval(xs),
  };
}
