/**
 * The GEMM gap per backend, as issue 7 asks to show it: the best f32 rate of
 * the run, the naive README kernel's rate at the same shape and timing in the
 * same run, the speed-up between them, and the best rate as a share of the
 * executing device's own peak (its chip-table entry, or the CPU's estimated
 * peak, which the label says is an estimate).
 */
import { formatSi } from '../metrics/units.js';
import type { GemmCase } from '../results/schema.js';
import { kernelOf } from '../results/case-facts.js';
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
}

const rate = (c: GemmCase) => flopsPerSecond(c.metrics!.medianTflops);
const isNaive = (c: GemmCase) => kernelOf(c) === 'naive';

/** The best ok case per backend, with its naive peer from the same run. */
export function gemmGaps(cases: GemmCase[]): GemmGap[] {
  const ok = cases.filter((c) => c.outcome === 'ok' && c.metrics && c.metrics.medianTflops > 0);
  const backends = [...new Set(ok.map((c) => c.backend))];
  return backends.map((backend) => {
    const own = ok.filter((c) => c.backend === backend);
    const best = own.reduce((a, b) => (rate(b) > rate(a) ? b : a));
    const naive = own.find((c) => isNaive(c) && c.timing === best.timing && formatShape(c.shape) === formatShape(best.shape));
    return { backend, best, ...(naive ? { naive, speedup: rate(best) / rate(naive) } : {}) };
  });
}

export function renderGemmSummary(cases: GemmCase[]): string | undefined {
  const gaps = gemmGaps(cases);
  if (gaps.length === 0) return undefined;
  const rows = gaps.map(({ backend, best, naive, speedup }) => {
    const own = best.reference?.ownPeak;
    return [
      backend,
      formatSi(rate(best), 'FLOP/s'),
      `${formatShape(best.shape)} ${best.timing}, ${describeVariant(best)}`,
      naive ? formatSi(rate(naive), 'FLOP/s') : '-',
      speedup === undefined ? '-' : `${speedup.toFixed(2)}x`,
      own ? `${(100 * own.fraction).toPrecision(2)}% of ${formatSi(own.value, own.unit)} (${own.label})` : '-',
    ];
  });
  return [
    '# Best f32 GEMM per backend, beside the naive README kernel at the same shape and timing in this run',
    renderTextTable(['backend', 'best f32 rate', 'case', 'naive kernel', 'speed-up', "share of the device's peak"], rows),
  ].join('\n');
}
