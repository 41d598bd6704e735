/**
 * A comparison of two runs for people: the console table, or Markdown that
 * fits a pull-request comment or $GITHUB_STEP_SUMMARY. Cases that need
 * attention come first; differences of environment come before anything,
 * loudly. Every figure names its unit; every change shows its interval and
 * p-value, so a red mark can be checked.
 */
import { MIN_HISTORY_RUNS, VERDICTS, type CaseComparison, type RunComparison, type Verdict } from '../compare/compare-runs.js';
import { describeRelative } from './describe.js';
import { renderMarkdownTable } from './markdown-table.js';
import { renderFittedTable, wrapText } from './fit-width.js';

/** The order a reader needs them in. */
const ORDER: Verdict[] = ['regressed', 'failed', 'incomparable', 'inconclusive', 'improved', 'new', 'missing', 'unchanged'];

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;
const figure = (x: number) => x.toPrecision(3);

function pValue(p: number | undefined): string {
  if (p === undefined) return '-';
  return p < 1e-4 ? '<1e-4' : p.toPrecision(2);
}

/** '97.5%', '99.95%': the level of a Holm-adjusted interval, with two significant digits of what it leaves out. */
function levelLabel(level: number): string {
  const rest = 100 * (1 - level);
  const decimals = rest > 0 ? Math.max(0, 1 - Math.floor(Math.log10(rest))) : 0;
  return `${Number((100 - rest).toFixed(decimals))}%`;
}

/** The evidence a verdict rests on, in words. */
function evidence(c: CaseComparison): string {
  const forks = c.forks ? (c.basis === 'interleaved' ? `${c.forks.base} fork pairs` : `${c.forks.base}+${c.forks.head} forks`) : '';
  const spread = c.spread
    ? `fork spread ${c.spread.base === null ? '-' : pct(c.spread.base).slice(1)} / ${c.spread.head === null ? '-' : pct(c.spread.head).slice(1)}` +
      (c.spreadModel ? `, judged with ${pct(c.spreadModel.sdLog).slice(1)} on ${Math.round(c.spreadModel.df)} df (model)` : '') +
      (c.runnerSpread ? `; the runner's spread between runs (noise file): se ${pct(c.runnerSpread.se).slice(1)} on ${Math.round(c.runnerSpread.df)} df` : '')
    : '';
  const history = c.history
    ? `${pct(c.history.change)} from the mean of ${c.history.runs} earlier runs; their band [${describeRelative(c.history.band.low)}, ${describeRelative(c.history.band.high)}]`
    : '';
  return [forks, spread, history, c.unsteady ?? '', c.reason ?? ''].filter((x) => x !== '').join('; ');
}

/** A case's row under COMPARISON_HEADERS; `markdown` sets a regression's verdict in bold. */
export function comparisonRow(c: CaseComparison, markdown: boolean): string[] {
  const verdict = c.newlyFailed ? 'FAILED (new)' : c.verdict === 'regressed' ? 'REGRESSED' : c.verdict;
  return [
    markdown && (c.verdict === 'regressed' || c.newlyFailed) ? `**${verdict}**` : verdict,
    c.id,
    c.figure ? `${figure(c.figure.base)} -> ${figure(c.figure.head)} ${c.figure.unit} (${c.figure.name})` : '-',
    c.change === undefined || !c.changeCi
      ? '-'
      : `${pct(c.change)} [${describeRelative(c.changeCi.low)}, ${describeRelative(c.changeCi.high)}] ${levelLabel(c.changeCi.level)}`,
    c.mdc === undefined ? '-' : `${(100 * c.mdc).toFixed(1)}%`,
    pValue(c.p),
    evidence(c),
  ];
}

export const COMPARISON_HEADERS = ['verdict', 'case', 'figure, base -> head', 'change [interval] level', 'detectable', 'p (Holm)', 'evidence'];

/** Who base and head are, and the rule every verdict follows. */
export function comparisonHeader(comparison: RunComparison): string[] {
  const who = (r: RunComparison['base']) => `${r.label} (${r.startedAt}${r.commit ? `, commit ${r.commit.slice(0, 12)}` : ''}, chipbench ${r.tool})`;
  const o = comparison.options;
  const thresholds = Object.entries(o.workloadThresholds).map(([w, t]) => `${w} ${(100 * t).toFixed(1)}%`);
  const threshold = `${(100 * o.threshold).toFixed(1)}%${thresholds.length ? `; ${thresholds.join(', ')}` : ''}`;
  const units = comparison.interleaved
    ? 'Base and head ran interleaved, fork beside fork; each fork pair (the median ratio of its back-to-back slices) is one observation, judged with the paired t.'
    : 'Each fork (one worker process) is one observation: its median time; the two runs\' forks are judged with the t test on their logarithms.';
  return [
    `base: ${who(comparison.base)}`,
    `head: ${who(comparison.head)}`,
    `${units} A case regressed or improved when the whole interval of its change lies past the threshold (${threshold}); ` +
      'unchanged when it lies within it; inconclusive otherwise. ' +
      "A spread from a few forks is itself uncertain, so each case's is moderated towards the spread of this comparison's cases of its backend, workload and kind (empirical Bayes, Smyth 2004)" +
      (comparison.interleaved
        ? ', on their degrees of freedom'
        : ", on the case's own degrees of freedom: the forks of one run share its moments, so they cannot say how far the next run lies") +
      (comparison.cases.some((c) => c.basis === 'runner') ? "; where the noise file (--noise) knows a case, the runner's spread between runs judges it instead. " : '. ') +
      `The chance that any verdict here is wrong is at most ${comparison.looks > 1 ? `${+(o.alpha * comparison.looks).toPrecision(3)}, split over the run's ${comparison.looks} looks (${+o.alpha.toPrecision(3)} each)` : o.alpha} ` +
      `(Holm over ${comparison.claims} claims, two a case): each interval is drawn at the level its verdict was tested at. ` +
      `"detectable": the slowdown this comparison would have called regressed with ${100 * o.power}% probability at the noise its forks showed. Every figure is bigger-is-better.` +
      (comparison.cases.some((c) => c.basis === 'history')
        ? ` A case with ${MIN_HISTORY_RUNS} or more earlier runs (--history) must also lie outside the spread between those runs, beyond the ${100 * (1 - o.historyAlpha)}% prediction band of one more run, to stay regressed or improved, and inside it to stay unchanged.`
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

/** A terminal loses the evidence first, then the p-value and the figures; the case id is shortened last. */
const COMPARISON_FIT = { drop: [6, 5, 2], shrink: [1] };

/** The console form; width: the terminal's columns (Infinity: --wide, every column in full). */
export function renderComparison(comparison: RunComparison, width = Infinity): string {
  return [
    wrapText([...comparisonWarnings(comparison), ...comparisonHeader(comparison)].join('\n'), width),
    '',
    renderFittedTable(COMPARISON_HEADERS, orderedCases(comparison).map((c) => comparisonRow(c, false)), width, COMPARISON_FIT),
    '',
    wrapText(comparisonSummary(comparison), width),
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
