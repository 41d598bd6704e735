/**
 * Many runs of one suite over time: one row per case, one column per run,
 * each change between neighbouring runs judged as `compare` judges it, and
 * lasting step changes told apart from one noisy run:
 * - step: run i differs from run i-1 (regressed or improved), and every
 *   run of the two before (i-2, i-1) differs in that same direction from
 *   every run of the two from i on (i, i+1): the level moved and stayed;
 * - blip: run i differs from run i-1, but not from all of those: one noisy
 *   run (before or at i), not a change of the code;
 * - unconfirmed: the change is in the newest run and agrees with the run
 *   before the last; the next run decides.
 */
import { isImportOptions, type RunResult } from '../results/schema.js';
import { caseHeadline } from '../results/case-facts.js';
import { compareRuns, type CaseComparison, type CompareOptions, type Verdict } from './compare-runs.js';

export interface HistoryRun {
  label: string;
  run: RunResult;
}

export type ChangeKind = 'step' | 'blip' | 'unconfirmed';

export interface HistoryCell {
  /** the case's figure in this run, or undefined when it did not finish ok or is absent */
  value?: number;
  outcome?: string;
  /** the verdict against the previous run */
  verdict?: Verdict;
  change?: number;
  kind?: ChangeKind;
}

export interface HistoryRow {
  id: string;
  unit?: string;
  cells: HistoryCell[];
}

export interface History {
  runs: { label: string; startedAt: string; commit?: string }[];
  rows: HistoryRow[];
}

/** Figures from a comparison's head side, by id. */
function byId(cases: CaseComparison[]): Map<string, CaseComparison> {
  return new Map(cases.map((c) => [c.id, c]));
}

const moved = (v: Verdict | undefined): v is 'regressed' | 'improved' => v === 'regressed' || v === 'improved';

/** The history of `runs`, sorted by start time; `options` as compare's. */
export function buildHistory(runs: HistoryRun[], options: CompareOptions): History {
  const sorted = [...runs].sort((a, b) => a.run.startedAt.localeCompare(b.run.startedAt));
  // imported figures are one run of their tool each: the runs before a pair are their replicates (compare --history)
  const earlierImports = (i: number, j: number) =>
    isImportOptions(sorted[i]!.run.options) && isImportOptions(sorted[j]!.run.options) ? sorted.slice(0, i).map((r) => r.run) : [];
  const pair = (i: number, j: number) =>
    byId(compareRuns(sorted[i]!.run, sorted[j]!.run, { base: sorted[i]!.label, head: sorted[j]!.label }, options, earlierImports(i, j)).cases);
  const memo = new Map<string, Map<string, CaseComparison>>();
  const cached = (i: number, j: number) => {
    const key = `${i}:${j}`;
    if (!memo.has(key)) memo.set(key, pair(i, j));
    return memo.get(key)!;
  };
  const neighbours = sorted.map((_, i) => (i === 0 ? new Map<string, CaseComparison>() : cached(i - 1, i)));
  /** the verdicts of every (before, after) pair around a change at i: before in {i-2, i-1}, after in {i, i+1} */
  const around = (i: number, id: string): (Verdict | undefined)[] => {
    const out: (Verdict | undefined)[] = [];
    for (const before of [i - 2, i - 1]) {
      for (const after of [i, i + 1]) if (before >= 0 && after < sorted.length) out.push(cached(before, after).get(id)?.verdict);
    }
    // a pair without an ok figure on both sides (missing, failed, incomparable) says nothing about a step; an
    // inconclusive one does not confirm it
    return out.filter((v) => v === 'regressed' || v === 'improved' || v === 'unchanged' || v === 'inconclusive');
  };
  const ids = [...new Set(sorted.flatMap((r) => r.run.cases.map((c) => c.id)))];
  const rows = ids.map((id): HistoryRow => {
    let unit: string | undefined;
    const cells = sorted.map((r, i): HistoryCell => {
      const c = r.run.cases.find((x) => x.id === id);
      if (!c) return {};
      const vs = neighbours[i]!.get(id);
      const figure = caseHeadline(c);
      if (figure) unit = figure.unit;
      const cell: HistoryCell = { outcome: c.outcome, ...(figure ? { value: figure.value } : {}) };
      if (!vs || i === 0) return cell;
      cell.verdict = vs.verdict;
      if (vs.change !== undefined) cell.change = vs.change;
      if (moved(vs.verdict)) {
        const verdicts = around(i, id);
        // a blip needs evidence against the move (a pair around it unchanged, or moved the other way); a pair that
        // could not tell (inconclusive: too few runs before it, say) leaves the move unconfirmed, not refuted
        const refuted = verdicts.some((v) => v === 'unchanged' || (moved(v) && v !== vs.verdict));
        const agree = verdicts.every((v) => v === vs.verdict);
        cell.kind = refuted ? 'blip' : agree && i + 1 < sorted.length ? 'step' : 'unconfirmed';
      }
      return cell;
    });
    return { id, ...(unit ? { unit } : {}), cells };
  });
  return {
    runs: sorted.map((r) => ({ label: r.label, startedAt: r.run.startedAt, ...(r.run.environment.gitCommit ? { commit: r.run.environment.gitCommit } : {}) })),
    rows,
  };
}
