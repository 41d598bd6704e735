/**
 * chipbench's own suite files (bench/builtin/) are written against the same API as a user's, with one addition: a
 * case may be bound to a built-in workload, so that it is planned, identified and recorded in the form the reports,
 * the chip table and older result files know (stream-copy/<backend>/f32/64KiB, workload 'stream'), with the
 * hand-written ceiling beside it. The binding is honoured only in the files chipbench ships (runner/builtin-suites.ts):
 * a user's file cannot take a built-in id.
 */
import type { KernelCase, SuiteSize } from './define.js';
import { COLLECTIVES, STREAM_KERNELS, type Collective, type StreamKernel } from '../metrics/bandwidth.js';
import { ALLREDUCE_ALGORITHMS } from '../workloads/allreduce/schedule.js';
import { GEMM_VARIANT_IDS, type GemmVariantId } from '../workloads/gemm/variants.js';

const TUNED_VARIANT_IDS = GEMM_VARIANT_IDS.filter((id): id is TunedVariantId => id !== 'naive');

/** A STREAM kernel: its sizes are bytes of one array; its work's bytes are read plus written (STREAM's counting). */
export interface StreamBinding {
  workload: 'stream';
  kernel: StreamKernel;
}

/**
 * A collective: its sizes are { ranks, bytes } (S, one rank's buffer); its inputs every rank's buffer, rank after
 * rank; its check the final state of every rank; its kernel the reduction a reduce transfer runs over a piece.
 */
export interface CollectiveBinding {
  workload: 'collective';
  collective: Collective;
  /** all-reduce: ring, halving-doubling or direct; reduce-scatter and all-gather: ring */
  algorithm: string;
}

/**
 * GEMM: its sizes are the run's shapes { m, n, k }; its kernel the naive README kernel; its inputs A (dims [K, M])
 * and B ([N, K]); its check the float64 result within f32's bound. `variants` are the tuned kernels' sources, by the
 * engine's variant ids (the layout each needs is the engine's: workloads/gemm/variants.ts).
 */
export interface GemmBinding {
  workload: 'gemm';
  variants: Readonly<Record<TunedVariantId, (...args: never[]) => unknown>>;
}

/** The variants beside the naive kernel (the case's own). */
export type TunedVariantId = Exclude<GemmVariantId, 'naive'>;

/** What a listing carries of a binding: data only (a listing crosses processes); the worker reads the sources from the file. */
export type BuiltinBinding = StreamBinding | CollectiveBinding | { workload: 'gemm' };



/** A case bound to a built-in workload. */
export function builtinCase<S extends SuiteSize>(binding: StreamBinding | CollectiveBinding | GemmBinding, definition: KernelCase<S>): KernelCase<never> {
  return { ...definition, builtin: binding } as unknown as KernelCase<never>;
}

/** The tuned variants' sources of a loaded GEMM case (the worker's side of a GEMM binding). */
export function gemmVariantSources(kase: unknown): GemmBinding['variants'] {
  const binding = (kase as { builtin?: Partial<GemmBinding> } | null)?.builtin;
  if (binding?.workload !== 'gemm' || !binding.variants) throw new Error('the case is not bound to GEMM');
  return binding.variants;
}

/** The case's binding, or why it is not one chipbench knows (a problem of the case), or undefined for none. */
export function bindingOf(kase: unknown): BuiltinBinding | string | undefined {
  const binding = (kase as { builtin?: { workload?: string; kernel?: StreamKernel; collective?: Collective; algorithm?: string; variants?: Record<string, unknown> } } | null)?.builtin;
  if (binding === undefined) return undefined;
  if (binding.workload === 'gemm') {
    const missing = TUNED_VARIANT_IDS.filter((id) => typeof binding.variants?.[id] !== 'function');
    return missing.length === 0 ? { workload: 'gemm' } : `the GEMM binding gives no source for variant(s) ${missing.join(', ')}`;
  }
  if (binding.workload === 'stream' && (STREAM_KERNELS as readonly unknown[]).includes(binding.kernel)) return { workload: 'stream', kernel: binding.kernel! };
  if (binding.workload === 'collective' && (COLLECTIVES as readonly string[]).includes(binding.collective!) && (ALLREDUCE_ALGORITHMS as readonly string[]).includes(binding.algorithm!)) {
    if (binding.collective === 'allreduce' || binding.algorithm === 'ring') return { workload: 'collective', collective: binding.collective!, algorithm: binding.algorithm! };
  }
  return `builtin binding ${JSON.stringify(binding)} is not a workload chipbench knows`;
}
