/**
 * The GEMM gap per backend: gpu.js's best f32 rate of the run, the naive README kernel's rate at the same shape and
 * timing, the speed-up between them, the hand-written ceiling on the same API and device (where the backend has
 * one) with gpu.js's best as a share of it, and each as a share of the executing device's own peak (its chip-table
 * entry, or the CPU's estimated peak, which the label says is an estimate).
 */
import { formatSi } from '../metrics/units.js';
import type { GemmCase } from '../results/schema.js';
import { kernelOf } from '../results/case-facts.js';
import { isCeilingGemmId } from '../results/case-id.js';
import { describeVariant } from './describe.js';
import { renderTextTable } from './text-table.js';
import { formatShape } from '../metrics/gemm-work.js';
import { flopsPerSecond } from '../metrics/units.js';

export interface GemmGap {
  backend: string;
  best: GemmCase;
  /** the naive kernel's case at the best case's shape and timing, when it ran ok */
  naive?: GemmCase;
  /** best / naive rate */
  speedup?: number;
  /** the hand-written ceiling's case at the best case's shape and timing (else its fastest), when one ran ok */
  ceiling?: GemmCase;
  /** best / ceiling rate, when the ceiling ran at the best case's shape and timing: the share of what the API reaches there */
  ofCeiling?: number;
}

const rate = (c: GemmCase) => flopsPerSecond(c.metrics!.medianTflops);
const isNaive = (c: GemmCase) => kernelOf(c) === 'naive';

const fastest = (cases: GemmCase[]) => cases.reduce((a, b) => (rate(b) > rate(a) ? b : a));
const samePoint = (a: GemmCase, b: GemmCase) => a.timing === b.timing && formatShape(a.shape) === formatShape(b.shape);

/** gpu.js's best ok case per backend, with its naive peer and its backend's ceiling from the same run. */
export function gemmGaps(cases: GemmCase[]): GemmGap[] {
  const ok = cases.filter((c) => c.outcome === 'ok' && c.metrics && c.metrics.medianTflops > 0);
  const gpujs = ok.filter((c) => !isCeilingGemmId(c.id));
  const backends = [...new Set(gpujs.map((c) => c.backend))];
  return backends.map((backend) => {
    const best = fastest(gpujs.filter((c) => c.backend === backend));
    const naive = gpujs.find((c) => c.backend === backend && isNaive(c) && samePoint(c, best));
    const ceilings = ok.filter((c) => c.backend === backend && isCeilingGemmId(c.id));
    const ceiling = ceilings.find((c) => samePoint(c, best)) ?? (ceilings.length > 0 ? fastest(ceilings) : undefined);
    return {
      backend,
      best,
      ...(naive ? { naive, speedup: rate(best) / rate(naive) } : {}),
      ...(ceiling ? { ceiling } : {}),
      ...(ceiling && samePoint(ceiling, best) ? { ofCeiling: rate(best) / rate(ceiling) } : {}),
    };
  });
}

/** A case's rate as a share of its device's own peak, with the peak and its label; '-' without one. */
function shareOfPeak(c: GemmCase): string {
  const own = c.reference?.ownPeak;
  return own ? `${(100 * own.fraction).toPrecision(2)}% of ${formatSi(own.value, own.unit)} (${own.label})` : '-';
}

export function renderGemmSummary(cases: GemmCase[]): string | undefined {
  const gaps = gemmGaps(cases);
  if (gaps.length === 0) return undefined;
  const rows = gaps.map(({ backend, best, naive, speedup, ceiling, ofCeiling }) => [
    backend,
    formatSi(rate(best), 'FLOP/s'),
    `${formatShape(best.shape)} ${best.timing}, ${describeVariant(best)}`,
    naive ? formatSi(rate(naive), 'FLOP/s') : '-',
    speedup === undefined ? '-' : `${speedup.toFixed(2)}x`,
    shareOfPeak(best),
    ceiling ? `${formatSi(rate(ceiling), 'FLOP/s')} (${formatShape(ceiling.shape)} ${ceiling.timing})` : '-',
    ofCeiling === undefined ? '-' : `${(100 * ofCeiling).toPrecision(2)}%`,
    ceiling ? shareOfPeak(ceiling) : '-',
  ]);
  return [
    "# Best f32 GEMM per backend (gpu.js), beside the naive README kernel and the hand-written kernel on the same API and device, in this run",
    renderTextTable(
      ['backend', 'best f32 rate', 'case', 'naive kernel', 'speed-up', "share of the device's peak", 'hand-written', 'gpu.js / hand-written', "hand-written's share of the peak"],
      rows,
    ),
  ].join('\n');
}
