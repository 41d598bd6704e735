/**
 * The run summary (run-summary.ts) as the console's first screen: a line on the run, then per backend its device
 * once and one line per answer, wrapped under its label to the terminal's width; the verdict against a base; the
 * failures, a few by name.
 */
import { cutLine, wrapLine } from './fit-width.js';
import { SUMMARY_NOTE, type RunSummary } from './run-summary.js';

const LABEL_WIDTH = 12;
const INDENT = '  ';
/** failures named in the summary; the rest are counted and listed under the tables */
const NAMED_FAILURES = 5;

/** 'label  text', the text wrapped under itself. */
function labelled(label: string, text: string, width: number): string[] {
  const hang = INDENT + ' '.repeat(LABEL_WIDTH);
  const room = Number.isFinite(width) ? Math.max(20, width - hang.length) : Infinity;
  const [first, ...rest] = wrapLine(text, room);
  return [`${INDENT}${label.padEnd(LABEL_WIDTH)}${first ?? ''}`, ...rest.map((l) => hang + l)];
}

export function renderConsoleSummary(summary: RunSummary, width: number): string {
  const lines = [
    ...wrapLine(`Summary: ${summary.overview}`, width),
    ...wrapLine(SUMMARY_NOTE, width),
    '',
  ];
  for (const b of summary.backends) {
    lines.push(cutLine(`${b.backend} on ${b.device}`, width));
    for (const l of b.lines) lines.push(...labelled(l.label, l.text, width));
  }
  if (summary.unavailable.length > 0) {
    lines.push('', 'Not available here:');
    for (const u of summary.unavailable) lines.push(...wrapLine(`${INDENT}${u}`, width));
  }
  if (summary.verdict) lines.push('', ...wrapLine(`Against the base: ${summary.verdict}`, width));
  if (summary.failures.length > 0) {
    const heading = `Failed or skipped: ${summary.failures.length} case(s)${summary.failures.length > NAMED_FAILURES ? ', the first five' : ''} (all below the tables):`;
    lines.push('', ...wrapLine(heading, width));
    for (const f of summary.failures.slice(0, NAMED_FAILURES)) lines.push(cutLine(`${INDENT}${f}`, width));
  }
  return lines.join('\n');
}
