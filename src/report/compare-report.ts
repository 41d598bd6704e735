/**
 * A comparison of two runs for people: the console table, or Markdown that
 * fits a pull-request comment or $GITHUB_STEP_SUMMARY. Cases that need
 * attention come first; differences of environment come before anything,
 * loudly. Every figure names its unit; every change shows its interval and
 * p-value, so a red mark can be checked.
 */
import { MIN_HISTORY_RUNS, VERDICTS, type CaseComparison, type RunComparison, type Verdict } from '../compare/compare-runs.js';
import { renderMarkdownTable } from './markdown-table.js';
import { renderTextTable } from './text-table.js';

/** The order a reader needs them in. */
const ORDER: Verdict[] = ['regressed', 'failed', 'incomparable', 'improved', 'new', 'missing', 'unchanged'];

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;
const figure = (x: number) => x.toPrecision(3);

function pValue(p: number | undefined): string {
  if (p === undefined) return '-';
  return p < 1e-4 ? '<1e-4' : p.toPrecision(2);
}

function row(c: CaseComparison, markdown: boolean): string[] {
  const verdict = c.newlyFailed ? 'FAILED (new)' : c.verdict === 'regressed' ? 'REGRESSED' : c.verdict;
  return [
    markdown && (c.verdict === 'regressed' || c.newlyFailed) ? `**${verdict}**` : verdict,
    c.id,
    c.figure ? `${figure(c.figure.base)} -> ${figure(c.figure.head)} ${c.figure.unit} (${c.figure.name})` : '-',
    c.change === undefined ? '-' : `${pct(c.change)} [${pct(c.changeCi!.low)}, ${pct(c.changeCi!.high)}]`,
    pValue(c.p),
    c.history
      ? `${pct(c.history.change)} from the mean of ${c.history.runs} earlier runs; their band [${pct(c.history.band.low)}, ${pct(c.history.band.high)}]`
      : c.pairs !== undefined
        ? `${c.pairs} slice pairs`
        : (c.reason ?? ''),
  ];
}

const HEADERS = ['verdict', 'case', 'figure, base -> head', 'change [interval]', 'p', 'note'];

function header(comparison: RunComparison): string[] {
  const who = (r: RunComparison['base']) => `${r.label} (${r.startedAt}${r.commit ? `, commit ${r.commit.slice(0, 12)}` : ''}, chipbench ${r.tool})`;
  const o = comparison.options;
  const thresholds = Object.entries(o.workloadThresholds).map(([w, t]) => `${w} ${(100 * t).toFixed(1)}%`);
  const rule = comparison.cases.some((c) => c.basis === 'interleaved')
    ? `Base and head ran interleaved, slice by slice. A case regressed or improved when the whole ${100 * o.level}% interval of its median paired slice ratio lies past the threshold ` +
      `(${(100 * o.threshold).toFixed(1)}%${thresholds.length ? `; ${thresholds.join(', ')}` : ''}) and the sign test on the paired slices gives p < ${o.alpha}. ` +
      'Every figure is bigger-is-better; the change is that of the paired slices, so it can differ a little from the ratio of the two figures.'
    : undefined;
  return [
    `base: ${who(comparison.base)}`,
    `head: ${who(comparison.head)}`,
    rule ??
    `A case regressed or improved when the whole ${100 * o.level}% bootstrap interval of its change lies past the threshold ` +
      `(${(100 * o.threshold).toFixed(1)}%${thresholds.length ? `; ${thresholds.join(', ')}` : ''}) and Mann-Whitney U gives p < ${o.alpha} on the timing samples. ` +
      'Every figure is bigger-is-better.' +
      (comparison.cases.some((c) => c.basis === 'history')
        ? ` A case with ${MIN_HISTORY_RUNS} or more earlier runs (--history) must also lie outside the spread between those runs: beyond the ${100 * (1 - o.historyAlpha)}% prediction band of one more run, and past the threshold from their mean.`
        : ''),
  ];
}

function warnings(comparison: RunComparison): string[] {
  return comparison.environment.map(
    (e) => `WARNING: ${e.what} differs: ${e.base} (base) against ${e.head} (head)${e.blocking ? ': every case is incomparable, no ratio is reported' : ''}`,
  );
}

function summary(comparison: RunComparison): string {
  return VERDICTS.map((v) => `${comparison.counts[v]} ${v}`).join(', ');
}

function ordered(comparison: RunComparison): CaseComparison[] {
  return ORDER.flatMap((v) => comparison.cases.filter((c) => c.verdict === v));
}

export function renderComparison(comparison: RunComparison): string {
  return [
    ...warnings(comparison),
    ...header(comparison),
    '',
    renderTextTable(HEADERS, ordered(comparison).map((c) => row(c, false))),
    '',
    summary(comparison),
  ].join('\n');
}

export function renderComparisonMarkdown(comparison: RunComparison): string {
  const regressed = comparison.counts.regressed + comparison.cases.filter((c) => c.newlyFailed).length;
  return [
    `### chipbench: ${regressed > 0 ? `${regressed} case(s) regressed or newly failed` : 'no regression'}`,
    '',
    ...warnings(comparison).map((w) => `> **${w}**`),
    ...(comparison.environment.length ? [''] : []),
    ...header(comparison).map((l) => `- ${l}`),
    '',
    renderMarkdownTable(HEADERS, ordered(comparison).map((c) => row(c, true))),
    '',
    summary(comparison),
  ].join('\n');
}
