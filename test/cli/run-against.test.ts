/**
 * Interleaved runs end to end through the fake backends: `chipbench run
 * --against DIR` with this very build as the base. Both files, their slices,
 * the paired comparison and its exit code; failures and crashes on both
 * sides without a hang; and every bad input of the option.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { compareRuns, gateExitCode } from '../../src/compare/compare-runs.js';
import { headlineOf } from '../../src/harness/forks.js';
import { readRunResult } from '../../src/results/read-result.js';
import type { RunResult } from '../../src/results/schema.js';
import { runCli, startCli, tempDir } from '../helpers/cli.js';

const REPO = resolve(import.meta.dirname, '../..');

/** The run as it stood after its first `forks` fork pairs. */
function truncated(run: RunResult, forks: number): RunResult {
  return { ...run, cases: run.cases.map((c) => (c.measurement ? { ...c, measurement: headlineOf(c.measurement.forks.slice(0, forks)) } : c)) };
}
const FAST = ['--variant', 'naive', '--profile', 'smoke', '--time-budget', '24', '--slices', '12', '--warmup-time', '0', '--warmup-iterations', '0'];

describe('chipbench run --against', { timeout: 120_000 }, () => {
  it('runs both builds slice by slice, writes both files and gates on their paired comparison', async () => {
    const dir = tempDir();
    const out = join(dir, 'head.json');
    const r = await runCli(['run', '--backends', 'fake', '--workloads', 'gemm,stream', ...FAST, '--wide', '--against', REPO, '-o', out]);
    const head = readRunResult(out);
    const base = readRunResult(join(dir, 'head.base.json'));
    expect(head.interleave).toMatchObject({ side: 'head', base: REPO, slices: 12 });
    expect(base.interleave).toMatchObject({ side: 'base', base: REPO, slices: 12 });
    expect(base.interleave!.id).toBe(head.interleave!.id);
    // both builds' workers on one CPU by default, recorded on both sides
    expect(head.options.pinCpu).toBe(availableParallelism() - 1);
    expect(base.options.pinCpu).toBe(availableParallelism() - 1);
    expect(base.cases.map((c) => c.id)).toEqual(head.cases.map((c) => c.id));
    expect(head.cases.length).toBe(8);
    for (const c of [...head.cases, ...base.cases]) {
      expect(c.outcome).toBe('ok');
      const m = c.measurement!;
      // the smoke profile's two forks at least (more where the case was still inconclusive), each a pair of processes
      // taking slices side by side
      expect(m.forkCount).toBeGreaterThanOrEqual(2);
      for (const fork of m.forks) {
        expect(fork.slices).toHaveLength(12);
        // the slices partition the fork's samples, in order
        expect(fork.slices!.reduce((n, s) => n + s.count, 0)).toBe(fork.sampleCount);
        let offset = 0;
        for (const s of fork.slices!) {
          const own = fork.samplesSeconds.slice(offset, offset + s.count).sort((a, b) => a - b);
          const mid = own.length % 2 ? own[(own.length - 1) / 2]! : (own[own.length / 2 - 1]! + own[own.length / 2]!) / 2;
          expect(s.medianSeconds).toBeCloseTo(mid, 15);
          offset += s.count;
        }
      }
    }
    // in every fork pair, exactly one side of every case took its first slice
    for (const c of head.cases) {
      const peer = base.cases.find((b) => b.id === c.id)!;
      c.measurement!.forks.forEach((fork, i) => {
        expect(typeof fork.tookFirstSlice).toBe('boolean');
        expect(peer.measurement!.forks[i]!.tookFirstSlice).toBe(!fork.tookFirstSlice);
      });
    }
    const comparison = compareRuns(base, head, { base: 'base', head: 'head' });
    expect(comparison.interleaved).toBe(true);
    expect(comparison.cases.every((c) => c.basis === 'interleaved' && c.forks!.base >= 2 && c.forks!.head === c.forks!.base)).toBe(true);
    expect(r.code).toBe(gateExitCode(comparison));
    expect(r.stdout).toContain('Base and head ran interleaved, fork beside fork');
    expect(r.stdout).toMatch(/\d fork pairs/);
    expect(r.stdout).toContain(`Base result file: ${join(dir, 'head.base.json')}`);
  });

  it('fails a crashing case on both sides and measures the rest: nobody waits for a dead peer', async () => {
    const dir = tempDir();
    const out = join(dir, 'head.json');
    const r = await runCli(['run', '--backends', 'fake-crash', '--workloads', 'gemm', '--sizes', '4', ...FAST, '--against', REPO, '-o', out]);
    expect(r.code).toBe(1);
    for (const run of [readRunResult(out), readRunResult(join(dir, 'head.base.json'))]) {
      const byTiming = Object.fromEntries(run.cases.map((c) => [c.timing, c]));
      expect(byTiming['end-to-end']!.outcome).toBe('ok');
      expect(byTiming['end-to-end']!.measurement!.forks.every((f) => f.slices?.length === 12)).toBe(true);
      expect(byTiming['resident']!.outcome).toBe('error');
      expect(byTiming['resident']!.reason).toMatch(/killed by SIGKILL/);
    }
  });

  it('adds fork pairs only to the cases still inconclusive, up to --max-forks, and splits alpha over the looks', async () => {
    const dir = tempDir();
    const out = join(dir, 'head.json');
    const r = await runCli(['run', '--backends', 'fake', '--workloads', 'gemm,stream', ...FAST, '--forks', '2', '--max-forks', '4', '--against', REPO, '-o', out]);
    const head = readRunResult(out);
    const base = readRunResult(join(dir, 'head.base.json'));
    expect(head.interleave!.looks).toBe(3);
    for (const run of [head, base]) for (const c of run.cases) expect(c.measurement!.forkCount).toBeGreaterThanOrEqual(2);
    // the two sides always hold the same fork pairs
    for (const c of head.cases) expect(c.measurement!.forkCount).toBe(base.cases.find((b) => b.id === c.id)!.measurement!.forkCount);
    const comparison = compareRuns(base, head, { base: 'base', head: 'head' });
    expect(comparison.looks).toBe(3);
    expect(comparison.options.alpha).toBeCloseTo(0.05 / 3, 15);
    for (const c of comparison.cases) {
      const forks = head.cases.find((h) => h.id === c.id)!.measurement!.forkCount;
      expect(forks).toBeLessThanOrEqual(4);
      // a case that got added pairs was inconclusive after the pairs before it; one decided early got none
      if (c.verdict !== 'inconclusive' && forks > 2) {
        const earlier = compareRuns(truncated(base, forks - 1), truncated(head, forks - 1), { base: 'base', head: 'head' });
        expect(earlier.cases.find((x) => x.id === c.id)!.verdict).toBe('inconclusive');
      }
    }
    expect(r.stdout).toContain("split over the run's 3 looks");
    expect(r.code).toBe(gateExitCode(comparison));
  });

  it('adds no pair once --max-time has passed, though --max-forks allows more', async () => {
    const dir = tempDir();
    const out = join(dir, 'head.json');
    await runCli(['run', '--backends', 'fake', '--workloads', 'stream', ...FAST, '--forks', '2', '--max-forks', '4', '--max-time', '0.001', '--against', REPO, '-o', out]);
    const head = readRunResult(out);
    expect(head.interleave!.looks).toBe(3);
    expect(head.cases.every((c) => c.measurement!.forkCount === 2)).toBe(true);
  });

  it('adds no pair when --max-forks is --forks: one look', async () => {
    const dir = tempDir();
    const out = join(dir, 'head.json');
    await runCli(['run', '--backends', 'fake', '--workloads', 'stream', ...FAST, '--forks', '2', '--max-forks', '2', '--against', REPO, '-o', out]);
    const head = readRunResult(out);
    expect(head.interleave!.looks).toBe(1);
    expect(head.cases.every((c) => c.measurement!.forkCount === 2)).toBe(true);
  });

  it('stops both builds on Ctrl-C while one hangs mid-case, and keeps both files', async () => {
    const dir = tempDir();
    const out = join(dir, 'head.json');
    // fake then fake-hang: fake's case finishes on both sides, then both workers hang in fake-hang's verification
    const { child, done } = startCli(['run', '--backends', 'fake,fake-hang', '--sizes', '8', '--timings', 'resident', '--workloads', 'gemm', ...FAST, '--against', REPO, '-o', out]);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      if (existsSync(out) && readFileSync(out, 'utf8').includes('gemm/fake/f32/m8-n8-k8/resident')) break;
    }
    await new Promise((r) => setTimeout(r, 500));
    process.kill(-child.pid!, 'SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    for (const run of [readRunResult(out), readRunResult(join(dir, 'head.base.json'))]) {
      expect(run.status).toBe('incomplete');
      expect(run.cases.map((c) => c.id)).toEqual(['gemm/fake/f32/m8-n8-k8/resident']);
    }
  });

  it('refuses bad input with one line and exit code 2', async () => {
    const dir = tempDir();
    const out = join(dir, 'r.json');
    const noBuild = join(dir, 'not-built');
    mkdirSync(noBuild);
    writeFileSync(join(noBuild, 'package.json'), '{"name":"chipbench"}');
    const cases: [string[], RegExp][] = [
      [['--against', join(dir, 'missing')], /--against: .*missing is not a chipbench checkout \(no package\.json\)/],
      [['--against', noBuild], /--against: no chipbench in .*not-built: neither a built chipbench checkout \(.*worker\.js is missing\) nor a project with chipbench installed; run 'npm ci' there \(and 'npm run build' in a chipbench checkout\)/],
      [['--against', REPO, '--slices', '11'], /--slices: '11' is too few slices to judge a case on its pairs; give an integer of at least 12/],
      [['--against', REPO, '--threshold', '-3'], /--threshold: '-3' is not a percentage/],
      [['--against-output', join(dir, 'b.json')], /--against-output: it names the base side of an interleaved run; give --against BASE_DIR too, or drop it/],
      [['--against', REPO, '--baseline', out], /Arguments against and baseline are mutually exclusive/],
      [['--against', REPO, '--against-output', out], /--against-output: it is the result file too/],
      [['--against', REPO, '--against-output', join(dir, 'no-such-folder', 'b.json')], /--against-output: folder .* does not exist/],
      [['--max-forks', '4'], /--max-forks: it bounds the fork pairs an interleaved run adds; give --against BASE_DIR too, or drop it/],
      [['--max-time', '60'], /--max-time: it bounds the fork pairs an interleaved run adds; give --against BASE_DIR too, or drop it/],
      [['--against', REPO, '--forks', '3', '--max-forks', '2'], /--max-forks: 2 is fewer than --forks \(3\); give at least --max-forks 3/],
      [['--against', REPO, '--max-forks', '2.5'], /--max-forks: '2\.5' is not a positive integer/],
      [['--against', REPO, '--max-time', '0'], /--max-time: '0' is not a positive number/],
    ];
    for (const [args, message] of cases) {
      const budget = args.includes('--slices') ? FAST.filter((a, i) => a !== '--slices' && FAST[i - 1] !== '--slices') : FAST;
      const r = await runCli(['run', '--backends', 'fake', '--workloads', 'gemm', ...budget, '-o', out, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('refuses a base whose worker predates interleaving, before anything runs', async () => {
    const dir = tempDir();
    const old = join(dir, 'old-base');
    mkdirSync(join(old, 'dist', 'src', 'runner'), { recursive: true });
    writeFileSync(join(old, 'package.json'), '{"name":"chipbench","version":"0.0.1"}');
    // a worker of the first protocol: it probes (without saying its protocol) and measures at once
    writeFileSync(
      join(old, 'dist', 'src', 'runner', 'worker.js'),
      `process.once('message', (req) => {
        process.send({ type: 'probe', status: { backend: req.backend, available: true }, limits: {} });
        process.send({ type: 'done' }, () => process.exit(0));
      });`,
    );
    const out = join(dir, 'r.json');
    const r = await runCli(['run', '--backends', 'fake', '--workloads', 'gemm', ...FAST, '--against', old, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--against: the chipbench in .*old-base cannot interleave \(worker protocol 1, need 4\)/);
  });
});
