/**
 * The GEMM gain per backend: gpu.js's best f32 rate of the run, the naive README kernel's rate at the same shape and
 * timing, the speed-up between them, and the best as a share of the executing device's own peak (its chip-table
 * entry, or the CPU's estimated peak, which the label says is an estimate). The hand-written kernels beside gpu.js:
 * ceiling-section.ts.
 */
import { formatSi } from '../metrics/units.js';
import type { GemmCase } from '../results/schema.js';
import { gapRate as rate, gemmGaps } from '../results/ceiling-gaps.js';
import { describeVariant } from './describe.js';
import { shareOfPeak } from './ceiling-section.js';
import { renderFittedTable, wrapLine } from './fit-width.js';
import { formatShape } from '../metrics/gemm-work.js';

/** width: the terminal's columns (Infinity: --wide). */
export function renderGemmSummary(cases: GemmCase[], width = Infinity): string | undefined {
  const gaps = gemmGaps(cases);
  if (gaps.length === 0) return undefined;
  const rows = gaps.map(({ backend, best, naive, speedup }) => [
    backend,
    formatSi(rate(best), 'FLOP/s'),
    `${formatShape(best.shape)} ${best.timing}, ${describeVariant(best)}`,
    naive ? formatSi(rate(naive), 'FLOP/s') : '-',
    speedup === undefined ? '-' : `${speedup.toFixed(2)}x`,
    shareOfPeak(best),
  ]);
  return [
    ...wrapLine('# Best f32 GEMM per backend (gpu.js), beside the naive README kernel, in this run (the hand-written kernels: the next table)', width),
    renderFittedTable(['backend', 'best f32 rate', 'case', 'naive kernel', 'speed-up', "share of the device's peak"], rows, width, { drop: [5, 4], shrink: [2] }),
  ].join('\n');
}
