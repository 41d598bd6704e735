/**
 * Knowing the runner: each case's spread between runs from repeated runs
 * (exact values on tiny inputs), the variance of a change of two separate runs
 * judged with it, compare with a noise file, and calibrate's A/A pairs judged
 * out of sample.
 */
import { describe, expect, it } from 'vitest';
import { runnerChangeVariance, runnerNoiseOf } from '../../src/stats/runner-noise.js';
import { compareRuns, DEFAULT_COMPARE_OPTIONS } from '../../src/compare/compare-runs.js';
import { calibrate } from '../../src/compare/calibration.js';
import { mulberry32 } from '../../src/workloads/gemm/inputs.js';
import { gemmCase, runWith } from '../helpers/run-result.js';
import type { CaseNoiseEntry } from '../../src/results/noise-file.js';
import type { RunResult } from '../../src/results/schema.js';

const labels = { base: 'base', head: 'head' };

/** A run of one case whose 2 forks took `a` and `b` seconds (each fork three samples of that time), started at `at`. */
function run(a: number, b: number, at: string, host = 'h'): RunResult {
  return runWith([gemmCase([[a, a, a], [b, b, b]])], (r) => {
    r.startedAt = at;
    r.environment.hostname = host;
  });
}

describe("a case's spread between runs", () => {
  it('headlines 1 s and e^0.2 s (geometric means of their forks): sd of ln 0.2/sqrt 2 on 1 df; the fork spread pooled over the runs', () => {
    const r1 = run(Math.exp(-0.05), Math.exp(0.05), '2026-12-06T01:00:00.000Z');
    const r2 = run(Math.exp(0.2 - 0.1), Math.exp(0.2 + 0.1), '2026-12-06T02:00:00.000Z');
    const [entry] = Object.values(runnerNoiseOf([r1, r2]));
    expect(entry!.runSdLog).toBeCloseTo(0.2 / Math.SQRT2, 12);
    expect(entry!.runDf).toBe(1);
    // fork sd of ln: 0.1/sqrt 2 and 0.2/sqrt 2, 1 df each: pooled sqrt((0.01 + 0.04) / 2 / 2)
    expect(entry!.forkSdLog).toBeCloseTo(Math.sqrt((0.01 / 2 + 0.04 / 2) / 2), 12);
    expect(entry!.forks).toBe(2);
    // one case: no group to moderate with, its own estimate
    expect(entry!.moderatedSdLog).toBeCloseTo(entry!.runSdLog, 12);
    expect(entry!.device).toBe('fake on fake CPU');
  });
  it('leaves out a case that failed in a run, or ran on another device', () => {
    const r1 = run(1, 1.1, '2026-12-06T01:00:00.000Z');
    const r2 = runWith([{ ...gemmCase([[1], [1]]), outcome: 'error', reason: 'x' }]);
    expect(runnerNoiseOf([r1, r2])).toEqual({});
    const elsewhere = runWith([gemmCase([[1], [1]], { executed: { backend: 'fake', kernelClass: 'K', device: { executesOn: 'gpu', name: 'other' } } })]);
    expect(runnerNoiseOf([r1, elsewhere])).toEqual({});
  });
});

describe('the variance of a change of two separate runs, judged with the runner', () => {
  const entry: CaseNoiseEntry = { device: 'd', runSdLog: 0.1, runDf: 4, moderatedSdLog: 0.1, moderatedDf: 20, forkSdLog: 0.12, forks: 3 };
  it("the forks' part pools the calibration's fork spread with these runs'; the run's part comes from the calibration", () => {
    // calibration: 5 runs of 3 forks, 10 df of fork spread 0.12; these runs: 0.2 on 4 df
    const v = runnerChangeVariance(entry, { variance: 0.04, df: 4 }, 3, 3);
    const forkVariance = (10 * 0.0144 + 4 * 0.04) / 14;
    const forksPart = forkVariance * (2 / 3);
    const runPart = 2 * (0.01 - 0.0144 / 3);
    expect(v.variance).toBeCloseTo(forksPart + runPart, 14);
    // Satterthwaite's degrees of freedom, but no more than the runs': the forks' many say nothing of a run's level
    const satterthwaite = (forksPart + runPart) ** 2 / (forksPart ** 2 / 14 + runPart ** 2 / 4);
    expect(satterthwaite).toBeGreaterThan(4);
    expect(v.df).toBe(4);
    // 41 runs of one fork: the forks' part rests on these runs' 2 degrees of freedom alone, and the sum's
    // Satterthwaite figure falls below the runs' 40
    const many = runnerChangeVariance({ ...entry, runDf: 40, forks: 1, forkSdLog: 0, moderatedSdLog: 0.2, runSdLog: 0.2 }, { variance: 0.04, df: 2 }, 3, 3);
    const [a, b] = [0.04 * (2 / 3), 2 * 0.04];
    expect(many.variance).toBeCloseTo(a + b, 14);
    expect(many.df).toBeCloseTo((a + b) ** 2 / (a ** 2 / 2 + b ** 2 / 40), 10);
    expect(many.df).toBeLessThan(40);
  });
  it('a case whose own spread between runs is wider than its moderated one is judged with its own', () => {
    const v = runnerChangeVariance({ ...entry, runSdLog: 0.3 }, { variance: 0.0144, df: 4 }, 3, 3);
    expect(v.variance).toBeCloseTo(0.0144 * (2 / 3) + 2 * (0.09 - 0.0144 / 3), 14);
  });
  it('no run part when the forks explain the spread between runs: the forks\' degrees of freedom, capped at the runs\'', () => {
    const v = runnerChangeVariance({ ...entry, moderatedSdLog: 0.05, runSdLog: 0.05 }, { variance: 0.0144, df: 4 }, 3, 3);
    expect(v.variance).toBeCloseTo(0.0144 * (2 / 3), 14);
    expect(v.df).toBe(4);
  });
});

describe('compare with a noise file', () => {
  const next = mulberry32(9);
  const forks = (centre: number) => Array.from({ length: 3 }, () => Array(3).fill(centre * (1 + 0.004 * (next() - 0.5))) as number[]);
  // two runs 12% apart whose forks agree within 0.2%: alone, a regression
  const base = runWith([gemmCase(forks(0.01))]);
  const head = runWith([gemmCase(forks(0.0112))]);
  it("judges the case against the runner's spread between runs: a 12% move on a runner whose runs move 10% is inconclusive", () => {
    expect(compareRuns(base, head, labels).cases[0]!.verdict).toBe('regressed');
    const id = base.cases[0]!.id;
    const noise = { [id]: { device: 'fake on fake CPU', runSdLog: 0.1, runDf: 9, moderatedSdLog: 0.1, moderatedDf: 30, forkSdLog: 0.01, forks: 3 } };
    const x = compareRuns(base, head, labels, { ...DEFAULT_COMPARE_OPTIONS, noise }).cases[0]!;
    expect(x).toMatchObject({ verdict: 'inconclusive', basis: 'runner' });
    expect(x.runnerSpread!.se).toBeGreaterThan(0.13);
    // a noise file of another device is not this case's
    const elsewhere = { [id]: { ...noise[id]!, device: 'another' } };
    expect(compareRuns(base, head, labels, { ...DEFAULT_COMPARE_OPTIONS, noise: elsewhere }).cases[0]!.verdict).toBe('regressed');
  });
});

describe('calibrate', () => {
  const at = (i: number) => `2026-12-06T0${i}:00:00.000Z`;
  const runs = [1, 1.04, 0.97, 1.02, 0.99].map((level, i) => ({ label: `r${i}.json`, run: run(level, level * 1.01, at(i)) }));
  it('compares the runs in order, writes every case\'s spread, and judges each pair with the other runs (4 runs or more)', () => {
    const c = calibrate([...runs].reverse(), DEFAULT_COMPARE_OPTIONS, new Date('2026-12-06T10:00:00Z'));
    expect(c.outOfSample).toBe(true);
    expect(c.noise.runs).toEqual(runs.map((r) => r.label));
    expect(c.noise.aa.pairs).toBe(4);
    expect(c.noise.aa.withNoise.comparisons).toBe(4);
    expect(Object.keys(c.noise.cases)).toEqual([runs[0]!.run.cases[0]!.id]);
    expect(c.detectable).toHaveLength(1);
    expect(c.noise).toMatchObject({ kind: 'chipbench-noise', schemaVersion: 1, createdAt: '2026-12-06T10:00:00.000Z', machine: { hostname: 'h' } });
  });
  it('with 3 runs the pairs are judged in sample, and says so', () => {
    expect(calibrate(runs.slice(0, 3), DEFAULT_COMPARE_OPTIONS, new Date()).outOfSample).toBe(false);
  });
  it('refuses one run, and runs of another machine', () => {
    expect(() => calibrate(runs.slice(0, 1), DEFAULT_COMPARE_OPTIONS, new Date())).toThrow(/at least 2 runs/);
    const other = { label: 'x.json', run: run(1, 1, at(7), 'other-host') };
    expect(() => calibrate([...runs, other], DEFAULT_COMPARE_OPTIONS, new Date())).toThrow(/x\.json: ran on other-host/);
  });
});
