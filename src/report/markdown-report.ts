/**
 * The report as Markdown, for terminals and CI summaries
 * ($GITHUB_STEP_SUMMARY): the same sections, notes and tables as the HTML
 * report, without the charts (each chart's numbers are its table) and with
 * every column and table the HTML report folds shown in full. Text
 * from result and chip files is escaped, so a device name cannot inject
 * HTML or break a table.
 */
import { escapeMarkdown } from './escape.js';
import { renderMarkdownTable } from './markdown-table.js';
import { hasHeaders, type Report, type ReportFigure, type ReportSection } from './report-model.js';

/** Where the charts are: the table below holds every number they draw. */
function figureLine(figure: ReportFigure): string {
  const n = figure.charts.length;
  const what = n === 1 ? 'Chart' : `${n} charts`;
  return `_${what} in the HTML report (\`chipbench report\`): ${escapeMarkdown(figure.title)}; ${n === 1 ? 'its' : 'their'} numbers are below._`;
}

function renderSection(section: ReportSection): string {
  const { table } = section;
  const rows = table.rows.map((row, i) => {
    const cells = row.map(escapeMarkdown);
    // a marked row is said in words too: colour does not survive every viewer
    if (table.marks?.[i] === 'bad') cells[0] = `**${cells[0]}** ✗`;
    return cells;
  });
  // a Markdown table needs a header row: an empty one for a table of label/value pairs
  const headers = hasHeaders(table) ? table.headers.map(escapeMarkdown) : table.headers;
  return [
    `## ${escapeMarkdown(section.title)}`,
    '',
    ...section.notes.flatMap((n) => [escapeMarkdown(n), '']),
    ...(section.figure ? [figureLine(section.figure), ''] : []),
    renderMarkdownTable(headers, rows),
  ].join('\n');
}

export function renderMarkdownReport(report: Report): string {
  return [
    `# ${escapeMarkdown(report.title)}`,
    '',
    ...report.warnings.flatMap((w) => [`> **${escapeMarkdown(w)}**`, '']),
    report.sections.map(renderSection).join('\n\n'),
    '',
  ].join('\n');
}
