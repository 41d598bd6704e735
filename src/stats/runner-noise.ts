/**
 * The spread between runs on one runner, from repeated runs of the same build
 * (`chipbench calibrate`), and what it says of the next comparison of two
 * separate runs there.
 *
 * The forks of one run share its moments: measured here, a run's headline
 * varied 1.3x more (in variance, median case) than its 3 forks' spread
 * predicts, and one case whose forks agreed within 2% in each of two runs sat
 * 23% apart between them (docs/reproducibility.md). Only repeated runs see
 * that part. Per case, the variance of ln headline time across the runs
 * (runs - 1 degrees of freedom) is moderated towards its group's
 * (noise-model.ts), and split into the forks' share and the run's own:
 * var(run headline with n forks) = forkVar / n + max(0, runVar - forkVar / n_calibration).
 */
import type { CaseNoiseEntry } from '../results/noise-file.js';
import { executedOn } from '../results/case-facts.js';
import { isCeilingId } from '../results/case-id.js';
import type { CaseResult, RunResult } from '../results/schema.js';
import type { VarianceEstimate } from './moderated-variance.js';
import { moderateSubjects } from './noise-model.js';
import { sampleVariance } from './statistics.js';

/** The cases measured ok on one device in every run, with their measurements in run order. */
function casesInEveryRun(runs: readonly RunResult[]): Map<string, CaseResult[]> {
  const byId = new Map<string, CaseResult[]>();
  for (const run of runs) for (const c of run.cases) if (c.outcome === 'ok' && c.measurement) byId.set(c.id, [...(byId.get(c.id) ?? []), c]);
  return new Map([...byId].filter(([, list]) => list.length === runs.length && list.every((c) => executedOn(c) === executedOn(list[0]!))));
}

/** Every case's spread between runs, from two or more runs of the same build on one machine. */
export function runnerNoiseOf(runs: readonly RunResult[]): Record<string, CaseNoiseEntry> {
  const cases = [...casesInEveryRun(runs)];
  const own = cases.map(([, list]) => ({ variance: sampleVariance(list.map((c) => Math.log(c.measurement!.medianSeconds))), df: list.length - 1 }));
  const noise = moderateSubjects(cases.map(([id, list], i) => ({ backend: list[0]!.backend, workload: list[0]!.workload, handWritten: isCeilingId(id), own: own[i]! })));
  return Object.fromEntries(
    cases.map(([id, list], i) => {
      const forkDf = list.reduce((a, c) => a + c.measurement!.forkCount - 1, 0);
      const forkSs = list.reduce((a, c) => a + (c.measurement!.forkCount - 1) * (c.measurement!.betweenForkSdLog ?? 0) ** 2, 0);
      const entry: CaseNoiseEntry = {
        device: executedOn(list[0]!) ?? 'unknown',
        runSdLog: Math.sqrt(own[i]!.variance),
        runDf: own[i]!.df,
        moderatedSdLog: Math.sqrt(noise[i]!.moderated.variance),
        moderatedDf: noise[i]!.moderated.df,
        forkSdLog: forkDf > 0 ? Math.sqrt(forkSs / forkDf) : 0,
        forks: Math.min(...list.map((c) => c.measurement!.forkCount)),
      };
      return [id, entry];
    }),
  );
}

/**
 * The variance of ln(head / base) of two separate runs with `baseForks` and `headForks` forks on the runner `entry`
 * was measured on, given the two runs' own pooled variance of ln fork medians (`own`): the forks' part pools the
 * calibration's fork spread with these runs' (a noisier hour shows), the run's own part comes from the calibration
 * alone, and the degrees of freedom of the sum are Satterthwaite's.
 */
export function runnerChangeVariance(entry: CaseNoiseEntry, own: VarianceEstimate, baseForks: number, headForks: number): VarianceEstimate {
  const calibrationForkDf = (entry.runDf + 1) * (entry.forks - 1);
  const forkDf = calibrationForkDf + own.df;
  const forkVariance = forkDf > 0 ? (calibrationForkDf * entry.forkSdLog ** 2 + own.df * own.variance) / forkDf : entry.forkSdLog ** 2;
  const forksPart = forkVariance * (1 / baseForks + 1 / headForks);
  // the case's own spread between runs where it is the wider: a case can switch between states from one run to the
  // next (measured: a webasm GEMM at 1.6, 0.66 and 1.8 GFLOP/s in consecutive runs, each run's forks agreeing), which
  // its group cannot know; moderated down towards the group, such a case gave false alarms
  const runVariance = Math.max(entry.moderatedSdLog, entry.runSdLog) ** 2;
  const runDf = entry.runDf;
  const runPart = 2 * Math.max(0, runVariance - entry.forkSdLog ** 2 / entry.forks);
  const variance = forksPart + runPart;
  // and no more degrees of freedom than the runs themselves: the forks' many say nothing of how far a run's level goes
  const satterthwaite = runPart === 0 ? Math.max(1, forkDf) : variance ** 2 / (forksPart ** 2 / Math.max(1, forkDf) + runPart ** 2 / runDf);
  return { variance, df: Math.min(satterthwaite, runDf) };
}
