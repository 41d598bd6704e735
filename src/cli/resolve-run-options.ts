/**
 * `chipbench run`'s parsed arguments turned into SuiteOptions against the profile, step by step: what to run,
 * the budget per case, the workers, the collectives' byte sweep, and the output with --against. Every check
 * throws InputError, in this order, before anything runs.
 */
import { PROFILES, PROFILE_NAMES, type HarnessBudget, type Profile } from '../config/profiles.js';
import { GPUJS_BACKENDS, knownBackends } from '../backends/names.js';
import {
  DEFAULT_CASE_TIMEOUT_SECONDS,
  MAX_CASE_TIMEOUT_SECONDS,
  MAX_FORKS,
  MAX_TIME_SLICES,
  DEFAULT_AGAINST_MAX_SECONDS,
  defaultMaxForks,
  DEFAULT_SLICES,
  WORKLOADS,
  DEFAULT_WORKLOADS,
} from '../config/defaults.js';
import type { SuiteSelection } from './suite-option.js';
import { listSuites } from '../runner/list-suites.js';
import { builtinSuiteFiles } from '../runner/builtin-suites.js';
import { availableParallelism } from 'node:os';
import { InputError } from '../errors/input-error.js';
import { canPinCpu, defaultPinCpu } from '../runner/cpu-pin.js';
import { TIMING_MODES } from '../results/schema.js';
import { webgpuAdapterFromArgs } from './webgpu-adapter-option.js';
import { compareOptionsFromArgs } from './compare-options.js';
import { parseSizes } from './parse-sizes.js';
import { parseBytes, sweepBytes } from './parse-bytes.js';
import { ALLREDUCE_ALGORITHMS } from '../workloads/allreduce/schedule.js';
import type { AgainstOptions, SuiteOptions } from '../runner/run-suite.js';
import { existsSync } from 'node:fs';
import { MIN_PAIRED_SLICES } from '../compare/paired-slices.js';
import { join, resolve } from 'node:path';
import { RunPlan } from '../plan/plan.js';
import { GEMM_VARIANT_IDS, GEMM_VARIANTS, variantUnfit } from '../workloads/gemm/variants.js';
import { formatShape } from '../metrics/gemm-work.js';
import { checkOutputPath, defaultOutputPath } from './output-path.js';
import { nonNegativeInteger, parseNameList, positiveNumber } from './parse-list.js';
import type { RunArgs } from './run-options.js';

/**
 * Turns parsed arguments into SuiteOptions, throwing InputError for anything wrong. The options are checked first;
 * then the suite files (chipbench's built-in ones for the workloads asked for, and the selection's) are listed in a
 * child process (runner/list-suites.ts), with the run's sweep for sizes given as a function; then the run is planned.
 */
export async function resolveRunOptions(args: RunArgs, command: string[], suites: SuiteSelection): Promise<SuiteOptions> {
  const suite = whatToRun(args, suites.builtin);
  const { profile } = suite;
  const budget = budgetOf(args, profile);
  const { forks, caseTimeoutSeconds } = workersOf(args, profile);
  const { algorithms, collectiveBytes } = collectivesOf(args, profile);
  if (!Number.isSafeInteger(args.seed)) throw new InputError(`--seed: '${args.seed}' is not an integer; give e.g. --seed 1`);
  const outputPath = checkOutputPath(args.output ?? defaultOutputPath(), args.output === undefined);
  checkInterleaveOptions(args, budget, profile);
  const webgpuAdapter = webgpuAdapterFromArgs(args, suite.backends);
  const against = args.against === undefined ? undefined : againstOptions(args, outputPath, forks);
  // an interleaved run's cases take the runner's slices, alternating with the base, one case at a time
  if (against) budget.timeSlices = 1;
  const { workloads, timings, shapes, variant } = suite;
  const builtinFiles = builtinSuiteFiles(workloads);
  const listed = await listSuites([...builtinFiles, ...suites.files], { profile: suite.profileName, bytes: collectiveBytes, ranks: args.ranks, shapes });
  // by file, not by the listing's mark: a built-in file that did not load is chipbench's broken file, not a user's suite
  const isBuiltin = (l: { path: string }) => builtinFiles.some((f) => f.path === l.path);
  const builtins = listed.filter(isBuiltin);
  const listings = listed.filter((l) => !isBuiltin(l));
  const plan = new RunPlan({ workloads, timings, shapes, variant, ceilings: args.ceilings, seed: args.seed, ranks: args.ranks, algorithms, collectiveBytes, builtins, suites: listings, filters: suites.filters, backends: suite.backends });
  if (plan.caseCount(suite.backends) === 0) {
    throw new InputError(
      suites.filters.length > 0
        ? `--filter: ${suites.filterSources.map((f) => `'${f}'`).join(', ')} matches no case of this run; \`chipbench list\` prints the ids`
        : '--workloads: this run has no case; give a workload or a suite file',
    );
  }
  return {
    builtin: suites.builtin,
    ...(listings.length > 0 ? { suites: listings.map((l) => ({ name: l.suite, file: l.file, sha256: l.sha256 })) } : {}),
    ...(suites.filterSources.length > 0 ? { filters: suites.filterSources } : {}),
    ...(against ? { against } : {}),
    plan,
    profile: suite.profileName,
    backends: suite.backends,
    backendsExplicit: suite.explicit,
    workloads,
    timings,
    shapes,
    variant,
    ceilings: args.ceilings,
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
    ...pinCpuOf(args.pinCpu, against !== undefined),
  };
}

/**
 * --pin-cpu: a CPU index, or none. By default an interleaved run pins both builds' workers to the last CPU (when
 * taskset is there): they then share whatever that CPU's neighbours do, and the comparison is 2x tighter here
 * (src/runner/cpu-pin.ts); a plain run is left unpinned, since its figures say what the whole machine delivers.
 */
function pinCpuOf(raw: string | undefined, interleaved: boolean): { pinCpu?: number } {
  if (raw === 'none') return {};
  if (raw === undefined) return interleaved && canPinCpu() ? { pinCpu: defaultPinCpu() } : {};
  const cpu = Number(raw);
  const cpus = availableParallelism();
  if (!/^\d+$/.test(raw) || cpu >= cpus) throw new InputError(`--pin-cpu: '${raw}' is not a CPU of this machine; give 0 to ${cpus - 1}, or none`);
  if (!canPinCpu()) throw new InputError('--pin-cpu: taskset (util-linux) is not installed; install it (apt-get install util-linux), or give --pin-cpu none');
  return { pinCpu: cpu };
}

/** The profile, backends, workloads, timings, GEMM shapes and the tuned cases' variant. */
function whatToRun(args: RunArgs, builtin: boolean) {
  const [profileName] = parseNameList('profile', args.profile, PROFILE_NAMES);
  const profile = PROFILES[profileName!];
  const explicit = args.backends.trim() !== 'all';
  const backends = explicit ? parseNameList('backends', args.backends, knownBackends()) : [...GPUJS_BACKENDS];
  // without the built-in suite (a project's own suite files alone) no built-in workload is planned
  const workloads = builtin ? parseNameList('workloads', args.workloads ?? DEFAULT_WORKLOADS.join(','), WORKLOADS) : [];
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
  return { profileName: profileName!, profile, explicit, backends, workloads, timings, shapes, variant };
}

/** The harness budget of each case: the profile's, with each option given in its place. */
function budgetOf(args: RunArgs, profile: Profile): Required<HarnessBudget> {
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
  return budget;
}

/** The forks each case is measured in, and how long a case's worker may run. */
function workersOf(args: RunArgs, profile: Profile): { forks: number; caseTimeoutSeconds: number } {
  const forks = args.forks === undefined ? profile.forks : positiveNumber('forks', args.forks, true);
  if (forks > MAX_FORKS) throw new InputError(`--forks: '${args.forks}' is more than ${MAX_FORKS}; give fewer, e.g. --forks ${profile.forks}`);
  const caseTimeoutSeconds = positiveNumber('case-timeout', args.caseTimeout);
  if (caseTimeoutSeconds > MAX_CASE_TIMEOUT_SECONDS) {
    // Node's timers hold 2^31 - 1 ms (24.8 days); a longer watchdog fires at once and fails every case
    throw new InputError(`--case-timeout: '${args.caseTimeout}' is longer than a week (${MAX_CASE_TIMEOUT_SECONDS} s); give e.g. --case-timeout ${DEFAULT_CASE_TIMEOUT_SECONDS}`);
  }
  return { forks, caseTimeoutSeconds };
}

/** The collectives: the rank count is checked, then the all-reduce algorithms and S's byte sweep. */
function collectivesOf(args: RunArgs, profile: Profile) {
  if (!Number.isInteger(args.ranks) || args.ranks < 2) {
    throw new InputError(`--ranks: '${args.ranks}' is not a rank count; a collective needs an integer of at least 2, e.g. --ranks 8`);
  }
  const algorithms = parseNameList('algorithms', args.algorithms, ALLREDUCE_ALGORITHMS);
  const collectiveBytes = sweepBytes({
    minBytes: args.minBytes === undefined ? profile.collectiveBytes.minBytes : parseBytes('min-bytes', args.minBytes),
    maxBytes: args.maxBytes === undefined ? profile.collectiveBytes.maxBytes : parseBytes('max-bytes', args.maxBytes),
    factor: args.stepFactor === undefined ? profile.collectiveBytes.factor : Number(args.stepFactor),
  });
  return { algorithms, collectiveBytes };
}

/**
 * The options that only --against takes, refused without it, and --time-slices, which it replaces with --slices.
 * The --time-slices bound is checked here, after the output path, where it always was: the first error stays first.
 */
function checkInterleaveOptions(args: RunArgs, budget: Required<HarnessBudget>, profile: Profile): void {
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
  const maxSeconds = args.maxTime === undefined ? DEFAULT_AGAINST_MAX_SECONDS : positiveNumber('max-time', args.maxTime);
  return { root, outputPath: basePath, slices: args.slices, maxForks, maxSeconds, compare: compareOptionsFromArgs(args) };
}
