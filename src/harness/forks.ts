/**
 * A case's headline figure from its forks. Each fork (one worker process)
 * gives one observation, its median time; the samples inside a fork are not
 * independent evidence about the code, because the process's own state (JIT
 * tier, memory placement) sets their level. So the headline is the
 * geometric mean of the fork medians and its interval is Student's t over
 * their logarithms, n - 1 degrees of freedom (as pyperf and JMH treat their
 * worker processes and forks). With one fork there is no between-process
 * evidence: the interval is the fork's own order-statistic interval, marked
 * as such.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import type { ForkMeasurement, Measurement } from '../results/schema.js';
import { meanOf, medianOf, sampleVariance } from '../stats/statistics.js';

const sampleSd = (xs: readonly number[]) => Math.sqrt(sampleVariance(xs));

/** Coverage of the headline interval. */
export const HEADLINE_LEVEL = 0.95;

/** The spread of one fork's samples on a log scale: the sd of ln(sample), zero-duration samples left out. */
function withinSdLog(fork: ForkMeasurement): number {
  return sampleSd(fork.samplesSeconds.filter((s) => s > 0).map(Math.log));
}

/** The headline Measurement of one case from its forks (in the order they ran). */
export function headlineOf(forks: readonly ForkMeasurement[]): Measurement {
  if (forks.length === 0) throw new RangeError('a case needs at least one fork');
  // a median of 0 s (a timer too coarse for the call) cannot be logged: such a fork counts as the smallest positive time
  const logs = forks.map((f) => Math.log(Math.max(f.medianSeconds, Number.MIN_VALUE)));
  const n = logs.length;
  const meanLog = meanOf(logs);
  const sdLog = sampleSd(logs);
  const only = forks[0]!;
  const medianCi =
    n === 1
      ? { ...only.medianCi }
      : (() => {
          const half = tQuantile(1 - (1 - HEADLINE_LEVEL) / 2, n - 1) * (sdLog / Math.sqrt(n));
          return { lowSeconds: Math.exp(meanLog - half), highSeconds: Math.exp(meanLog + half), coverage: HEADLINE_LEVEL };
        })();
  const count = (status: string) => forks.filter((f) => f.steadyState.status === status).length;
  return {
    medianSeconds: n === 1 ? only.medianSeconds : Math.exp(meanLog),
    medianCi,
    intervalFrom: n === 1 ? 'samples' : 'forks',
    sampleCount: forks.reduce((a, f) => a + f.sampleCount, 0),
    forkCount: n,
    betweenForkSdLog: n === 1 ? null : sdLog,
    withinForkSdLog: medianOf(forks.map(withinSdLog)),
    steadyForks: count('steady'),
    driftingForks: count('drifting'),
    uncheckedForks: count('unchecked'),
    forks: [...forks],
  };
}
