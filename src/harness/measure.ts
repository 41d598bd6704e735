/**
 * The tinybench adapter. tinybench decides how long to sample (warm-up, a
 * time budget and a minimum sample count); we time each call ourselves with
 * performance.now() and hand tinybench that duration (overriddenDuration),
 * so that the raw samples we keep are in the order they were taken and are
 * exactly the ones tinybench's statistics describe.
 */
import { performance } from 'node:perf_hooks';
import { Bench } from 'tinybench';
import type { HarnessBudget } from '../../bench/profiles.js';
import type { Measurement } from '../results/schema.js';
import { summarize } from './statistics.js';
import { MAX_SAMPLES_PER_CASE } from '../config/defaults.js';

/** One timed sample. It must include the synchronisation that proves the work is done. */
export type SampleFn = () => Promise<void> | void;

/** Runs `sample` under tinybench with the given budget; returns samples and statistics in seconds. */
export async function measure(
  name: string,
  sample: SampleFn,
  budget: HarnessBudget,
  maxSamples = MAX_SAMPLES_PER_CASE,
): Promise<Measurement> {
  const runSamplesMs: number[] = [];
  // Fast kernels would otherwise fill the time budget with hundreds of thousands of samples, all kept in the file.
  const enough = new AbortController();
  let warmupSamples = 0;
  let phase: 'warmup' | 'run' = 'warmup';
  const bench = new Bench({
    time: budget.timeBudgetMs,
    iterations: budget.minSamples,
    warmup: budget.warmupIterations > 0 || budget.warmupMs > 0,
    warmupTime: budget.warmupMs,
    warmupIterations: budget.warmupIterations,
    retainSamples: true,
    throws: true,
  });
  bench.add(
    name,
    async () => {
      const t0 = performance.now();
      await sample();
      const ms = performance.now() - t0;
      if (phase === 'run') {
        runSamplesMs.push(ms);
        if (runSamplesMs.length >= maxSamples && runSamplesMs.length >= budget.minSamples) enough.abort();
      } else warmupSamples++;
      return { overriddenDuration: ms };
    },
    {
      async: true,
      signal: enough.signal,
      beforeAll(mode) {
        phase = mode === 'run' ? 'run' : 'warmup';
      },
    },
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
  return measurementOf(
    runSamplesMs.map((ms) => ms / 1e3),
    warmupSamples,
  );
}

/** How a case is sampled: `measure` itself, or an interleaved run's slices (src/runner/sliced-measure.ts). */
export type MeasureFn = (name: string, sample: SampleFn, budget: HarnessBudget) => Promise<Measurement>;

/** The statistics of timed samples (seconds, in the order taken). */
export function measurementOf(seconds: number[], warmupSamples: number): Measurement {
  const s = summarize(seconds);
  return {
    samplesSeconds: seconds,
    sampleCount: s.count,
    medianSeconds: s.median,
    meanSeconds: s.mean,
    minSeconds: s.min,
    maxSeconds: s.max,
    p99Seconds: s.p99,
    sdSeconds: s.sd,
    rmePercent: s.rmePercent,
    medianCi: { lowSeconds: s.medianCi.low, highSeconds: s.medianCi.high, coverage: s.medianCi.coverage },
    warmupSamples,
  };
}
