/**
 * Run defaults that do not depend on the profile. Profile-dependent ones
 * (shapes, time budget, samples, warm-up) live in src/config/profiles.ts. Both are
 * shown by `chipbench run --help`; nothing else declares a default.
 */
import { DEFAULT_PROFILE } from './profiles.js';
import { TIMING_MODES } from '../results/schema.js';
import { ALLREDUCE_ALGORITHMS } from '../workloads/allreduce/schedule.js';

export { DEFAULT_PROFILE };

/** Seconds one case (compile, verify, warm-up, sampling) may take before its worker is killed. */
export const DEFAULT_CASE_TIMEOUT_SECONDS = 600;

/** The longest --case-timeout taken: a week, well inside what a Node timer holds (2^31 - 1 ms, 24.8 days). */
export const MAX_CASE_TIMEOUT_SECONDS = 7 * 24 * 3600;

/** An adaptive interleaved run (`run --against`) adds fork pairs to inconclusive cases up to this many times --forks. */
export const DEFAULT_MAX_FORKS_FACTOR = 2;
export const defaultMaxForks = (forks: number) => DEFAULT_MAX_FORKS_FACTOR * forks;

/**
 * Seconds from its start after which an interleaved run (`run --against`) plans no more fork pairs: each added round
 * is planned to end by then (src/runner/adaptive-rounds.ts). A pull-request gate on a shared 2-vCPU runner should
 * answer within 8 minutes; the default profile's first 3 fork pairs took about 300 s there (2026-12-06), so 420 s
 * leaves one or two rounds for the cases still undecided, and time for the comparison and the reports.
 */
export const DEFAULT_AGAINST_MAX_SECONDS = 420;

/** The most forks a case can be measured in (each is a worker process and a record in the file). */
export const MAX_FORKS = 1000;

/** The most time slices a fork can cut a case's samples into (each is a record in the file). */
export const MAX_TIME_SLICES = 1000;

/** Sampling of a case stops at this many samples even if its time budget is not spent (the raw samples are all saved). */
export const MAX_SAMPLES_PER_CASE = 10_000;

/**
 * V8 flags of every worker process. --no-lazy-feedback-allocation: gpu.js's cpu kernels run the whole output as one
 * loop inside their first call (the verification run). With lazy allocation the closure gets its feedback vector
 * only partway through that call, TurboFan's concurrent compile of it then lacks feedback for a check before the loop
 * and deoptimises, and V8 leaves the function on its OSR code for the rest of the case: whether that happens is a race
 * with the background compiler, so one process ran the 32 KiB STREAM copy at 12 us a call and the next at 64 us
 * (measured: docs/reproducibility.md). Allocating feedback at once removes the race; it costs a little memory.
 * (--no-use-osr removes it too, but would leave a large first call, a cpu GEMM's, in the slow tiers throughout.)
 */
export const WORKER_V8_FLAGS = ['--no-lazy-feedback-allocation'];

/** Seconds a worker may take to load its backend and run the probe kernel. */
export const PROBE_TIMEOUT_SECONDS = 90;

/** Seed of the GEMM operands (the article's date, 2025-07-15). */
export const DEFAULT_GEMM_SEED = 20250715;

/** Folder for result files when --output is not given: results/chipbench-<UTC time>.json. */
export const DEFAULT_RESULTS_DIR = 'results';

export const DEFAULT_TIMINGS = [...TIMING_MODES];

/** The workloads this version can run. */
export const WORKLOADS = ['gemm', 'allreduce', 'reducescatter', 'allgather', 'stream'] as const;
export type Workload = (typeof WORKLOADS)[number];
export const DEFAULT_WORKLOADS = [...WORKLOADS];

/** Simulated devices of a collective: an 8-card server. */
export const DEFAULT_RANKS = 8;

/** All-reduce algorithms run by default: all of them. */
export const DEFAULT_ALGORITHMS = [...ALLREDUCE_ALGORITHMS];

/**
 * Slices per side of every case in an interleaved run (`--against`). With 20 pairs the 99% order-statistic
 * interval of the median paired ratio is [d(4), d(17)], and the sign test reaches p < 0.001 with at most 2 pairs
 * of the other sign: a change is flagged even when two pairs were split by a slower spell of the machine.
 */
export const DEFAULT_SLICES = 20;

/**
 * The autotuner's trial of one GEMM variant, after a verified first call: calls until at least this many
 * milliseconds and AUTOTUNE_TRIAL_CALLS calls have passed; the fastest call counts. Short, because every
 * variant is tried; the chosen one is then measured with the profile's budget.
 */
export const AUTOTUNE_TRIAL_MS = 150;
export const AUTOTUNE_TRIAL_CALLS = 2;

/** Whether the run also times the hand-written kernels on backends that have them (gemm-ceiling/..., stream-ceiling-...; docs/ceilings.md). */
export const DEFAULT_CEILINGS = true;

/** The tuned GEMM cases' variant: 'auto' tunes per backend, device and shape (the choice cached between runs). */
export const DEFAULT_GEMM_VARIANT = 'auto';
