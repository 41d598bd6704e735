/**
 * The run beside the chip table, read from each case's `reference` record
 * (src/reference/compare-case.ts), so the console shows exactly what the
 * file holds:
 * - f32 GEMM: every chip's FP32 non-tensor peak, the best rate measured here
 *   as a share of it, and each shape's roofline time on the chip, with the
 *   median time measured here per backend below;
 * - STREAM: memory bandwidth, the best rate here as a share of it, and the
 *   roofline time of the largest copy;
 * - each backend's share of its own device's ceiling, where it is known.
 */
import { formatSeconds, formatSi } from '../metrics/units.js';
import type { ChipTable } from '../reference/chips.js';
import type { CaseResult, ChipComparison, GemmCase, MeasuredCase, StreamCase } from '../results/schema.js';
import { figureCell } from './chip-table.js';
import { describeShare as share } from './describe.js';
import { renderFittedTable, wrapText } from './fit-width.js';
import { formatShape } from '../metrics/gemm-work.js';
import { isCeilingId } from '../results/case-id.js';


/** A case's comparison with one chip, by id: a report may be rendered from a file with another table. */
function against(c: CaseResult | undefined, chipId: string): ChipComparison | undefined {
  return c?.reference?.chips.find((x) => x.chip === chipId);
}

function rangeSeconds(r: ChipComparison['projectedSeconds']): string {
  if (!r) return '?';
  return r.low === r.high ? formatSeconds(r.low) : `${formatSeconds(r.low)} to ${formatSeconds(r.high)}`;
}

/**
 * One case per (backend, key): resident timing where the case has both, since that is what the device can do,
 * and of those the fastest (the tuned variant beside the naive kernel).
 */
function preferResident<T extends MeasuredCase>(cases: T[], key: (c: T) => string): Map<string, T> {
  const chosen = new Map<string, T>();
  const time = (c: T) => c.measurement?.medianSeconds ?? Infinity;
  for (const c of cases) {
    const k = `${c.backend}|${key(c)}`;
    const have = chosen.get(k);
    const better = !have || (have.timing !== 'resident' && c.timing === 'resident') || (have.timing === c.timing && time(c) < time(have));
    if (better) chosen.set(k, c);
  }
  return chosen;
}

/** The best case per backend as a share of its device's own ceiling, grouped under each ceiling's label (stated once). */
function ownPeakLines(cases: CaseResult[]): string[] {
  const best = new Map<string, CaseResult>();
  for (const c of cases) {
    const own = c.reference?.ownPeak;
    if (!own) continue;
    const have = best.get(c.backend)?.reference?.ownPeak;
    if (!have || own.fraction > have.fraction) best.set(c.backend, c);
  }
  const byCeiling = new Map<string, CaseResult[]>();
  for (const c of best.values()) {
    const own = c.reference!.ownPeak!;
    const key = `${formatSi(own.value, own.unit)} (${own.label})`;
    byCeiling.set(key, [...(byCeiling.get(key) ?? []), c]);
  }
  return [...byCeiling.entries()].flatMap(([ceiling, group]) => [
    `Share of the executing device's own ceiling, ${ceiling}, best case per backend:`,
    ...group.map((c) => {
      const own = c.reference!.ownPeak!;
      return `  ${c.backend}: ${formatSi(own.value * own.fraction, own.unit)} = ${share(own.fraction)} (${c.id})`;
    }),
  ]);
}

function gemmSection(cases: GemmCase[], table: ChipTable, width: number): string | undefined {
  const ok = cases.filter((c) => c.outcome === 'ok' && c.reference);
  if (ok.length === 0) return undefined;
  const shapeKey = (c: GemmCase) => formatShape(c.shape);
  const shapes = [...new Set(ok.map(shapeKey))];
  const best = ok.reduce((a, b) => (b.reference!.measured.value > a.reference!.measured.value ? b : a));
  const firstOfShape = new Map(shapes.map((s) => [s, ok.find((c) => shapeKey(c) === s)!]));
  const rows = table.chips.map((chip) => {
    const vsBest = against(best, chip.id);
    return [
      chip.name,
      figureCell(chip.peaks.fp32),
      figureCell(chip.memory.bandwidthTBps),
      vsBest?.fraction ? share(vsBest.fraction.low) : '?',
      ...shapes.map((s) => rangeSeconds(against(firstOfShape.get(s), chip.id)?.projectedSeconds ?? null)),
    ];
  });
  const measured = preferResident(ok, shapeKey);
  for (const backend of [...new Set(ok.map((c) => c.backend))]) {
    rows.push([`measured here: ${backend}`, '-', '-', '-', ...shapes.map((s) => {
      const c = measured.get(`${backend}|${s}`);
      return c?.measurement ? `${formatSeconds(c.measurement.medianSeconds)} (${c.timing})` : '-';
    })]);
  }
  const own = ownPeakLines(ok);
  const title = [
    `# f32 GEMM beside each chip's FP32 non-tensor dense peak (FP32 TFLOP/s; never a tensor-core peak), its memory bandwidth (TB/s). Best here: ${formatSi(best.reference!.measured.value, 'FLOP/s')} f32 (${best.id}).`,
    '# roofline time on the chip = max(2MNK / FP32 peak, 4(MK+KN+MN) B / memory bandwidth): what its spec sheet allows, not a measurement. ' +
      '?: the chip\'s FP32 peak is unknown, and no other precision stands in for it.',
  ];
  const headers = ['chip', 'FP32 TFLOP/s', 'memory TB/s', 'best f32 here / FP32', ...shapes.map((s) => `${s} f32 roofline`)];
  // a narrow terminal loses the memory bandwidth, then the rooflines from the last shape back
  const drop = [2, ...shapes.map((_, i) => 4 + shapes.length - 1 - i)];
  return [wrapText(title.join('\n'), width), renderFittedTable(headers, rows, width, { drop, shrink: [0] }), wrapText(own.join('\n'), width)]
    .filter((part) => part !== '')
    .join('\n');
}

function streamSection(cases: StreamCase[], table: ChipTable, width: number): string | undefined {
  const ok = cases.filter((c) => c.outcome === 'ok' && c.reference);
  if (ok.length === 0) return undefined;
  const best = ok.reduce((a, b) => (b.reference!.measured.value > a.reference!.measured.value ? b : a));
  const largest = ok.filter((c) => c.kernel === 'copy').reduce<StreamCase | undefined>((a, b) => (!a || b.bytes > a.bytes ? b : a), undefined);
  const rows = table.chips.map((chip) => {
    const vsBest = against(best, chip.id);
    return [
      chip.name,
      figureCell(chip.memory.bandwidthTBps),
      vsBest?.fraction ? share(vsBest.fraction.low) : '?',
      largest ? rangeSeconds(against(largest, chip.id)?.projectedSeconds ?? null) : '-',
    ];
  });
  return [
    wrapText(`# STREAM beside each chip's memory bandwidth. Best here: ${formatSi(best.reference!.measured.value, 'B/s')} read plus written (${best.id}).`, width),
    renderFittedTable(['chip', 'memory TB/s', 'best STREAM here / memory', largest ? `copy of ${largest.bytes} B, roofline` : 'copy'], rows, width, { shrink: [0] }),
  ].join('\n');
}

/** The sections for the cases that have a reference record; undefined when none has. width: the terminal's columns (Infinity: --wide). */
export function renderChipComparison(all: CaseResult[], table: ChipTable, width = Infinity): string | undefined {
  // gpu.js's figures: the hand-written ceilings are what the API reaches, set beside them in the ceiling summaries
  const cases = all.filter((c) => !isCeilingId(c.id));
  const sections = [
    gemmSection(cases.filter((c): c is GemmCase => c.workload === 'gemm'), table, width),
    streamSection(cases.filter((c): c is StreamCase => c.workload === 'stream'), table, width),
  ].filter((s): s is string => s !== undefined);
  return sections.length > 0 ? sections.join('\n\n') : undefined;
}
