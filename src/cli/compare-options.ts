/** The options of a comparison (compare, run --baseline, history), parsed once into CompareOptions. */
import type { Argv } from 'yargs';
import { DEFAULT_COMPARE_OPTIONS, type CompareOptions } from '../compare/compare-runs.js';
import { WORKLOADS } from '../config/defaults.js';
import { InputError } from '../errors/input-error.js';
import { readNoiseFile } from '../results/noise-file.js';

export interface CompareArgs {
  history?: string[];
  strict?: boolean;
  threshold: number;
  workloadThreshold?: string[];
  alpha: number;
  noise?: string;
}

export function withCompareOptions<T>(y: Argv<T>): Argv<T & CompareArgs> {
  return y
    .option('history', {
      type: 'string',
      array: true,
      describe: 'earlier results on the base side (files or folders, e.g. the default branch\'s last runs on this runner): cases with 3 or more are judged against the spread between runs',
    })
    .option('strict', {
      type: 'boolean',
      describe: 'also fail (exit 1) when a case is inconclusive, missing from head or incomparable: for CI, where an undecided case or a vanished backend must not pass',
    })
    .option('threshold', {
      type: 'number',
      default: DEFAULT_COMPARE_OPTIONS.threshold * 100,
      describe: 'percent change of a case\'s figure that counts as a regression or improvement (when also significant)',
    })
    .option('workload-threshold', {
      type: 'string',
      array: true,
      describe: `per-workload threshold in percent, e.g. gemm=10 (workloads: ${WORKLOADS.join(', ')}); repeatable`,
    })
    .option('noise', {
      type: 'string',
      describe: "a noise file of this runner (chipbench calibrate): two separate runs are judged against each case's spread between runs there, where it is wider than their forks show",
    })
    .option('alpha', {
      type: 'number',
      default: DEFAULT_COMPARE_OPTIONS.alpha,
      describe: 'family-wise error rate of the whole comparison: every case\'s claims (changed, unchanged) go through Holm\'s procedure at this level; the tests are Welch\'s t on the forks\' log medians, or the paired t over the fork pairs of an interleaved run',
    }) as unknown as Argv<T & CompareArgs>;
}

function percent(option: string, raw: unknown): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n >= 100) throw new InputError(`--${option}: '${String(raw)}' is not a percentage; give a number above 0 and below 100, e.g. 5`);
  return n / 100;
}

export function compareOptionsFromArgs(args: CompareArgs): CompareOptions {
  const workloadThresholds: Record<string, number> = {};
  for (const entry of (args.workloadThreshold ?? []).flatMap((s) => String(s).split(','))) {
    const [workload, value, extra] = entry.split('=');
    if (!workload || value === undefined || extra !== undefined || !(WORKLOADS as readonly string[]).includes(workload.trim())) {
      throw new InputError(`--workload-threshold: '${entry}' is not WORKLOAD=PERCENT; give e.g. gemm=10 with a workload of ${WORKLOADS.join(', ')}`);
    }
    workloadThresholds[workload.trim()] = percent('workload-threshold', value);
  }
  const alpha = Number(args.alpha);
  if (!(alpha > 0 && alpha < 1)) throw new InputError(`--alpha: '${String(args.alpha)}' is not a significance level; give a number between 0 and 1, e.g. 0.001`);
  const noise = args.noise === undefined ? {} : { noise: readNoiseFile(String(args.noise)).cases };
  return { ...DEFAULT_COMPARE_OPTIONS, threshold: percent('threshold', args.threshold), workloadThresholds, alpha, strict: args.strict === true, ...noise };
}
