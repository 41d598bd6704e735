/**
 * The report as one self-contained HTML file: inline CSS and inline SVG
 * charts, no script and nothing to fetch, so it opens offline, from a CI
 * artifact or an e-mail. Its Content-Security-Policy forbids scripts and
 * every network request outright, so even a device name that escaped
 * escaping could not run; every text from a result or chip file is escaped
 * all the same.
 *
 * The first section (the summary) sits right under the title, in the first
 * screenful: the contents are one folded line and the warnings short lines.
 * A section's long notes (how figures are computed) are folded under their
 * opening words; its charts come before its table, which holds every number
 * they draw. Layout and folding: html-style.ts, html-table.ts.
 */
import { escapeHtml } from './escape.js';
import type { Report, ReportFigure, ReportSection } from './report-model.js';
import { renderChart } from './svg-chart.js';
import { STYLE } from './html-style.js';
import { renderTable } from './html-table.js';

/** No script, no connection, no remote font or image: styles inline only. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** A note longer than this is folded under its opening words. */
const LONG_NOTE = 320;

/** A long note's opening words: up to its first stop within 100 characters, or its first 90 cut at a word. */
export function openingOf(note: string): string {
  const stop = /[.;:](\s|$)/.exec(note);
  if (stop && stop.index < 100) return `${note.slice(0, stop.index)}…`;
  const cut = note.slice(0, 90);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 40))}…`;
}

function renderNote(note: string): string {
  if (note.length <= LONG_NOTE) return `<p class="note">${escapeHtml(note)}</p>`;
  return `<details class="note"><summary>${escapeHtml(openingOf(note))}</summary>${escapeHtml(note)}</details>`;
}

function renderFigure(figure: ReportFigure): string {
  const svgs = figure.charts.map(renderChart).join('\n');
  const several = figure.charts.length > 1;
  const caption = `${figure.title}. Every number drawn is in the table below; hover a mark for its exact value.`;
  return several
    ? `<figure class="charts"><div class="chart-grid">\n${svgs}\n</div><figcaption>${escapeHtml(caption)}</figcaption></figure>`
    : `<figure class="charts single">${svgs}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

function renderSection(section: ReportSection): string {
  return [
    `<section id="${escapeHtml(section.id)}">`,
    `<h2>${escapeHtml(section.title)}</h2>`,
    ...section.notes.map(renderNote),
    ...(section.figure ? [renderFigure(section.figure)] : []),
    renderTable(section.table),
    '</section>',
  ].join('\n');
}

export function renderHtmlReport(report: Report): string {
  const links = report.sections.map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>`).join('\n');
  const warnings = report.warnings.map((w) => `<p class="warning">${escapeHtml(w)}</p>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(report.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(report.title)}</h1>
<details class="contents"><summary>Contents: ${report.sections.length} sections</summary><nav>${links}</nav></details>
</header>
${warnings ? `<div class="warnings">\n${warnings}\n</div>\n` : ''}${report.sections.map(renderSection).join('\n')}
<footer>Made by chipbench. Self-contained: no script, and nothing is fetched when it is viewed.</footer>
</body>
</html>
`;
}
