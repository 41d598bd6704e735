/**
 * The statistics behind forks and the three answers, with exact values on
 * tiny inputs: the headline over forks, Welch's and the paired t on fork
 * medians, the three claims' p-values, intervals and the minimum detectable
 * change, Holm's levels, Pettitt's changepoint test, and the warm-up that
 * stops at a steady state (on a fake clock).
 */
import { describe, expect, it } from 'vitest';
import { changeInterval, claimPValues, minimumDetectableChange, ownVariance, pairedOnForks, welchOnForks, withModeratedVariance } from '../../src/compare/fork-change.js';
import { holm } from '../../src/compare/holm.js';
import { headlineOf } from '../../src/harness/forks.js';
import { forkMeasurementOf, measurementOfSlices, warmUp } from '../../src/harness/measure.js';
import { MIN_STEADY_SAMPLES, pettitt, slicedSteadyStateOf, steadyStateOf } from '../../src/harness/steady-state.js';
import { mulberry32 } from '../../src/workloads/gemm/inputs.js';
import { forkOf } from '../helpers/run-result.js';

/** Student's t with 2 degrees of freedom has a closed form: F(t) = 1/2 + t / (2 sqrt(2 + t^2)), F^-1(q) = (2q - 1) / sqrt(2q(1 - q)). */
const cdf2 = (t: number) => 0.5 + t / (2 * Math.sqrt(2 + t * t));
const quantile2 = (q: number) => (2 * q - 1) / Math.sqrt(2 * q * (1 - q));

describe('the headline over forks', () => {
  it('is the geometric mean of the fork medians, with Student t over their logs', () => {
    const m = headlineOf([forkOf([1, 1, 1]), forkOf([4, 4, 4])]);
    expect(m.medianSeconds).toBeCloseTo(2, 14);
    expect(m.betweenForkSdLog!).toBeCloseTo(Math.log(4) / Math.SQRT2, 14);
    // t(0.975, 1) = 12.7062; half-width t * sd / sqrt(2) = t * ln(4) / 2
    const half = 12.706204736174707 * (Math.log(4) / 2);
    expect(m.medianCi.lowSeconds).toBeCloseTo(2 * Math.exp(-half), 10);
    expect(m.medianCi.highSeconds).toBeCloseTo(2 * Math.exp(half), 6);
    expect(m).toMatchObject({ intervalFrom: 'forks', forkCount: 2, sampleCount: 6, withinForkSdLog: 0, uncheckedForks: 2 });
  });
  it('with one fork is that fork, its interval from its samples and marked as such', () => {
    const fork = forkOf([3, 1, 2]);
    expect(headlineOf([fork])).toMatchObject({ medianSeconds: 2, medianCi: fork.medianCi, intervalFrom: 'samples', betweenForkSdLog: null });
  });
});

describe("Welch's and the paired t on fork medians", () => {
  it('Welch: base forks 1 s and 2 s, head 2 s and 4 s: the figure halved, se ln2/sqrt2, 2 degrees of freedom', () => {
    const e = welchOnForks([1, 2], [2, 4])!;
    expect(e.logChange).toBeCloseTo(-Math.log(2), 14);
    expect(e.se).toBeCloseTo(Math.log(2) / Math.SQRT2, 14);
    expect(e.df).toBeCloseTo(2, 12);
    expect(e).toMatchObject({ basis: 'forks', baseForks: 2, headForks: 2 });
    expect(welchOnForks([1], [2, 3])).toBeUndefined();
  });
  it('Welch with unequal spreads: the Welch-Satterthwaite degrees of freedom', () => {
    // ln medians: base 0, 0, ln 2 (var (ln2)^2/3), head 0, 0 (var 0): df = (vb/3)^2 / ((vb/3)^2 / 2) = 2
    const e = welchOnForks([1, 1, 2], [1, 1])!;
    expect(e.df).toBeCloseTo(2, 12);
    expect(e.se).toBeCloseTo(Math.sqrt(Math.log(2) ** 2 / 3 / 3), 14);
  });
  it('paired: the mean and standard error of the fork pairs\' log ratios, n - 1 degrees of freedom', () => {
    const e = pairedOnForks([0.1, 0.2, 0.3])!;
    expect(e.logChange).toBeCloseTo(0.2, 14);
    expect(e.se).toBeCloseTo(0.1 / Math.sqrt(3), 14);
    expect(e.df).toBe(2);
    expect(pairedOnForks([0.1])).toBeUndefined();
  });
});

describe('the noise model in a comparison', () => {
  it('the own variance is pooled over both sides (nb + nh - 2 df), or the pairs\' (n - 1 df)', () => {
    // ln medians: base 0, ln 2 (variance (ln 2)^2 / 2), head 0, 0, 0 (variance 0): pooled (ln 2)^2 / 2 / 3 on 3 df
    expect(ownVariance(welchOnForks([1, 2], [1, 1, 1])!)).toEqual({ variance: Math.log(2) ** 2 / 2 / 3, df: 3 });
    const paired = ownVariance(pairedOnForks([0.1, 0.2, 0.3])!);
    expect(paired.variance).toBeCloseTo(0.01, 14);
    expect(paired.df).toBe(2);
  });
  it('the moderated variance sets se and df: sqrt(v (1/nb + 1/nh)) for two runs, sqrt(v / n) for fork pairs', () => {
    const e = withModeratedVariance(welchOnForks([1, 2], [2, 4, 3])!, { variance: 0.04, df: 30 });
    expect(e.se).toBeCloseTo(Math.sqrt(0.04 * (1 / 2 + 1 / 3)), 14);
    expect(e.df).toBe(30);
    expect(e.moderated).toEqual({ variance: 0.04, df: 30 });
    const p = withModeratedVariance(pairedOnForks([0.1, 0.2, 0.3])!, { variance: 0.04, df: 12 });
    expect(p.se).toBeCloseTo(Math.sqrt(0.04 / 3), 14);
    expect(p.df).toBe(12);
    expect(p.logChange).toBeCloseTo(0.2, 14);
  });
});

describe('the three claims', () => {
  const e = { logChange: -0.2, se: 0.05, df: 2, basis: 'forks' as const, baseForks: 2, headForks: 2, baseVariance: 0.0025, headVariance: 0.0025 };
  it('gives the one-sided p-values against the band [ln 0.95, ln 1.05]', () => {
    const p = claimPValues(e, 0.05);
    expect(p.regressed).toBeCloseTo(cdf2((-0.2 - Math.log(0.95)) / 0.05), 12);
    expect(p.improved).toBeCloseTo(1 - cdf2((-0.2 - Math.log(1.05)) / 0.05), 12);
    expect(p.unchanged).toBeCloseTo(Math.max(1 - cdf2((-0.2 - Math.log(0.95)) / 0.05), cdf2((-0.2 - Math.log(1.05)) / 0.05)), 12);
  });
  it('draws the 1 - 2a interval of the figure change, which lies past the threshold exactly when the claim holds at a', () => {
    const a = 0.025;
    const half = quantile2(1 - a) * 0.05;
    const ci = changeInterval(e, a);
    expect(ci.low).toBeCloseTo(Math.exp(-0.2 - half) - 1, 12);
    expect(ci.high).toBeCloseTo(Math.exp(-0.2 + half) - 1, 12);
    expect(ci.high < -0.05).toBe(claimPValues(e, 0.05).regressed < a);
  });
  it('a minimum detectable change: the threshold plus (t(1 - a) + t(power)) se below it; the threshold itself without noise', () => {
    const mdc = minimumDetectableChange(e, 0.05, 0.025, 0.8);
    expect(mdc).toBeCloseTo(1 - Math.exp(Math.log(0.95) - (quantile2(0.975) + quantile2(0.8)) * 0.05), 12);
    expect(minimumDetectableChange({ ...e, se: 0 }, 0.05, 0.025, 0.8)).toBeCloseTo(0.05, 14);
  });
  it('with no spread at all, the claims are certain', () => {
    const flat = { ...e, logChange: 0, se: 0 };
    expect(claimPValues(flat, 0.05)).toEqual({ regressed: 1, improved: 1, unchanged: 0 });
  });
});

describe("Holm's procedure", () => {
  it('rejects step-down and gives each claim the level it was tested at', () => {
    const r = holm([0.01, 0.04, 0.03, 0.5], 0.05);
    // sorted 0.01 (x4 = 0.04 < 0.05: rejected), 0.03 (x3 = 0.09: stop)
    expect(r.adjusted.map((p) => +p.toFixed(10))).toEqual([0.04, 0.09, 0.09, 0.5]);
    expect(r.rejected).toEqual([true, false, false, false]);
    expect(r.levels).toEqual([0.05 / 4, 0.05 / 3, 0.05 / 3, 0.05 / 3]);
  });
  it('rejects all when every step passes, each at its own level', () => {
    const r = holm([0.001, 0.02, 0.01], 0.05);
    expect(r.rejected).toEqual([true, true, true]);
    expect(r.levels).toEqual([0.05 / 3, 0.05 / 1, 0.05 / 2]);
  });
});

describe("Pettitt's changepoint test and the steady-state verdict", () => {
  it('finds the step of a tiny series: U_t = t(n+1) - 2 sum R_i, K = 9 at t = 3', () => {
    const c = pettitt([1, 2, 3, 10, 11, 12])!;
    expect(c.index).toBe(3);
    expect(c.k).toBe(9);
    expect(c.p).toBeCloseTo(2 * Math.exp((-6 * 81) / (216 + 36)), 14);
    expect(c.shift).toBeCloseTo(11 / 2 - 1, 14);
  });
  const noisy = (levels: (i: number) => number, n: number, seed: number) => {
    const next = mulberry32(seed);
    return Array.from({ length: n }, (_, i) => levels(i) * (1 + 0.02 * (2 * next() - 1)));
  };
  it('a flat series is steady', () => {
    expect(steadyStateOf(noisy(() => 1, 300, 1)).status).toBe('steady');
  });
  it('a tier-up at sample 60 (613 us to 381 us) is drifting, and the changepoint is found there', () => {
    const v = steadyStateOf(noisy((i) => (i < 60 ? 613e-6 : 381e-6), 300, 2));
    expect(v.status).toBe('drifting');
    // Pettitt's estimate can sit a few samples past the true step: the after-samples of the higher ranks still add to |U|
    expect(Math.abs(v.changepoint!.index - 60)).toBeLessThanOrEqual(6);
    expect(v.changepoint!.shift).toBeCloseTo(381 / 613 - 1, 1);
  });
  it('a 1% step is significant but below the 5% tolerance: steady', () => {
    const v = steadyStateOf(noisy((i) => (i < 150 ? 1 : 1.01), 3000, 3));
    expect(v.changepoint!.p).toBeLessThan(0.01);
    expect(v.status).toBe('steady');
  });
  it('fewer than the minimum of samples are unchecked, not steady', () => {
    expect(steadyStateOf([1, 1, 1, 5, 5, 5]).status).toBe('unchecked');
    expect(MIN_STEADY_SAMPLES).toBe(12);
  });
});

describe('warm-up until steady (a fake clock)', () => {
  /** A sample function whose call takes `cost(i)` ms of the fake clock. */
  const clocked = (cost: (i: number) => number) => {
    let t = 0;
    let i = 0;
    return { now: () => t, sample: () => void (t += cost(i++)), calls: () => i };
  };
  const budget = { timeBudgetMs: 1, minSamples: 1, warmupMs: 10, warmupIterations: 1, maxWarmupMs: 10_000 };
  it('ends after the tier-up, once the window since the change is steady', async () => {
    // 8 cold calls, then fast ones: a 12-sample window still holds the step (not significant yet, but its halves disagree)
    const c = clocked((i) => (i < 8 ? 2 : 1 + 0.01 * (i % 3)));
    const w = await warmUp(c.sample, budget, c.now);
    expect(w.state).toBe('steady');
    expect(w.samples).toBeGreaterThan(12);
    expect(w.samples).toBeLessThan(100);
  });
  it('a series that keeps changing runs to the bound and says so', async () => {
    const c = clocked((i) => 1.03 ** i);
    const w = await warmUp(c.sample, { ...budget, maxWarmupMs: 2000 }, c.now);
    expect(w.state).toBe('drifting');
    // it stops once a fresh window could no longer fill before the bound
    expect(w.seconds).toBeGreaterThan(1.5);
  });
  it('a slow case stops early: 12 calls of 400 ms cannot fit a 1 s bound, so no time is spent hoping', async () => {
    const c = clocked(() => 400);
    const w = await warmUp(c.sample, { ...budget, maxWarmupMs: 1000 }, c.now);
    expect(w).toMatchObject({ state: 'unchecked', samples: 1 });
  });
  it('does the minimum and nothing more when the bound is the minimum', async () => {
    const c = clocked(() => 1);
    const w = await warmUp(c.sample, { ...budget, warmupMs: 5, maxWarmupMs: 5 }, c.now);
    expect(w.samples).toBe(5);
  });
});

describe('NOT STEADY in a sliced fork: the code, or the machine between turns', () => {
  const step = [...Array(12).fill(1), ...Array(12).fill(1.2)];
  const flat = (level: number) => Array<number>(12).fill(level);
  const whole = steadyStateOf(step);
  it('a step between two steady slices, after a steady warm-up, is the machine: moved, not drifting', () => {
    expect(whole.status).toBe('drifting');
    expect(slicedSteadyStateOf(whole, [steadyStateOf(flat(1)), steadyStateOf(flat(1.2))], 'steady').status).toBe('moved');
  });
  it('a slice that changed level while the case held the turn is the code: drifting', () => {
    const inside = steadyStateOf(step);
    expect(slicedSteadyStateOf(whole, [inside, steadyStateOf(flat(1.2))], 'steady').status).toBe('drifting');
  });
  it('a warm-up that never reached a steady state: drifting, whatever the slices', () => {
    expect(slicedSteadyStateOf(whole, [steadyStateOf(flat(1)), steadyStateOf(flat(1.2))], 'drifting').status).toBe('drifting');
    expect(slicedSteadyStateOf(whole, [steadyStateOf(flat(1)), steadyStateOf(flat(1.2))], 'unchecked').status).toBe('drifting');
  });
  it('one slice, or a steady whole, is left as it is', () => {
    expect(slicedSteadyStateOf(whole, [whole], 'steady')).toBe(whole);
    const steady = steadyStateOf(flat(1));
    expect(slicedSteadyStateOf(steady, [steady, steady], 'steady')).toBe(steady);
  });
  it('the headline counts moved forks apart from drifting ones', () => {
    const warm = { samples: 12, seconds: 0.1, state: 'steady' as const };
    const m = measurementOfSlices([forkMeasurementOf(flat(1), warm), forkMeasurementOf(flat(1.2), warm)], warm);
    expect(m).toMatchObject({ movedForks: 1, driftingForks: 0, forkCount: 1 });
    expect(m.forks[0]!.steadyState.status).toBe('moved');
  });
});
