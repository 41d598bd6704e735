/**
 * The suites that `npm run bench` runs. A profile fixes the GEMM shapes and
 * the harness budget; every option of `chipbench run` can override a part of
 * it. These are the only place the figures are declared.
 *
 * Budgets are sized for the slowest backend this project knows (gpu.js `cpu`
 * on a 2-core machine, about 0.2-0.3 GFLOP/s): `standard`, the default, runs
 * all four backends and both timing modes, every case in 3 forks, in under 3
 * minutes there. Each fork pays the case's compile and verification again, so
 * the default suite leaves out 512^3 and sizes past 64 KiB (the `full` profile has them).
 */
import type { GemmShape } from '../metrics/gemm-work.js';

export const PROFILE_NAMES = ['smoke', 'quick', 'standard', 'full'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface HarnessBudget {
  /** tinybench `time`: milliseconds of sampling per case, after warm-up; sampling goes on until this and minSamples are both met */
  timeBudgetMs: number;
  /**
   * tinybench `iterations`: the minimum number of timed samples per case and fork. The headline's interval comes from
   * the forks, so a fork needs only enough samples for a stable median; 6 is the fewest whose order statistics give
   * a fork's own 95% interval (1 - 2 * 2^-6 = 96.9%), shown when there is one fork.
   */
  minSamples: number;
  /** milliseconds of warm-up at least; it then goes on until its samples are steady (src/harness/steady-state.ts) */
  warmupMs: number;
  /** warm-up calls at least */
  warmupIterations: number;
  /** milliseconds of warm-up at most: a case not steady by then is timed anyway and recorded as such */
  maxWarmupMs: number;
  /**
   * slices each case's samples are taken in within a fork, in turn with the worker's other cases
   * (src/harness/turn-slices.ts), so that its figure averages over the machine's moments; absent or 1: in one go
   */
  timeSlices?: number;
}

/** A byte sweep like nccl-tests' -b (min), -e (max) and -f (factor): min, min*f, min*f^2, ... up to max. */
export interface ByteSweep {
  minBytes: number;
  maxBytes: number;
  factor: number;
}

export interface Profile extends HarnessBudget {
  name: ProfileName;
  /** worker processes each case is measured in (each with the whole budget above); the headline figure comes from them */
  forks: number;
  description: string;
  gemmShapes: GemmShape[];
  /** S, bytes of each rank's buffer, for all-reduce, reduce-scatter and all-gather */
  collectiveBytes: ByteSweep;
}

const KiB = 1024;
const MiB = 1024 * KiB;

const cube = (s: number): GemmShape => ({ m: s, n: s, k: s });

export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  smoke: {
    name: 'smoke',
    description: 'seconds: proves every backend runs and verifies; figures are not meaningful',
    gemmShapes: [cube(64), { m: 33, n: 17, k: 9 }],
    collectiveBytes: { minBytes: 4 * KiB, maxBytes: 16 * KiB, factor: 4 },
    forks: 2,
    timeBudgetMs: 50,
    minSamples: 6,
    warmupMs: 10,
    warmupIterations: 1,
    maxWarmupMs: 50,
    timeSlices: 4,
  },
  quick: {
    name: 'quick',
    description: 'about a minute on a 2-core CPU: small shapes, short budgets',
    gemmShapes: [cube(128), cube(256)],
    collectiveBytes: { minBytes: 4 * KiB, maxBytes: 256 * KiB, factor: 8 },
    forks: 3,
    timeBudgetMs: 150,
    minSamples: 6,
    warmupMs: 50,
    warmupIterations: 1,
    maxWarmupMs: 300,
    timeSlices: 8,
  },
  standard: {
    name: 'standard',
    description:
      'under 3 minutes on a 2-core CPU with all four backends: 3 forks of every case; GEMM 256^3 and an odd rectangular shape; collectives and STREAM at 4 KiB and 64 KiB',
    gemmShapes: [cube(256), { m: 333, n: 517, k: 129 }],
    collectiveBytes: { minBytes: 4 * KiB, maxBytes: 64 * KiB, factor: 16 },
    forks: 3,
    timeBudgetMs: 100,
    minSamples: 5,
    warmupMs: 20,
    warmupIterations: 1,
    maxWarmupMs: 200,
    timeSlices: 8,
  },
  full: {
    name: 'full',
    description: 'tens of minutes on a CPU: adds 1024^3; meant for GPUs and scheduled runs',
    gemmShapes: [cube(256), cube(512), cube(1024), { m: 333, n: 517, k: 129 }, { m: 1000, n: 257, k: 2049 }],
    collectiveBytes: { minBytes: 4 * KiB, maxBytes: 64 * MiB, factor: 4 },
    forks: 8,
    timeBudgetMs: 1000,
    minSamples: 10,
    warmupMs: 100,
    warmupIterations: 1,
    maxWarmupMs: 2000,
    timeSlices: 8,
  },
};

export const DEFAULT_PROFILE: ProfileName = 'standard';
