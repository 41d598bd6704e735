/** History: a lasting step told apart from one noisy run, on runs built in code. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_COMPARE_OPTIONS } from '../../src/compare/compare-runs.js';
import { buildHistory } from '../../src/compare/history.js';
import { gemmCase, runWith } from '../helpers/run-result.js';

/** Runs whose one case takes these centre times (s), an hour apart. */
function runs(centres: number[]) {
  return centres.map((centre, i) => ({
    label: `run-${i}`,
    // five forks a run, each within +-0.5% of the run's centre
    run: runWith([gemmCase([0.995, 1.005, 1, 0.998, 1.002].map((f, k) => [centre * f, centre * f * (1 + 0.001 * (k + i))]))], (r) => (r.startedAt = `2026-11-29T${String(10 + i).padStart(2, '0')}:00:00.000Z`)),
  }));
}
const kinds = (centres: number[]) => buildHistory(runs(centres), DEFAULT_COMPARE_OPTIONS).rows[0]!.cells.map((c) => c.kind ?? c.verdict ?? '-');

describe('history', () => {
  it('marks a slowdown that stays as a step, at the run where it starts', () => {
    expect(kinds([0.01, 0.01, 0.013, 0.013, 0.013])).toEqual(['-', 'unchanged', 'step', 'unchanged', 'unchanged']);
  });
  it('marks one slow run as a blip, not a step', () => {
    expect(kinds([0.01, 0.01, 0.013, 0.01, 0.01])).toEqual(['-', 'unchanged', 'blip', 'blip', 'unchanged']);
  });
  it('leaves a change in the newest run unconfirmed', () => {
    expect(kinds([0.01, 0.01, 0.01, 0.013])).toEqual(['-', 'unchanged', 'unchanged', 'unconfirmed']);
  });
  it('sorts runs by start time and keeps each run\'s figure', () => {
    const h = buildHistory(runs([0.01, 0.02]).reverse(), DEFAULT_COMPARE_OPTIONS);
    expect(h.runs.map((r) => r.label)).toEqual(['run-0', 'run-1']);
    expect(h.rows[0]!.cells[0]!.value!).toBeGreaterThan(h.rows[0]!.cells[1]!.value!);
    expect(h.rows[0]!.unit).toBe('GFLOP/s');
  });
});
