/**
 * The report as one self-contained HTML file: inline CSS and inline SVG
 * charts, no script and nothing to fetch, so it opens offline, from a CI
 * artifact or an e-mail. Its Content-Security-Policy forbids scripts and
 * every network request outright, so even a device name that escaped
 * escaping could not run; every text from a result or chip file is escaped
 * all the same.
 */
import { escapeHtml } from './escape.js';
import { hasHeaders, type Report, type ReportSection, type ReportTable } from './report-model.js';
import { renderChart } from './svg-chart.js';

/** No script, no connection, no remote font or image: styles inline only. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #111; background: #fff; line-height: 1.4; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
nav a { margin-right: 0.8rem; }
.warning { background: #fff3cd; border-left: 4px solid #b58100; padding: 0.4rem 0.8rem; font-weight: bold; }
.note { max-width: 70rem; color: #333; font-size: 0.92rem; }
.figure-row { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
figure { margin: 0; flex: 0 0 auto; max-width: 100%; } svg.chart { max-width: 100%; height: auto; }
.table-wrap { overflow-x: auto; max-width: 100%; flex: 1 1 30rem; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.45rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
tr.bad td { background: #fde0dc; } tr.good td { background: #dff3e3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
footer { margin-top: 3rem; font-size: 0.8rem; color: #555; }
`;

/** A figure ('1.19 GFLOP/s ±2.0%', '+0.0% [-3.9%, +4.1%]', '524 k') is aligned right; a date or a sentence is not. */
const numeric = (cell: string) => /^[-+]?\d[\d.]*(e[-+]?\d+)?%?( \S+)*$/.test(cell);

function renderTable(table: ReportTable): string {
  const head = !hasHeaders(table) ? '' : `<thead><tr>${table.headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = table.rows
    .map((row, i) => {
      const mark = table.marks?.[i];
      const cells = row.map((cell) => `<td${numeric(cell) ? ' class="num"' : ''}>${escapeHtml(cell)}</td>`).join('');
      return `<tr${mark ? ` class="${mark}"` : ''}>${cells}</tr>`;
    })
    .join('\n');
  return `<table>${head}<tbody>\n${body}\n</tbody></table>`;
}

function renderSection(section: ReportSection): string {
  const notes = section.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n');
  const table = `<div class="table-wrap">${renderTable(section.table)}</div>`;
  const body = section.chart
    ? `<div class="figure-row"><figure>${renderChart(section.chart)}<figcaption class="note">The numbers drawn are in the table beside the chart; hover a mark for its exact value.</figcaption></figure>${table}</div>`
    : table;
  return `<section id="${escapeHtml(section.id)}">\n<h2>${escapeHtml(section.title)}</h2>\n${notes}\n${body}\n</section>`;
}

export function renderHtmlReport(report: Report): string {
  const nav = report.sections.map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>`).join('\n');
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
<nav>${nav}</nav>
</header>
${warnings}
${report.sections.map(renderSection).join('\n')}
<footer>Made by chipbench. Self-contained: no script, and nothing is fetched when it is viewed.</footer>
</body>
</html>
`;
}
