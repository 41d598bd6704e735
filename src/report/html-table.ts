/**
 * A report table as HTML that fits its window: every cell carries its column's name (data-label), so a narrow
 * screen can show each row as a stacked card (html-style.ts); the long, secondary columns a table names
 * (detailColumns) are folded into one <details> per row, whose summary keeps each folded cell's lead ('3 forks',
 * 'yes') and any clause that raises a flag in capitals ('NOT STEADY in 1/3'), which a reader must not miss. A table
 * with a fold line is folded whole under it; rows it names in foldRows are folded in a table of their own below
 * the rows that stay in view. Every text is escaped.
 */
import { escapeHtml } from './escape.js';
import { hasHeaders, type ReportTable } from './report-model.js';

/**
 * A figure ('1.19 GFLOP/s ±2.0%', '+0.0% [-3.9%, +4.1%]', '524 k') is aligned right and kept on one line; a date or
 * a sentence is not, even one that starts with a figure ('780 MFLOP/s ±2.5% gpu.js naive, 256x256x256 ...'): kept on
 * one line, it would push its table past the window.
 */
const FIGURE_WORDS = 4;
const numeric = (cell: string) => /^[-+]?\d[\d.]*(e[-+]?\d+)?%?( \S+)*$/.test(cell) && cell.split(' ').length <= FIGURE_WORDS;

/** The words in capitals this project's texts raise a flag with (describe.ts, compare-report.ts): never folded out of sight. */
const FLAG = /\b(NOT STEADY|NO|FAILED|ERROR|REGRESSED|WARNING)\b/;

/** A folded cell's words in its row's summary: its first clause when short, and every clause that raises a flag. */
export function leadOf(cell: string): string[] {
  const clauses = cell.split(/[,;:] /);
  const first = clauses[0]!.length <= 24 ? [clauses[0]!] : [];
  const flags = clauses.slice(first.length).filter((c) => FLAG.test(c));
  return [...first, ...flags];
}

function detailCell(headers: string[], cells: string[], fixed: string | undefined): string {
  const label = headers.join(', ');
  const items = cells.map((cell, i) => `<dt>${escapeHtml(headers[i]!)}</dt><dd>${escapeHtml(cell)}</dd>`).join('');
  // the columns' names are in the header row; a narrow screen, which hides that row, shows them in the summary
  const summary =
    fixed !== undefined ? escapeHtml(fixed) : `<span class="narrow-label">${escapeHtml(label)}: </span>${escapeHtml(cells.flatMap(leadOf).join(' · ') || 'more')}`;
  return `<td class="more" data-label="${escapeHtml(label)}"><details><summary>${summary}</summary><dl>${items}</dl></details></td>`;
}

/** A word this long (a case id, an address, a commit) may break anywhere; shorter words wrap whole. */
const LONG_WORD = /\S{25,}/;

function cell(text: string, label: string | undefined): string {
  const classes = [...(numeric(text) ? ['num'] : []), ...(LONG_WORD.test(text) ? ['long-word'] : [])];
  const attrs = `${classes.length > 0 ? ` class="${classes.join(' ')}"` : ''}${label === undefined ? '' : ` data-label="${escapeHtml(label)}"`}`;
  return `<td${attrs}>${escapeHtml(text)}</td>`;
}

function tableOf(table: ReportTable, rows: number[]): string {
  const headed = hasHeaders(table);
  const folded = new Set(table.detailColumns ?? []);
  const shown = table.headers.map((_, i) => i).filter((i) => !folded.has(i));
  const hidden = [...folded].sort((a, b) => a - b);
  const hiddenHeaders = hidden.map((i) => table.headers[i]!);
  const head = !headed
    ? ''
    : `<thead><tr>${[...shown.map((i) => table.headers[i]!), ...(hidden.length > 0 ? [hiddenHeaders.join(', ')] : [])]
        .map((h) => `<th scope="col">${escapeHtml(h)}</th>`)
        .join('')}</tr></thead>`;
  const body = rows
    .map((r) => {
      const row = table.rows[r]!;
      const mark = table.marks?.[r];
      const cells = shown.map((i) => cell(row[i] ?? '', headed ? table.headers[i] : undefined)).join('');
      const more = hidden.length > 0 ? detailCell(hiddenHeaders, hidden.map((i) => row[i] ?? ''), table.detailLabel) : '';
      return `<tr${mark ? ` class="${mark}"` : ''}>${cells}${more}</tr>`;
    })
    .join('\n');
  return `<table class="${headed ? 'data' : 'pairs'}">${head}<tbody>\n${body}\n</tbody></table>`;
}

const folding = (summary: string, html: string) => `<details class="table-fold"><summary>${escapeHtml(summary)}</summary>\n${html}\n</details>`;

export function renderTable(table: ReportTable): string {
  const all = table.rows.map((_, i) => i);
  const away = new Set(table.foldRows?.rows ?? []);
  const inView = all.filter((i) => !away.has(i));
  const html = [
    ...(inView.length > 0 || away.size === 0 ? [tableOf(table, inView)] : []),
    ...(away.size > 0 ? [folding(table.foldRows!.summary, tableOf(table, all.filter((i) => away.has(i))))] : []),
  ].join('\n');
  return table.fold ? folding(table.fold, html) : html;
}
