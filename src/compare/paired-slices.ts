/**
 * The statistics of an interleaved pair of runs (`chipbench run --against`).
 * Slice i of the base and slice i of the head were taken back to back, so
 * their ratio cancels whatever the machine was doing at that moment. The
 * slices, not the samples, are the independent units: samples inside a
 * slice share its moment and would make any test overconfident.
 *
 * With d_i = ln(head median_i / base median_i), i = 1..n (time: > 0 means
 * head is slower):
 * - the change is the median of the d_i (robust: a slower spell that began
 *   between the two halves of a pair moves one d_i, not the estimate);
 * - its interval is the distribution-free order-statistic interval for a
 *   median, [d_(j), d_(n+1-j)] (Conover, Practical Nonparametric Statistics,
 *   3rd ed., sec. 3.2), the same rule as a case's own median interval;
 * - the test is the two-sided sign test on the d_i (the exact binomial test
 *   of P(d > 0) = 1/2), which asks nothing of their distribution.
 */
import { binomialHalfCdf, medianConfidenceInterval, quantile } from '../stats/statistics.js';
import type { Slice } from '../results/schema.js';

/**
 * Fewest pairs for a paired verdict. The sign test reaches p < 0.001 from 11 pairs (2 * 2^-11), but only when
 * every pair agrees; from 12 the 99% interval leaves out the most extreme pair at each end ([d_(2), d_(11)],
 * coverage 99.4%). `--slices` refuses fewer, so an interleaved run never falls back to its samples for want of pairs.
 */
export const MIN_PAIRED_SLICES = 12;

export interface PairedSlices {
  pairs: number;
  /** head time / base time: the median of the paired ratios, and its interval */
  timeRatio: number;
  low: number;
  high: number;
  /** actual coverage of [low, high] */
  coverage: number;
  /** two-sided sign-test p-value */
  p: number;
}

/** Two-sided exact sign test: how likely a split at least this uneven is when each sign has probability 1/2 (ties dropped). */
export function signTest(differences: readonly number[]): number {
  const positive = differences.filter((d) => d > 0).length;
  const negative = differences.filter((d) => d < 0).length;
  const n = positive + negative;
  if (n === 0) return 1;
  return Math.min(1, 2 * binomialHalfCdf(n, Math.min(positive, negative)));
}

/** Pairs slice i of base with slice i of head; undefined when the two do not have the same, sufficient number of slices. */
export function pairedSlices(base: readonly Slice[], head: readonly Slice[], level: number): PairedSlices | undefined {
  if (base.length !== head.length || base.length < MIN_PAIRED_SLICES) return undefined;
  const d = base.map((b, i) => Math.log(head[i]!.medianSeconds / b.medianSeconds));
  if (d.some((x) => !Number.isFinite(x))) return undefined;
  const interval = medianConfidenceInterval(d, level);
  return {
    pairs: d.length,
    timeRatio: Math.exp(quantile([...d].sort((a, b) => a - b), 0.5)),
    low: Math.exp(interval.low),
    high: Math.exp(interval.high),
    coverage: interval.coverage,
    p: signTest(d),
  };
}
