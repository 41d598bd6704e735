/**
 * A report's content, independent of its format: sections of notes, an
 * optional chart and the tables with every number the chart draws. The HTML
 * report (html-report.ts) draws the charts beside their tables; the Markdown
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
}

/** A table of label/value pairs whose headers are all empty: rendered without a header row where the format allows. */
export function hasHeaders(table: ReportTable): boolean {
  return table.headers.some((h) => h !== '');
}

export interface ReportSection {
  /** stable anchor, e.g. 'gemm' */
  id: string;
  title: string;
  /** plain-text paragraphs: what the figures are and how they were computed */
  notes: string[];
  chart?: Chart;
  table: ReportTable;
}

export interface Report {
  title: string;
  /** said before anything else: an incomplete run, differing environments */
  warnings: string[];
  sections: ReportSection[];
}
