/**
 * What a saved case says, read the same way by compare, history, exports and reports: its headline figure,
 * where it really ran and which GEMM kernel it ran. Everything here reads a result file's case alone.
 */
import { gflopsPerSecond as gflops } from '../metrics/units.js';
import type { CaseResult, GemmCase, KernelCase, Measurement } from './schema.js';

/** A case's headline figure with its 95% interval (over the forks; with one fork, of its median); bigger is better. */
export interface CaseHeadline {
  /** what the figure is, short: 'f32 rate', 'copy bandwidth', 'busbw' */
  name: string;
  /** a stable slug of the measure, for exports that key on it (Bencher): 'f32-gflops' */
  measure: string;
  /** the unit alone: 'GFLOP/s', 'GB/s' */
  unit: string;
  /** the unit with what it counts: 'GFLOP/s (f32)', 'GB/s (busbw, nccl-tests)' */
  unitLabel: string;
  value: number;
  low: number;
  high: number;
  /**
   * false when [low, high] is one process's interval (one fork, and no noise model to lend it the spread between
   * processes): it says nothing of the next process, so it is printed as 'spread unknown, 1 fork', never as +-%
   */
  spreadKnown: boolean;
}

/** Whether a measurement's interval covers the spread between processes (see CaseHeadline.spreadKnown). */
export function spreadKnown(m: Measurement | undefined): boolean {
  return m !== undefined && m.intervalFrom !== 'samples';
}

/**
 * The headline of an ok case: GEMM's f32 rate in GFLOP/s, STREAM's bytes read plus written in GB/s, a collective's
 * busbw in GB/s (nccl-tests). Undefined for a failed case or one without metrics.
 */
export function caseHeadline(c: CaseResult): CaseHeadline | undefined {
  if (c.outcome !== 'ok' || !c.metrics) return undefined;
  const known = spreadKnown(c.measurement);
  if (c.workload === 'gemm') {
    const { medianTflops, tflopsCi } = c.metrics;
    return { spreadKnown: known, name: 'f32 rate', measure: 'f32-gflops', unit: 'GFLOP/s', unitLabel: 'GFLOP/s (f32)', value: gflops(medianTflops), low: gflops(tflopsCi.low), high: gflops(tflopsCi.high) };
  }
  if (c.workload === 'stream') {
    const { GBps, GBpsCi } = c.metrics;
    return { spreadKnown: known, name: `${c.kernel} bandwidth`, measure: `stream-${c.kernel}-gbps`, unit: 'GB/s', unitLabel: `GB/s (STREAM ${c.kernel}, read + written)`, value: GBps, low: GBpsCi.low, high: GBpsCi.high };
  }
  if (c.workload === 'imported') {
    const { name, unit, value, ci } = c.metrics;
    const label = `${unit} (${c.precision === 'unknown' ? '' : `${c.precision} `}${name}, ${c.source.tool} ${c.operation})`;
    const slug = `${c.kind === 'collective' ? name : `${c.precision}-${c.kind}`}-${unit === 'GB/s' ? 'gbps' : 'tflops'}`;
    return { spreadKnown: known, name, measure: slug, unit, unitLabel: label, value, low: ci.low, high: ci.high };
  }
  if (c.workload === 'kernel') return kernelHeadline(c, known);
  const { busbwGBps, busbwCi } = c.metrics;
  return { spreadKnown: known, name: 'busbw', measure: 'busbw-gbps', unit: 'GB/s', unitLabel: 'GB/s (busbw, nccl-tests)', value: busbwGBps, low: busbwCi.low, high: busbwCi.high };
}

/** A suite kernel's headline: its f32 rate from the stated flops, or its bytes read plus written per second. */
function kernelHeadline(c: KernelCase, known: boolean): CaseHeadline | undefined {
  const m = c.metrics!;
  if (c.headline === 'flops' && m.medianTflops !== undefined && m.tflopsCi) {
    return { spreadKnown: known, name: 'f32 rate', measure: 'f32-gflops', unit: 'GFLOP/s', unitLabel: 'GFLOP/s (f32, flops as the suite states them)', value: gflops(m.medianTflops), low: gflops(m.tflopsCi.low), high: gflops(m.tflopsCi.high) };
  }
  if (c.headline === 'bytes' && m.GBps !== undefined && m.GBpsCi) {
    return { spreadKnown: known, name: 'bandwidth', measure: 'gbps', unit: 'GB/s', unitLabel: 'GB/s (f32, read + written as the suite states them)', value: m.GBps, low: m.GBpsCi.low, high: m.GBpsCi.high };
  }
  return undefined;
}

/** The backend and device that really ran the case, 'webgpu on llvmpipe ...'; undefined when the case never ran. */
export function executedOn(c: CaseResult): string | undefined {
  return c.executed ? `${c.executed.backend} on ${c.executed.device.name}` : undefined;
}

/** The variant a GEMM case ran, by id; files from before variants ran the naive kernel. */
export function kernelOf(c: GemmCase): string {
  return c.variant?.id ?? 'naive';
}
