/**
 * Faults a real machine throws at an unattended run, injected into the real
 * CLI: the output disk fills up, and two runs write the same result file.
 * (Crashes, kill -9, hangs and signals are in run-fake.test.ts; a lost
 * WebGPU device in webgpu-device-lost.test.ts.) Each test checks that no
 * finished case is lost and the file on disk is always a valid RunResult.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRunResult } from '../../src/results/read-result.js';
import { runCli, startCli, tempDir, type CliResult } from '../helpers/cli.js';

// --quiet: no progress lines, so stderr holds only what went wrong
const FAST = ['--quiet', '--workloads', 'gemm', '--variant', 'naive', '--time-budget', '5', '--min-samples', '3', '--warmup-time', '0', '--warmup-iterations', '0'];
const PRELOAD = resolve(import.meta.dirname, '../helpers/enospc-preload.mjs');
const PREVIOUS = '{"previous": "result, must survive"}\n';

/** Processes left in the CLI's process group (its workers, had it abandoned them). */
function leftInGroup(pgid: number): string[] {
  const r = spawnSync('ps', ['-o', 'pid=,args=', '-g', String(pgid)], { encoding: 'utf8' });
  return r.stdout.trim() === '' ? [] : r.stdout.trim().split('\n');
}

/** One line on stderr, the run stopped with exit 1, nothing left behind but the result file. */
function expectCleanStop(r: CliResult, dir: string): string {
  expect(r.code).toBe(1);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'))).toEqual([]);
  return lines[0]!;
}

describe('the output disk fills up', { timeout: 120_000 }, () => {
  const enospcAfter = (dir: string, writes: number) => ({
    NODE_OPTIONS: `--import ${PRELOAD}`,
    CHIPBENCH_TEST_ENOSPC_DIR: dir,
    CHIPBENCH_TEST_ENOSPC_AFTER: String(writes),
  });

  it('mid-run: the run stops with one line, and the file holds every case finished before, valid and whole', async () => {
    const dir = tempDir();
    const out = join(dir, 'run.json');
    // writes: the first file, one per backend status, one per case; the 6th write fails, after a few cases
    const { child, done } = startCli(['run', '--backends', 'fake', '--sizes', '4,5,6,7', ...FAST, '-o', out], enospcAfter(dir, 5));
    const r = await done;
    const line = expectCleanStop(r, dir);
    const result = readRunResult(out);
    expect(line).toBe(
      `chipbench: cannot write the result file ${out} (ENOSPC: no space left on device); the file is intact and holds the ${result.cases.length} case(s) ` +
        'finished before this write; the run stops. Free some space or give another --output, then run again',
    );
    expect(result.cases.length).toBeGreaterThan(0);
    expect(result.cases.length).toBeLessThan(8);
    expect(result.cases.every((c) => c.outcome === 'ok')).toBe(true);
    expect(result.status).toBe('running'); // never marked complete: the last write could not happen
    expect(leftInGroup(child.pid!)).toEqual([]);
  });

  it('from the first write: the earlier file at that path is untouched', async () => {
    const dir = tempDir();
    const out = join(dir, 'run.json');
    writeFileSync(out, PREVIOUS);
    const r = await runCli(['run', '--backends', 'fake', '--sizes', '4', ...FAST, '-o', out], enospcAfter(dir, 0));
    const line = expectCleanStop(r, dir);
    expect(line).toMatch(/\(ENOSPC: no space left on device\); nothing of this run was written, and any earlier file there is untouched; the run stops/);
    expect(readFileSync(out, 'utf8')).toBe(PREVIOUS);
  });

  // A real full file system, where this machine lets us mount one (root, as on CI).
  const canMount = process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;
  it.skipIf(!canMount)('on a real 256 KiB tmpfs: the same, with ENOSPC from the kernel', async (ctx) => {
    const dir = tempDir();
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir], { encoding: 'utf8' });
    // a container without CAP_SYS_ADMIN: the injected tests above cover the same path
    if (mounted.status !== 0) ctx.skip(`tmpfs not mountable here: ${mounted.stderr.trim()}`);
    try {
      const out = join(dir, 'run.json');
      // 1000 samples a fork, whatever the machine's speed (a time budget of 1 us is met by the first sample, so the
      // count is the minimum, not what a fast machine fits in 5 ms): about 20 KiB a case, so a few cases fit and the
      // thirteen outgrow 256 KiB (the file needs twice its size to be replaced)
      const flags = ['--min-samples', '--time-budget'];
      const many = [...FAST.filter((a, i) => !flags.includes(a) && !flags.includes(FAST[i - 1]!)), '--min-samples', '1000', '--time-budget', '0.001'];
      const r = await runCli(['run', '--backends', 'fake', '--sizes', '4,5,6,7,8,9,10,11,12,13,14,15,16', ...many, '-o', out]);
      const line = expectCleanStop(r, dir);
      expect(line).toMatch(/^chipbench: cannot write the result file .* \(ENOSPC: no space left on device\); the file is intact and holds the \d+ case\(s\)/);
      const result = readRunResult(out);
      expect(Number(/holds the (\d+) case/.exec(line)![1])).toBe(result.cases.length);
      expect(result.cases.length).toBeGreaterThan(0);
    } finally {
      execFileSync('umount', [dir]);
    }
  });
});

describe('two runs on one result file', { timeout: 120_000 }, () => {
  it('the second is refused with one line and exit 2 while the first runs; the first finishes and leaves no lock', async () => {
    const dir = tempDir();
    const out = join(dir, 'run.json');
    const first = startCli(['run', '--backends', 'fake-hang', '--sizes', '4', '--timings', 'resident', '--case-timeout', '60', ...FAST, '-o', out]);
    const deadline = Date.now() + 30_000;
    // until the lock is taken and the probe's status is in the file: the first run is then in its hanging case
    while (!existsSync(`${out}.lock`) || !existsSync(out) || !readFileSync(out, 'utf8').includes('"available": true')) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 100));
    }
    const before = readFileSync(out, 'utf8');
    const second = await runCli(['run', '--backends', 'fake', '--sizes', '4', ...FAST, '-o', out]);
    expect(second.code).toBe(2);
    const lines = second.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^chipbench: --output: .*run\\.json is being written by another chipbench run \\(pid ${first.child.pid} on ${hostname()}, since .*\\); ` +
          'wait for it to end, give another --output path, or delete .*run\\.json\\.lock if no run is using it$',
      ),
    );
    expect(readFileSync(out, 'utf8')).toBe(before);
    process.kill(-first.child.pid!, 'SIGTERM');
    const r = await first.done;
    expect(r.code).toBe(143);
    expect(existsSync(`${out}.lock`)).toBe(false);
    expect(readRunResult(out).status).toBe('incomplete');
  });

  it('a lock left by a run that was killed is taken over', async () => {
    const dir = tempDir();
    const out = join(dir, 'run.json');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${out}.lock`, JSON.stringify({ pid: Number(gone.stdout), host: hostname(), startedAt: '2026-11-29T00:00:00.000Z' }));
    const r = await runCli(['run', '--backends', 'fake', '--sizes', '4', ...FAST, '-o', out]);
    expect(r.code).toBe(0);
    expect(readRunResult(out).cases).toHaveLength(2);
    expect(existsSync(`${out}.lock`)).toBe(false);
  });

  it('four runs finding the same stale lock at once: exactly one takes it over, the others are refused', async () => {
    const dir = tempDir();
    const out = join(dir, 'run.json');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${out}.lock`, JSON.stringify({ pid: Number(gone.stdout), host: hostname(), startedAt: '2026-11-29T00:00:00.000Z' }));
    // each run hangs in its first case once it has the lock, so the winner holds it until it is stopped
    const runs = Array.from({ length: 4 }, () =>
      startCli(['run', '--backends', 'fake-hang', '--sizes', '4', '--timings', 'resident', '--case-timeout', '60', ...FAST, '-o', out]),
    );
    const settled: (CliResult | undefined)[] = [undefined, undefined, undefined, undefined];
    runs.forEach((run, i) => void run.done.then((r) => (settled[i] = r)));
    const deadline = Date.now() + 60_000;
    while (settled.filter(Boolean).length < 3) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500)); // a second winner, were there one, would not have exited either
    expect(settled.filter(Boolean).map((r) => r!.code)).toEqual([2, 2, 2]);
    // a loser that comes while the winner is still writing its lock file is told so, not given a pid
    for (const r of settled.filter(Boolean)) expect(r!.stderr).toMatch(/is being written by another chipbench run \((pid \d+|its lock file is being written)/);
    const winner = runs[settled.findIndex((r) => r === undefined)]!;
    expect(JSON.parse(readFileSync(`${out}.lock`, 'utf8')).pid).toBe(winner.child.pid);
    process.kill(-winner.child.pid!, 'SIGTERM');
    expect((await winner.done).code).toBe(143);
    expect(existsSync(`${out}.lock`)).toBe(false);
  });

  it('a lock held from another host is not guessed at: refused, naming the file to delete', async () => {
    const dir = tempDir();
    const out = join(dir, 'run.json');
    writeFileSync(out, PREVIOUS);
    writeFileSync(`${out}.lock`, JSON.stringify({ pid: 1, host: 'another-host', startedAt: '2026-11-29T00:00:00.000Z' }));
    const r = await runCli(['run', '--backends', 'fake', '--sizes', '4', ...FAST, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^chipbench: --output: .* is being written by another chipbench run \(pid 1 on another-host, since 2026-11-29T00:00:00\.000Z\); .* or delete .*run\.json\.lock if no run is using it\n$/);
    expect(readFileSync(out, 'utf8')).toBe(PREVIOUS);
  });
});

describe('the device goes away mid-run', { timeout: 120_000 }, () => {
  it('a worker restarted after a crash finds no adapter: the cases left fail with the reason, none is lost or skipped', async () => {
    const dir = tempDir();
    const out = join(dir, 'run.json');
    const r = await runCli(['run', '--backends', 'fake-crash,fake', '--sizes', '4,5', ...FAST, '--forks', '4', '-o', out], { CHIPBENCH_FAKE_ADAPTER_GONE: join(dir, 'gone') });
    expect(r.code).toBe(1);
    const result = readRunResult(out);
    expect(result.status).toBe('complete');
    const outcomes = Object.fromEntries(result.cases.map((c) => [c.id, `${c.outcome}: ${c.reason ?? ''}`]));
    // four forks: fork 1 crashes on the resident case and then finds no adapter; fork 2 of the
    // case that was ok finds none either, so it fails too: a figure from one fork of two would hide the loss
    const gone = 'the backend became unavailable during the run: no adapter: the fake device went away';
    expect(outcomes).toEqual({
      'gemm/fake-crash/f32/m4-n4-k4/end-to-end': `error: fork 2 of 4: ${gone}`,
      'gemm/fake-crash/f32/m4-n4-k4/resident': expect.stringMatching(/^error: fork 1 of 4: the backend's worker process was killed by SIGKILL during this case/),
      'gemm/fake-crash/f32/m5-n5-k5/end-to-end': `error: fork 1 of 4: ${gone}`,
      'gemm/fake-crash/f32/m5-n5-k5/resident': `error: fork 1 of 4: ${gone}`,
      // the other fake backend shares the fake device: available when the run began, gone by its turn
      ...Object.fromEntries(
        ['m4-n4-k4/end-to-end', 'm4-n4-k4/resident', 'm5-n5-k5/end-to-end', 'm5-n5-k5/resident'].map((c) => [`gemm/fake/f32/${c}`, `error: fork 1 of 4: ${gone}`]),
      ),
    });
  });
});
