/**
 * A run that dies, however it dies, leaves no process of its own behind: chipbench killed with SIGKILL (a CI
 * job's timeout, the OOM killer) while it probes the backends, while a case runs, and while it writes its result
 * file; one of its workers killed; a worker that hangs. Each run carries a tag in its environment, and every
 * process with the tag (its workers, its private Xvfb) must be gone within 5 s; the result file, where one was
 * written, must read as a RunResult. The private Xvfb is in play where headless-gl can run (always on CI).
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRunResult } from '../../src/results/read-result.js';
import { startCli, tempDir } from '../helpers/cli.js';
import { onCi } from '../helpers/real-backends.js';
import { cpuSeconds, leftAfter, newTag, TAG_ENV, waitForTagged } from '../../bench/tagged-processes.js';

const FAST = ['--workloads', 'gemm', '--variant', 'naive', '--sizes', '4', '--timings', 'resident', '--forks', '1', '--time-budget', '5', '--min-samples', '3', '--warmup-time', '0', '--warmup-iterations', '0'];
const KILL_PRELOAD = resolve(import.meta.dirname, '../helpers/kill-while-writing-preload.mjs');
/** headless-gl built and Xvfb installed: a run of headlessgl without DISPLAY starts chipbench's private Xvfb */
const withX =
  existsSync(resolve(import.meta.dirname, '../../node_modules/gl/build/Release/webgl.node')) && spawnSync('Xvfb', ['-help'], { stdio: 'ignore' }).error === undefined;
const XVFB = /Xvfb -displayfd 3/;

/** A run with a tag, no DISPLAY (so headlessgl gets chipbench's own Xvfb), writing to a fresh folder. */
function startTagged(args: string[], env: NodeJS.ProcessEnv = {}) {
  const tag = newTag();
  const dir = tempDir();
  const out = join(dir, 'run.json');
  const { child, done } = startCli(['run', ...args, ...FAST, '-o', out], { DISPLAY: '', [TAG_ENV]: tag, ...env });
  return { tag, dir, out, child, done };
}

/** Waits until the result file holds an ok case of the backend: the probes are over, and the next backend's worker runs. */
async function waitForOkCase(out: string, backend: string, ms = 30_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if (existsSync(out) && readRunResult(out).cases.some((c) => c.backend === backend && c.outcome === 'ok')) return true;
    } catch {
      // between writes: the next look sees the whole file
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** The result file, if the run got as far as writing one, reads as a RunResult. */
function expectReadableIfWritten(out: string) {
  if (existsSync(out)) expect(() => readRunResult(out)).not.toThrow();
}

describe('nothing is left behind when a run dies', { timeout: 120_000 }, () => {
  it('requires headless-gl and Xvfb on CI, where the private Xvfb must be tested', () => {
    if (onCi) expect(withX).toBe(true);
  });

  it('SIGKILL of chipbench while it probes the backends: its Xvfb and the probing workers end', async () => {
    const run = startTagged(['--backends', withX ? 'headlessgl,fake' : 'fake']);
    // the private Xvfb starts for the headlessgl probe; without it, the first worker is a probe
    expect(await waitForTagged(run.tag, withX ? XVFB : /worker\.js/)).toBeDefined();
    run.child.kill('SIGKILL');
    const r = await run.done;
    expect(r.signal).toBe('SIGKILL');
    expect(await leftAfter(run.tag)).toEqual([]);
    expectReadableIfWritten(run.out);
  });

  it('SIGKILL of chipbench while a case runs: the worker in the middle of it ends too, and the finished cases are kept', async () => {
    // fake-hang's case never returns: only the parent-death signal can end its worker once chipbench is gone
    const first = withX ? 'headlessgl' : 'fake';
    const run = startTagged(['--backends', `${first},fake-hang`, '--case-timeout', '600']);
    expect(await waitForOkCase(run.out, first)).toBe(true);
    const worker = await waitForTagged(run.tag, /worker\.js fake-hang/);
    expect(worker).toBeDefined();
    // in the hanging case: it has spun a second of CPU, and no longer reads its IPC channel
    const pid = Number(worker!.split(' ')[0]);
    while (cpuSeconds(pid) < 1) await new Promise((r) => setTimeout(r, 100));
    run.child.kill('SIGKILL');
    expect((await run.done).signal).toBe('SIGKILL');
    expect(await leftAfter(run.tag)).toEqual([]);
    const result = readRunResult(run.out);
    expect(result.cases.filter((c) => c.backend !== 'fake-hang' && c.outcome === 'ok').length).toBeGreaterThan(0);
  });

  it('SIGKILL of chipbench in the middle of writing its result file: the file on disk is the last whole one', async () => {
    const dir = tempDir();
    const tag = newTag();
    // writes: the first file, one per backend status, then one per case: the 4th is cut in half, then SIGKILL
    const killed = startCli(['run', '--backends', withX ? 'headlessgl,fake' : 'fake', ...FAST, '-o', join(dir, 'run.json')], {
      DISPLAY: '',
      [TAG_ENV]: tag,
      NODE_OPTIONS: `--import ${KILL_PRELOAD}`,
      CHIPBENCH_TEST_KILL_DIR: dir,
      CHIPBENCH_TEST_KILL_AT_WRITE: '4',
    });
    expect((await killed.done).signal).toBe('SIGKILL');
    expect(await leftAfter(tag)).toEqual([]);
    const result = readRunResult(join(dir, 'run.json'));
    expect(result.status).toBe('running'); // never marked complete: it was killed
  });

  it('SIGKILL of a worker: its case fails, the run goes on and ends, and nothing is left', async () => {
    const run = startTagged(['--backends', 'fake,fake-hang', '--case-timeout', '600']);
    expect(await waitForOkCase(run.out, 'fake')).toBe(true);
    const worker = await waitForTagged(run.tag, /worker\.js fake-hang/);
    expect(worker).toBeDefined();
    await new Promise((r) => setTimeout(r, 500));
    process.kill(Number(worker!.split(' ')[0]), 'SIGKILL');
    const r = await run.done;
    expect(r.code).toBe(1);
    expect(await leftAfter(run.tag)).toEqual([]);
    const result = readRunResult(run.out);
    expect(result.status).toBe('complete');
    expect(result.cases.find((c) => c.backend === 'fake-hang')!.reason).toContain('SIGKILL');
  });

  it('a worker that hangs: the watchdog ends it, the run ends, and nothing is left', async () => {
    const run = startTagged(['--backends', withX ? 'fake-hang,headlessgl' : 'fake-hang,fake', '--case-timeout', '2']);
    const r = await run.done;
    expect(r.code).toBe(1);
    expect(await leftAfter(run.tag)).toEqual([]);
    const result = readRunResult(run.out);
    expect(result.status).toBe('complete');
    expect(result.cases.find((c) => c.backend === 'fake-hang')!.outcome).toBe('error');
  });
});
