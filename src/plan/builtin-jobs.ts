/**
 * The jobs of the built-in workloads, as chipbench's own suite files (bench/builtin/) define them: each file's cases
 * bound to GEMM, STREAM or a collective (suite/builtin.ts), at the sizes the files' listings give for the run. Kept
 * apart from plan.ts, which expands jobs into cases; the ids stay those of every earlier run (results/case-id.ts).
 */
import type { GemmShape } from '../metrics/gemm-work.js';
import type { StreamKernel } from '../metrics/bandwidth.js';
import type { CollectiveCase, TimingMode } from '../results/schema.js';
import { COLLECTIVE_WORKLOADS } from '../results/schema.js';
import type { KernelCaseListing, SuiteListing } from '../suite/listing.js';
import type { SuiteSize } from '../suite/define.js';
import type { BuiltinBinding, StreamBinding } from '../suite/builtin.js';
import type { GemmVariantId } from '../workloads/gemm/variants.js';

export interface GemmJob {
  kind: 'gemm';
  shape: GemmShape;
  seed: number;
  /** the case of bench/builtin/gemm.bench.ts that defines the kernels, the operands and their check */
  source: BuiltinSource;
  /** one call's floating-point operations as the suite file states them (2 M N K) */
  flops: number;
  /** timing modes of the naive README kernel, the reference peer measured in every run */
  timings: TimingMode[];
  /** timing modes of the tuned case (gemm-tuned/...): the variant `variant` names, or the autotuner's pick */
  tunedTimings?: TimingMode[];
  /** the tuned cases' variant: 'auto' tunes (or uses the cached choice) */
  variant?: GemmVariantId | 'auto';
  /** timing modes of the hand-written ceiling (gemm-ceiling/...), on backends that have one (hasCeiling in results/case-id.ts) */
  ceilingTimings?: TimingMode[];
  /** the ceiling's form, pinned after the first fork chose it among several (WGSL tilings) */
  ceilingVariant?: string;
}

export interface CollectiveJob {
  kind: 'collective';
  collective: CollectiveCase['workload'];
  /** ring, halving-doubling or direct (reduce-scatter and all-gather: ring) */
  algorithm: string;
  ranks: number;
  /** S, bytes of one rank's buffer; a multiple of 4 (f32) */
  bytes: number;
  /** the case of bench/builtin/collectives.bench.ts that defines the reduction, the rank buffers and the check */
  source: BuiltinSource;
}

/** A built-in suite file's case, as the worker loads it: its file (absolute), the sha-256 it was listed with, its name. */
export interface BuiltinSource {
  path: string;
  sha256: string;
  name: string;
}

export interface StreamJob {
  kind: 'stream';
  kernel: StreamKernel;
  /** bytes of one array; a multiple of 4 (f32) */
  bytes: number;
  /** the case of bench/builtin/stream.bench.ts that defines the kernel, its inputs and its reference */
  source: BuiltinSource;
  /** one array's bytes read plus written by one call, as the suite file states them (STREAM's counting) */
  movedBytes: number;
  /** the hand-written kernel (stream-ceiling-...), on backends that have one, instead of gpu.js's */
  ceiling?: true;
}

/** What of a run's options the built-in jobs follow (plan.ts's PlanSpec has them all). */
interface BuiltinSpec {
  workloads: readonly string[];
  timings: readonly TimingMode[];
  variant?: GemmVariantId | 'auto';
  ceilings?: boolean;
  seed: number;
  algorithms: readonly string[];
  builtins?: readonly SuiteListing[];
}

/** GEMM, then STREAM, then every collective asked for: the built-in jobs in the order a backend's worker runs them. */
export function builtinJobs(spec: BuiltinSpec): (GemmJob | StreamJob | CollectiveJob)[] {
  return [
    ...(spec.workloads.includes('gemm') ? gemmJobs(spec) : []),
    // STREAM at the collectives' sizes (its sizes follow the run's byte sweep), so every busbw has its backend's copy
    // bandwidth at the same S; each with the hand-written kernel beside it, what the API moves here
    ...(spec.workloads.includes('stream') ? streamJobs(spec) : []),
    ...collectiveJobs(spec),
  ];
}

/** The cases of chipbench's own suite files that a binding matches, with their files; a broken one is chipbench's bug. */
function boundCases(spec: BuiltinSpec, matches: (b: BuiltinBinding) => boolean): { source: Omit<BuiltinSource, 'name'>; kase: KernelCaseListing }[] {
  return (spec.builtins ?? []).flatMap((suite) =>
    suite.cases.flatMap((kase) => {
      if (kase.problem) throw new Error(`chipbench's own ${suite.file} is broken: ${kase.problem}`);
      return kase.builtin && matches(kase.builtin) ? [{ source: { path: suite.path, sha256: suite.sha256 }, kase }] : [];
    }),
  );
}

/** The one case of the built-in suite files bound to a workload; a run asking for it must have listed its file. */
function boundCase(spec: BuiltinSpec, what: string, matches: (b: BuiltinBinding) => boolean): { source: BuiltinSource; kase: KernelCaseListing } {
  const [found] = boundCases(spec, matches);
  if (!found) throw new Error(`the built-in suite files define no ${what} (bench/builtin/ was not listed, or lost the case)`);
  return { source: { ...found.source, name: found.kase.name }, kase: found.kase };
}

/**
 * GEMM as the built-in suite file defines it, at its sizes (the run's shapes): the naive kernel in every timing asked
 * for, the tuned case beside it, and the hand-written ceiling.
 */
function gemmJobs(spec: BuiltinSpec): GemmJob[] {
  const { source, kase } = boundCase(spec, 'GEMM', (b) => b.workload === 'gemm');
  const variant = spec.variant ?? 'naive';
  // The tuned case shows what the device computes at best: resident timing, the one without transfers, when it
  // is asked for (end-to-end adds the same upload and readback to every variant); else the timings asked for.
  const bestTimings = spec.timings.includes('resident') ? ['resident' as const] : [...spec.timings];
  const tunedTimings = variant === 'naive' ? [] : bestTimings;
  // the ceiling beside the tuned case, in its timing: what the API reaches here, to set gpu.js's best against
  const ceilingTimings = spec.ceilings ? bestTimings : [];
  return kase.sizes.map((size) => ({
    kind: 'gemm' as const,
    shape: shapeOf(size.size),
    seed: spec.seed,
    source,
    flops: size.work.flops!,
    timings: [...spec.timings],
    tunedTimings: [...tunedTimings],
    variant,
    ...(ceilingTimings.length > 0 ? { ceilingTimings: [...ceilingTimings] } : {}),
  }));
}

function shapeOf(size: SuiteSize): GemmShape {
  const { m, n, k } = size as Readonly<Record<'m' | 'n' | 'k', number>>;
  return { m, n, k };
}

/** STREAM as the built-in suite file's cases bound to it define it, each size with the hand-written kernel beside it. */
function streamJobs(spec: BuiltinSpec): StreamJob[] {
  const bound = boundCases(spec, (b) => b.workload === 'stream');
  if (bound.length === 0) throw new Error('the built-in STREAM suite (bench/builtin/stream.bench.ts) was not listed');
  return bound.flatMap(({ source, kase }) =>
    kase.sizes.flatMap((size) => {
      const job: StreamJob = { kind: 'stream', kernel: (kase.builtin as StreamBinding).kernel, bytes: size.size as number, source: { ...source, name: kase.name }, movedBytes: size.work.bytes! };
      return spec.ceilings ? [job, { ...job, ceiling: true as const }] : [job];
    }),
  );
}

/** Every collective asked for, in a fixed order: all-reduce by the algorithms asked for, then reduce-scatter, all-gather. */
function collectiveJobs(spec: BuiltinSpec): CollectiveJob[] {
  const jobs: CollectiveJob[] = [];
  for (const collective of COLLECTIVE_WORKLOADS) {
    if (!spec.workloads.includes(collective)) continue;
    const algorithms = collective === 'allreduce' ? spec.algorithms : ['ring'];
    for (const algorithm of algorithms) {
      const { source, kase } = boundCase(spec, `${collective} ${algorithm}`, (b) => b.workload === 'collective' && b.collective === collective && b.algorithm === algorithm);
      for (const size of kase.sizes) {
        const { ranks, bytes } = size.size as { ranks: number; bytes: number };
        jobs.push({ kind: 'collective', collective, algorithm, ranks, bytes, source });
      }
    }
  }
  return jobs;
}
