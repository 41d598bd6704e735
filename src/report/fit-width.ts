/**
 * Console text that fits a terminal: prose wrapped at word boundaries, and tables that leave out their least
 * needed columns, then shorten their longest cells, until every line is within the width. hyperfine fits 80
 * columns; a line wider than the terminal wraps into the next and breaks every column below it. Width Infinity
 * (--wide) leaves everything as it is.
 *
 * Widths are counted in UTF-8 bytes, not characters: '±', 'µ' and '…' take one column but two or three bytes, and
 * byte-counting tools (mawk's length, many log viewers) must see the same bound a terminal does, so a line is
 * never over the width by either count.
 */
import { renderTextTable } from './text-table.js';

/** The width a line is held to: its UTF-8 bytes, which are never fewer than its columns. */
export const lineWidth = (line: string) => Buffer.byteLength(line, 'utf8');

/** The longest head of a word that fits in `room` bytes (at least one character, so wrapping always advances). */
function headThatFits(word: string, room: number): string {
  let end = word.length;
  while (end > 1 && lineWidth(word.slice(0, end)) > room) end--;
  return word.slice(0, end);
}

/** A line broken after spaces into lines within the width, continuation lines indented like the first (plus 2 for a list item). */
export function wrapLine(line: string, width: number): string[] {
  if (!Number.isFinite(width) || lineWidth(line) <= width) return [line];
  const indent = /^\s*/.exec(line)![0];
  const hang = indent + (/^\s*(- |\* )/.test(line) ? '  ' : '');
  const words = line.slice(indent.length).split(' ');
  const out: string[] = [];
  let current = indent;
  let empty = true;
  while (words.length > 0) {
    const word = words.shift()!;
    const candidate = empty ? current + word : `${current} ${word}`;
    if (lineWidth(candidate) <= width) {
      current = candidate;
      empty = false;
    } else if (empty) {
      // a word longer than the line: cut it, and carry the rest on
      const head = headThatFits(word, width - lineWidth(current));
      out.push(current + head);
      words.unshift(word.slice(head.length));
      current = hang;
    } else {
      out.push(current);
      current = hang;
      empty = true;
      words.unshift(word);
    }
  }
  if (!empty) out.push(current);
  return out;
}

/** Every line of a text wrapped to the width. */
export function wrapText(text: string, width: number): string {
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, width))
    .join('\n');
}

const ELLIPSIS = '…';

/** A single line cut to the width with an ellipsis: for a line whose end matters least (a progress line, an id list). */
export function cutLine(line: string, width: number): string {
  if (!Number.isFinite(width) || lineWidth(line) <= width) return line;
  return headThatFits(line, Math.max(1, width - lineWidth(ELLIPSIS))) + ELLIPSIS;
}

export interface TableFit {
  /** column indexes to leave out first, in that order, while the table is too wide */
  drop?: number[];
  /** column indexes whose cells may be shortened with '…' (longest first) once dropping is done */
  shrink?: number[];
}

export interface FittedTable {
  headers: string[];
  rows: string[][];
  /** headers of the columns left out */
  dropped: string[];
}

/** Cells are shortened to no fewer characters than this, or their header's. */
const MIN_SHRUNK = 8;

/** The widest line of the table as renderTextTable draws it. */
export function tableWidth(headers: string[], rows: string[][]): number {
  return Math.max(...renderTextTable(headers, rows).split('\n').map(lineWidth));
}

const without = (cells: string[], gone: Set<number>) => cells.filter((_, i) => !gone.has(i));

/** The widest cell (in characters) of a column. */
const columnChars = (headers: string[], rows: string[][], c: number) => Math.max(headers[c]!.length, ...rows.map((r) => (r[c] ?? '').length));

/** Leaves out columns, then shortens cells, until the table fits the width (or nothing more may go). */
export function fitTable(headers: string[], rows: string[][], width: number, fit: TableFit = {}): FittedTable {
  if (!Number.isFinite(width) || tableWidth(headers, rows) <= width) return { headers, rows, dropped: [] };
  const gone = new Set<number>();
  for (const column of fit.drop ?? []) {
    if (tableWidth(without(headers, gone), rows.map((r) => without(r, gone))) <= width) break;
    gone.add(column);
  }
  const kept = without(headers, gone);
  let keptRows = rows.map((r) => without(r, gone));
  // a kept column's index moves left by the dropped columns before it
  const shrinkable = (fit.shrink ?? []).filter((c) => !gone.has(c)).map((c) => c - [...gone].filter((g) => g < c).length);
  let over = tableWidth(kept, keptRows) - width;
  while (over > 0) {
    const candidates = shrinkable
      .map((c) => ({ c, chars: columnChars(kept, keptRows, c), floor: Math.max(MIN_SHRUNK, kept[c]!.length) }))
      .filter((x) => x.chars > x.floor)
      .sort((a, b) => b.chars - a.chars);
    const widest = candidates[0];
    if (!widest) break;
    const target = Math.max(widest.floor, widest.chars - over);
    keptRows = keptRows.map((r) => r.map((cell, i) => (i === widest.c && cell.length > target ? `${cell.slice(0, target - 1)}${ELLIPSIS}` : cell)));
    over = tableWidth(kept, keptRows) - width;
  }
  return { headers: kept, rows: keptRows, dropped: headers.filter((_, i) => gone.has(i)) };
}

/** The line said under a table that left columns out, wrapped to the width. */
export function droppedNote(dropped: string[], width: number): string[] {
  if (dropped.length === 0) return [];
  return wrapLine(`(left out to fit the terminal: ${dropped.join(', ')}; --wide or chipbench report shows them)`, width);
}

/** The table fitted to the width, with a line naming the columns it left out. */
export function renderFittedTable(headers: string[], rows: string[][], width: number, fit: TableFit = {}): string {
  const fitted = fitTable(headers, rows, width, fit);
  return [renderTextTable(fitted.headers, fitted.rows), ...droppedNote(fitted.dropped, width)].join('\n');
}
