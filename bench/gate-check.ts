/**
 * Can the regression gate be trusted on this machine? Given result files of
 * back-to-back runs of the SAME code (oldest first), measures:
 * - A/A: regressions flagged when comparing each run with the next, with
 *   the defaults (samples only), and with the earlier runs as --history;
 * - sensitivity on real samples: each next run slowed by 15% and by 2%
 *   (every sample times the factor, every figure divided by it), and how
 *   many of its cases are then flagged regressed.
 *
 * Given the two files of each of several interleaved runs of the SAME code
 * (`chipbench run --against` this very build; each run writes X.json and
 * X.base.json), it measures the same on each pair: A/A flags, and the head
 * side slowed by 15% and 2% (every slice too).
 *
 * Usage: npm run gate-check -- results/aa-*.json   (at least 4 files, or 1 interleaved pair)
 */
import { compareRuns, DEFAULT_COMPARE_OPTIONS, type RunComparison } from '../src/compare/compare-runs.js';
import { readRunResult } from '../src/results/read-result.js';
import type { CaseResult, RunResult } from '../src/results/schema.js';

/** The run as if every case took `factor` times as long: samples scaled, rates divided. */
export function slowedDown(run: RunResult, factor: number): RunResult {
  const scale = (c: CaseResult): CaseResult => {
    if (c.outcome !== 'ok' || !c.measurement) return c;
    const m = c.measurement;
    const measurement = {
      ...m,
      samplesSeconds: m.samplesSeconds.map((s) => s * factor),
      medianSeconds: m.medianSeconds * factor,
      meanSeconds: m.meanSeconds * factor,
      minSeconds: m.minSeconds * factor,
      maxSeconds: m.maxSeconds * factor,
      p99Seconds: m.p99Seconds * factor,
      sdSeconds: m.sdSeconds * factor,
      medianCi: { ...m.medianCi, lowSeconds: m.medianCi.lowSeconds * factor, highSeconds: m.medianCi.highSeconds * factor },
      ...(m.slices ? { slices: m.slices.map((slice) => ({ ...slice, medianSeconds: slice.medianSeconds * factor })) } : {}),
    };
    if (c.workload === 'gemm' && c.metrics) return { ...c, measurement, metrics: { ...c.metrics, medianTflops: c.metrics.medianTflops / factor } };
    if (c.workload === 'stream' && c.metrics) return { ...c, measurement, metrics: { ...c.metrics, GBps: c.metrics.GBps / factor } };
    if (c.workload !== 'gemm' && c.workload !== 'stream' && c.metrics) return { ...c, measurement, metrics: { ...c.metrics, busbwGBps: c.metrics.busbwGBps / factor } };
    return c;
  };
  return { ...run, startedAt: `${run.startedAt}+slowed`, cases: run.cases.map(scale) };
}

const count = (c: RunComparison, verdict: 'regressed' | 'improved') => c.cases.filter((x) => x.verdict === verdict).length;
const comparable = (c: RunComparison) => c.cases.filter((x) => x.change !== undefined).length;

/** Interleaved runs: each pair's two sides compared as they are, and with head slowed down. */
function interleavedMain(runs: RunResult[]): void {
  const heads = runs.filter((r) => r.interleave?.side === 'head').sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const labels = { base: 'base', head: 'head' };
  const lines = ['run  paired cases  A/A regressed (improved)  15% slower flagged  2% slower flagged'];
  const totals = { aa: 0, improved: 0, s15: 0, s2: 0, cases: 0, pairs: 0 };
  const byBackend = new Map<string, { cases: number; aa: number; improved: number; s15: number; s2: number }>();
  const tally = (comparison: RunComparison, field: 'cases' | 'aa' | 'improved' | 's15' | 's2', verdict?: 'regressed' | 'improved') => {
    for (const c of comparison.cases) {
      if (c.basis !== 'interleaved' || (verdict && c.verdict !== verdict)) continue;
      const row = byBackend.get(c.backend) ?? { cases: 0, aa: 0, improved: 0, s15: 0, s2: 0 };
      row[field]++;
      byBackend.set(c.backend, row);
    }
  };
  for (const head of heads) {
    const base = runs.find((r) => r.interleave?.id === head.interleave!.id && r.interleave.side === 'base');
    if (!base) throw new Error(`no base file for the interleaved run ${head.interleave!.id}: give both X.json and X.base.json`);
    const plain = compareRuns(base, head, labels, DEFAULT_COMPARE_OPTIONS);
    const paired = plain.cases.filter((c) => c.basis === 'interleaved').length;
    const slow15 = compareRuns(base, slowedDown(head, 1.15), labels, DEFAULT_COMPARE_OPTIONS);
    const slow2 = compareRuns(base, slowedDown(head, 1.02), labels, DEFAULT_COMPARE_OPTIONS);
    totals.pairs++;
    totals.cases += paired;
    totals.aa += count(plain, 'regressed');
    totals.improved += count(plain, 'improved');
    totals.s15 += count(slow15, 'regressed');
    totals.s2 += count(slow2, 'regressed');
    tally(plain, 'cases');
    tally(plain, 'aa', 'regressed');
    tally(plain, 'improved', 'improved');
    tally(slow15, 's15', 'regressed');
    tally(slow2, 's2', 'regressed');
    lines.push(`${head.startedAt}  ${paired}  ${count(plain, 'regressed')} (${count(plain, 'improved')})  ${count(slow15, 'regressed')}  ${count(slow2, 'regressed')}`);
  }
  const pct = (a: number) => (totals.cases === 0 ? 'n/a' : `${((100 * a) / totals.cases).toFixed(1)}%`);
  lines.push(
    '',
    `A/A, interleaved: ${totals.aa} regressions and ${totals.improved} improvements over ${totals.pairs} runs (${totals.cases} paired case comparisons)`,
    `15% slower: flagged ${pct(totals.s15)}`,
    `2% slower: flagged ${pct(totals.s2)}`,
    '',
    'backend  paired cases  A/A regressed  A/A improved  15% slower flagged  2% slower flagged',
    ...[...byBackend].map(
      ([backend, r]) => `${backend}  ${r.cases}  ${r.aa}  ${r.improved}  ${((100 * r.s15) / r.cases).toFixed(1)}%  ${((100 * r.s2) / r.cases).toFixed(1)}%`,
    ),
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

function main(paths: string[]): void {
  const all = paths.map((p) => readRunResult(p));
  if (all.some((r) => r.interleave)) return interleavedMain(all);
  if (paths.length < 4) throw new Error('give at least 4 result files of back-to-back runs of the same code, oldest first');
  const runs = paths.map((p) => ({ path: p, run: readRunResult(p) })).sort((a, b) => a.run.startedAt.localeCompare(b.run.startedAt));
  const labels = { base: 'base', head: 'head' };
  const lines: string[] = ['pair  cases  A/A flagged (samples)  A/A flagged (history)  15% slower flagged (samples, history)  2% slower flagged (samples, history)'];
  const totals = { aa: 0, aaHistory: 0, pairs: 0, historyPairs: 0, s15: 0, s15h: 0, s2: 0, s2h: 0, cases: 0, casesH: 0 };
  for (let i = 0; i + 1 < runs.length; i++) {
    const base = runs[i]!.run;
    const head = runs[i + 1]!.run;
    const history = runs.slice(0, i + 1).map((r) => r.run);
    const useHistory = history.length >= 3;
    const plain = compareRuns(base, head, labels, DEFAULT_COMPARE_OPTIONS);
    const withHistory = useHistory ? compareRuns(base, head, labels, DEFAULT_COMPARE_OPTIONS, history) : undefined;
    const slow15 = compareRuns(base, slowedDown(head, 1.15), labels, DEFAULT_COMPARE_OPTIONS);
    const slow2 = compareRuns(base, slowedDown(head, 1.02), labels, DEFAULT_COMPARE_OPTIONS);
    const slow15h = useHistory ? compareRuns(base, slowedDown(head, 1.15), labels, DEFAULT_COMPARE_OPTIONS, history) : undefined;
    const slow2h = useHistory ? compareRuns(base, slowedDown(head, 1.02), labels, DEFAULT_COMPARE_OPTIONS, history) : undefined;
    const n = comparable(plain);
    totals.pairs++;
    totals.cases += n;
    totals.aa += count(plain, 'regressed');
    totals.s15 += count(slow15, 'regressed');
    totals.s2 += count(slow2, 'regressed');
    if (withHistory && slow15h && slow2h) {
      totals.historyPairs++;
      totals.casesH += n;
      totals.aaHistory += count(withHistory, 'regressed');
      totals.s15h += count(slow15h, 'regressed');
      totals.s2h += count(slow2h, 'regressed');
    }
    lines.push(
      `${i + 1}->${i + 2}  ${n}  ${count(plain, 'regressed')} (+${count(plain, 'improved')} improved)  ` +
        `${withHistory ? `${count(withHistory, 'regressed')} (+${count(withHistory, 'improved')} improved)` : 'n/a (< 3 earlier runs)'}  ` +
        `${count(slow15, 'regressed')}, ${slow15h ? count(slow15h, 'regressed') : 'n/a'}  ${count(slow2, 'regressed')}, ${slow2h ? count(slow2h, 'regressed') : 'n/a'}`,
    );
  }
  const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
  lines.push(
    '',
    `A/A, samples only: ${totals.aa} regressions over ${totals.pairs} pairs (${totals.cases} case comparisons)`,
    `A/A, with history: ${totals.aaHistory} regressions over ${totals.historyPairs} pairs (${totals.casesH} case comparisons)`,
    `15% slower: flagged ${pct(totals.s15, totals.cases)} (samples), ${pct(totals.s15h, totals.casesH)} (history)`,
    `2% slower: flagged ${pct(totals.s2, totals.cases)} (samples), ${pct(totals.s2h, totals.casesH)} (history)`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

main(process.argv.slice(2));
