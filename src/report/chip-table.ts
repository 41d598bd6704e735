/**
 * The chip table as people read it: one row per chip, the precision and the
 * unit in every column header, each value marked with its confidence, and
 * the sources listed below by key. Unknown values print as '?', formats a
 * chip lacks as 'none': they are different facts. Measured figures follow
 * in a table of their own, never in a datasheet column.
 */
import { BYTES_PER_GB, FLOP_PER_TFLOP } from '../metrics/units.js';
import { chipById, figuresOf, PEAK_PRECISIONS, type Chip, type ChipTable, type Figure } from '../reference/chips.js';
import { checkMeasuredFigure, formatMeasured, type PeakCheck } from '../reference/measured-check.js';
import type { MeasuredFigure, MeasurementSet } from '../reference/measurements.js';
import { formatValue } from '../reference/quantity.js';
import { quantityLabel } from '../reference/quantity.js';
import { fitTable, wrapLine } from './fit-width.js';
import { renderMarkdownTable } from './markdown-table.js';
import { renderTextTable } from './text-table.js';

const CONFIDENCE_MARK = { datasheet: 'd', secondary: 's', derived: 'r', unknown: '?' } as const;

/** '67 d', '148 s', '?' (unknown), 'none' (the chip lacks the format); '*' marks values other sources give differently. */
export function figureCell(f: Figure): string {
  if (f.absent) return 'none';
  if (f.value === null) return '?';
  return `${formatValue(f.value)} ${CONFIDENCE_MARK[f.confidence]}${f.alternatives?.length ? '*' : ''}`;
}

const CONVENTION = { 'bidirectional-total': 'both directions', 'per-direction': 'per direction', unstated: 'direction unstated' } as const;

export const CHIP_TABLE_HEADERS = [
  'chip',
  ...PEAK_PRECISIONS.map((p) => `${quantityLabel(p)}, dense`),
  quantityLabel('memory-size'),
  quantityLabel('memory-bandwidth'),
  'interconnect (GB/s as stated)',
  'cores',
  quantityLabel('tdp'),
  'year',
];

function row(chip: Chip): string[] {
  const link = chip.interconnect;
  return [
    chip.name,
    ...PEAK_PRECISIONS.map((p) => figureCell(chip.peaks[p])),
    figureCell(chip.memory.sizeGB) + (chip.memory.kind ? ` ${chip.memory.kind}` : ''),
    figureCell(chip.memory.bandwidthTBps),
    `${figureCell(link.GBps)} ${link.link}, ${CONVENTION[link.convention]}`,
    `${figureCell(chip.cores.count)} ${chip.cores.unit}`,
    figureCell(chip.tdpW),
    figureCell(chip.year),
  ];
}

function legend(table: ChipTable): string[] {
  const notes = table.chips.flatMap((chip) =>
    figuresOf(chip)
      .filter(({ figure: f }) => f.alternatives?.length)
      .map(({ what, figure: f }) => `* ${chip.name} ${what}: ${formatValue(f.value!)} [${f.sources.join(', ')}]; also ${f.alternatives!.map((a) => `${formatValue(a.value)} [${a.sources.join(', ')}]`).join(', ')}`),
  );
  return [
    'Confidence: d datasheet, s secondary source, r derived (e.g. the same silicon as a sibling), ? unknown (never guessed), none: the chip lacks the format.',
    'Peaks are dense (with-sparsity figures halved). FP32 non-tensor is the only peak an f32 measurement is compared with.',
    ...notes,
    `Tables: ${table.files.join(', ')}. Every value's sources are in 'chipbench chips --json'.`,
    'Sources:',
    ...Object.entries(table.sources).map(([key, s]) => `  [${key}] ${s.title}${s.url ? ` ${s.url}` : ''}`),
  ];
}

export function renderChipTable(table: ChipTable, format: 'text' | 'markdown'): string {
  const rows = table.chips.map(row);
  if (format === 'markdown') {
    return [renderMarkdownTable(CHIP_TABLE_HEADERS, rows), '', ...legend(table).map((l) => `- ${l.trim()}`)].join('\n');
  }
  return [renderTextTable(CHIP_TABLE_HEADERS, rows), '', ...legend(table)].join('\n');
}

/** A measured figure's peak cell: its share of its own chip's peak at its precision, or why it is not compared. */
function measuredShareCell(check: PeakCheck, figure: MeasuredFigure): string {
  const peak = check.peak === undefined ? '' : ` ${formatValue(check.peak / (figure.unit === 'GB/s' ? BYTES_PER_GB : FLOP_PER_TFLOP))}`;
  const what = check.peakLabel.replace(/^.*? (FP|TF|INT)/, '$1').replace(/ \((TFLOP\/s|TOPS)\)$/, '');
  if (figure.mislabelled) return `likely ${figure.mislabelled.likely}: above ${what}${peak}`;
  if (check.flag === 'above-peak') return figure.quantity === 'allreduce-busbw' ? `above${peak} GB/s per direction: NVLS` : `above ${what}${peak}: not compared`;
  if (check.fraction === undefined) return 'peak unknown: not compared';
  return `${(100 * check.fraction).toFixed(1)}% of ${figure.quantity === 'allreduce-busbw' ? `${formatValue(check.peak! / BYTES_PER_GB)} GB/s per direction` : `${what}${peak}`}`;
}

export const MEASURED_HEADERS = ['chip', 'measured', 'against its own peak', 'sources', 'device as printed', 'method, statistic', 'software'];

/** The measured table fitted to the width, and what it left out: `chips` has no --wide, so the note points at --json and --markdown. */
function fittedWithNote(rows: string[][], width: number): string[] {
  const fitted = fitTable(MEASURED_HEADERS, rows, width, { drop: [6, 4, 5], shrink: [3, 0, 1] });
  const note = fitted.dropped.length > 0 ? wrapLine(`(left out to fit the terminal: ${fitted.dropped.join('; ')}; --markdown, --json or chipbench claims give them)`, width) : [];
  return [renderTextTable(fitted.headers, fitted.rows), ...note];
}

/**
 * The measured figures (reference-data/measurements.json), apart from the datasheet table and labelled as
 * measured: each with its precision and unit, its share of its own chip's peak at that precision (an f32
 * figure only against FP32 non-tensor), the device string, the method and the source keys, fitted to `width`.
 */
export function renderMeasuredFigures(table: ChipTable, set: MeasurementSet, format: 'text' | 'markdown', width = Infinity): string {
  const rows = set.figures.map((f) => {
    const check = checkMeasuredFigure(table, f);
    return [
      chipById(table, f.chip).name,
      `${formatMeasured(f.value)} ${f.unit} ${f.mislabelled ? `'${f.precision}'` : f.precision} ${f.quantity === 'matmul' ? 'matmul' : `busbw, ${f.devices} ranks`}`,
      measuredShareCell(check, f),
      `${f.sources[0]}${f.sources.length > 1 ? ` +${f.sources.length - 1}` : ''}${f.supersededBy ? '; replaced' : ''}`,
      f.device,
      `${f.method.tool}, ${f.method.statistic}`,
      f.software ?? 'not given',
    ];
  });
  const intro =
    'Measured figures (reference-data/measurements.json): what chips reached in public runs, kept apart from the datasheet figures above. ' +
    'Each is set against its own chip\'s peak at the precision it ran at; an f32 figure only against FP32 non-tensor. A precision in quotes is the source\'s label, known to be wrong; ' +
    '\'replaced\': its contributor re-ran it. Methods, versions and devices: --markdown, --json or \'chipbench claims\'.';
  const sourceLines = Object.entries(set.sources).map(([key, s]) => `  [${key}] ${s.title}${s.url ? ` ${s.url}` : ''} (${[s.published ? `published ${s.published}` : '', `accessed ${s.accessed}`].filter(Boolean).join(', ')})`);
  if (format === 'markdown') {
    return [intro, '', renderMarkdownTable(MEASURED_HEADERS, rows), '', ...sourceLines.map((l) => `- ${l.trim()}`)].join('\n');
  }
  return [
    ...wrapLine(intro, width),
    ...fittedWithNote(rows, width),
    'Measured sources:',
    ...sourceLines.flatMap((l) => wrapLine(l, width)),
  ].join('\n');
}
