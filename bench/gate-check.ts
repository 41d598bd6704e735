/**
 * Does the regression gate meet its goals on this machine? Given the result
 * files of back-to-back runs of the SAME build (oldest first), measures:
 * - reproducibility: per case, the spread of its figure across the runs (sd
 *   of ln figure) and its highest over its lowest figure;
 * - A/A: every run compared with the next, with the defaults: every
 *   regressed or improved verdict is a false alarm;
 * - sensitivity: the same pairs with head 15% slower (every sample of every
 *   fork times 1.15, the figures recomputed from them): no case may be
 *   "unchanged", and the share of cases called regressed among those whose
 *   minimum detectable change is at most 10%; and the shares of cases with a
 *   minimum detectable change of at most 10% and of at most 5%.
 * - what more forks would buy: from each case's between-fork spread (pooled
 *   over the runs), the minimum detectable change two runs of N forks a side
 *   would have, at Holm's strictest level over this suite's claims.
 * Given the two files of each of several interleaved runs (`chipbench run
 * --against` this very build; X.json and X.base.json), it measures A/A and
 * sensitivity on each pair.
 *
 * Usage: npm run gate-check -- results/aa-*.json   (at least 2 files)
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { compareRuns, DEFAULT_COMPARE_OPTIONS, type RunComparison } from '../src/compare/compare-runs.js';
import { caseHeadline } from '../src/results/case-facts.js';
import { headlineOf, restateHeadlines } from '../src/harness/forks.js';
import { sampleVariance } from '../src/stats/statistics.js';
import { withMeasurement } from '../src/results/case-figures.js';
import { readRunResult } from '../src/results/read-result.js';
import type { CaseResult, ForkMeasurement, RunResult } from '../src/results/schema.js';

/** The run as if every call took `factor` times as long: every fork's samples scaled, the headline and figures recomputed. */
export function slowedDown(run: RunResult, factor: number): RunResult {
  const fork = (f: ForkMeasurement): ForkMeasurement => ({
    ...f,
    samplesSeconds: f.samplesSeconds.map((s) => s * factor),
    medianSeconds: f.medianSeconds * factor,
    meanSeconds: f.meanSeconds * factor,
    minSeconds: f.minSeconds * factor,
    maxSeconds: f.maxSeconds * factor,
    p99Seconds: f.p99Seconds * factor,
    sdSeconds: f.sdSeconds * factor,
    medianCi: { ...f.medianCi, lowSeconds: f.medianCi.lowSeconds * factor, highSeconds: f.medianCi.highSeconds * factor },
    ...(f.slices ? { slices: f.slices.map((slice) => ({ ...slice, medianSeconds: slice.medianSeconds * factor })) } : {}),
  });
  const scale = (c: CaseResult): CaseResult => (c.outcome !== 'ok' || !c.measurement ? c : withMeasurement(c, headlineOf(c.measurement.forks.map(fork))));
  return { ...run, startedAt: `${run.startedAt}+slowed`, cases: run.cases.map(scale) };
}

const verdicts = (c: RunComparison, verdict: string) => c.cases.filter((x) => x.verdict === verdict).length;
const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);

/** The q-quantile of the values (nearest rank below), as a percentage; 'n/a' for none. */
function percentile(values: number[], q: number): string {
  if (values.length === 0) return 'n/a';
  const sorted = [...values].sort((a, b) => a - b);
  return `${(100 * sorted[Math.floor(q * (sorted.length - 1))]!).toFixed(1)}%`;
}

/** Per case, the spread of its figure across the runs. */
function reproducibility(runs: RunResult[]): string[] {
  const byId = new Map<string, number[]>();
  for (const run of runs) for (const c of run.cases) {
    const f = caseHeadline(c);
    if (f && f.value > 0) byId.set(c.id, [...(byId.get(c.id) ?? []), f.value]);
  }
  const rows = [...byId].filter(([, v]) => v.length === runs.length).map(([id, v]) => {
    return { id, sd: Math.sqrt(sampleVariance(v.map(Math.log))), ratio: Math.max(...v) / Math.min(...v) };
  });
  const worst = [...rows].sort((a, b) => b.ratio - a.ratio).slice(0, 8);
  const forks = runs.flatMap((r) => r.cases.flatMap((c) => c.measurement?.forks ?? []));
  const spreads = runs.flatMap((r) => r.cases.flatMap((c) => (c.measurement?.betweenForkSdLog ?? null) === null ? [] : [c.measurement!.betweenForkSdLog!])).sort((a, b) => a - b);
  const count = (status: string) => forks.filter((f) => f.steadyState.status === status).length;
  // as printed: the run's noise model redraws every interval (restateHeadlines), whatever build wrote the file
  const restated = runs.flatMap((r) => restateHeadlines(r.cases).flatMap((c) => (caseHeadline(c)?.spreadKnown ? [caseHeadline(c)!] : [])));
  const halfWidths = restated.filter((h) => h.value > 0).map((h) => Math.max(h.value - h.low, h.high - h.value) / h.value);
  const modelled = runs.flatMap((r) => restateHeadlines(r.cases)).filter((c) => c.measurement?.intervalFrom === 'model').length;
  return [
    `reproducibility over ${runs.length} runs, ${rows.length} cases ok in every run:`,
    `  sd of ln figure <= 5%: ${pct(rows.filter((r) => r.sd <= 0.05).length, rows.length)}; <= 10%: ${pct(rows.filter((r) => r.sd <= 0.1).length, rows.length)}; highest/lowest > 1.5: ${rows.filter((r) => r.ratio > 1.5).length} cases`,
    `  forks: ${forks.length}; timed samples steady ${count('steady')}, drifting (NOT STEADY) ${count('drifting')}, moved between slices only ${count('moved')}, untested ${count('unchecked')}; warm-ups that reached a steady state ${forks.filter((f) => f.warmupState === 'steady').length}`,
    `  cases marked NOT STEADY, per run: ${runs.map((r) => r.cases.filter((c) => (c.measurement?.driftingForks ?? 0) > 0).length).join(', ')} of ${runs.map((r) => r.cases.length).join(', ')}`,
    `  headline 95% intervals, larger side: median ${percentile(halfWidths, 0.5)}, largest ${percentile(halfWidths, 1)} (past ±50%, printed as ±>50%: ${halfWidths.filter((w) => w > 0.5).length} of ${halfWidths.length}); drawn with the noise model: ${pct(modelled, halfWidths.length)}`,
    `  between-fork spread (sd of ln fork medians) over all cases of all runs: median ${(100 * (spreads[spreads.length >> 1] ?? 0)).toFixed(1)}%, 90th percentile ${(100 * (spreads[Math.floor(spreads.length * 0.9)] ?? 0)).toFixed(1)}%`,
    '  widest cases (highest/lowest, sd of ln):',
    ...worst.map((r) => `    ${r.id}  ${r.ratio.toFixed(3)}x  ${(100 * r.sd).toFixed(1)}%`),
  ];
}

/** The minimum detectable change of two runs of N forks a side, for a few N, from the spreads these runs showed. */
function forkProjection(runs: RunResult[]): string[] {
  const byId = new Map<string, number[]>();
  for (const r of runs) for (const c of r.cases) {
    const sd = c.measurement?.betweenForkSdLog;
    if (sd !== undefined && sd !== null) byId.set(c.id, [...(byId.get(c.id) ?? []), sd]);
  }
  const sigmas = [...byId.values()].map((v) => Math.sqrt(v.reduce((a, s) => a + s * s, 0) / v.length)).sort((a, b) => a - b);
  if (sigmas.length === 0) return [];
  const { alpha, power, threshold } = DEFAULT_COMPARE_OPTIONS;
  const level = alpha / (2 * sigmas.length);
  const at = (q: number) => `${(100 * sigmas[Math.floor(q * (sigmas.length - 1))]!).toFixed(1)}%`;
  const lines = [`what more forks would buy (${sigmas.length} cases; between-fork sd pooled over the runs: 10th percentile ${at(0.1)}, median ${at(0.5)}, 90th ${at(0.9)}):`];
  for (const n of [3, 6, 10, 20, 40]) {
    const df = 2 * (n - 1);
    const mdc = sigmas.map((s) => 1 - Math.exp(Math.log(1 - threshold) - (tQuantile(1 - level, df) + tQuantile(power, df)) * s * Math.sqrt(2 / n))).sort((a, b) => a - b);
    const share = (t: number) => pct(mdc.filter((x) => x <= t).length, mdc.length);
    lines.push(`  --forks ${n}: median minimum detectable change ${(100 * mdc[mdc.length >> 1]!).toFixed(1)}%; cases at most 10%: ${share(0.1)}, at most 20%: ${share(0.2)}`);
  }
  return lines;
}

/** A/A and sensitivity over pairs of the same build. */
function gate(pairs: [RunResult, RunResult][], label: string): string[] {
  const labels = { base: 'base', head: 'head' };
  const t = { pairs: 0, compared: 0, regressed: 0, improved: 0, unchanged: 0, inconclusive: 0, s15Unchanged: 0, s15Regressed: 0, mdc10: 0, mdc5: 0, mdc10Regressed: 0 };
  const mdcs: number[] = [];
  const widest: number[] = [];
  const lines = [`${label}: pair  compared  A/A regressed/improved/unchanged/inconclusive  15% slower: regressed/unchanged  MDC <= 10% (regressed of them)`];
  pairs.forEach(([base, head], i) => {
    const aa = compareRuns(base, head, labels);
    const slow = compareRuns(base, slowedDown(head, 1.15), labels);
    const compared = aa.cases.filter((c) => c.change !== undefined);
    const small = slow.cases.filter((c) => c.mdc !== undefined && c.mdc <= 0.1);
    const smallRegressed = small.filter((c) => c.verdict === 'regressed').length;
    t.pairs++;
    t.compared += compared.length;
    t.regressed += verdicts(aa, 'regressed');
    t.improved += verdicts(aa, 'improved');
    t.unchanged += verdicts(aa, 'unchanged');
    t.inconclusive += verdicts(aa, 'inconclusive');
    t.s15Unchanged += verdicts(slow, 'unchanged');
    t.s15Regressed += verdicts(slow, 'regressed');
    t.mdc10 += small.length;
    t.mdc5 += slow.cases.filter((c) => c.mdc !== undefined && c.mdc <= 0.05).length;
    t.mdc10Regressed += smallRegressed;
    mdcs.push(...aa.cases.flatMap((c) => (c.mdc === undefined ? [] : [c.mdc])));
    // the widest side of each printed interval of the change, in percent of the figure
    widest.push(...aa.cases.flatMap((c) => (c.changeCi ? [Math.max(Math.abs(c.changeCi.low), Math.abs(c.changeCi.high))] : [])));
    lines.push(
      `  ${i + 1}  ${compared.length}  ${verdicts(aa, 'regressed')}/${verdicts(aa, 'improved')}/${verdicts(aa, 'unchanged')}/${verdicts(aa, 'inconclusive')}  ` +
        `${verdicts(slow, 'regressed')}/${verdicts(slow, 'unchanged')}  ${small.length} (${smallRegressed})`,
    );
  });
  lines.push(
    `  A/A over ${t.pairs} pairs, ${t.compared} case comparisons: ${t.regressed} regressed, ${t.improved} improved (false alarms), ${t.unchanged} unchanged, ${t.inconclusive} inconclusive`,
    `  15% slower: ${t.s15Regressed} regressed (${pct(t.s15Regressed, t.compared)}), ${t.s15Unchanged} unchanged`,
    `  minimum detectable change <= 10%: ${pct(t.mdc10, t.compared)} of cases, of which ${pct(t.mdc10Regressed, t.mdc10)} regressed at 15%; <= 5%: ${pct(t.mdc5, t.compared)}`,
    `  minimum detectable change: median ${percentile(mdcs, 0.5)}, 90th percentile ${percentile(mdcs, 0.9)}; at most 15%: ${pct(mdcs.filter((m) => m <= 0.15).length, mdcs.length)}`,
    `  intervals of the change (exact; printed past ±50% as beyond it), farthest end from 0: median ${percentile(widest, 0.5)}, largest ${percentile(widest, 1)}`,
  );
  return lines;
}

function main(paths: string[]): void {
  if (paths.length < 2) throw new Error('give at least 2 result files of back-to-back runs of the same build, or the X.json and X.base.json of interleaved runs');
  const all = paths.map((p) => readRunResult(p)).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const lines: string[] = [];
  const heads = all.filter((r) => r.interleave?.side === 'head');
  if (heads.length > 0) {
    const pairs = heads.map((head): [RunResult, RunResult] => {
      const base = all.find((r) => r.interleave?.id === head.interleave!.id && r.interleave.side === 'base');
      if (!base) throw new Error(`no base file for the interleaved run ${head.interleave!.id}: give both X.json and X.base.json`);
      return [base, head];
    });
    lines.push(...gate(pairs, 'interleaved'));
  } else {
    lines.push(...reproducibility(all), '', ...gate(all.slice(1).map((head, i): [RunResult, RunResult] => [all[i]!, head]), 'consecutive runs'), '', ...forkProjection(all));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main(process.argv.slice(2));
