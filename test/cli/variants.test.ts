/**
 * The tuned GEMM cases end to end through the fake backend: the autotuner
 * tries every variant, records each, picks a verified one and caches it; the
 * next run finds the choice in the cache and verifies it again; a variant
 * that is fastest but wrong is never picked; --variant forces one, naive
 * runs none, and a bad value is refused.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRunResult } from '../../src/results/read-result.js';
import type { GemmCase } from '../../src/results/schema.js';
import { GEMM_VARIANT_IDS } from '../../src/workloads/gemm/variants.js';
import { runCli, tempDir } from '../helpers/cli.js';

const FAST = ['--backends', 'fake', '--workloads', 'gemm', '--profile', 'smoke', '--time-budget', '5', '--min-samples', '3', '--warmup-time', '0', '--warmup-iterations', '0'];

async function run(args: string[], env: NodeJS.ProcessEnv) {
  const out = join(tempDir(), 'run.json');
  // an option given twice is bad input: the defaults here only where the row gives none of its own
  const defaults = (option: string, value: string) => (args.includes(option) ? [] : [option, value]);
  const r = await runCli(['run', ...FAST, ...defaults('--timings', 'resident'), ...defaults('--sizes', '9x5x7'), ...args, '-o', out], env);
  return { r, cases: r.code === 2 ? [] : (readRunResult(out).cases as GemmCase[]) };
}

describe('tuned GEMM cases', { timeout: 60_000 }, () => {
  it('tunes every variant, picks a verified one, caches it, and the next run uses the cache', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'chipbench-cache-'));
    const first = await run([], { CHIPBENCH_CACHE_DIR: cache });
    expect(first.r.code).toBe(0);
    expect(first.cases.map((c) => c.id)).toEqual(['gemm/fake/f32/m9-n5-k7/resident', 'gemm-tuned/fake/f32/m9-n5-k7/resident']);
    const [naive, tuned] = first.cases as [GemmCase, GemmCase];
    expect(naive.variant).toMatchObject({ id: 'naive', choice: 'reference' });
    expect(tuned.outcome).toBe('ok');
    expect(tuned.variant?.choice).toBe('autotuned');
    expect(tuned.variant?.candidates?.map((c) => c.variant).sort()).toEqual([...GEMM_VARIANT_IDS].sort());
    expect(tuned.variant?.candidates?.every((c) => c.outcome === 'ok' && c.trialSeconds! > 0)).toBe(true);
    // the console's short form of autotuned
    expect(first.r.stdout).toMatch(/9x5x7\s+resident\s+\w+ \(tuned\)/);
    expect(first.r.stdout).toContain('Best f32 GEMM per backend');

    const second = await run([], { CHIPBENCH_CACHE_DIR: cache });
    const again = second.cases[1]!;
    expect(again.variant).toEqual({ id: tuned.variant!.id, description: tuned.variant!.description, choice: 'cached' });
    expect(again.verification?.passed).toBe(true);
  });

  it('tunes again when a cached choice no longer verifies', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'chipbench-cache-'));
    const first = (await run(['--variant', 'auto'], { CHIPBENCH_CACHE_DIR: cache })).cases[1]!.variant!.id;
    const { r, cases } = await run([], { CHIPBENCH_CACHE_DIR: cache, CHIPBENCH_FAKE_BROKEN_VARIANT: first });
    expect(r.code).toBe(0);
    expect(cases[1]!.variant?.choice).toBe('autotuned');
    expect(cases[1]!.variant?.id).not.toBe(first);
    expect(cases[1]!.variant?.candidates?.find((c) => c.variant === first)?.outcome).toBe('failed');
    expect(cases[1]!.verification?.passed).toBe(true);
  });

  it('tunes the resident case only when both timings run: the device\'s best, without transfers', async () => {
    const { cases } = await run(['--timings', 'end-to-end,resident'], {});
    expect(cases.map((c) => c.id)).toEqual([
      'gemm/fake/f32/m9-n5-k7/end-to-end',
      'gemm/fake/f32/m9-n5-k7/resident',
      'gemm-tuned/fake/f32/m9-n5-k7/resident',
    ]);
    const e2e = await run(['--timings', 'end-to-end'], {});
    expect(e2e.cases.map((c) => c.id)).toEqual(['gemm/fake/f32/m9-n5-k7/end-to-end', 'gemm-tuned/fake/f32/m9-n5-k7/end-to-end']);
  });

  it('never picks a variant that fails verification, however fast it is', async () => {
    const { r, cases } = await run([], { CHIPBENCH_FAKE_BROKEN_VARIANT: 't22' });
    expect(r.code).toBe(0);
    const tuned = cases[1]!;
    expect(tuned.variant?.id).not.toBe('t22');
    expect(tuned.variant?.candidates?.find((c) => c.variant === 't22')).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/^verification failed: 45 of 45 elements wrong/) });
    expect(tuned.verification?.passed).toBe(true);
  });

  it('a broken variant forced with --variant fails its case, unmeasured, and the naive case still runs', async () => {
    const { r, cases } = await run(['--variant', 't22'], { CHIPBENCH_FAKE_BROKEN_VARIANT: 't22' });
    expect(r.code).toBe(1);
    expect(cases[0]!.outcome).toBe('ok');
    expect(cases[1]).toMatchObject({ outcome: 'error', variant: { id: 't22', choice: 'forced' }, reason: expect.stringMatching(/verification failed.*the case was not timed/) });
    expect(cases[1]!.measurement).toBeUndefined();
  });

  it('--variant forces one variant without tuning, and naive runs no tuned case', async () => {
    const forced = await run(['--variant', 'c4'], {});
    expect(forced.cases[1]!.variant).toMatchObject({ id: 'c4', choice: 'forced' });
    expect(forced.cases[1]!.variant!.candidates).toBeUndefined();
    const naive = await run(['--variant', 'naive'], {});
    expect(naive.cases.map((c) => c.id)).toEqual(['gemm/fake/f32/m9-n5-k7/resident']);
  });

  it('fails a resident case whose timed region reads C back (counted on a wrapped backend), and keeps end-to-end', async () => {
    const { r, cases } = await run(['--timings', 'end-to-end,resident'], { CHIPBENCH_FAKE_RESIDENT_READBACK: '1' });
    expect(r.code).toBe(1);
    const byId = new Map(cases.map((c) => [c.id, c]));
    expect(byId.get('gemm/fake/f32/m9-n5-k7/end-to-end')!.outcome).toBe('ok');
    for (const id of ['gemm/fake/f32/m9-n5-k7/resident', 'gemm-tuned/fake/f32/m9-n5-k7/resident']) {
      expect(byId.get(id)).toMatchObject({ outcome: 'error', reason: expect.stringMatching(/^fork 1 of 2: \d+ readback\(s\) of C happened inside the resident timed region, which must hold none/) });
      expect(byId.get(id)!.metrics).toBeUndefined();
    }
  });

  it.each([
    ['an unknown variant', ['--variant', 'fastest'], /--variant: unknown 'fastest'; choose from auto, naive, bt, flat, c4, t22, r4u4, r4u4b64/],
    ['a forced variant that cannot run the shape', ['--variant', 'flat', '--sizes', '4096x8x4096'], /--variant: flat cannot run 4096x8x4096: flat indices past 2\^24 elements .*; give another variant, or auto/],
    ['two variants', ['--variant', 't22,bt'], /--variant: 't22,bt' names 2 variants; give one, or auto/],
  ])('refuses %s with exit code 2', async (_name, args, message) => {
    const { r } = await run(args, {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
