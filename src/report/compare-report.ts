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

/** A case's row under COMPARISON_HEADERS; `markdown` sets a regression's verdict in bold. */
export function comparisonRow(c: CaseComparison, markdown: boolean): string[] {
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

export const COMPARISON_HEADERS = ['verdict', 'case', 'figure, base -> head', 'change [interval]', 'p', 'note'];

/** Who base and head are, and the rule every verdict follows. */
export function comparisonHeader(comparison: RunComparison): string[] {
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

/** Each difference of environment, loudly. */
export function comparisonWarnings(comparison: RunComparison): string[] {
  return comparison.environment.map(
    (e) => `WARNING: ${e.what} differs: ${e.base} (base) against ${e.head} (head)${e.blocking ? ': every case is incomparable, no ratio is reported' : ''}`,
  );
}

/** '1 regressed, 0 improved, ...' */
export function comparisonSummary(comparison: RunComparison): string {
  return VERDICTS.map((v) => `${comparison.counts[v]} ${v}`).join(', ');
}

/** Cases in the order a reader needs them: regressions first. */
export function orderedCases(comparison: RunComparison): CaseComparison[] {
  return ORDER.flatMap((v) => comparison.cases.filter((c) => c.verdict === v));
}

export function renderComparison(comparison: RunComparison): string {
  return [
    ...comparisonWarnings(comparison),
    ...comparisonHeader(comparison),
    '',
    renderTextTable(COMPARISON_HEADERS, orderedCases(comparison).map((c) => comparisonRow(c, false))),
    '',
    comparisonSummary(comparison),
  ].join('\n');
}

export function renderComparisonMarkdown(comparison: RunComparison): string {
  const regressed = comparison.counts.regressed + comparison.cases.filter((c) => c.newlyFailed).length;
  return [
    `### chipbench: ${regressed > 0 ? `${regressed} case(s) regressed or newly failed` : 'no regression'}`,
    '',
    ...comparisonWarnings(comparison).map((w) => `> **${w}**`),
    ...(comparison.environment.length ? [''] : []),
    ...comparisonHeader(comparison).map((l) => `- ${l}`),
    '',
    renderMarkdownTable(COMPARISON_HEADERS, orderedCases(comparison).map((c) => comparisonRow(c, true))),
    '',
    comparisonSummary(comparison),
  ].join('\n');
}
