/**
 * Which inconclusive cases an adaptive interleaved run (`run --against`)
 * gives one more fork pair, within its time budget. As Chromium's Pinpoint
 * does, a case the comparison cannot decide gets more repeats; unlike it, a
 * round is planned against the clock: each case's cost is what its fork pairs
 * took so far, and the round takes the cases that shrink their minimum
 * detectable change most per second until the budget left is spent.
 *
 * One more pair shrinks a case's standard error from se to se sqrt(n / (n + 1)),
 * so its detectable change by about (t(1 - a) + t(power)) se (1 - sqrt(n / (n + 1))).
 * A case whose interval could not reach a verdict even with every pair the run
 * allows (--max-forks) is left out: its pairs would be spent for nothing. The
 * error rate is unaffected by which cases are chosen: compare splits alpha
 * over every look the run could take, whichever cases it looks at.
 */
import type { CaseComparison } from '../compare/compare-runs.js';
import type { CaseResult } from '../results/schema.js';

/** A case that may get one more pair, with what it would buy and cost. */
export interface RoundCandidate {
  id: string;
  /** seconds one more fork pair of this case is expected to take: its fork pairs so far, on average */
  seconds: number;
  /** how much one more pair shrinks its minimum detectable change (a fraction of the figure) */
  gain: number;
}

/** The interval's half-width on the log scale, from compare's interval of the relative change. */
function logHalfWidth(c: CaseComparison): number | undefined {
  if (!c.changeCi || !(c.changeCi.low > -1)) return undefined;
  return (Math.log1p(c.changeCi.high) - Math.log1p(c.changeCi.low)) / 2;
}

/**
 * Whether a case's interval, narrowed as more pairs would narrow it (as 1/sqrt(pairs)), could lie wholly past the
 * threshold or wholly inside it, around today's estimate.
 */
export function decidableWith(c: CaseComparison, pairs: number, maxPairs: number): boolean {
  const half = logHalfWidth(c);
  if (half === undefined || c.change === undefined) return true; // no interval yet (one pair): only more pairs can tell
  const projected = half * Math.sqrt(pairs / maxPairs);
  const d = Math.log1p(c.change);
  const low = Math.log(1 - c.threshold);
  const high = Math.log(1 + c.threshold);
  return d + projected < low || d - projected > high || (d - projected > low && d + projected < high);
}

/** The candidates for the next round: inconclusive cases below --max-forks pairs that more pairs could decide. */
export function roundCandidates(cases: readonly CaseComparison[], head: ReadonlyMap<string, CaseResult>, maxPairs: number): RoundCandidate[] {
  return cases.flatMap((c) => {
    const result = head.get(c.id);
    const pairs = result?.measurement?.forkCount ?? 0;
    if (c.verdict !== 'inconclusive' || !result || pairs === 0 || pairs >= maxPairs || !decidableWith(c, pairs, maxPairs)) return [];
    const half = logHalfWidth(c);
    // a case with no interval yet gains most: it cannot be judged at all without another pair
    const gain = half === undefined ? Infinity : half * (1 - Math.sqrt(pairs / (pairs + 1)));
    return [{ id: c.id, seconds: result.wallSeconds / pairs, gain }];
  });
}

/**
 * The cases of the next round: the candidates by gain per second, taken while the round's expected time stays
 * within `secondsLeft` (undefined: no budget, every candidate). At least one case is taken when any fits.
 */
export function planRound(candidates: readonly RoundCandidate[], secondsLeft: number | undefined): Set<string> {
  if (secondsLeft === undefined) return new Set(candidates.map((c) => c.id));
  const ranked = [...candidates].sort((a, b) => b.gain / b.seconds - a.gain / a.seconds);
  const chosen = new Set<string>();
  let spent = 0;
  for (const c of ranked) {
    if (spent + c.seconds > secondsLeft) continue;
    chosen.add(c.id);
    spent += c.seconds;
  }
  return chosen;
}
