/**
 * The options of `chipbench run`, in the order `--help` lists them: the comparison with a baseline or an
 * interleaved base build, what the suite runs, the harness budget per case, the collectives, and the output.
 */
import type { Argv } from 'yargs';
import { PROFILES, PROFILE_NAMES, type Profile } from '../config/profiles.js';
import { GPUJS_BACKENDS } from '../backends/names.js';
import {
  DEFAULT_ALGORITHMS,
  DEFAULT_CASE_TIMEOUT_SECONDS,
  DEFAULT_AGAINST_MAX_SECONDS,
  DEFAULT_MAX_FORKS_FACTOR,
  DEFAULT_RANKS,
  DEFAULT_SLICES,
  DEFAULT_GEMM_SEED,
  DEFAULT_CEILINGS,
  DEFAULT_GEMM_VARIANT,
  DEFAULT_PROFILE,
  DEFAULT_TIMINGS,
  DEFAULT_WORKLOADS,
  WORKLOADS,
} from '../config/defaults.js';
import { bytesLabel } from '../results/case-id.js';
import { ALLREDUCE_ALGORITHMS } from '../workloads/allreduce/schedule.js';
import { GEMM_VARIANT_IDS } from '../workloads/gemm/variants.js';
import { formatShape } from '../metrics/gemm-work.js';
import { withChipsOption, type ChipsArgs } from './chips-option.js';
import { withWebgpuAdapterOption, type WebgpuAdapterArgs } from './webgpu-adapter-option.js';
import { withCompareOptions, type CompareArgs } from './compare-options.js';

/** Every profile's value of one setting, for a `[default: ...]`: `smoke 1, quick 2, ...`. */
function perProfile(pick: (p: Profile) => string): string {
  return PROFILE_NAMES.map((name) => `${name} ${pick(PROFILES[name])}`).join(', ');
}

export interface RunArgs extends ChipsArgs, CompareArgs, WebgpuAdapterArgs {
  baseline?: string;
  against?: string;
  againstOutput?: string;
  slices: number;
  profile: string;
  backends: string;
  /** undefined: the profile's workloads when the built-in suite runs (suite-option.ts) */
  workloads?: string;
  /** --suite: suite files, folders of them, or 'builtin' (repeatable) */
  suite?: string[];
  /** --filter: regular expressions on the case ids (repeatable) */
  filter?: string[];
  sizes?: string;
  timings: string;
  variant: string;
  ceilings: boolean;
  timeBudget?: number;
  minSamples?: number;
  warmupTime?: number;
  warmupIterations?: number;
  maxWarmupTime?: number;
  timeSlices?: number;
  pinCpu?: string;
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
  verbose: boolean;
  wide: boolean;
}

/** The base this run is compared with: --baseline, or --against and the options only an interleaved run takes. */
function withBaseOptions<T>(y: Argv<T>) {
  return y
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
      describe: `with --against: seconds from the start within which added fork pairs must end: each round takes the undecided cases that shrink their detectable change most per second, as many as its expected time allows [default: ${DEFAULT_AGAINST_MAX_SECONDS}]`,
    })
    .option('pin-cpu', {
      type: 'string',
      describe:
        'run every worker and its threads on this CPU (0, 1, ...; needs taskset), or none: on a shared VM the vCPUs differ, and a worker placed on either adds its own spread; ' +
        'pinned, multi-threaded kernels share one CPU [default: with --against, the last CPU; otherwise none]',
    })
    .option('against-output', {
      type: 'string',
      describe: "the base side's result file with --against [default: the result file's name with .base.json]",
    })
    .option('slices', {
      type: 'number',
      default: DEFAULT_SLICES,
      describe: 'with --against: slices per side of every case (at least 12); the time budget is spread over them',
    });
}

/** What the suite runs: the profile, backends, workloads, GEMM sizes, timings and the tuned cases' variant. */
function withSuiteOptions<T>(y: Argv<T>) {
  return y
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
    .option('workloads', {
      type: 'string',
      describe: `the built-in suite's workloads, comma-separated: ${WORKLOADS.join(', ')}; giving it runs the built-in suite beside a project's suite files [default: ${DEFAULT_WORKLOADS.join(',')}]`,
    })
    .option('suite', {
      type: 'string',
      array: true,
      describe: "suite files (*.bench.ts, .js, .mjs, .mts) or folders of them to run, or 'builtin' for chipbench's own suite; repeatable [default: the *.bench.* files under ./bench, else builtin]",
    })
    .option('filter', {
      type: 'string',
      array: true,
      describe: 'run only the cases whose id matches one of these regular expressions (e.g. softmax, ^gemm/webgpu/); repeatable; `chipbench list` prints the ids',
    })
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
    .option('ceilings', {
      type: 'boolean',
      default: DEFAULT_CEILINGS,
      describe:
        'beside gpu.js, run hand-written kernels on the same API and device where chipbench has them (gemm-ceiling/...: WebAssembly SIMD on webasm, a WebGL shader on headlessgl, WGSL on webgpu; stream-ceiling-...: copy and triad on webasm and webgpu); --no-ceilings runs gpu.js alone',
    });
}

/** The harness budget of each case (defaults from the profile) and the forks it is measured in. */
function withBudgetOptions<T>(y: Argv<T>) {
  return y
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
    });
}

/** The collectives: ranks, all-reduce algorithms and the byte sweep, named like nccl-tests' options. */
function withCollectiveOptions<T>(y: Argv<T>) {
  return y
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
    });
}

/** The case watchdog and the GEMM seed. */
function withCaseOptions<T>(y: Argv<T>) {
  return y
    .option('case-timeout', { type: 'number', default: DEFAULT_CASE_TIMEOUT_SECONDS, describe: 'seconds a case may run before its worker is killed and the case failed' })
    .option('seed', { type: 'number', default: DEFAULT_GEMM_SEED, describe: 'seed of the GEMM operands' });
}

/** Where the result goes and what the console shows. */
function withOutputOptions<T>(y: Argv<T>) {
  return y
    .option('output', { alias: 'o', type: 'string', describe: 'result file, rewritten after every case [default: results/chipbench-<UTC time>.json]' })
    .option('json', { type: 'boolean', default: false, describe: 'print the RunResult JSON to stdout (progress and table go to stderr)' })
    .option('quiet', {
      alias: 'q',
      type: 'boolean',
      default: false,
      describe: 'no progress: neither the live status line (on a terminal) nor the lines at each tenth of the run (in CI or a pipe); the report and errors still print',
    })
    .option('verbose', { type: 'boolean', default: false, describe: 'print a line for every finished case as the run goes (failed cases are always printed)' })
    .option('wide', {
      type: 'boolean',
      default: false,
      describe: 'print every column in full, however wide: without it the report fits the terminal (COLUMNS, the terminal\'s width, or 120 in a pipe)',
    });
}

/** The `chipbench run` builder: the option groups above, in this order (it is the order of `--help`). */
export function runBuilder(y: Argv): Argv<RunArgs> {
  const shared = withWebgpuAdapterOption(withCompareOptions(withChipsOption(y)));
  const suite = withSuiteOptions(withBaseOptions(shared));
  const measured = withCollectiveOptions(withBudgetOptions(suite));
  return withOutputOptions(withCaseOptions(measured)) as unknown as Argv<RunArgs>;
}
