/**
 * The stopping rule of an adaptive interleaved run: which inconclusive cases
 * more fork pairs could decide, what one more pair buys, and how a round is
 * filled within the time left.
 */
import { describe, expect, it } from 'vitest';
import { decidableWith, planRound, roundCandidates } from '../../src/runner/adaptive-rounds.js';
import type { CaseComparison } from '../../src/compare/compare-runs.js';
import { gemmCase } from '../helpers/run-result.js';

/** An inconclusive case whose change is `change` with a log-scale half-width `half` around it. */
function judged(id: string, change: number, half: number, verdict: CaseComparison['verdict'] = 'inconclusive'): CaseComparison {
  const d = Math.log1p(change);
  return { id, workload: 'gemm', backend: 'fake', verdict, threshold: 0.05, change, changeCi: { low: Math.expm1(d - half), high: Math.expm1(d + half), level: 0.999 } };
}

describe('whether more pairs could decide a case', () => {
  it('an estimate of 0 with half-width 0.1 after 3 pairs: at 12 pairs 0.05 > ln 1.05, not decidable; at 27 pairs 0.033, unchanged is within reach', () => {
    expect(decidableWith(judged('a', 0, 0.1), 3, 12)).toBe(false);
    expect(decidableWith(judged('a', 0, 0.1), 3, 27)).toBe(true);
  });
  it('a 20% slowdown with half-width 0.2 after 3 pairs can be called regressed at 6 pairs; with half-width 0.4 it cannot', () => {
    // ln(0.8) + 0.141 = -0.082 < ln(0.95) = -0.051
    expect(decidableWith(judged('b', -0.2, 0.2), 3, 6)).toBe(true);
    // with half-width 0.4: 0.283 at 6 pairs, ln 0.8 + 0.283 = 0.06 > ln 0.95: out of reach
    expect(decidableWith(judged('b', -0.2, 0.4), 3, 6)).toBe(false);
  });
  it('a case with no interval yet (one pair) needs pairs before anything can be said', () => {
    const c: CaseComparison = { id: 'c', workload: 'gemm', backend: 'fake', verdict: 'inconclusive', threshold: 0.05 };
    expect(decidableWith(c, 1, 6)).toBe(true);
  });
});

describe('the candidates and the round', () => {
  const head = new Map([
    ['a', { ...gemmCase([[1], [1], [1]]), id: 'a', wallSeconds: 6 }],
    ['b', { ...gemmCase([[1], [1], [1]]), id: 'b', wallSeconds: 30 }],
    ['c', { ...gemmCase([[1], [1], [1], [1], [1], [1]]), id: 'c', wallSeconds: 6 }],
    ['d', { ...gemmCase([[1], [1], [1]]), id: 'd', wallSeconds: 3 }],
  ]);
  const cases = [judged('a', -0.1, 0.07), judged('b', -0.1, 0.07), judged('c', -0.1, 0.07), judged('d', 0, 0.01, 'unchanged'), judged('e', -0.1, 0.07)];
  it('takes inconclusive cases below --max-forks pairs that a head result holds; each costs its pairs so far on average', () => {
    const candidates = roundCandidates(cases, head, 6);
    expect(candidates.map((c) => c.id)).toEqual(['a', 'b']);
    expect(candidates.map((c) => c.seconds)).toEqual([2, 10]);
    // one more pair after 3: the half-width shrinks by 1 - sqrt(3/4)
    expect(candidates[0]!.gain).toBeCloseTo(0.07 * (1 - Math.sqrt(3 / 4)), 14);
  });
  it('without a budget every candidate; with one, the most gain per second first while the round fits', () => {
    const candidates = roundCandidates(cases, head, 6);
    expect([...planRound(candidates, undefined)]).toEqual(['a', 'b']);
    expect([...planRound(candidates, 11)]).toEqual(['a']);
    expect([...planRound(candidates, 12)].sort()).toEqual(['a', 'b']);
    expect(planRound(candidates, 1).size).toBe(0);
    // a dearer case that fits is still taken after a cheaper one that does not
    expect([...planRound([{ id: 'x', seconds: 5, gain: 1 }, { id: 'y', seconds: 2, gain: 0.1 }], 4)]).toEqual(['y']);
  });
});
