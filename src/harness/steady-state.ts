/**
 * Has a case's timing reached a steady state? Decided from the samples
 * themselves with Pettitt's changepoint test (A. N. Pettitt, "A
 * non-parametric approach to the change-point problem", Applied Statistics
 * 28(2), 1979): rank-based, so GC and scheduler outliers do not move it, and
 * it finds the one point where the series' level changed most, which is the
 * shape of a JIT tier-up, a deoptimisation or a clock change.
 *
 * A series is not steady when it has a changepoint that is both significant
 * (p < STEADY_ALPHA) and large enough to matter: the medians of the samples
 * before and after it differ by more than STEADY_TOLERANCE. Either alone is
 * not enough: thousands of samples make a 0.1% step significant, and a few
 * noisy samples show 5% steps that are not there.
 */
import { medianOf as median } from '../stats/statistics.js';

/** Fewest samples the test is run on: with fewer, even a clean step cannot reach p < STEADY_ALPHA (n = 12: p >= 0.008). */
export const MIN_STEADY_SAMPLES = 12;

/** Significance level of the changepoint. */
export const STEADY_ALPHA = 0.01;

/** Relative step of the median across the changepoint that counts as a change of state: 5%, the default regression threshold (a larger step makes a fork's figure depend on when its budget ended). */
export const STEADY_TOLERANCE = 0.05;

/** The test runs on at most this many samples, evenly thinned in time order (the rank form is O(n log n); thinning keeps files of 10 000 samples quick to check again). */
const MAX_TESTED_SAMPLES = 2000;

export interface Changepoint {
  /** index of the first sample after the change, in the series as given */
  index: number;
  /** Pettitt's K = max |U_t| */
  k: number;
  /** approximate two-sided p-value, 2 exp(-6K^2 / (n^3 + n^2)), capped at 1 */
  p: number;
  /** median(after) / median(before) - 1 */
  shift: number;
}

/**
 * Pettitt's test on a series in time order. U_t = sum over i <= t < j of
 * sign(x_j - x_i), computed from ranks as U_t = t(n+1) - 2 sum_{i<=t} R_i
 * (ties get mid-ranks), K = max_t |U_t| over t = 1..n-1. Undefined for
 * fewer than 2 samples.
 */
export function pettitt(series: readonly number[]): Changepoint | undefined {
  const n = series.length;
  if (n < 2) return undefined;
  const order = series.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && order[j + 1]!.v === order[i]!.v) j++;
    for (let k = i; k <= j; k++) ranks[order[k]!.i] = (i + j) / 2 + 1;
    i = j + 1;
  }
  let rankSum = 0;
  let best = -1;
  let at = 1;
  for (let t = 1; t < n; t++) {
    rankSum += ranks[t - 1]!;
    const u = Math.abs(t * (n + 1) - 2 * rankSum);
    if (u > best) {
      best = u;
      at = t;
    }
  }
  const p = Math.min(1, 2 * Math.exp((-6 * best * best) / (n ** 3 + n ** 2)));
  return { index: at, k: best, p, shift: median(series.slice(at)) / median(series.slice(0, at)) - 1 };
}

/** What the changepoint test says of a series. */
export interface SteadyVerdict {
  /** steady: no significant changepoint past the tolerance; drifting: one; unchecked: too few samples to tell */
  status: 'steady' | 'drifting' | 'unchecked';
  /** samples the test saw */
  tested: number;
  /** the strongest changepoint, when the test ran */
  changepoint?: Changepoint;
}

/** Evenly thins to at most `max` samples, in time order; returns the kept indices' stride too. */
function thinned(series: readonly number[], max: number): { xs: number[]; stride: number } {
  if (series.length <= max) return { xs: [...series], stride: 1 };
  const stride = series.length / max;
  return { xs: Array.from({ length: max }, (_, i) => series[Math.floor(i * stride)]!), stride };
}

/**
 * Whether a warm-up window is steady: no changepoint past the tolerance (as steadyStateOf), AND the medians of its
 * first and second halves agree within the tolerance. The second test asks for evidence of a steady state, not only
 * the absence of a significant change: a short window that still shows a step (8 slow calls, then 4 fast ones) is not
 * significant under Pettitt's test, but its halves disagree, so the warm-up goes on.
 */
export function warmupSteadyOf(window: readonly number[], tolerance = STEADY_TOLERANCE, alpha = STEADY_ALPHA): SteadyVerdict {
  const verdict = steadyStateOf(window, tolerance, alpha);
  if (verdict.status !== 'steady') return verdict;
  const half = window.length >> 1;
  const halves = median(window.slice(half)) / median(window.slice(0, half)) - 1;
  return Math.abs(halves) > tolerance ? { ...verdict, status: 'drifting' } : verdict;
}

/** The steady-state verdict of a series of timings, in time order. */
export function steadyStateOf(series: readonly number[], tolerance = STEADY_TOLERANCE, alpha = STEADY_ALPHA): SteadyVerdict {
  if (series.length < MIN_STEADY_SAMPLES) return { status: 'unchecked', tested: series.length };
  const { xs, stride } = thinned(series, MAX_TESTED_SAMPLES);
  const found = pettitt(xs)!;
  const changepoint = { ...found, index: Math.min(series.length - 1, Math.round(found.index * stride)) };
  const drifting = changepoint.p < alpha && Math.abs(changepoint.shift) > tolerance;
  return { status: drifting ? 'drifting' : 'steady', tested: xs.length, changepoint };
}

/**
 * The verdict on a fork sampled in slices (time slices, or an interleaved run's), from the test of all its timed
 * samples (`whole`), of each slice's own, and the warm-up's last state. Between two slices the worker runs its other
 * cases for a second or more, and this shared machine's speed moves on that scale (docs/reproducibility.md,
 * section 1), so a step between slices is as likely the machine's moment as the code. The fork is drifting (NOT
 * STEADY) only where the code itself is to blame: a slice whose own samples changed level while the case held the
 * turn, or a warm-up that ended without reaching a steady state. A step between slices with neither is 'moved':
 * recorded, not flagged, and averaged by the slices and forks like any other moment of the machine.
 */
export function slicedSteadyStateOf<V extends { status: string }>(
  whole: V,
  slices: readonly { status: string }[],
  warmupState: string,
): Omit<V, 'status'> & { status: V['status'] | 'moved' } {
  if (whole.status !== 'drifting' || slices.length < 2) return whole;
  if (warmupState === 'steady' && slices.every((s) => s.status !== 'drifting')) return { ...whole, status: 'moved' };
  return whole;
}
