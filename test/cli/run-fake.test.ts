/**
 * The CLI end to end through the fake backends: stdout, the JSON file,
 * exit codes, fallback detection, verification failures, crashes and hangs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRunResult } from '../../src/results/read-result.js';
import { runCli, startCli, tempDir } from '../helpers/cli.js';

// the naive kernel only: these tests are about the runner; test/cli/variants.test.ts covers the tuned cases
const FAST = ['--workloads', 'gemm', '--variant', 'naive', '--profile', 'smoke', '--time-budget', '5', '--min-samples', '3', '--warmup-time', '0', '--warmup-iterations', '0'];

/** The cases of `--sizes 8,3x5x7` with FAST, in the plan's order: shape by shape, each shape's timings in turn. */
const TWO_SHAPES_IN_PLAN_ORDER = [
  'gemm/fake/f32/m8-n8-k8/end-to-end',
  'gemm/fake/f32/m8-n8-k8/resident',
  'gemm/fake/f32/m3-n5-k7/end-to-end',
  'gemm/fake/f32/m3-n5-k7/resident',
];

/**
 * The processes whose parent is `pid`, as 'PID ARGS' lines. ps exits 1 when it finds none (between one worker's exit
 * and the next one's start): that is an empty list to poll again, not an error.
 */
function childrenOf(pid: number): string[] {
  try {
    return execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' }).trim().split('\n');
  } catch (error) {
    if ((error as { status?: number }).status === 1) return [];
    throw error;
  }
}

describe('chipbench run with the fake backend', { timeout: 60_000 }, () => {
  it("measures every case in --forks worker processes: each fork's samples and verdicts kept, the headline from the forks", async () => {
    const out = join(tempDir(), 'forks.json');
    const r = await runCli(['run', '--backends', 'fake', '--sizes', '8', ...FAST, '--forks', '3', '--timings', 'resident', '-o', out]);
    expect(r.code).toBe(0);
    const result = readRunResult(out);
    expect(result.options.forks).toBe(3);
    const [c] = result.cases;
    const m = c!.measurement!;
    expect(m.forkCount).toBe(3);
    expect(m.intervalFrom).toBe('forks');
    const logs = m.forks.map((f) => Math.log(f.medianSeconds));
    const mean = logs.reduce((a, b) => a + b, 0) / 3;
    // the headline is the geometric mean of the forks' medians, never the pooled samples' median
    expect(m.medianSeconds).toBeCloseTo(Math.exp(mean), 15);
    expect(m.betweenForkSdLog!).toBeCloseTo(Math.sqrt(logs.reduce((a, x) => a + (x - mean) ** 2, 0) / 2), 12);
    expect(m.sampleCount).toBe(m.forks.reduce((n, f) => n + f.sampleCount, 0));
    // a sliced fork whose level moved only between slices is 'moved', counted apart
    expect(m.steadyForks + m.driftingForks + m.uncheckedForks + (m.movedForks ?? 0)).toBe(3);
    for (const f of m.forks) {
      expect(f.steadyState.status).toMatch(/^(steady|drifting|unchecked|moved)$/);
      expect(f.warmupState).toMatch(/^(steady|drifting|unchecked)$/);
    }
    // the figure follows the headline
    expect(c!.workload === 'gemm' && c!.metrics!.medianTflops).toBeCloseTo(2 * 8 ** 3 / m.medianSeconds / 1e12, 12);
    // the progress counts every fork of every case
    expect(r.stderr).toContain('[3/3 done]');
  });

  it("takes each case's samples in --time-slices slices, in turn with the worker's other cases, and lists the cases in plan order", async () => {
    const out = join(tempDir(), 'slices.json');
    const r = await runCli(['run', '--backends', 'fake', '--sizes', '8,3x5x7', ...FAST, '--forks', '2', '--time-slices', '4', '-o', out]);
    expect(r.code).toBe(0);
    const result = readRunResult(out);
    expect(result.options.timeSlices).toBe(4);
    // the worker opens both shapes' jobs at once and finishes them in its own order; the file keeps the plan's
    expect(result.cases.map((c) => c.id)).toEqual(TWO_SHAPES_IN_PLAN_ORDER);
    for (const c of result.cases) {
      for (const f of c.measurement!.forks) {
        // a fast case takes every slice, and each slice's samples are kept in the fork, in order
        expect(f.slices).toHaveLength(4);
        expect(f.slices!.reduce((n, s) => n + s.count, 0)).toBe(f.sampleCount);
        expect(f.slices![0]!.medianSeconds).toBeGreaterThan(0);
      }
    }
    // one slice: each case in one go, as before, with no slices recorded
    const one = join(tempDir(), 'one.json');
    expect((await runCli(['run', '--backends', 'fake', '--sizes', '8', ...FAST, '--forks', '1', '--time-slices', '1', '-o', one])).code).toBe(0);
    const single = readRunResult(one);
    expect(single.options.timeSlices).toBe(1);
    expect(single.cases[0]!.measurement!.forks[0]!.slices).toBeUndefined();
  });

  it('prints the table, writes a valid RunResult and exits 0', async () => {
    const out = join(tempDir(), 'run.json');
    const r = await runCli(['run', '--backends', 'fake', '--sizes', '8,3x5x7', ...FAST, '--wide', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/fake\s+.*\[CPU\]\s+8x8x8\s+end-to-end\s+naive \(reference\)\s+\S+ \S+s\s+\S+ [kMG]?FLOP\/s ±(\d+\.\d|>50)%\s+2 forks, spread \d+\.\d%.*yes: err/);
    expect(r.stdout).toContain('3x5x7');
    expect(r.stdout).toContain('f32 rate');
    const result = readRunResult(out);
    expect(result.status).toBe('complete');
    expect(result.cases.map((c) => c.id)).toEqual(TWO_SHAPES_IN_PLAN_ORDER);
    for (const c of result.cases) {
      expect(c.outcome).toBe('ok');
      expect(c.executed?.backend).toBe('fake');
      expect(c.verification?.passed).toBe(true);
      expect(c.verification?.recheckedAfterTiming).toBe(true);
      // the smoke profile's two forks, each with at least --min-samples samples
      expect(c.measurement!.forks.map((f) => f.samplesSeconds.length)).toEqual(c.measurement!.forks.map((f) => f.sampleCount));
      expect(c.measurement!.forkCount).toBe(2);
      for (const f of c.measurement!.forks) expect(f.sampleCount).toBeGreaterThanOrEqual(3);
      expect(c.metrics!.flop).toBe(2 * c.shape.m * c.shape.n * c.shape.k);
      expect(c.metrics!.medianTflops).toBeCloseTo(c.metrics!.flop / c.measurement!.medianSeconds / 1e12, 12);
    }
    expect(result.environment.node).toBe(process.version);
    expect(result.environment.gpujs).toBe('2.24.1');
    expect(result.options.shapes).toEqual([{ m: 8, n: 8, k: 8 }, { m: 3, n: 5, k: 7 }]);
  });

  it('--json prints the same RunResult to stdout', async () => {
    const out = join(tempDir(), 'run.json');
    const r = await runCli(['run', '--backends', 'fake', '--sizes', '4', '--timings', 'resident', ...FAST, '-o', out, '--json']);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout);
    expect(printed).toEqual(JSON.parse(readFileSync(out, 'utf8')));
    expect(printed.cases).toHaveLength(1);
    expect(r.stderr).toContain('gemm/fake/f32/m4-n4-k4/resident');
  });

  it('fails a case whose backend was silently replaced, and exits 1', async () => {
    const out = join(tempDir(), 'run.json');
    const r = await runCli(['run', '--backends', 'fake-fallback', '--sizes', '4', ...FAST, '-o', out]);
    expect(r.code).toBe(1);
    const result = readRunResult(out);
    // The probe already sees the fallback: the backend is marked replaced, and each of its cases is a failure.
    expect(result.backends[0]).toMatchObject({ available: false, replacedBy: 'cpu' });
    expect(result.backends[0]!.reason).toContain("instead of the requested 'fake-fallback'");
    expect(result.cases).toHaveLength(2);
    for (const c of result.cases) {
      expect(c.outcome).toBe('error');
      expect(c.reason).toContain("instead of the requested 'fake-fallback'");
      expect(c.measurement).toBeUndefined();
    }
  });

  it('records a verification failure with its error figure and never times it', async () => {
    const out = join(tempDir(), 'run.json');
    const r = await runCli(['run', '--backends', 'fake-wrong,fake', '--sizes', '16', ...FAST, '--wide', '-o', out]);
    expect(r.code).toBe(1);
    const result = readRunResult(out);
    const wrong = result.cases.filter((c) => c.backend === 'fake-wrong');
    expect(wrong).toHaveLength(2);
    for (const c of wrong) {
      expect(c.outcome).toBe('error');
      expect(c.reason).toMatch(/verification failed: 1 of 256 elements wrong/);
      expect(c.verification?.passed).toBe(false);
      expect(c.verification!.maxRelError!).toBeGreaterThan(c.verification!.bound);
      expect(c.measurement).toBeUndefined();
    }
    expect(result.cases.filter((c) => c.backend === 'fake' && c.outcome === 'ok')).toHaveLength(2);
    expect(r.stdout).toContain('NO: err');
  });

  it('reports no figure for a kernel that stops computing and leaves its earlier output in place', async () => {
    const out = join(tempDir(), 'run.json');
    const r = await runCli(['run', '--backends', 'fake', '--sizes', '8', ...FAST, '-o', out], { CHIPBENCH_FAKE_STALE_OUTPUT: '1' });
    expect(r.code).toBe(1);
    const result = readRunResult(out);
    expect(result.cases).toHaveLength(2);
    for (const c of result.cases) {
      expect(c.outcome).toBe('error');
      expect(c.reason).toMatch(/^fork 1 of 2: after timing, one more call with A doubled did not return 2C \(64 of 64 elements wrong\)/);
      expect(c.metrics).toBeUndefined();
      expect(c.verification).toMatchObject({ passed: true, recheckedAfterTiming: false }); // it verified before timing: only the re-check catches it
    }
  });

  it('survives a worker that crashes: the case fails, the next shape and the next backend still run', async () => {
    const out = join(tempDir(), 'run.json');
    const r = await runCli(['run', '--backends', 'fake-crash,fake', '--sizes', '4,5', ...FAST, '-o', out]);
    expect(r.code).toBe(1);
    const byId = new Map(readRunResult(out).cases.map((c) => [c.id, c]));
    expect(byId.get('gemm/fake-crash/f32/m4-n4-k4/end-to-end')!.outcome).toBe('ok');
    expect(byId.get('gemm/fake-crash/f32/m4-n4-k4/resident')!.reason).toContain('killed by SIGKILL');
    expect(byId.get('gemm/fake-crash/f32/m5-n5-k5/end-to-end')!.outcome).toBe('ok');
    expect(byId.get('gemm/fake-crash/f32/m5-n5-k5/resident')!.outcome).toBe('error');
    expect(byId.get('gemm/fake/f32/m5-n5-k5/resident')!.outcome).toBe('ok');
    expect(byId.size).toBe(8);
  });

  it('ends a hanging case with the watchdog and goes on', async () => {
    const out = join(tempDir(), 'run.json');
    const r = await runCli(['run', '--backends', 'fake-hang,fake', '--sizes', '4', '--case-timeout', '2', ...FAST, '-o', out]);
    expect(r.code).toBe(1);
    const result = readRunResult(out);
    const hung = result.cases.find((c) => c.id === 'gemm/fake-hang/f32/m4-n4-k4/resident')!;
    expect(hung.outcome).toBe('error');
    expect(hung.reason).toMatch(/^fork 1 of 2: watchdog: the case ran longer than 2 s/);
    expect(result.cases.filter((c) => c.backend === 'fake' && c.outcome === 'ok')).toHaveLength(2);
  });

  it('keeps the other backends\' results when a backend worker is killed with kill -9 from outside', async () => {
    const out = join(tempDir(), 'run.json');
    const { child, done } = startCli(['run', '--backends', 'fake,fake-hang,cpu', '--sizes', '8', '--timings', 'resident', ...FAST, '-o', out]);
    // Wait until fake's case is in the file: the probes are over and the next worker is fake-hang's.
    const deadline = Date.now() + 30_000;
    let killed = false;
    while (!killed && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      if (!existsSync(out) || !readFileSync(out, 'utf8').includes('gemm/fake/f32/m8-n8-k8/resident')) continue;
      // Workers carry their backend name in argv; pick fake-hang's (fake's own worker may still be exiting).
      const lines = childrenOf(child.pid!);
      const hang = lines.find((l) => / fake-hang$/.test(l.trim()));
      if (hang) {
        process.kill(Number(hang.trim().split(/\s+/)[0]), 'SIGKILL');
        killed = true;
      }
    }
    expect(killed).toBe(true);
    const r = await done;
    expect(r.code).toBe(1);
    const result = readRunResult(out);
    expect(result.status).toBe('complete');
    const outcomes = Object.fromEntries(result.cases.map((c) => [c.id, c.outcome]));
    expect(outcomes).toEqual({
      'gemm/fake/f32/m8-n8-k8/resident': 'ok',
      'gemm/fake-hang/f32/m8-n8-k8/resident': 'error',
      'gemm/cpu/f32/m8-n8-k8/resident': 'ok',
    });
    expect(result.cases[1]!.reason).toContain('killed by SIGKILL');
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('on %s to the whole process group keeps the finished cases and marks the file incomplete', async (signal, code) => {
    const out = join(tempDir(), 'run.json');
    const { child, done } = startCli(['run', '--backends', 'fake,fake-hang', '--sizes', '8', '--timings', 'resident', ...FAST, '-o', out]);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      if (existsSync(out) && readFileSync(out, 'utf8').includes('gemm/fake/f32/m8-n8-k8/resident')) break;
    }
    await new Promise((r) => setTimeout(r, 300));
    process.kill(-child.pid!, signal); // like Ctrl-C in a terminal: the runner and its worker both get it
    const r = await done;
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(`${signal} received`);
    const result = readRunResult(out);
    expect(result.status).toBe('incomplete');
    // Only the finished case: the hanging one was stopped by the runner, not recorded as a crash.
    expect(result.cases.map((c) => c.id)).toEqual(['gemm/fake/f32/m8-n8-k8/resident']);
  });
});
