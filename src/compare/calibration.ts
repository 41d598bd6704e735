/**
 * What the gate can see on a runner, from repeated runs of the same build
 * there (`chipbench calibrate`): the runs compared in order as A/A pairs
 * (every regressed or improved verdict is a false alarm), each case's spread
 * between runs (the noise file later comparisons read with --noise), and the
 * minimum detectable change of two separate runs judged with it.
 */
import { InputError } from '../errors/input-error.js';
import { NOISE_FILE_SCHEMA_VERSION, type NoiseFile } from '../results/noise-file.js';
import type { RunResult } from '../results/schema.js';
import { runnerNoiseOf } from '../stats/runner-noise.js';
import { compareRuns, type CompareOptions, type RunComparison } from './compare-runs.js';

/** One case's detectable change on this runner: two separate runs judged with the noise file, and with their forks alone. */
export interface CaseDetectable {
  id: string;
  /** the median over the A/A pairs of the minimum detectable change, judged with the noise file */
  withNoise: number;
  /** the same with the two runs' forks alone (the noise model of one comparison, no noise file) */
  forksAlone: number;
}

export interface Calibration {
  noise: NoiseFile;
  detectable: CaseDetectable[];
  /** each A/A pair was judged with a noise file from the other runs (4 runs or more), not from its own */
  outOfSample: boolean;
}

/** Every regressed or improved verdict of A/A comparisons is a false alarm. */
function falseAlarms(comparisons: readonly RunComparison[]): NoiseFile['aa']['forksAlone'] {
  const sum = (f: (c: RunComparison) => number) => comparisons.reduce((n, c) => n + f(c), 0);
  return { comparisons: sum((c) => c.cases.filter((x) => x.change !== undefined).length), regressed: sum((c) => c.counts.regressed), improved: sum((c) => c.counts.improved) };
}

/** The middle value (the lower of the two middle ones for an even count); undefined for none. */
export function lowerMedian(values: readonly number[]): number | undefined {
  return [...values].sort((a, b) => a - b)[(values.length - 1) >> 1];
}

/**
 * The noise file and the detectable changes of `runs` (labels are their files, oldest first). Refuses fewer than
 * two runs, and runs of another machine or gpu.js version than the first: a noise file describes one runner.
 */
export function calibrate(runs: readonly { label: string; run: RunResult }[], options: CompareOptions, now: Date): Calibration {
  if (runs.length < 2) throw new InputError(`calibrate needs at least 2 runs of the same build, got ${runs.length}; give --runs 5 or more result files`);
  runs = [...runs].sort((a, b) => a.run.startedAt.localeCompare(b.run.startedAt));
  const first = runs[0]!.run;
  for (const { label, run } of runs) {
    if (run.environment.hostname !== first.environment.hostname || run.environment.gpujs !== first.environment.gpujs) {
      throw new InputError(`${label}: ran on ${run.environment.hostname} with gpu.js ${run.environment.gpujs}, not as ${runs[0]!.label}; calibrate with runs of one machine and build`);
    }
  }
  const cases = runnerNoiseOf(runs.map((r) => r.run));
  const pairs = runs.slice(1).map((head, i) => [runs[i]!.run, head.run] as const);
  const labels = { base: 'earlier run', head: 'next run' };
  const alone = pairs.map(([a, b]) => compareRuns(a, b, labels, options));
  // each pair judged with a noise file from the other runs, so the false alarms counted are those a new pair would
  // meet; with fewer than 4 runs there are no 2 others, and the pair's own runs are in it (said in the report)
  const outOfSample = runs.length >= 4;
  const noiseWithout = (i: number) => (outOfSample ? runnerNoiseOf(runs.filter((_, k) => k !== i && k !== i + 1).map((r) => r.run)) : cases);
  const judged = pairs.map(([a, b], i) => compareRuns(a, b, labels, { ...options, noise: noiseWithout(i) }));
  const mdcOf = (comparisons: typeof alone, id: string) => lowerMedian(comparisons.flatMap((c) => c.cases.filter((x) => x.id === id && x.mdc !== undefined).map((x) => x.mdc!)));
  const detectable = Object.keys(cases).flatMap((id) => {
    const withNoise = mdcOf(judged, id);
    const forksAlone = mdcOf(alone, id);
    return withNoise === undefined || forksAlone === undefined ? [] : [{ id, withNoise, forksAlone }];
  });
  const noise: NoiseFile = {
    schemaVersion: NOISE_FILE_SCHEMA_VERSION,
    kind: 'chipbench-noise',
    createdAt: now.toISOString(),
    machine: { hostname: first.environment.hostname, cpu: first.environment.cpu.model, gpujs: first.environment.gpujs },
    runs: runs.map((r) => r.label),
    aa: { pairs: pairs.length, forksAlone: falseAlarms(alone), withNoise: falseAlarms(judged) },
    cases,
  };
  return { noise, detectable, outOfSample };
}
