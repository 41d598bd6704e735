/**
 * Time-spread sampling: a case's samples in one fork are taken in several
 * slices, in turn with the other cases of the same worker, instead of in one
 * go. On a shared machine the speed of the same code moves with the
 * machine's moment (measured here: a cache-heavy loop's 100 ms windows
 * spread 12.4% sd of ln, its 3.2 s windows 2.3%; docs/reproducibility.md),
 * so samples taken in one 100 ms window are one draw of the moment, however
 * many they are. Slices spread over the worker's whole life are many draws
 * for the same sampling time.
 */
import type { HarnessBudget } from '../config/profiles.js';
import { MAX_SAMPLES_PER_CASE } from '../config/defaults.js';
import type { ForkMeasurement, Measurement } from '../results/schema.js';
import { medianOf } from '../stats/statistics.js';
import { measurementOfSlices, sampleSteady, warmUp, type MeasureFn } from './measure.js';
import type { Turns } from './turns.js';

/** How many slices a case's samples in one fork are cut into. */
export interface SlicePlan {
  /** slices of the fork's samples */
  slices: number;
  /** whether a slice after the first begins with one untimed call (cheap cases only) */
  rewarm: boolean;
}

/** An untimed call before a slice costs at most this share of the slice. */
const REWARM_SHARE = 0.1;

/**
 * The slices of a case whose calls take `callMs`: budget.timeSlices of timeBudgetMs / slices each, but no more than
 * a slow case fills (timeBudgetMs / callMs), and never fewer than minSamples (or timeSlices, if fewer). A case
 * slower than timeBudgetMs / minSamples a call is sampled minSamples times whether sliced or not; it then takes one
 * sample in each of minSamples slices, so spreading it costs no extra calls.
 */
export function slicePlan(budget: HarnessBudget, callMs: number): SlicePlan {
  const wanted = Math.max(1, budget.timeSlices ?? 1);
  const fitting = callMs > 0 ? Math.floor(budget.timeBudgetMs / callMs) : wanted;
  const slices = Math.max(1, Math.min(wanted, Math.max(budget.minSamples, fitting)));
  return { slices, rewarm: callMs <= (REWARM_SHARE * budget.timeBudgetMs) / slices };
}

/**
 * A MeasureFn for cases that hold `turns` while they run: warm up to a steady state (as `measure` does), then
 * take the plan's slices, handing the turn on between them. The plan is made again after every slice from the
 * median of the samples so far (a warm-up cut short by one cold call would make a fast case look slow). Each
 * slice gets the budget left over the slices left, less one call, because tinybench stops at the first sample
 * that ends past its time; the last slice makes up the budget's minSamples. `onTurn` is told each time a case
 * takes its turn again, so that a watchdog blames the case that really runs.
 */
export function turnSlicedMeasure(turns: Turns, onTurn: (id: string) => Promise<void> | void): MeasureFn {
  return async (name, sample, budget): Promise<Measurement> => {
    const warm = await warmUp(sample, budget);
    let callMs = warm.samples > 0 ? (1e3 * warm.seconds) / warm.samples : 0;
    let plan = slicePlan(budget, callMs);
    const maxSamples = Math.max(1, Math.ceil(MAX_SAMPLES_PER_CASE / Math.max(1, budget.timeSlices ?? 1)));
    const parts: ForkMeasurement[] = [];
    let samples = 0;
    let sampledMs = 0;
    for (let i = 0; i < plan.slices || samples < budget.minSamples; i++) {
      if (i > 0) {
        await turns.yieldTurn();
        await onTurn(name);
        // other cases ran meanwhile: one call brings this one's data and code back into the caches
        if (plan.rewarm) await sample();
      }
      const slicesLeft = Math.max(1, plan.slices - i);
      const last = slicesLeft === 1;
      const slice = await sampleSteady(
        name,
        sample,
        {
          ...budget,
          timeBudgetMs: Math.max(0, (budget.timeBudgetMs - sampledMs) / slicesLeft - callMs),
          minSamples: last ? Math.max(1, budget.minSamples - samples) : 1,
        },
        warm,
        maxSamples,
      );
      parts.push(slice);
      samples += slice.sampleCount;
      sampledMs += 1e3 * slice.samplesSeconds.reduce((a, b) => a + b, 0);
      callMs = 1e3 * medianOf(parts.flatMap((p) => p.samplesSeconds));
      const next = slicePlan(budget, callMs);
      plan = { ...next, slices: Math.max(i + 1, next.slices) };
    }
    return measurementOfSlices(parts, warm);
  };
}
