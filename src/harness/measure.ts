/**
 * The tinybench adapter. We warm a case up ourselves, until its timings are
 * steady (a changepoint test, steady-state.ts) or a bound is reached;
 * tinybench then decides how long to sample (a time budget and a minimum
 * sample count); we time each call ourselves with
 * performance.now() and hand tinybench that duration (overriddenDuration),
 * so that the raw samples we keep are in the order they were taken and are
 * exactly the ones tinybench's statistics describe.
 */
import { performance } from 'node:perf_hooks';
import { Bench } from 'tinybench';
import type { HarnessBudget } from '../config/profiles.js';
import type { ForkMeasurement, Measurement, Slice } from '../results/schema.js';
import { forkSampleFields } from '../stats/fork-samples.js';
import { headlineOf } from './forks.js';
import { MIN_STEADY_SAMPLES, STEADY_ALPHA, slicedSteadyStateOf, steadyStateOf, warmupSteadyOf } from './steady-state.js';
import { MAX_SAMPLES_PER_CASE } from '../config/defaults.js';

/** One timed sample. It must include the synchronisation that proves the work is done. */
export type SampleFn = () => Promise<void> | void;

/** What the warm-up did: its samples' count and time, and the state its last window was in. */
export interface WarmUp {
  samples: number;
  seconds: number;
  state: 'steady' | 'drifting' | 'unchecked';
}

/**
 * Calls `sample` until the timings have reached a steady state, within a bound. After the profile's minimum warm-up
 * (warmupMs and warmupIterations), the samples since the last change are tested with Pettitt's changepoint test
 * (steady-state.ts) each time they have grown by a quarter; a change found moves the window past it. The warm-up
 * ends when the window is steady, at maxWarmupMs, or when the window could not reach the test's minimum within the
 * bound at the speed seen so far (a slow case: the timed samples are then tested instead).
 */
export async function warmUp(sample: SampleFn, budget: HarnessBudget, now = () => performance.now()): Promise<WarmUp> {
  const started = now();
  const window: number[] = [];
  let samples = 0;
  let nextCheck = MIN_STEADY_SAMPLES;
  let state: WarmUp['state'] = 'unchecked';
  for (;;) {
    const elapsed = now() - started;
    const minimumDone = samples >= budget.warmupIterations && elapsed >= budget.warmupMs;
    if (minimumDone && elapsed >= budget.maxWarmupMs) break;
    if (minimumDone && window.length > 0) {
      if (window.length >= nextCheck) {
        const verdict = warmupSteadyOf(window);
        state = verdict.status;
        if (verdict.status === 'steady') break;
        // drop what came before the change: the window starts again at it
        if (verdict.changepoint && verdict.changepoint.p < STEADY_ALPHA) window.splice(0, verdict.changepoint.index);
        nextCheck = Math.max(MIN_STEADY_SAMPLES, Math.ceil(window.length * 1.25));
      }
      // a slow case cannot fill the test's window within the bound: stop now, the timed samples are tested instead
      const mean = window.reduce((x, y) => x + y, 0) / window.length;
      if (window.length < MIN_STEADY_SAMPLES && elapsed + (MIN_STEADY_SAMPLES - window.length) * mean > budget.maxWarmupMs) break;
    }
    const t0 = now();
    await sample();
    window.push(now() - t0);
    samples++;
    if (window.length > MAX_SAMPLES_PER_CASE) window.splice(0, window.length - MAX_SAMPLES_PER_CASE);
  }
  return { samples, seconds: (now() - started) / 1e3, state };
}

/**
 * Warms `sample` up to a steady state (warmUp), then samples it under tinybench with the given budget; returns one
 * fork's samples, statistics and steady-state verdicts, in seconds, as a one-fork Measurement.
 */
export async function measure(
  name: string,
  sample: SampleFn,
  budget: HarnessBudget,
  maxSamples = MAX_SAMPLES_PER_CASE,
): Promise<Measurement> {
  const warm = await warmUp(sample, budget);
  return headlineOf([await sampleSteady(name, sample, budget, warm, maxSamples)]);
}

/** The timed phase: tinybench with no warm-up of its own (warmUp did it). */
export async function sampleSteady(name: string, sample: SampleFn, budget: HarnessBudget, warm: WarmUp, maxSamples = MAX_SAMPLES_PER_CASE): Promise<ForkMeasurement> {
  const runSamplesMs: number[] = [];
  // Fast kernels would otherwise fill the time budget with hundreds of thousands of samples, all kept in the file.
  const enough = new AbortController();
  const bench = new Bench({
    time: budget.timeBudgetMs,
    iterations: budget.minSamples,
    warmup: false,
    retainSamples: true,
    throws: true,
  });
  bench.add(
    name,
    async () => {
      const t0 = performance.now();
      await sample();
      const ms = performance.now() - t0;
      runSamplesMs.push(ms);
      if (runSamplesMs.length >= maxSamples && runSamplesMs.length >= budget.minSamples) enough.abort();
      return { overriddenDuration: ms };
    },
    { async: true, signal: enough.signal },
  );
  const [task] = await bench.run();
  const result = task?.result;
  if (!result || (result.state !== 'completed' && result.state !== 'aborted-with-statistics')) {
    const error = result && result.state === 'errored' ? result.error : undefined;
    throw error ?? new Error(`benchmark '${name}' did not complete (state ${result?.state ?? 'unknown'})`);
  }
  if (runSamplesMs.length !== result.latency.samplesCount) {
    throw new Error(
      `harness bookkeeping: kept ${runSamplesMs.length} samples but tinybench counted ${result.latency.samplesCount}`,
    );
  }
  return forkMeasurementOf(
    runSamplesMs.map((ms) => ms / 1e3),
    warm,
  );
}

/** How a case is sampled: `measure` itself, or an interleaved run's slices (src/runner/sliced-measure.ts). */
export type MeasureFn = (name: string, sample: SampleFn, budget: HarnessBudget) => Promise<Measurement>;

/**
 * One fork's measurement from the slices it was sampled in (an interleaved run's, or time slices): their samples
 * one after the other, with each slice's count and median kept.
 */
export function measurementOfSlices(parts: readonly ForkMeasurement[], warm: WarmUp): Measurement {
  const seconds = parts.flatMap((p) => p.samplesSeconds);
  const slices: Slice[] = parts.map((p) => ({ count: p.sampleCount, medianSeconds: p.medianSeconds }));
  const fork = forkMeasurementOf(seconds, warm);
  const steadyState = slicedSteadyStateOf(
    fork.steadyState,
    parts.map((p) => p.steadyState),
    warm.state,
  );
  return headlineOf([{ ...fork, steadyState, slices }]);
}

/** One fork's statistics of timed samples (seconds, in the order taken), with the steady-state test of them. */
export function forkMeasurementOf(seconds: number[], warm: WarmUp): ForkMeasurement {
  return {
    ...forkSampleFields(seconds),
    warmupSamples: warm.samples,
    warmupSeconds: warm.seconds,
    warmupState: warm.state,
    steadyState: steadyStateOf(seconds),
  };
}
