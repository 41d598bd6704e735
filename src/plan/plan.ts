/**
 * What a run will do, in units the worker understands (jobs) and the units
 * the result file records (cases). A GEMM job is one shape in several
 * timing modes (it compiles and verifies once); a collective job is one
 * collective, algorithm, rank count and size. Every planned case can be
 * turned into a record without running it (skipped, or failed by a crash).
 */
import type { MeasureFn } from '../harness/measure.js';
import type { GemmShape } from '../metrics/gemm-work.js';
import type { CaseResult, CollectiveCase, GemmCase, KernelCase, StreamCase, TimingMode } from '../results/schema.js';
import type { SuiteListing } from '../suite/listing.js';
import { allGatherSchedule, allreduceSchedule, reduceScatterSchedule, type AllreduceAlgorithm, type Schedule } from '../workloads/allreduce/schedule.js';
import { collectiveCaseId, gemmCaseId, hasCeiling, kernelCaseId, streamCaseId } from '../results/case-id.js';
import { kernelJobs, type KernelJob } from './kernel-jobs.js';
import { builtinJobs, type CollectiveJob, type GemmJob, type StreamJob } from './builtin-jobs.js';

export type { KernelJob } from './kernel-jobs.js';
export type { CollectiveJob, GemmJob, StreamJob } from './builtin-jobs.js';
import type { GemmVariantId } from '../workloads/gemm/variants.js';

export type Job = GemmJob | CollectiveJob | StreamJob | KernelJob;

export interface PlannedCase {
  id: string;
  job: Job;
  timing: TimingMode;
  /** a GEMM case of the tuned variant, not the naive kernel */
  tuned?: boolean;
  /** a case of the hand-written ceiling (GEMM or STREAM), not gpu.js */
  ceiling?: boolean;
}

/** What a run asks for, as the options give it: the plan is built from this once per run. */
export interface PlanSpec {
  workloads: readonly string[];
  timings: readonly TimingMode[];
  shapes: readonly GemmShape[];
  /** the tuned GEMM cases' variant; 'naive' or absent plans no tuned case */
  variant?: GemmVariantId | 'auto';
  /** the hand-written ceiling beside gpu.js (on backends that have one); absent or false plans none */
  ceilings?: boolean;
  seed: number;
  ranks: number;
  algorithms: readonly string[];
  /** S of the collectives and the STREAM arrays, bytes */
  collectiveBytes: readonly number[];
  /** chipbench's own suite files (bench/builtin/), as the list worker read them: the built-in workloads' kernels and sizes */
  builtins?: readonly SuiteListing[];
  /** the suite files' cases, as the list worker read them (runner/list-suites.ts), run after the built-in workloads */
  suites?: readonly SuiteListing[];
  /** --filter: only the cases whose id one of these regular expressions matches */
  filters?: readonly RegExp[];
  /** the backends the run may use: with filters, a job none of whose cases a filter keeps on them is not planned */
  backends?: readonly string[];
}

/**
 * The jobs of one backend: every GEMM shape with every timing, then STREAM, then every collective, algorithm and
 * size. The same for every backend; a backend's case ids name it.
 */
export function planJobs(spec: PlanSpec): Job[] {
  return [...builtinJobs(spec), ...kernelJobs(spec.suites ?? [], spec.seed)];
}

/**
 * A run's plan, built once from its options and handed to everything that needs the cases: the preflight checks,
 * the result file's order, progress, the forks and the workers (over IPC as jobs, jobsOf). A backend's cases are
 * expanded from the jobs once, on first use.
 */
export class RunPlan {
  readonly jobs: readonly Job[];
  private readonly byBackend = new Map<string, readonly PlannedCase[]>();

  private readonly filters: readonly RegExp[];

  constructor(spec: PlanSpec) {
    this.filters = spec.filters ?? [];
    const jobs = planJobs(spec);
    // a job filtered out everywhere must not refuse the run in the preflight (its sizes, its memory)
    const kept = (job: Job) => spec.backends!.some((b) => casesOf(b, job).some((c) => this.filters.some((f) => f.test(c.id))));
    this.jobs = this.filters.length > 0 && spec.backends ? jobs.filter(kept) : jobs;
  }

  /** The backend's cases in the order its worker runs them (with --filter, those an expression matches). */
  cases(backend: string): readonly PlannedCase[] {
    let cases = this.byBackend.get(backend);
    if (!cases) {
      cases = this.jobs.flatMap((job) => casesOf(backend, job)).filter((c) => this.filters.length === 0 || this.filters.some((f) => f.test(c.id)));
      this.byBackend.set(backend, cases);
    }
    return cases;
  }

  /** The case ids of these backends, backend by backend: the order of the result file. */
  ids(backends: readonly string[]): string[] {
    return backends.flatMap((backend) => this.cases(backend).map((c) => c.id));
  }

  /** Cases these backends run in all (a backend with a hand-written ceiling runs its cases too). */
  caseCount(backends: readonly string[]): number {
    return backends.reduce((n, backend) => n + this.cases(backend).length, 0);
  }

  /** The GEMM shapes of the plan, for the limits checks. */
  get gemmShapes(): GemmShape[] {
    return this.jobs.flatMap((job) => (job.kind === 'gemm' ? [job.shape] : []));
  }

  /** Every buffer size of the collectives and STREAM arrays, once each, for the limits checks. */
  get bufferBytes(): number[] {
    return [...new Set(this.jobs.flatMap((job) => (job.kind === 'collective' || job.kind === 'stream' ? [job.bytes] : [])))];
  }
}

/** The cases of a job, in the order the worker runs them. */
export function casesOf(backend: string, job: Job): PlannedCase[] {
  if (job.kind === 'gemm') {
    return [
      ...job.timings.map((timing) => ({ id: gemmCaseId(backend, job.shape, timing), job, timing })),
      ...(job.tunedTimings ?? []).map((timing) => ({ id: gemmCaseId(backend, job.shape, timing, 'tuned'), job, timing, tuned: true })),
      ...(hasCeiling(backend, 'gemm') ? (job.ceilingTimings ?? []) : []).map((timing) => ({ id: gemmCaseId(backend, job.shape, timing, 'ceiling'), job, timing, ceiling: true })),
    ];
  }
  if (job.kind === 'stream') {
    if (job.ceiling && !hasCeiling(backend, 'stream')) return [];
    return [{ id: streamCaseId(job.kernel, backend, job.bytes, job.ceiling), job, timing: 'resident', ...(job.ceiling ? { ceiling: true } : {}) }];
  }
  if (job.kind === 'kernel') return [{ id: kernelCaseId(job.suite, job.name, backend, job.size.label, job.timing), job, timing: job.timing }];
  return [{ id: collectiveCaseId(job.collective, job.algorithm, backend, job.ranks, job.bytes), job, timing: 'resident' }];
}

/**
 * The wire form of some planned cases: the jobs a worker request carries (protocol.ts), keeping order; GEMM timings
 * of one shape stay together, so the worker compiles and verifies the shape once. The worker expands them back with
 * casesOf into exactly these cases.
 */
export function jobsOf(cases: PlannedCase[]): Job[] {
  const jobs: Job[] = [];
  for (const c of cases) {
    const last = jobs[jobs.length - 1];
    if (c.job.kind === 'gemm' && last?.kind === 'gemm' && last.shape === c.job.shape && last.seed === c.job.seed) {
      if (c.ceiling) (last.ceilingTimings ??= []).push(c.timing);
      else if (c.tuned) (last.tunedTimings ??= []).push(c.timing);
      else last.timings.push(c.timing);
    } else if (c.job.kind === 'gemm') {
      const only = (kind: boolean) => (kind ? [c.timing] : []);
      const { ceilingTimings: _planned, ...job } = c.job;
      jobs.push({ ...job, timings: only(!c.tuned && !c.ceiling), tunedTimings: only(c.tuned === true), ...(c.ceiling ? { ceilingTimings: [c.timing] } : {}) });
    } else {
      jobs.push(c.job);
    }
  }
  return jobs;
}

/** The schedule a collective job runs. */
export function scheduleOf(job: CollectiveJob): Schedule {
  const elements = job.bytes / 4;
  if (job.collective === 'reducescatter') return reduceScatterSchedule(job.ranks, elements);
  if (job.collective === 'allgather') return allGatherSchedule(job.ranks, elements);
  return allreduceSchedule(job.algorithm as AllreduceAlgorithm, job.ranks, elements);
}

/** The record of a planned case before (or instead of) running it: outcome 'error' until a result replaces it. */
export function caseSkeleton(backend: string, planned: PlannedCase): CaseResult {
  const common = {
    id: planned.id,
    backend,
    precision: 'f32' as const,
    timing: planned.timing,
    outcome: 'error' as const,
    startedAt: new Date().toISOString(),
    wallSeconds: 0,
  };
  const job = planned.job;
  if (job.kind === 'gemm') return { ...common, workload: 'gemm', shape: job.shape, seed: job.seed } satisfies GemmCase;
  if (job.kind === 'stream') {
    return { ...common, workload: 'stream', kernel: job.kernel, bytes: job.bytes, elements: job.bytes / 4 } satisfies StreamCase;
  }
  if (job.kind === 'kernel') {
    const { label, size, work, headline } = job.size;
    return {
      ...common,
      workload: 'kernel',
      suite: { name: job.suite, file: job.file, sha256: job.sha256, case: job.name },
      size: { label, dims: typeof size === 'number' ? { n: size } : { ...size } },
      seed: job.seed,
      work,
      headline,
    } satisfies KernelCase;
  }
  return {
    ...common,
    workload: job.collective,
    algorithm: job.algorithm,
    ranks: job.ranks,
    bytes: job.bytes,
    elements: job.bytes / 4,
    chunking: 'uneven',
    steps: scheduleOf(job).steps.length,
  } satisfies CollectiveCase;
}

/** A case that did not run (skipped) or was failed from outside the worker (crash, watchdog). */
export function unrunCase(backend: string, planned: PlannedCase, outcome: 'error' | 'skipped', reason: string): CaseResult {
  return { ...caseSkeleton(backend, planned), outcome, reason };
}

/** How a job reports its cases to the worker (and the worker to the runner). */
export interface JobHooks {
  /** awaited before the case's work begins, so the watchdog knows which case is running even if it never yields */
  onCaseStart(id: string): Promise<void> | void;
  /** awaited, so a result is handed over (e.g. written to the IPC channel) before kernels are disposed */
  onCaseResult(result: CaseResult): Promise<void> | void;
  /** samples a verified case: the harness's `measure`, the time slices of cases sampled in turn, or the slices of an interleaved run */
  measure: MeasureFn;
  /** frees a case's kernels: at once, or, when the worker's cases are sampled in turn, after the last of them */
  dispose(release: () => void): void;
}
