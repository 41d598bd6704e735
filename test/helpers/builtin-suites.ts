/**
 * chipbench's own suite files (bench/builtin/) for tests that plan or run built-in cases without the CLI: listed in
 * this process (they are chipbench's code, not a user's), STREAM jobs as a run plans them, and the collectives'
 * rank buffers, check and reduction for tests of the schedules and their executors.
 */
import type { StreamKernel } from '../../src/metrics/bandwidth.js';
import { RunPlan, type CollectiveJob, type GemmJob, type PlanSpec, type StreamJob } from '../../src/plan/plan.js';
import { builtinSuiteFiles } from '../../src/runner/builtin-suites.js';
import type { KernelSpec, SuiteRun } from '../../src/suite/define.js';
import type { Schedule } from '../../src/workloads/allreduce/schedule.js';
import collectives, { countWrong, rankBuffers } from '../../bench/builtin/collectives.bench.js';
import { fileSha256 } from '../../src/suite/file-hash.js';
import { listSuite, type SuiteListing } from '../../src/suite/listing.js';
import { importSuiteFile } from '../../src/suite/load-suite.js';

/** The built-in suite files of these workloads, listed for this run's sweep. */
export async function builtinListings(workloads: readonly string[], run: Partial<SuiteRun> = {}): Promise<SuiteListing[]> {
  const sweep: SuiteRun = { profile: 'quick', bytes: [4096], ranks: 8, shapes: [], ...run };
  return Promise.all(builtinSuiteFiles(workloads).map(async (f) => listSuite(f.file, f.path, fileSha256(f.path), await importSuiteFile(f.path), { run: sweep, builtin: true })));
}

/** A STREAM job of bench/builtin/stream.bench.ts, as the plan makes it. */
export function streamJob(kernel: StreamKernel, bytes: number, ceiling = false): StreamJob {
  const { path } = builtinSuiteFiles(['stream'])[0]!;
  return {
    kind: 'stream',
    kernel,
    bytes,
    source: { path, sha256: fileSha256(path), name: kernel },
    movedBytes: (kernel === 'copy' ? 2 : 3) * bytes,
    ...(ceiling ? { ceiling: true as const } : {}),
  };
}

/** The built-in collectives' rank buffers for a schedule (bench/builtin/collectives.bench.ts). */
export function scheduleBuffers(schedule: Schedule): Float32Array[] {
  return rankBuffers(schedule.collective, schedule.ranks, schedule.elements);
}

/** The built-in collectives' #wrong of a schedule's final rank buffers. */
export function scheduleWrong(schedule: Schedule, buffers: readonly ArrayLike<number>[]): number {
  return countWrong(schedule.collective, schedule.ranks, schedule.elements, buffers);
}

/** The built-in collectives' reduction, as their suite file gives it to the engine. */
export const REDUCE_SPEC: KernelSpec = collectives.cases[0]!.kernel({ ranks: 2, bytes: 4 } as never);

/** A collective job of bench/builtin/collectives.bench.ts, as the plan makes it. */
export function collectiveJob(collective: CollectiveJob['collective'], algorithm: string, ranks: number, bytes: number): CollectiveJob {
  const { path } = builtinSuiteFiles([collective])[0]!;
  return { kind: 'collective', collective, algorithm, ranks, bytes, source: { path, sha256: fileSha256(path), name: `${collective}-${algorithm}` } };
}

/** A GEMM job of bench/builtin/gemm.bench.ts, as the plan makes it: the file's case and 2 M N K. */
export function gemmJob(job: Omit<GemmJob, 'kind' | 'source' | 'flops'>): GemmJob {
  const { path } = builtinSuiteFiles(['gemm'])[0]!;
  const { m, n, k } = job.shape;
  return { kind: 'gemm', ...job, source: { path, sha256: fileSha256(path), name: 'gemm' }, flops: 2 * m * n * k };
}

/** A run's plan with the built-in suite files listed for its own sweep, as `chipbench run` lists them. */
export async function builtinPlan(spec: PlanSpec): Promise<RunPlan> {
  const builtins = await builtinListings(spec.workloads, { bytes: [...spec.collectiveBytes], ranks: spec.ranks, shapes: [...spec.shapes] });
  return new RunPlan({ ...spec, builtins });
}
