/**
 * The chip table as people read it: one row per chip, the precision and the
 * unit in every column header, each value marked with its confidence, and
 * the sources listed below by key. Unknown values print as '?', formats a
 * chip lacks as 'none': they are different facts.
 */
import { figuresOf, PEAK_PRECISIONS, type Chip, type ChipTable, type Figure } from '../reference/chips.js';
import { formatValue } from '../reference/quantity.js';
import { quantityLabel } from '../reference/quantity.js';
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
