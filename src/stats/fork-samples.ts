/**
 * A fork's timed samples as the result file records them: the samples in the order taken, their count, median,
 * mean, extremes, p99, sd, the mean's relative margin of error and the median's distribution-free interval. Shared by
 * the harness (a worker's own samples) and the import (another tool's timings), so both describe a fork alike.
 */
import type { ForkMeasurement } from '../results/schema.js';
import { summarize } from './statistics.js';

export type ForkSampleFields = Pick<
  ForkMeasurement,
  'samplesSeconds' | 'sampleCount' | 'medianSeconds' | 'meanSeconds' | 'minSeconds' | 'maxSeconds' | 'p99Seconds' | 'sdSeconds' | 'rmePercent' | 'medianCi'
>;

/** The sample fields of a fork from its timed samples, seconds, in the order they were taken. */
export function forkSampleFields(seconds: number[]): ForkSampleFields {
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
  };
}
