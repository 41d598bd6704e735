/**
 * The change of one case's figure between two runs, estimated from the
 * runs' forks (one worker process each), and the tests behind the three
 * answers compare gives.
 *
 * Every figure is a rate over fixed work, so ln(head figure / base figure)
 * = ln(base time / head time). With each fork's median time as one
 * observation:
 * - two separate runs: Welch's t on the forks' ln medians (unequal
 *   variances; Welch-Satterthwaite degrees of freedom);
 * - an interleaved run, fork i of base beside fork i of head: the paired t
 *   on d_i = ln(base time_i / head time_i), n - 1 degrees of freedom.
 * The threshold is a relative change of the figure, so on the log scale the
 * band is [ln(1 - threshold), ln(1 + threshold)]. Three one-sided tests on
 * the estimate D with standard error se:
 * - regressed: H0 D >= ln(1 - threshold), p = T((D - ln(1 - threshold)) / se);
 * - improved: H0 D <= ln(1 + threshold), p = 1 - T((D - ln(1 + threshold)) / se);
 * - unchanged: both bounds inside the band (two one-sided tests, TOST:
 *   Schuirmann 1987), p = the larger of the two.
 * Each rejects at level a exactly when the two-sided 1 - 2a interval
 * D +- t(1 - a, df) se lies past, or inside, the threshold, so a verdict
 * and its interval always agree.
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import type { VarianceEstimate } from '../stats/moderated-variance.js';
import { meanOf, sampleVariance } from '../stats/statistics.js';

/** An estimate of ln(head figure / base figure): positive is better. */
export interface ChangeEstimate {
  logChange: number;
  /** its standard error; 0 when every fork gave the same median */
  se: number;
  df: number;
  /** the observations on each side: forks of two runs, or fork pairs of an interleaved run */
  basis: 'forks' | 'interleaved';
  baseForks: number;
  headForks: number;
  /** the sample variances the se came from: of each side's ln fork medians (forks), or of the pairs' log ratios (interleaved: both the same) */
  baseVariance: number;
  headVariance: number;
  /** set when the se and df come from the noise model (withModeratedVariance): the moderated variance of one observation */
  moderated?: VarianceEstimate;
  /** set when the se and df come from the runner's spread between runs (withRunnerNoise) */
  runner?: boolean;
}

/** Welch's t on ln fork medians (seconds); undefined when a side has fewer than 2 forks. */
export function welchOnForks(baseSeconds: readonly number[], headSeconds: readonly number[]): ChangeEstimate | undefined {
  const nb = baseSeconds.length;
  const nh = headSeconds.length;
  if (nb < 2 || nh < 2) return undefined;
  const lb = baseSeconds.map(Math.log);
  const lh = headSeconds.map(Math.log);
  return welch(meanOf(lb) - meanOf(lh), sampleVariance(lb), nb, sampleVariance(lh), nh);
}

/** Welch's se and Welch-Satterthwaite degrees of freedom from each side's sample variance and count. */
function welch(logChange: number, baseVariance: number, nb: number, headVariance: number, nh: number): ChangeEstimate {
  const vb = baseVariance / nb;
  const vh = headVariance / nh;
  const se = Math.sqrt(vb + vh);
  const df = se > 0 ? (vb + vh) ** 2 / (vb ** 2 / (nb - 1) + vh ** 2 / (nh - 1)) : nb + nh - 2;
  return { logChange, se, df, basis: 'forks', baseForks: nb, headForks: nh, baseVariance, headVariance };
}

/**
 * One run of another tool (an imported figure: one process, no forks) against the runs before it: ln(head) against
 * the mean of the earlier runs' ln figures, with their spread between runs as the spread of one observation, so the
 * se is a prediction interval's, sd·sqrt(1/n + 1), on n - 1 degrees of freedom. Figures are bigger-is-better;
 * undefined with fewer than `minRuns` earlier runs.
 */
export function againstEarlierRuns(earlierFigures: readonly number[], headFigure: number, minRuns: number): ChangeEstimate | undefined {
  const n = earlierFigures.length;
  if (n < Math.max(2, minRuns) || !(headFigure > 0) || earlierFigures.some((f) => !(f > 0))) return undefined;
  const logs = earlierFigures.map(Math.log);
  const v = sampleVariance(logs);
  return { logChange: Math.log(headFigure) - meanOf(logs), se: Math.sqrt(v * (1 / n + 1)), df: n - 1, basis: 'forks', baseForks: n, headForks: 1, baseVariance: v, headVariance: v };
}

/** The paired t on fork pairs' ln(base time / head time); undefined with fewer than 2 pairs. */
export function pairedOnForks(logRatios: readonly number[]): ChangeEstimate | undefined {
  const n = logRatios.length;
  if (n < 2) return undefined;
  const v = sampleVariance(logRatios);
  return { logChange: meanOf(logRatios), se: Math.sqrt(v / n), df: n - 1, basis: 'interleaved', baseForks: n, headForks: n, baseVariance: v, headVariance: v };
}

/**
 * The case's own estimate of the variance of one observation on the log scale, for the noise model: the pooled
 * variance of both sides' ln fork medians (nb + nh - 2 degrees of freedom), or of the fork pairs' log ratios
 * (n - 1). Pooled, not Welch's two: a shared model gives every case of a group one spread on both sides.
 */
export function ownVariance(e: ChangeEstimate): VarianceEstimate {
  if (e.basis === 'interleaved') return { variance: e.baseVariance, df: e.baseForks - 1 };
  const df = e.baseForks + e.headForks - 2;
  return { variance: ((e.baseForks - 1) * e.baseVariance + (e.headForks - 1) * e.headVariance) / df, df };
}

/**
 * The estimate with its se and degrees of freedom from the noise model: `moderated` is the case's own variance
 * (ownVariance) moderated towards the prior of the cases like it (src/stats/noise-model.ts). A spread estimated
 * from 3 forks is itself very uncertain: two runs whose 3 forks each happened to agree within 2% were 23% apart
 * (measured here, headlessgl GEMM 256^3), while the same case's forks spread 5-10% in other runs; the model keeps
 * such a case near its group's spread, and lends every case the group's degrees of freedom.
 */
export function withModeratedVariance(e: ChangeEstimate, moderated: VarianceEstimate): ChangeEstimate {
  const perObservation = e.basis === 'interleaved' ? 1 / e.baseForks : 1 / e.baseForks + 1 / e.headForks;
  return { ...e, se: Math.sqrt(moderated.variance * perObservation), df: moderated.df, moderated };
}

/**
 * The estimate judged against the runner's spread between runs (src/stats/runner-noise.ts, runnerChangeVariance):
 * the variance of ln(head / base) of two separate runs there, forks and the run's own moments together, as
 * `chipbench calibrate` measured it and these runs' forks update it.
 */
export function withRunnerNoise(e: ChangeEstimate, change: VarianceEstimate): ChangeEstimate {
  return { ...e, se: Math.sqrt(change.variance), df: change.df, runner: true };
}

/** P(T <= x) for Student's t with df degrees of freedom, where se = 0 makes x +-Infinity (or NaN at the boundary). */
function cdf(x: number, df: number): number {
  if (Number.isNaN(x)) return 0.5;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  return tCdf(x, df);
}

/** The one-sided p-values of the three claims. */
export interface ClaimPValues {
  regressed: number;
  improved: number;
  unchanged: number;
}

/** The band of "unchanged" on the log scale of the figure. */
export function logBand(threshold: number): { low: number; high: number } {
  return { low: Math.log(1 - threshold), high: Math.log(1 + threshold) };
}

export function claimPValues(e: ChangeEstimate, threshold: number): ClaimPValues {
  const band = logBand(threshold);
  const z = (bound: number) => (e.logChange - bound) / e.se;
  const belowLow = cdf(z(band.low), e.df); // P(T <= ...): small when the estimate lies well below the band
  const aboveHigh = 1 - cdf(z(band.high), e.df);
  return { regressed: belowLow, improved: aboveHigh, unchanged: Math.max(1 - belowLow, 1 - aboveHigh) };
}

/** The two-sided 1 - 2a interval of the figure's relative change (head / base - 1). */
export function changeInterval(e: ChangeEstimate, oneSidedLevel: number): { low: number; high: number } {
  const half = e.se === 0 ? 0 : tQuantile(1 - oneSidedLevel, e.df) * e.se;
  return { low: Math.exp(e.logChange - half) - 1, high: Math.exp(e.logChange + half) - 1 };
}

/**
 * The smallest slowdown (a fraction of the figure: 0.12 = 12% lower) that a comparison with this noise would call
 * regressed with probability `power`, testing at one-sided level a: the true ln change must lie
 * (t(1 - a) + t(power)) se below ln(1 - threshold) (the usual power formula for a one-sided t-test, with the
 * observed se and df standing in for the next run's).
 */
export function minimumDetectableChange(e: ChangeEstimate, threshold: number, oneSidedLevel: number, power: number): number {
  const margin = e.se === 0 ? 0 : (tQuantile(1 - oneSidedLevel, e.df) + tQuantile(power, e.df)) * e.se;
  return 1 - Math.exp(logBand(threshold).low - margin);
}
