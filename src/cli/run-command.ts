/**
 * `chipbench run` (what `npm run bench` calls): resolve options against the
 * profile, run the suite, print progress and the table, set the exit code.
 */
import type { Argv, ArgumentsCamelCase } from 'yargs';
import { PROFILES, PROFILE_NAMES, type ProfileName } from '../config/profiles.js';
import { GPUJS_BACKENDS, knownBackends } from '../backends/names.js';
import {
  DEFAULT_ALGORITHMS,
  DEFAULT_CASE_TIMEOUT_SECONDS,
  MAX_CASE_TIMEOUT_SECONDS,
  MAX_FORKS,
  MAX_TIME_SLICES,
  DEFAULT_MAX_FORKS_FACTOR,
  defaultMaxForks,
  DEFAULT_RANKS,
  DEFAULT_SLICES,
  DEFAULT_GEMM_SEED,
  DEFAULT_GEMM_VARIANT,
  DEFAULT_PROFILE,
  DEFAULT_TIMINGS,
  DEFAULT_WORKLOADS,
  WORKLOADS,
} from '../config/defaults.js';
import { InputError } from '../errors/input-error.js';
import { TIMING_MODES, type RunResult } from '../results/schema.js';
import { renderConsoleReport } from '../report/console-report.js';
import { colourAllowed, progressMode, RunProgress } from './progress.js';
import { DEFAULT_ALPHA_SECONDS } from '../metrics/alpha-beta.js';
import { hostCpuPeak } from '../env/cpu-peak.js';
import { chipTableFromArgs, withChipsOption, type ChipsArgs } from './chips-option.js';
import { webgpuAdapterFromArgs, withWebgpuAdapterOption, type WebgpuAdapterArgs } from './webgpu-adapter-option.js';
import { compareOptionsFromArgs, withCompareOptions, type CompareArgs } from './compare-options.js';
import { printComparison } from './compare-command.js';
import { compareRuns, gateExitCode } from '../compare/compare-runs.js';
import { readRunResult } from '../results/read-result.js';
import { expandResultPaths, readResults } from './result-paths.js';
import { parseSizes } from './parse-sizes.js';
import { parseBytes, sweepBytes } from './parse-bytes.js';
import { bytesLabel } from '../results/case-id.js';
import { ALLREDUCE_ALGORITHMS } from '../workloads/allreduce/schedule.js';
import { RunControl, RunInterrupted } from '../runner/run-control.js';
import { runSuite, type AgainstOptions, type SuiteOptions } from '../runner/run-suite.js';
import { existsSync } from 'node:fs';
import { MIN_PAIRED_SLICES } from '../compare/paired-slices.js';
import { join, resolve } from 'node:path';
import { RunPlan } from '../plan/plan.js';
import { GEMM_VARIANT_IDS, GEMM_VARIANTS, variantUnfit } from '../workloads/gemm/variants.js';
import { checkOutputPath, defaultOutputPath, refuseOverwritingInputs } from './output-path.js';
import { nonNegativeInteger, parseNameList, positiveNumber } from './parse-list.js';
import { EXIT } from './exit-codes.js';
import { lockOutput } from '../results/output-lock.js';
import { formatShape } from '../metrics/gemm-work.js';

function perProfile(pick: (p: (typeof PROFILES)[ProfileName]) => string): string {
  return PROFILE_NAMES.map((name) => `${name} ${pick(PROFILES[name])}`).join(', ');
}

export interface RunArgs extends ChipsArgs, CompareArgs, WebgpuAdapterArgs {
  baseline?: string;
  against?: string;
  againstOutput?: string;
  slices: number;
  profile: string;
  backends: string;
  workloads: string;
  sizes?: string;
  timings: string;
  variant: string;
  timeBudget?: number;
  minSamples?: number;
  warmupTime?: number;
  warmupIterations?: number;
  maxWarmupTime?: number;
  timeSlices?: number;
  forks?: number;
  maxForks?: number;
  maxTime?: number;
  caseTimeout: number;
  seed: number;
  ranks: number;
  algorithms: string;
  minBytes?: string;
  maxBytes?: string;
  stepFactor?: number;
  output?: string;
  json: boolean;
  quiet: boolean;
}

export function runBuilder(y: Argv): Argv<RunArgs> {
  return withWebgpuAdapterOption(withCompareOptions(withChipsOption(y)))
    .option('baseline', {
      type: 'string',
      describe: 'a RunResult to compare this run with when it ends (as chipbench compare BASELINE RESULT); exit 1 on a regression',
    })
    .option('against', {
      type: 'string',
      conflicts: 'baseline',
      describe:
        'a built chipbench checkout (npm ci && npm run build) to run as the base, interleaved with this build slice by slice on every case; ' +
        'writes both results and compares them when the run ends; exit 1 on a regression',
    })
    .option('max-forks', {
      type: 'number',
      describe: `with --against: fork pairs a case may get at most; past --forks, pairs are added only to the cases still inconclusive, until they are decided (alpha is split over the looks this allows) [default: ${DEFAULT_MAX_FORKS_FACTOR} x --forks]`,
    })
    .option('max-time', {
      type: 'number',
      describe: 'with --against: seconds after which no more fork pairs are added (the pair under way finishes) [default: no limit]',
    })
    .option('against-output', {
      type: 'string',
      describe: "the base side's result file with --against [default: the result file's name with .base.json]",
    })
    .option('slices', {
      type: 'number',
      default: DEFAULT_SLICES,
      describe: 'with --against: slices per side of every case (at least 12); the time budget is spread over them',
    })
    .option('profile', {
      type: 'string',
      default: DEFAULT_PROFILE,
      describe: `suite size: ${PROFILE_NAMES.map((n) => `${n} (${PROFILES[n].description})`).join('; ')}`,
    })
    .option('backends', {
      type: 'string',
      default: 'all',
      describe: `comma-separated: ${GPUJS_BACKENDS.join(', ')}; 'all' runs every one available here and lists the others with the reason`,
    })
    .option('workloads', { type: 'string', default: DEFAULT_WORKLOADS.join(','), describe: `comma-separated: ${WORKLOADS.join(', ')}` })
    .option('sizes', {
      type: 'string',
      describe: `GEMM shapes, comma-separated: N for N^3 or MxNxK (e.g. 256,333x517x129) [default: from the profile: ${perProfile((p) => p.gemmShapes.map((s) => (s.m === s.n && s.n === s.k ? `${s.m}` : formatShape(s))).join('/'))}]`,
    })
    .option('timings', {
      type: 'string',
      default: DEFAULT_TIMINGS.join(','),
      describe: `comma-separated: end-to-end (upload, compute, readback), resident (data on the device, one sync per sample)`,
    })
    .option('variant', {
      type: 'string',
      default: DEFAULT_GEMM_VARIANT,
      describe:
        `GEMM kernel of the tuned cases (gemm-tuned/...), beside the naive README kernel (gemm/...), which always runs: ` +
        `auto (the fastest verified, tuned per backend, device and shape, and cached), or one of ${GEMM_VARIANT_IDS.join(', ')} (naive: no tuned cases)`,
    })
    .option('time-budget', { type: 'number', describe: `milliseconds of sampling per case [default: ${perProfile((p) => `${p.timeBudgetMs}`)}]` })
    .option('min-samples', { type: 'number', describe: `minimum timed samples per case [default: ${perProfile((p) => `${p.minSamples}`)}]` })
    .option('warmup-time', { type: 'number', describe: `milliseconds of warm-up per case [default: ${perProfile((p) => `${p.warmupMs}`)}]` })
    .option('warmup-iterations', { type: 'number', describe: `minimum warm-up calls per case [default: ${perProfile((p) => `${p.warmupIterations}`)}]` })
    .option('max-warmup-time', {
      type: 'number',
      describe: `milliseconds of warm-up at most: warm-up ends once the timings are steady (a changepoint test), and a case still changing by then is timed and marked not steady [default: ${perProfile((p) => `${p.maxWarmupMs}`)}]`,
    })
    .option('time-slices', {
      type: 'number',
      describe:
        `slices each case's samples are taken in within a fork, in turn with that worker's other cases, so that a figure ` +
        `averages over the machine's moments rather than one 100 ms window of them; 1 samples each case in one go [default: ${perProfile((p) => `${p.timeSlices ?? 1}`)}]`,
    })
    .option('forks', {
      type: 'number',
      describe:
        `worker processes each case is measured in, each with the whole per-case budget; the figure and its interval come from the forks, ` +
        `so more forks narrow the interval (about 1/sqrt(forks)) and the smallest change compare can detect [default: ${perProfile((p) => `${p.forks}`)}]`,
    })
    .option('ranks', { alias: 'R', type: 'number', default: DEFAULT_RANKS, describe: 'simulated devices in a collective (each holds S bytes)' })
    .option('algorithms', {
      type: 'string',
      default: DEFAULT_ALGORITHMS.join(','),
      describe: `all-reduce algorithms, comma-separated: ${ALLREDUCE_ALGORITHMS.join(', ')} (reduce-scatter and all-gather: ring)`,
    })
    .option('min-bytes', {
      alias: 'b',
      type: 'string',
      describe: `smallest S, bytes per rank, like nccl-tests -b (4K, 64MiB) [default: ${perProfile((p) => bytesLabel(p.collectiveBytes.minBytes))}]`,
    })
    .option('max-bytes', {
      alias: 'e',
      type: 'string',
      describe: `largest S, like nccl-tests -e [default: ${perProfile((p) => bytesLabel(p.collectiveBytes.maxBytes))}]`,
    })
    .option('step-factor', {
      alias: 'f',
      type: 'number',
      describe: `S is multiplied by this from min to max, like nccl-tests -f [default: ${perProfile((p) => `${p.collectiveBytes.factor}`)}]`,
    })
    .option('case-timeout', { type: 'number', default: DEFAULT_CASE_TIMEOUT_SECONDS, describe: 'seconds a case may run before its worker is killed and the case failed' })
    .option('seed', { type: 'number', default: DEFAULT_GEMM_SEED, describe: 'seed of the GEMM operands' })
    .option('output', { alias: 'o', type: 'string', describe: 'result file, rewritten after every case [default: results/chipbench-<UTC time>.json]' })
    .option('json', { type: 'boolean', default: false, describe: 'print the RunResult JSON to stdout (progress and table go to stderr)' })
    .option('quiet', {
      alias: 'q',
      type: 'boolean',
      default: false,
      describe: 'no progress: neither the live status line (on a terminal) nor the line per case (in CI or a pipe); the report and errors still print',
    }) as unknown as Argv<RunArgs>;
}

/** Turns parsed arguments into SuiteOptions, throwing InputError for anything wrong. */
export function resolveRunOptions(args: RunArgs, command: string[]): SuiteOptions {
  const [profileName] = parseNameList('profile', args.profile, PROFILE_NAMES);
  const profile = PROFILES[profileName!];
  const explicit = args.backends.trim() !== 'all';
  const backends = explicit ? parseNameList('backends', args.backends, knownBackends()) : [...GPUJS_BACKENDS];
  const workloads = parseNameList('workloads', args.workloads, WORKLOADS);
  const timings = parseNameList('timings', args.timings, TIMING_MODES);
  const shapes = args.sizes !== undefined ? parseSizes(String(args.sizes)) : profile.gemmShapes;
  const variants = parseNameList('variant', String(args.variant), ['auto', ...GEMM_VARIANT_IDS] as const);
  if (variants.length > 1) throw new InputError(`--variant: '${args.variant}' names ${variants.length} variants; give one, or auto to let the autotuner pick`);
  const variant = variants[0]!;
  if (variant !== 'auto') {
    for (const shape of shapes) {
      const unfit = variantUnfit(shape, GEMM_VARIANTS[variant]);
      if (unfit) throw new InputError(`--variant: ${variant} cannot run ${formatShape(shape)}: ${unfit}; give another variant, or auto`);
    }
  }
  const budget = {
    timeBudgetMs: args.timeBudget === undefined ? profile.timeBudgetMs : positiveNumber('time-budget', args.timeBudget),
    minSamples: args.minSamples === undefined ? profile.minSamples : positiveNumber('min-samples', args.minSamples, true),
    warmupMs: args.warmupTime === undefined ? profile.warmupMs : nonNegativeInteger('warmup-time', args.warmupTime),
    warmupIterations: args.warmupIterations === undefined ? profile.warmupIterations : nonNegativeInteger('warmup-iterations', args.warmupIterations),
    maxWarmupMs: args.maxWarmupTime === undefined ? profile.maxWarmupMs : nonNegativeInteger('max-warmup-time', args.maxWarmupTime),
    timeSlices: args.timeSlices === undefined ? (profile.timeSlices ?? 1) : positiveNumber('time-slices', args.timeSlices, true),
  };
  if (budget.maxWarmupMs < budget.warmupMs) {
    throw new InputError(`--max-warmup-time: ${budget.maxWarmupMs} ms is shorter than the warm-up's minimum (${budget.warmupMs} ms); give at least --max-warmup-time ${budget.warmupMs}`);
  }
  const forks = args.forks === undefined ? profile.forks : positiveNumber('forks', args.forks, true);
  if (forks > MAX_FORKS) throw new InputError(`--forks: '${args.forks}' is more than ${MAX_FORKS}; give fewer, e.g. --forks ${profile.forks}`);
  const caseTimeoutSeconds = positiveNumber('case-timeout', args.caseTimeout);
  if (caseTimeoutSeconds > MAX_CASE_TIMEOUT_SECONDS) {
    // Node's timers hold 2^31 - 1 ms (24.8 days); a longer watchdog fires at once and fails every case
    throw new InputError(`--case-timeout: '${args.caseTimeout}' is longer than a week (${MAX_CASE_TIMEOUT_SECONDS} s); give e.g. --case-timeout ${DEFAULT_CASE_TIMEOUT_SECONDS}`);
  }
  if (!Number.isInteger(args.ranks) || args.ranks < 2) {
    throw new InputError(`--ranks: '${args.ranks}' is not a rank count; a collective needs an integer of at least 2, e.g. --ranks 8`);
  }
  const algorithms = parseNameList('algorithms', args.algorithms, ALLREDUCE_ALGORITHMS);
  const collectiveBytes = sweepBytes({
    minBytes: args.minBytes === undefined ? profile.collectiveBytes.minBytes : parseBytes('min-bytes', args.minBytes),
    maxBytes: args.maxBytes === undefined ? profile.collectiveBytes.maxBytes : parseBytes('max-bytes', args.maxBytes),
    factor: args.stepFactor === undefined ? profile.collectiveBytes.factor : Number(args.stepFactor),
  });
  if (!Number.isSafeInteger(args.seed)) throw new InputError(`--seed: '${args.seed}' is not an integer; give e.g. --seed 1`);
  const outputPath = checkOutputPath(args.output ?? defaultOutputPath(), args.output === undefined);
  if (args.against === undefined && args.againstOutput !== undefined) {
    throw new InputError('--against-output: it names the base side of an interleaved run; give --against BASE_DIR too, or drop it');
  }
  if (args.against === undefined && (args.maxForks !== undefined || args.maxTime !== undefined)) {
    throw new InputError(`--${args.maxForks !== undefined ? 'max-forks' : 'max-time'}: it bounds the fork pairs an interleaved run adds; give --against BASE_DIR too, or drop it`);
  }
  if (budget.timeSlices > MAX_TIME_SLICES) {
    throw new InputError(`--time-slices: '${args.timeSlices}' is more than ${MAX_TIME_SLICES}; give fewer, e.g. --time-slices ${profile.timeSlices ?? 1}`);
  }
  if (args.against !== undefined && args.timeSlices !== undefined) {
    throw new InputError("--time-slices: an interleaved run alternates each case's slices with the base build's; set them with --slices, or drop --time-slices");
  }
  const webgpuAdapter = webgpuAdapterFromArgs(args, backends);
  const against = args.against === undefined ? undefined : againstOptions(args, outputPath, forks);
  // an interleaved run's cases take the runner's slices, alternating with the base, one case at a time
  if (against) budget.timeSlices = 1;
  const plan = new RunPlan({ workloads, timings, shapes, variant, seed: args.seed, ranks: args.ranks, algorithms, collectiveBytes });
  return {
    ...(against ? { against } : {}),
    plan,
    profile: profileName!,
    backends,
    backendsExplicit: explicit,
    workloads,
    timings,
    shapes,
    variant,
    ranks: args.ranks,
    algorithms,
    collectiveBytes,
    budget,
    forks,
    caseTimeoutSeconds,
    seed: args.seed,
    outputPath,
    command,
    ...(webgpuAdapter !== undefined ? { webgpuAdapter } : {}),
  };
}

/** --against and the options that only it takes, checked before the run. */
function againstOptions(args: RunArgs, outputPath: string, forks: number): AgainstOptions {
  const root = resolve(String(args.against));
  if (!existsSync(join(root, 'package.json'))) {
    throw new InputError(`--against: ${root} is not a chipbench checkout (no package.json); give the folder of a built base, e.g. a git worktree of the default branch`);
  }
  if (!Number.isInteger(args.slices) || args.slices < MIN_PAIRED_SLICES) {
    throw new InputError(
      `--slices: '${args.slices}' is too few slices to judge a case on its pairs; give an integer of at least ${MIN_PAIRED_SLICES}, e.g. --slices ${DEFAULT_SLICES}`,
    );
  }
  const defaultPath = outputPath.replace(/(\.json)?$/, '.base.json');
  const basePath = checkOutputPath(args.againstOutput ?? defaultPath, false, 'against-output');
  if (basePath === outputPath) throw new InputError(`--against-output: it is the result file too (${outputPath}); give another path`);
  const maxForks = args.maxForks === undefined ? defaultMaxForks(forks) : positiveNumber('max-forks', args.maxForks, true);
  if (maxForks < forks) throw new InputError(`--max-forks: ${maxForks} is fewer than --forks (${forks}); give at least --max-forks ${forks}`);
  if (maxForks > MAX_FORKS) throw new InputError(`--max-forks: '${args.maxForks}' is more than ${MAX_FORKS}; give fewer, e.g. --max-forks ${defaultMaxForks(forks)}`);
  const maxSeconds = args.maxTime === undefined ? undefined : positiveNumber('max-time', args.maxTime);
  return { root, outputPath: basePath, slices: args.slices, maxForks, ...(maxSeconds !== undefined ? { maxSeconds } : {}), compare: compareOptionsFromArgs(args) };
}

/** 0 when every case that ran is ok and nothing asked for was skipped; 1 otherwise. */
export function runExitCode(result: RunResult): number {
  return result.cases.every((c) => c.outcome === 'ok') ? EXIT.ok : EXIT.failed;
}

export async function runHandler(args: ArgumentsCamelCase<RunArgs>): Promise<number> {
  // Read (and validate) the chip table before running, so a broken table is bad input, not a failure after the run.
  const table = chipTableFromArgs(args);
  // The baseline and the comparison options are read before running: a bad file is bad input, not a failure after the run.
  // Both --baseline and --against compare when the run ends, with the same options.
  const compareOptions = args.baseline !== undefined || args.against !== undefined ? compareOptionsFromArgs(args) : undefined;
  const historyPaths = expandResultPaths((args.history ?? []).map(String));
  const baseline =
    args.baseline === undefined
      ? undefined
      : {
          path: args.baseline,
          run: readRunResult(args.baseline),
          history: readResults(historyPaths).map((r) => r.run),
          options: compareOptions!,
        };
  const resolved = resolveRunOptions(args, process.argv.slice(1));
  // the result files are rewritten after every case: never onto a file this run was given to read
  const inputs: [string, string][] = [
    ...(args.baseline !== undefined ? [['baseline', args.baseline] as [string, string]] : []),
    ...historyPaths.map((p): [string, string] => ['--history', p]),
    ...(args.chips ?? []).map((p): [string, string] => ['--chips', String(p)]),
  ];
  // the files this run writes, each with the option that named it
  const outputs = [
    [resolved.outputPath, 'output'],
    [resolved.against?.outputPath, 'against-output'],
  ].filter((o): o is [string, string] => o[0] !== undefined);
  for (const [path, option] of outputs) refuseOverwritingInputs(path, option, inputs);
  if (baseline) {
    // a baseline that shares no case with this run would fail only after the whole run: say so now
    const planned = new Set(resolved.plan.ids(resolved.backends));
    if (!baseline.run.cases.some((c) => planned.has(c.id))) {
      throw new InputError(`--baseline: ${baseline.path} shares no case with this run; give a result of the same suite (same --profile, --workloads, --sizes and backends)`);
    }
  }
  const cpu = hostCpuPeak();
  const options = {
    ...resolved,
    comparison: {
      table,
      alphaSeconds: DEFAULT_ALPHA_SECONDS,
      ...(cpu ? { cpuPeak: { flopsPerSecond: cpu.flopsPerSecond, label: cpu.label } } : {}),
    },
  };
  const progress = new RunProgress(progressMode(args.quiet, process.stderr, process.env), process.stderr, {
    colour: colourAllowed(process.stderr, process.env),
  });
  const log = (line: string) => progress.log(line);
  // with --json the report goes to stderr too, quiet or not: stdout holds only the JSON
  const out = args.json ? (line: string) => process.stderr.write(`${line}\n`) : (line: string) => process.stdout.write(`${line}\n`);
  // One writer per result file: a second run on the same --output (or --against-output) is refused while this one lives.
  const unlock: (() => void)[] = [];
  const releaseLocks = () => {
    for (const release of unlock) release();
  };
  try {
    for (const [path, option] of outputs) unlock.push(lockOutput(path, option));
  } catch (error) {
    releaseLocks(); // the base's lock refused: give back the head's
    throw error;
  }
  process.once('exit', releaseLocks); // also on an internal error that unwinds past the finally below
  const control = new RunControl();
  let signal: NodeJS.Signals | undefined;
  const onSignal = (s: NodeJS.Signals) => {
    signal = s;
    progress.notice(`chipbench: ${s} received: stopping; the result file keeps every finished case`);
    control.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const { head: result, base: interleavedBase } = await runSuite(
      options,
      {
        onProbed: (statuses) => {
          log(`chipbench run: profile ${options.profile}, writing ${options.outputPath}`);
          for (const s of statuses) {
            log(s.available ? `  ${s.backend}: available (${s.executed?.device.name ?? '?'})` : `  ${s.backend}: unavailable: ${s.reason}${s.remedy ? ` (${s.remedy})` : ''}`);
            // which WebGPU adapter, and why: the default is a choice too, and a GPU runner must see it was not a software one
            if (s.available && s.webgpuAdapters) log(`    ${s.webgpuAdapters.choice.reason}`);
          }
        },
        onCaseStart: (id, i, total) => progress.caseStarted(id, i, total),
        onCaseResult: (r, i, total) => progress.caseFinished(r, i, total),
      },
      control,
    );
    progress.stop();
    out('');
    out(renderConsoleReport(result, { chips: table }));
    out(`\nResult file: ${options.outputPath}${result.status === 'incomplete' ? ' (incomplete: interrupted)' : ''}`);
    if (args.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (signal) return signal === 'SIGINT' ? EXIT.sigint : EXIT.sigterm;
    if (interleavedBase) out(`Base result file: ${options.against!.outputPath} (${options.against!.root}, interleaved)`);
    // the base's own failures are not this build's: compare lists them, and only head's outcome sets the run's code
    const runCode = runExitCode(result);
    const base = interleavedBase
      ? { path: options.against!.outputPath ?? 'base', run: interleavedBase, history: [], options: compareOptions! }
      : baseline;
    if (!base) return runCode;
    const comparison = compareRuns(base.run, result, { base: base.path, head: options.outputPath ?? 'this run' }, base.options, base.history);
    out('');
    printComparison(comparison, {}, (text) => out(text.trimEnd()));
    return runCode !== EXIT.ok ? runCode : gateExitCode(comparison);
  } catch (error) {
    if (!(error instanceof RunInterrupted)) throw error;
    progress.notice(`chipbench: ${error.message}`);
    return signal === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
  } finally {
    releaseLocks();
    process.off('exit', releaseLocks);
    progress.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
