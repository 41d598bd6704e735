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
import { withMeasurement } from '../results/case-figures.js';
import { isCeilingId } from '../results/case-id.js';
import type { CaseResult, ForkMeasurement, Measurement } from '../results/schema.js';
import { moderateSubjects, type CaseNoise } from '../stats/noise-model.js';
import { meanOf, medianOf, sampleVariance } from '../stats/statistics.js';

const sampleSd = (xs: readonly number[]) => Math.sqrt(sampleVariance(xs));

/** Coverage of the headline interval. */
export const HEADLINE_LEVEL = 0.95;

/** ln of each fork's median; a median of 0 s (a timer too coarse for the call) counts as the smallest positive time. */
function logMedians(forks: readonly ForkMeasurement[]): number[] {
  return forks.map((f) => Math.log(Math.max(f.medianSeconds, Number.MIN_VALUE)));
}

/** The spread of one fork's samples on a log scale: the sd of ln(sample), zero-duration samples left out. */
function withinSdLog(fork: ForkMeasurement): number {
  return sampleSd(fork.samplesSeconds.filter((s) => s > 0).map(Math.log));
}

/**
 * The widest a headline interval is recorded: a factor of 1e12 either way of its figure (27.6 in ln). A t interval
 * on almost no degrees of freedom (a lone fork and a prior fitted from spreads far apart) can reach e^±1e100, whose
 * ends are 0 s and Infinity s: rates from them do not exist, and a run that computed one crashed. Past this an
 * interval says nothing more; every format prints it as wider than ±50%.
 */
const MAX_LOG_HALF_WIDTH = Math.log(1e12);

/** The 95% interval exp(meanLog ± half) of a median time, its half-width held at MAX_LOG_HALF_WIDTH. */
function intervalAround(meanLog: number, half: number): Measurement['medianCi'] {
  const held = Math.min(half, MAX_LOG_HALF_WIDTH);
  return { lowSeconds: Math.exp(meanLog - held), highSeconds: Math.exp(meanLog + held), coverage: HEADLINE_LEVEL };
}

/** The headline Measurement of one case from its forks (in the order they ran). */
export function headlineOf(forks: readonly ForkMeasurement[]): Measurement {
  if (forks.length === 0) throw new RangeError('a case needs at least one fork');
  const logs = logMedians(forks);
  const n = logs.length;
  const meanLog = meanOf(logs);
  const sdLog = sampleSd(logs);
  const only = forks[0]!;
  const medianCi =
    n === 1
      ? { ...only.medianCi }
      : (() => {
          const half = tQuantile(1 - (1 - HEADLINE_LEVEL) / 2, n - 1) * (sdLog / Math.sqrt(n));
          return intervalAround(meanLog, half);
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
    movedForks: count('moved'),
    forks: [...forks],
  };
}

/** The headline's interval redrawn with the noise model's spread of ln fork medians and its degrees of freedom. */
function modelledHeadline(m: Measurement, noise: CaseNoise): Measurement {
  const { prior, moderated } = noise;
  if (!prior) {
    const { spreadModel: _s, ...rest } = m;
    const own = headlineOf(m.forks);
    return { ...rest, medianCi: own.medianCi, intervalFrom: own.intervalFrom };
  }
  const meanLog = Math.log(Math.max(m.medianSeconds, Number.MIN_VALUE));
  const sdLog = Math.sqrt(moderated.variance);
  const half = tQuantile(1 - (1 - HEADLINE_LEVEL) / 2, moderated.df) * (sdLog / Math.sqrt(m.forkCount));
  return {
    ...m,
    medianCi: intervalAround(meanLog, half),
    intervalFrom: 'model',
    spreadModel: {
      sdLog,
      df: moderated.df,
      prior: { sdLog: Math.sqrt(prior.variance), df: prior.df, scope: prior.scope, key: prior.key, cases: prior.estimates },
    },
  };
}

/**
 * Every measured case's headline interval from the noise model shared across `cases` (src/stats/noise-model.ts):
 * each case's spread between its forks moderated towards the spread of the cases like it. With 3 forks a case's
 * own t interval has 2 degrees of freedom (t(0.975) = 4.3, and +-2000% with 2 forks); the model's has those of
 * the group. A case with one fork takes its group's spread; with no prior anywhere it keeps its own interval.
 * Cases without a measurement are returned as they are.
 */
export function restateHeadlines(cases: readonly CaseResult[]): CaseResult[] {
  const measured = cases.filter((c) => c.outcome === 'ok' && c.measurement);
  const noise = moderateSubjects(
    measured.map((c) => {
      const logs = logMedians(c.measurement!.forks);
      return { backend: c.backend, workload: c.workload, handWritten: isCeilingId(c.id), own: { variance: sampleVariance(logs), df: logs.length - 1 } };
    }),
  );
  const restated = new Map(measured.map((c, i) => [c, withMeasurement(c, modelledHeadline(c.measurement!, noise[i]!))]));
  return cases.map((c) => restated.get(c) ?? c);
}
