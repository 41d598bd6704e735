/**
 * The run summary (run-summary.ts) as the console's first screen: a line on the run, then per backend its device
 * once and one line per answer, wrapped under its label to the terminal's width; the verdict against a base; the
 * failures, a few by name.
 */
import { cutLine, lineWidth, wrapLine } from './fit-width.js';
import type { RunSummary } from './run-summary.js';

const LABEL_WIDTH = 12;
const INDENT = '  ';
/** failures named in the summary; the rest are counted and listed under the tables */
const NAMED_FAILURES = 5;

/** 'label  text', the text wrapped under itself. */
function labelled(label: string, text: string, width: number): string[] {
  const hang = INDENT + ' '.repeat(LABEL_WIDTH);
  const room = Number.isFinite(width) ? Math.max(20, width - hang.length) : Infinity;
  const [first, ...rest] = wrapLine(text, room);
  // a label as long as the column (a suite case's name) takes a line of its own, the text under it
  if (label.length > LABEL_WIDTH - 2) return [cutLine(`${INDENT}${label}`, width), ...[first ?? '', ...rest].map((l) => hang + l)];
  return [`${INDENT}${label.padEnd(LABEL_WIDTH)}${first ?? ''}`, ...rest.map((l) => hang + l)];
}

export function renderConsoleSummary(summary: RunSummary, width: number): string {
  const lines = [
    ...wrapLine(`Summary: ${summary.overview}`, width),
    ...wrapLine(summary.note, width),
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

/** Items joined by ', ' into lines within the width, never breaking an item ('webasm 5.57 GFLOP/s ±40.9%'). */
function packItems(head: string, items: string[], tail: string, width: number): string[] {
  const lines: string[] = [];
  let current = head;
  items.forEach((item, i) => {
    const piece = `${item}${i < items.length - 1 ? ',' : tail}`;
    if (lineWidth(`${current} ${piece}`) > width) {
      lines.push(current);
      current = `${INDENT}${piece}`;
    } else current = `${current} ${piece}`;
  });
  lines.push(current);
  return lines;
}

/** The summary lines of the built-in workloads (report/run-summary.ts), beside which the hand-written kernels and the chips are. */
const BUILTIN_LABELS = new Set(['GEMM f32', 'STREAM f32', 'all-reduce', 'vs chips']);

/**
 * The run in a few lines, printed last, under the details: a terminal shows the end of a run's output, so it
 * ends with the answer too (hyperfine's last lines are its result). The whole summary is at the top.
 */
export function renderClosingLines(summary: RunSummary, width: number): string {
  const gemm = summary.backends.flatMap((b) => {
    const figure = b.lines.find((l) => l.label === 'GEMM f32')?.figure;
    return figure ? [`${b.backend} ${figure}`] : [];
  });
  // a suite case's label is its id's <suite>.<case>; the built-in workloads' have no '.'
  const kernels = summary.backends.some((b) => b.lines.some((l) => l.label.includes('.')));
  const builtins = summary.backends.some((b) => b.lines.some((l) => BUILTIN_LABELS.has(l.label)));
  const lines =
    gemm.length > 0 ? packItems("In short, gpu.js's best f32 GEMM per backend:", gemm, '.', width) : kernels ? ['In short: the suite kernels above, per backend.'] : ['In short: no GEMM figure.'];
  if (summary.failures.length > 0) lines.push(...wrapLine(`${summary.failures.length} case(s) failed or were skipped.`, width));
  if (summary.verdict) lines.push(...wrapLine(`Against the base: ${summary.verdict}.`, width));
  // the hand-written kernels and the chip table are beside the built-in workloads only
  lines.push(...wrapLine(builtins || !kernels ? 'The summary per backend, with the hand-written kernels and the chips, is at the top.' : 'The summary per backend is at the top.', width));
  return lines.join('\n');
}
