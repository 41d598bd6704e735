/**
 * Every verdict of a comparison, on runs built in code: the threshold AND
 * significance rule, direction, the unchanged case compared as numbers, new,
 * missing, failed (newly or not), incomparable, the environment guard, and
 * the gate's exit code.
 */
import { describe, expect, it } from 'vitest';
import { compareRuns, DEFAULT_COMPARE_OPTIONS, gateExitCode, type RunComparison } from '../../src/compare/compare-runs.js';
import { gemmCase, noisySamples, runWith } from '../helpers/run-result.js';

const labels = { base: 'base.json', head: 'head.json' };
const base = noisySamples(0.01, 60, 1);
const only = (c: RunComparison) => c.cases[0]!;

describe('compare: verdicts', () => {
  it('unchanged: the same samples give change 0, p = 1 and no flag (numbers, not formatted strings)', () => {
    const c = compareRuns(runWith([gemmCase(base)]), runWith([gemmCase([...base])]), labels);
    expect(only(c)).toMatchObject({ verdict: 'unchanged', change: 0 });
    expect(only(c).p).toBeCloseTo(1, 6);
    expect(gateExitCode(c)).toBe(0);
  });

  it('regressed: 15% slower (f32 rate down 13%) is past 5% and significant; the gate fails', () => {
    const head = noisySamples(0.0115, 60, 2);
    const c = compareRuns(runWith([gemmCase(base)]), runWith([gemmCase(head)]), labels);
    const x = only(c);
    expect(x.verdict).toBe('regressed');
    expect(x.change!).toBeCloseTo(1 / 1.15 - 1, 1);
    expect(x.changeCi!.high).toBeLessThan(-0.05); // confidently more than 5% slower
    expect(x.p!).toBeLessThan(0.001);
    expect(x.figure).toMatchObject({ name: 'f32 rate', unit: 'GFLOP/s' });
    expect(x.figure!.head).toBeLessThan(x.figure!.base);
    expect(gateExitCode(c)).toBe(1);
  });

  it('improved: 15% faster, direction aware (a bigger rate is better); the gate passes', () => {
    const c = compareRuns(runWith([gemmCase(base)]), runWith([gemmCase(noisySamples(0.0087, 60, 3))]), labels);
    expect(only(c).verdict).toBe('improved');
    expect(only(c).change!).toBeGreaterThan(0.05);
    expect(gateExitCode(c)).toBe(0);
  });

  it('a significant 2% change is below the threshold: unchanged', () => {
    const head = base.map((x) => x * 1.02);
    const x = only(compareRuns(runWith([gemmCase(base)]), runWith([gemmCase(head)]), labels));
    expect(x.verdict).toBe('unchanged');
    expect(x.change!).toBeCloseTo(1 / 1.02 - 1, 6);
  });

  it('a large change that is not significant (too few samples) is unchanged', () => {
    const x = only(compareRuns(runWith([gemmCase([0.01, 0.012, 0.011])]), runWith([gemmCase([0.013, 0.012, 0.014])]), labels));
    expect(x.change!).toBeLessThan(-0.05);
    expect(x.p!).toBeGreaterThan(0.001);
    expect(x.verdict).toBe('unchanged');
  });

  it('per-workload thresholds override the global one', () => {
    const head = noisySamples(0.0115, 60, 2);
    const options = { ...DEFAULT_COMPARE_OPTIONS, workloadThresholds: { gemm: 0.2 } };
    expect(only(compareRuns(runWith([gemmCase(base)]), runWith([gemmCase(head)]), labels, options))).toMatchObject({ verdict: 'unchanged', threshold: 0.2 });
  });

  it('new, missing, and failed: newly failed fails the gate, failing in both does not', () => {
    const other = gemmCase(base, {}, 500);
    const failedHead = gemmCase(base, { outcome: 'error', reason: 'verification failed' });
    const c = compareRuns(runWith([gemmCase(base), other]), runWith([failedHead, gemmCase(base, {}, 64)]), labels);
    const byId = new Map(c.cases.map((x) => [x.id, x]));
    expect(byId.get(gemmCase(base).id)).toMatchObject({ verdict: 'failed', newlyFailed: true });
    expect(byId.get(gemmCase(base, {}, 64).id)!.verdict).toBe('new');
    expect(byId.get(other.id)!.verdict).toBe('missing');
    expect(gateExitCode(c)).toBe(1);
    const still = compareRuns(runWith([failedHead, other]), runWith([failedHead, other]), labels);
    expect(still.cases[0]).toMatchObject({ verdict: 'failed', newlyFailed: false });
    expect(gateExitCode(still)).toBe(0);
  });

  it('incomparable: another device gives no ratio however large the change', () => {
    const moved = gemmCase(noisySamples(0.001, 60, 4), { executed: { backend: 'fake', kernelClass: 'FakeKernel', device: { executesOn: 'gpu', name: 'NVIDIA H200' } } });
    const x = only(compareRuns(runWith([gemmCase(base)]), runWith([moved]), labels));
    expect(x.verdict).toBe('incomparable');
    expect(x.reason).toBe('ran on fake on fake CPU, now on fake on NVIDIA H200');
    expect(x.change).toBeUndefined();
  });

  it('incomparable: a tuned case that ran another kernel variant gives no ratio; a file from before variants ran naive', () => {
    const variant = (id: string) => ({ variant: { id, description: id, choice: 'autotuned' as const } });
    const t22 = gemmCase(base, variant('t22'));
    const r4u4 = gemmCase(noisySamples(0.001, 60, 4), variant('r4u4'));
    const x = only(compareRuns(runWith([t22]), runWith([r4u4]), labels));
    expect(x).toMatchObject({ verdict: 'incomparable', reason: 'ran the t22 kernel, now r4u4' });
    expect(x.change).toBeUndefined();
    expect(only(compareRuns(runWith([gemmCase(base)]), runWith([gemmCase(base, variant('naive'))]), labels)).verdict).toBe('unchanged');
    expect(only(compareRuns(runWith([t22]), runWith([gemmCase(base, variant('t22'))]), labels)).verdict).toBe('unchanged');
  });

  it('incomparable: another gpu.js version, said loudly for every case', () => {
    const c = compareRuns(runWith([gemmCase(base)]), runWith([gemmCase(noisySamples(0.02, 60, 5))], (r) => (r.environment.gpujs = '2.25.0')), labels);
    expect(c.environment).toContainEqual({ what: 'gpu.js version', base: '2.24.1', head: '2.25.0', blocking: true });
    expect(only(c)).toMatchObject({ verdict: 'incomparable', reason: 'gpu.js version 2.24.1 against 2.25.0' });
    expect(gateExitCode(c)).toBe(0);
  });

  it('another Node.js is a warning, not a block', () => {
    const c = compareRuns(runWith([gemmCase(base)]), runWith([gemmCase(base)], (r) => (r.environment.node = 'v22.0.0')), labels);
    expect(c.environment).toEqual([{ what: 'Node.js', base: 'v20.0.0', head: 'v22.0.0', blocking: false }]);
    expect(only(c).verdict).toBe('unchanged');
  });

  it('strict: a missing or incomparable case fails the gate too', () => {
    const c = compareRuns(runWith([gemmCase(base), gemmCase(base, {}, 500)]), runWith([gemmCase(base)]), labels, { ...DEFAULT_COMPARE_OPTIONS, strict: true });
    expect(c.cases.map((x) => x.verdict).sort()).toEqual(['missing', 'unchanged']);
    expect(gateExitCode(c)).toBe(1);
    expect(gateExitCode({ ...c, options: DEFAULT_COMPARE_OPTIONS })).toBe(0);
  });

  it('refuses a file that holds one case twice', () => {
    expect(() => compareRuns(runWith([gemmCase(base), gemmCase(base)]), runWith([gemmCase(base)]), labels)).toThrow(
      /base\.json: case 'gemm\/fake\/f32\/m1000-n1000-k1000\/resident' appears twice/,
    );
  });

  it('refuses two files with no case in common', () => {
    expect(() => compareRuns(runWith([gemmCase(base)]), runWith([gemmCase(base, {}, 64)]), labels)).toThrow(
      /base\.json and head\.json have no case in common; compare two runs of the same suite/,
    );
  });
});

describe('compare: sensitivity on synthetic slowdowns of noisy samples', { timeout: 120_000 }, () => {
  // 200 trials: base and head drawn independently with +-5% noise; head slowed by the factor
  const trials = (factor: number) =>
    Array.from({ length: 200 }, (_, i) => {
      const b = noisySamples(0.01, 30, 1000 + i);
      const h = noisySamples(0.01 * factor, 30, 5000 + i);
      return only(compareRuns(runWith([gemmCase(b)]), runWith([gemmCase(h)]), labels)).verdict;
    });
  it('flags a 15% slowdown as regressed in at least 95% of trials', () => {
    const flagged = trials(1.15).filter((v) => v === 'regressed').length;
    expect(flagged / 200).toBeGreaterThanOrEqual(0.95);
  });
  it('never flags a 2% slowdown, nor the same distribution (a point estimate past 5% alone would flag the 2% once in 200)', () => {
    expect(trials(1.02).filter((v) => v === 'regressed')).toEqual([]);
    expect(trials(1).filter((v) => v !== 'unchanged')).toEqual([]);
  });
});

describe('compare with a history of earlier runs', () => {
  // five earlier runs whose levels differ by up to +-8% from run to run, as on a shared machine
  const levels = [0.0100, 0.0108, 0.0094, 0.0103, 0.0097];
  const history = levels.map((centre, i) => runWith([gemmCase(noisySamples(centre, 60, 300 + i))], (r) => (r.startedAt = `2026-11-2${i}T00:00:00.000Z`)));
  const baseRun = history.at(-1)!;
  it('does not flag a head inside the spread between runs, though its samples alone would', () => {
    const head = runWith([gemmCase(noisySamples(0.0108, 60, 400))]); // 11% slower than base, as fast as run 2
    expect(only(compareRuns(baseRun, head, labels)).verdict).toBe('regressed');
    const x = only(compareRuns(baseRun, head, labels, DEFAULT_COMPARE_OPTIONS, history));
    expect(x).toMatchObject({ verdict: 'unchanged', basis: 'history', history: { runs: 5 } });
  });
  it('flags a head far below every earlier run, when the samples agree', () => {
    const head = runWith([gemmCase(noisySamples(0.02, 60, 401))]); // half the rate
    const x = only(compareRuns(baseRun, head, labels, DEFAULT_COMPARE_OPTIONS, history));
    expect(x.verdict).toBe('regressed');
    expect(x.history!.change).toBeLessThan(x.history!.band.low);
    expect(x.change!).toBeCloseTo(0.0097 / 0.02 - 1, 1);
  });
  it('leaves out head itself when --history holds it', () => {
    const head = runWith([gemmCase(noisySamples(0.02, 60, 401))], (r) => (r.startedAt = '2026-11-30T00:00:00.000Z'));
    const x = only(compareRuns(baseRun, head, labels, DEFAULT_COMPARE_OPTIONS, [...history, head]));
    expect(x.history!.runs).toBe(5);
  });
  it('falls back to the samples with fewer than 3 earlier figures, and ignores runs of another gpu.js', () => {
    const other = history.slice(0, 3).map((r) => ({ ...r, environment: { ...r.environment, gpujs: '9.9.9' } }));
    const head = runWith([gemmCase(noisySamples(0.0108, 60, 400))]);
    expect(only(compareRuns(baseRun, head, labels, DEFAULT_COMPARE_OPTIONS, [history[0]!]))).toMatchObject({ basis: 'samples', verdict: 'regressed' });
    expect(only(compareRuns(baseRun, head, labels, DEFAULT_COMPARE_OPTIONS, other)).basis).toBe('samples');
  });
});

describe('compare: the two sides of an interleaved run', { timeout: 120_000 }, () => {
  /**
   * Both sides of one interleaved run. Pair i shares the machine's moment: both halves are multiplied by
   * spell(i) (a slower spell of the machine); head's half is `ratio(i)` times base's.
   */
  const pair = (n: number, spell: (i: number) => number, ratio: (i: number) => number, id = 'run-1') => {
    const sides = (side: 'base' | 'head') => {
      const medians = Array.from({ length: n }, (_, i) => 0.01 * spell(i) * (side === 'head' ? ratio(i) : 1));
      const c = gemmCase(medians.flatMap((m) => [m * 0.99, m, m * 1.01]));
      c.measurement!.slices = medians.map((medianSeconds) => ({ count: 3, medianSeconds }));
      // head carries `id`, base always 'run-1': another id makes them two different interleaved runs
      return runWith([c], (r) => (r.interleave = { id: side === 'head' ? id : 'run-1', side, base: '/base', slices: n }));
    };
    return { base: sides('base'), head: sides('head') };
  };
  const spells = (i: number) => (i % 5 === 2 ? 1.6 : i % 7 === 3 ? 1.3 : 1);

  it('judges a case on its paired slices: 15% slower through spells of +30% and +60% is regressed', () => {
    const { base, head } = pair(20, spells, () => 1.15);
    const c = only(compareRuns(base, head, labels));
    expect(c).toMatchObject({ verdict: 'regressed', basis: 'interleaved', pairs: 20 });
    expect(c.change).toBeCloseTo(1 / 1.15 - 1, 12);
    expect(c.p).toBeCloseTo(2 / 2 ** 20, 15);
  });

  it('does not flag the same build whose pairs a spell split three times', () => {
    // pairs 0, 7 and 13: the spell began between base's half and head's
    const split = (i: number) => (i === 0 || i === 7 || i === 13 ? 1.5 : 1 + 0.01 * ((i % 3) - 1));
    const { base, head } = pair(20, spells, split);
    const c = only(compareRuns(base, head, labels));
    expect(c.verdict).toBe('unchanged');
    expect(c.changeCi!.low).toBeLessThan(0);
    expect(c.changeCi!.high).toBeGreaterThan(0);
  });

  it('pairs only the two sides of one run: files of two interleaved runs are compared on their samples', () => {
    const { base, head } = pair(20, spells, () => 1.15, 'run-2');
    expect(only(compareRuns(base, head, labels)).basis).toBe('samples');
  });

  it('falls back to the samples when a side sampled a case alone (slice counts differ)', () => {
    const { base, head } = pair(20, spells, () => 1.15);
    head.cases[0]!.measurement!.slices = head.cases[0]!.measurement!.slices!.slice(0, 19);
    expect(only(compareRuns(base, head, labels)).basis).toBe('samples');
  });

  // 200 trials of 20 pairs: each pair has +-5% independent noise on each half and a shared spell of up to +60%
  const trials = (factor: number) =>
    Array.from({ length: 200 }, (_, t) => {
      const b = noisySamples(1, 20, 1000 + t);
      const h = noisySamples(1, 20, 5000 + t);
      const spell = noisySamples(1, 20, 9000 + t).map((x) => (x > 1.03 ? 1.6 : 1));
      const { base, head } = pair(20, (i) => spell[i]! * b[i]!, (i) => (factor * h[i]!) / b[i]!);
      return only(compareRuns(base, head, labels)).verdict;
    });
  it('flags a 15% slowdown in at least 95% of trials, whatever the spells', () => {
    expect(trials(1.15).filter((v) => v === 'regressed').length / 200).toBeGreaterThanOrEqual(0.95);
  });
  it('never flags a 2% slowdown, nor the same build', () => {
    expect(trials(1.02).filter((v) => v === 'regressed')).toEqual([]);
    expect(trials(1).filter((v) => v !== 'unchanged')).toEqual([]);
  });
});
