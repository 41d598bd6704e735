/**
 * A report's content, independent of its format: sections of notes, an
 * optional figure (one chart, or small multiples: a chart per backend on
 * shared axes) and the tables with every number the charts draw. The HTML
 * report (html-report.ts) draws the charts above their tables; the Markdown
 * report (markdown-report.ts) gives the same sections without the charts.
 * Building the content once is what keeps the two formats saying the same.
 *
 * All strings here are plain text, still unescaped: each renderer escapes
 * for its own format.
 */
import type { Chart } from './svg-chart.js';

/** How a table row is marked: a regression or failure, an improvement. */
export type RowMark = 'bad' | 'good';

export interface ReportTable {
  headers: string[];
  rows: string[][];
  /** per row, parallel to rows */
  marks?: (RowMark | undefined)[];
  /**
   * Columns of long, secondary text (evidence, verification, sources): the HTML report folds them into one
   * disclosure per row, so the table fits a window; Markdown keeps them as columns.
   */
  detailColumns?: number[];
  /** what each row's fold says, where the folded cells' opening words would not (html-table.ts) */
  detailLabel?: string;
  /** a long table a chart or a note already sums up: the HTML report folds it under this line; Markdown shows it */
  fold?: string;
  /** rows the HTML report folds under a line of their own, the others staying in view (a comparison's unremarkable cases) */
  foldRows?: { rows: number[]; summary: string };
}

/** A table of label/value pairs whose headers are all empty: rendered without a header row where the format allows. */
export function hasHeaders(table: ReportTable): boolean {
  return table.headers.some((h) => h !== '');
}

/** One chart, or small multiples: several charts on shared axes, each with a few series. */
export interface ReportFigure {
  /** what the charts show together, e.g. 'f32 GEMM throughput, one chart per backend' */
  title: string;
  charts: Chart[];
}

export interface ReportSection {
  /** stable anchor, e.g. 'gemm' */
  id: string;
  title: string;
  /** plain-text paragraphs: what the figures are and how they were computed */
  notes: string[];
  figure?: ReportFigure;
  table: ReportTable;
}

export interface Report {
  title: string;
  /** said before anything else: an incomplete run, differing environments */
  warnings: string[];
  sections: ReportSection[];
}
