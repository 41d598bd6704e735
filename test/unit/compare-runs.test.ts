/**
 * Every verdict of a comparison, on runs built in code with forks: the three
 * answers and their boundary, direction, the unchanged case compared as
 * numbers, one fork per side, Holm over many cases, simulated hierarchical
 * noise, history, interleaved fork pairs, new, missing, failed (newly or
 * not), incomparable, the environment guard, and the gate's exit code.
 */
import { describe, expect, it } from 'vitest';
import { compareRuns, DEFAULT_COMPARE_OPTIONS, gateExitCode, type RunComparison } from '../../src/compare/compare-runs.js';
import { headlineOf } from '../../src/harness/forks.js';
import { mulberry32 } from '../../src/workloads/gemm/inputs.js';
import { forkOf, gemmCase, noisySamples, runWith } from '../helpers/run-result.js';

const labels = { base: 'base.json', head: 'head.json' };
const only = (c: RunComparison) => c.cases[0]!;

/** `n` forks around `center` seconds: fork i is center * exp(between * z_i) with +-within noise on its `samples` samples. */
function forksAround(center: number, n: number, between: number, within: number, seed: number, samples = 20): number[][] {
  const next = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return Array.from({ length: n }, () => {
    const level = center * Math.exp(between * normal());
    return Array.from({ length: samples }, () => level * (1 + within * (2 * next() - 1)));
  });
}

const base = forksAround(0.01, 5, 0.005, 0.01, 1);
const scaled = (forks: number[][], factor: number) => forks.map((f) => f.map((x) => x * factor));

describe('compare: verdicts from forks', () => {
  it('unchanged: the same forks give change 0 and an interval inside +-5% (numbers, not formatted strings)', () => {
    const c = compareRuns(runWith([gemmCase(base)]), runWith([gemmCase(scaled(base, 1))]), labels);
    expect(only(c)).toMatchObject({ verdict: 'unchanged', change: 0, basis: 'forks', forks: { base: 5, head: 5 } });
    expect(only(c).changeCi!.low).toBeGreaterThan(-0.05);
    expect(only(c).changeCi!.high).toBeLessThan(0.05);
    expect(c.claims).toBe(2);
    expect(gateExitCode(c)).toBe(0);
  });

  it('regressed: 15% slower (f32 rate down 13%): the whole interval past 5%; the gate fails; the detectable change is below 15%', () => {
    const c = compareRuns(runWith([gemmCase(base)]), runWith([gemmCase(forksAround(0.0115, 5, 0.005, 0.01, 2))]), labels);
    const x = only(c);
    expect(x.verdict).toBe('regressed');
    expect(x.change!).toBeCloseTo(1 / 1.15 - 1, 1);
    expect(x.changeCi!.high).toBeLessThan(-0.05);
    expect(x.p!).toBeLessThan(0.05);
    expect(x.mdc!).toBeGreaterThan(0.05);
    expect(x.mdc!).toBeLessThan(0.15);
    expect(x.figure).toMatchObject({ name: 'f32 rate', unit: 'GFLOP/s' });
    expect(gateExitCode(c)).toBe(1);
  });

  it('improved: 15% faster, direction aware (a bigger rate is better); the gate passes', () => {
    const c = compareRuns(runWith([gemmCase(base)]), runWith([gemmCase(forksAround(0.0087, 5, 0.005, 0.01, 3))]), labels);
    expect(only(c).verdict).toBe('improved');
    expect(only(c).changeCi!.low).toBeGreaterThan(0.05);
    expect(gateExitCode(c)).toBe(0);
  });

  it('a 2% slowdown measured precisely is unchanged: its whole interval lies within 5%', () => {
    const x = only(compareRuns(runWith([gemmCase(base)]), runWith([gemmCase(scaled(base, 1.02))]), labels));
    expect(x.verdict).toBe('unchanged');
    expect(x.change!).toBeCloseTo(1 / 1.02 - 1, 6);
  });

  it('a large change between widely spread forks is inconclusive, never unchanged; --strict fails on it', () => {
    const wide = forksAround(0.012, 3, 0.3, 0.01, 4);
    const c = compareRuns(runWith([gemmCase(forksAround(0.01, 3, 0.3, 0.01, 5))]), runWith([gemmCase(wide)]), labels);
    const x = only(c);
    expect(x.verdict).toBe('inconclusive');
    expect(x.changeCi!.low).toBeLessThan(-0.05);
    expect(x.changeCi!.high).toBeGreaterThan(-0.05);
    expect(x.reason).toMatch(/spans the threshold/);
    expect(gateExitCode(c)).toBe(0);
    expect(gateExitCode({ ...c, options: { ...DEFAULT_COMPARE_OPTIONS, strict: true } })).toBe(1);
  });

  it('one fork per side: 10 000 samples say nothing of the next process, so the verdict is inconclusive with the fix', () => {
    const one = noisySamples(0.01, 10_000, 6);
    const x = only(compareRuns(runWith([gemmCase(one)]), runWith([gemmCase(one.map((s) => s * 1.3))]), labels));
    expect(x).toMatchObject({ verdict: 'inconclusive' });
    expect(x.reason).toMatch(/one fork: the spread between processes is unknown; run with --forks 2 or more/);
    expect(x.mdc).toBeUndefined();
  });

  it('per-workload thresholds override the global one', () => {
    const head = forksAround(0.0115, 5, 0.005, 0.01, 2);
    const options = { ...DEFAULT_COMPARE_OPTIONS, workloadThresholds: { gemm: 0.3 } };
    expect(only(compareRuns(runWith([gemmCase(base)]), runWith([gemmCase(head)]), labels, options))).toMatchObject({ verdict: 'unchanged', threshold: 0.3 });
  });

  it('every verdict agrees with its interval, over a grid of changes and spreads (the boundary of unchanged and inconclusive)', () => {
    let seen = new Set<string>();
    for (const change of [0.9, 0.94, 0.96, 0.98, 1, 1.03, 1.05, 1.08, 1.2]) {
      for (const spread of [0.001, 0.01, 0.03, 0.1]) {
        const b = forksAround(0.01, 4, spread, 0.001, 7);
        const h = scaled(forksAround(0.01, 4, spread, 0.001, 8), change);
        const x = only(compareRuns(runWith([gemmCase(b)]), runWith([gemmCase(h)]), labels));
        const { low, high } = x.changeCi!;
        const expected = high < -0.05 ? 'regressed' : low > 0.05 ? 'improved' : low > -0.05 && high < 0.05 ? 'unchanged' : 'inconclusive';
        expect(x.verdict, `change ${change}, spread ${spread}: [${low}, ${high}]`).toBe(expected);
        seen.add(x.verdict);
      }
    }
    expect([...seen].sort()).toEqual(['improved', 'inconclusive', 'regressed', 'unchanged']);
  });

  it('moderates a case\'s spread towards its group\'s: 3 forks that happened to agree within 1% are judged with a wider spread', () => {
    // measured here: a tuned headlessgl GEMM whose 3 forks agreed within 2% in each of two runs, while the other
    // cases of its backend and workload spread 5-10% between forks; its own 3 + 3 forks alone would claim a
    // precision nothing else in the run had
    const tight = (center: number, seed: number) => forksAround(center, 3, 0.01, 0.001, seed);
    const others = (seed: number) => Array.from({ length: 6 }, (_, i) => gemmCase(forksAround(0.01, 3, 0.08, 0.01, seed + i), {}, 200 + i));
    const c = compareRuns(runWith([gemmCase(tight(0.02, 1)), ...others(10)]), runWith([gemmCase(tight(0.022, 2)), ...others(20)]), labels);
    const x = c.cases.find((y) => y.id === gemmCase([1]).id)!;
    const alone = only(compareRuns(runWith([gemmCase(tight(0.02, 1))]), runWith([gemmCase(tight(0.022, 2))]), labels));
    expect(alone.spreadModel).toBeUndefined();
    expect(x.spreadModel!.prior).toMatchObject({ scope: 'group', key: 'fake gemm' });
    const own = Math.sqrt((x.spread!.base! ** 2 + x.spread!.head! ** 2) / 2);
    expect(x.spreadModel!.sdLog).toBeGreaterThan(2 * own);
    // its own forks alone call a 9% slowdown regressed; judged with its group's spread it is not
    expect(alone.verdict).toBe('regressed');
    expect(x.verdict).toBe('inconclusive');
    expect(x.changeCi!.high - x.changeCi!.low).toBeGreaterThan(alone.changeCi!.high - alone.changeCi!.low);
  });

  it('holds the error rate over the whole comparison: 40 cases, 80 claims, intervals at Holm levels', () => {
    const cases = (seed: number, factor = 1) =>
      Array.from({ length: 40 }, (_, i) => gemmCase(scaled(forksAround(0.01, 5, 0.01, 0.01, seed + i), factor), {}, 100 + i));
    const c = compareRuns(runWith(cases(100)), runWith(cases(500)), labels);
    expect(c.claims).toBe(80);
    for (const x of c.cases) expect(x.changeCi!.level).toBeGreaterThan(1 - 0.05);
    expect(c.counts.regressed + c.counts.improved).toBe(0);
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
    const r4u4 = gemmCase(forksAround(0.001, 5, 0.005, 0.01, 9), variant('r4u4'));
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

  it('a head that failed before its first figure (no id in common, one failed case) is a failure, not a wrong pair', () => {
    const died = { ...gemmCase(base, {}, 64), outcome: 'error' as const, reason: 'nccl-tests failed: Test CUDA failure' };
    const c = compareRuns(runWith([gemmCase(base)]), runWith([died]), labels);
    expect(c.counts).toMatchObject({ failed: 1, missing: 1 });
    expect(c.cases.find((x) => x.verdict === 'failed')!.newlyFailed).toBe(true);
    expect(gateExitCode(c)).toBe(1);
  });
});

describe('compare: simulated hierarchical noise, the spread between forks 10x that within', { timeout: 120_000 }, () => {
  // 300 trials of one case: 8 forks a side, between-fork sd 2% of ln time, within +-0.2%
  const trials = (factor: number) =>
    Array.from({ length: 300 }, (_, t) => {
      const b = forksAround(0.01, 8, 0.02, 0.002, 10_000 + t);
      const h = forksAround(0.01 * factor, 8, 0.02, 0.002, 20_000 + t);
      return only(compareRuns(runWith([gemmCase(b)]), runWith([gemmCase(h)]), labels));
    });
  it('A/A: no trial gives a regressed or improved verdict, though pooled samples would call most of them changed', () => {
    const same = trials(1);
    expect(same.filter((x) => x.verdict === 'regressed' || x.verdict === 'improved')).toEqual([]);
    // the evidence is real: the forks' between-process spread is what the samples inside one process cannot show
    const pooledWouldFlag = same.filter((x) => Math.abs(x.change!) > 0.01).length;
    expect(pooledWouldFlag).toBeGreaterThan(30);
  });
  it('a 15% slowdown is regressed in at least 95% of trials, and never unchanged', () => {
    const slow = trials(1.15);
    expect(slow.filter((x) => x.verdict === 'regressed').length / 300).toBeGreaterThanOrEqual(0.95);
    expect(slow.filter((x) => x.verdict === 'unchanged')).toEqual([]);
    for (const x of slow) expect(x.mdc!).toBeLessThan(0.15);
  });
});

describe('compare with a history of earlier runs', () => {
  // five earlier runs whose levels differ by up to +-8% from run to run, as on a shared machine
  const levels = [0.0100, 0.0108, 0.0094, 0.0103, 0.0097];
  const history = levels.map((centre, i) => runWith([gemmCase(forksAround(centre, 5, 0.002, 0.01, 300 + i))], (r) => (r.startedAt = `2026-11-2${i}T00:00:00.000Z`)));
  const baseRun = history.at(-1)!;
  it('a head inside the spread between runs is not regressed, though its forks alone say so: inconclusive', () => {
    const head = runWith([gemmCase(forksAround(0.0108, 5, 0.002, 0.01, 400))]); // 11% slower than base, as fast as run 2
    expect(only(compareRuns(baseRun, head, labels)).verdict).toBe('regressed');
    const x = only(compareRuns(baseRun, head, labels, DEFAULT_COMPARE_OPTIONS, history));
    expect(x).toMatchObject({ verdict: 'inconclusive', basis: 'history', history: { runs: 5 } });
    expect(x.reason).toMatch(/within the spread of the 5 earlier runs/);
  });
  it('flags a head far below every earlier run, when the forks agree', () => {
    const head = runWith([gemmCase(forksAround(0.02, 5, 0.002, 0.01, 401))]); // half the rate
    const x = only(compareRuns(baseRun, head, labels, DEFAULT_COMPARE_OPTIONS, history));
    expect(x.verdict).toBe('regressed');
    expect(x.history!.change).toBeLessThan(x.history!.band.low);
    expect(x.change!).toBeCloseTo(0.0097 / 0.02 - 1, 1);
  });
  it('leaves out head itself when --history holds it', () => {
    const head = runWith([gemmCase(forksAround(0.02, 5, 0.002, 0.01, 401))], (r) => (r.startedAt = '2026-11-30T00:00:00.000Z'));
    const x = only(compareRuns(baseRun, head, labels, DEFAULT_COMPARE_OPTIONS, [...history, head]));
    expect(x.history!.runs).toBe(5);
  });
  it('falls back to the forks with fewer than 3 earlier figures, and ignores runs of another gpu.js', () => {
    const other = history.slice(0, 3).map((r) => ({ ...r, environment: { ...r.environment, gpujs: '9.9.9' } }));
    const head = runWith([gemmCase(forksAround(0.0108, 5, 0.002, 0.01, 400))]);
    expect(only(compareRuns(baseRun, head, labels, DEFAULT_COMPARE_OPTIONS, [history[0]!]))).toMatchObject({ basis: 'forks', verdict: 'regressed' });
    expect(only(compareRuns(baseRun, head, labels, DEFAULT_COMPARE_OPTIONS, other)).basis).toBe('forks');
  });
});

describe('compare: the two sides of an interleaved run, fork pair by fork pair', { timeout: 120_000 }, () => {
  /**
   * Both sides of one interleaved run of `n` fork pairs. Fork pair i shares a process-pair level `level(i)` (the
   * machine's moment and whatever the two processes drew); head's fork is `ratio(i)` times base's; each fork has
   * 20 slices of 3 samples.
   */
  const pair = (n: number, level: (i: number) => number, ratio: (i: number) => number, id = 'run-1') => {
    const sides = (side: 'base' | 'head') => {
      const forks = Array.from({ length: n }, (_, i) => {
        const m = 0.01 * level(i) * (side === 'head' ? ratio(i) : 1);
        const samples = Array.from({ length: 20 }, () => [m * 0.99, m, m * 1.01]).flat();
        return { ...forkOf(samples), slices: Array.from({ length: 20 }, () => ({ count: 3, medianSeconds: m })) };
      });
      const c = gemmCase([[1]]);
      const measurement = headlineOf(forks);
      return runWith([{ ...c, measurement }], (r) => (r.interleave = { id: side === 'head' ? id : 'run-1', side, base: '/base', slices: 20 }));
    };
    return { base: sides('base'), head: sides('head') };
  };
  const levels = (i: number) => [1, 1.6, 0.8, 1.3, 1.1, 0.9][i % 6]!;

  it('judges a case on its fork pairs: 15% slower through process levels 0.8x to 1.6x is regressed', () => {
    const { base, head } = pair(6, levels, (i) => 1.15 * (1 + 0.005 * ((i % 3) - 1)));
    const c = only(compareRuns(base, head, labels));
    expect(c).toMatchObject({ verdict: 'regressed', basis: 'interleaved', forks: { base: 6, head: 6 } });
    expect(c.change).toBeCloseTo(1 / 1.15 - 1, 3);
  });

  it('does not flag the same build whose process pairs differ by +-1%', () => {
    const { base, head } = pair(6, levels, (i) => 1 + 0.01 * ((i % 3) - 1));
    const c = only(compareRuns(base, head, labels));
    expect(c.verdict).toBe('unchanged');
    expect(c.changeCi!.low).toBeLessThan(0);
    expect(c.changeCi!.high).toBeGreaterThan(0);
  });

  it('an adaptive run that could look 3 times splits alpha over the looks: the same pairs, a wider interval', () => {
    const { base, head } = pair(6, levels, (i) => 1.15 * (1 + 0.005 * ((i % 3) - 1)));
    const once = only(compareRuns(base, head, labels));
    for (const run of [base, head]) run.interleave!.looks = 3;
    const c = compareRuns(base, head, labels);
    expect(c.looks).toBe(3);
    expect(c.options.alpha).toBeCloseTo(0.05 / 3, 15);
    expect(only(c).changeCi!.level).toBeGreaterThan(once.changeCi!.level);
    expect(only(c).changeCi!.high - only(c).changeCi!.low).toBeGreaterThan(once.changeCi!.high - once.changeCi!.low);
  });

  it('one fork pair is inconclusive, with the fix', () => {
    const { base, head } = pair(1, levels, () => 1.3);
    const c = only(compareRuns(base, head, labels));
    expect(c.verdict).toBe('inconclusive');
    expect(c.reason).toMatch(/one fork pair: .* --forks 2 or more/);
  });

  it('pairs only the two sides of one run: files of two interleaved runs are compared as separate runs', () => {
    const { base, head } = pair(6, levels, () => 1.15, 'run-2');
    expect(only(compareRuns(base, head, labels)).basis).toBe('forks');
  });
});
