/**
 * The hand-written WebGL GEMM (the headlessgl ceiling) through a worker process like a run: odd, rectangular and
 * tiny shapes (1x1x1, 7x3x5, 333x517x129, and K and N that are not multiples of 4, so the padding is dropped),
 * both timing modes, verified against float64 before timing and re-checked with A doubled after it, recorded as
 * hand-written on the GL driver gpu.js's kernels use.
 */
import { describe, expect, it } from 'vitest';
import type { GemmCase } from '../../src/results/schema.js';
import { WEBGL_FORMS, webglGemmSource } from '../../src/backends/ceiling/webgl-gemm.js';
import { join } from 'node:path';
import { casesOf } from '../../src/plan/plan.js';
import { CEILING_FORM_CACHE_FILE, saveCeilingForm } from '../../src/jobs/ceiling-form-cache.js';
import { ceilingFormsFingerprint } from '../../src/backends/ceiling/forms-fingerprint.js';
import { realBackends } from '../helpers/real-backends.js';
import { gemmJob, streamJob } from '../helpers/builtin-suites.js';

const SHAPES = [
  { m: 1, n: 1, k: 1 },
  { m: 7, n: 3, k: 5 },
  { m: 333, n: 517, k: 129 },
  { m: 65, n: 66, k: 50 },
];

describe('the WebGL ceiling GEMM', { timeout: 240_000 }, () => {
  const backends = realBackends();

  it('every shape verified, timed and re-checked in both timings, recorded as a hand-written fragment shader', async (ctx) => {
    const jobs = SHAPES.map((shape) => (gemmJob({ shape, seed: 9, timings: ['resident'] as 'resident'[], ceilingTimings: ['end-to-end', 'resident'] as ('end-to-end' | 'resident')[] })));
    const results = (await backends.run('headlessgl', jobs, ctx)) as GemmCase[];
    expect(results).toHaveLength(SHAPES.length * 3);
    const gpujs = results.filter((r) => r.id.startsWith('gemm/'));
    for (const r of results) {
      expect({ id: r.id, outcome: r.outcome, reason: r.reason }).toEqual({ id: r.id, outcome: 'ok', reason: undefined });
      expect(r.verification).toMatchObject({ passed: true, recheckedAfterTiming: true, checkedElements: r.shape.m * r.shape.n });
    }
    for (const r of results.filter((c) => c.id.startsWith('gemm-ceiling/'))) {
      expect(r.id.startsWith('gemm-ceiling/headlessgl/')).toBe(true);
      // both forms verified at this shape (each checked against float64 in the trial), and the one taken is the faster
      const tried = r.variant!.candidates!;
      expect(tried.map((t) => [t.variant, t.outcome])).toEqual(WEBGL_FORMS.map((f) => [f.id, 'ok']));
      const fastest = tried.reduce((x, y) => (y.trialSeconds! < x.trialSeconds! ? y : x));
      expect(r.variant).toMatchObject({ id: fastest.variant, choice: 'hand-written' });
      expect(r.executed).toMatchObject({ backend: 'headlessgl', kernelClass: `hand-written WebGL fragment shader (${fastest.variant})` });
      // the same driver gpu.js's kernels ran on, with what the WebGL context says of itself
      expect(r.executed!.device.name).toBe(gpujs[0]!.executed!.device.name);
      expect(r.executed!.device.details?.webglVersion).toMatch(/WebGL 1\.0/);
    }
  });

  it('tries only the pinned form when an earlier fork chose one, so every fork measures the same kernel', async (ctx) => {
    const jobs = [gemmJob({ shape: { m: 33, n: 17, k: 9 }, seed: 5, timings: [] as 'resident'[], ceilingTimings: ['resident'] as 'resident'[], ceilingVariant: 'webgl-rgba-1x4' })];
    const [r] = (await backends.run('headlessgl', jobs, ctx)) as GemmCase[];
    expect({ outcome: r!.outcome, reason: r!.reason }).toEqual({ outcome: 'ok', reason: undefined });
    expect(r!.variant!.candidates!.map((t) => t.variant)).toEqual(['webgl-rgba-1x4']);
    expect(r!.variant!.chosenBy).toBe('first-fork');
  });

  it("caches the form a trial chose on this device: the next run verifies and measures it alone, and says so", async (ctx) => {
    const shape = { m: 40, n: 24, k: 12 };
    const job = () => [gemmJob({ shape, seed: 5, timings: ['resident'] as 'resident'[], ceilingTimings: ['resident'] as 'resident'[] })];
    const ceilingOf = async () => ((await backends.run('headlessgl', job(), ctx)) as GemmCase[]).find((c) => c.id.startsWith('gemm-ceiling/'))!;
    const first = await ceilingOf();
    expect(first.variant).toMatchObject({ chosenBy: 'trial' });
    expect(first.variant!.candidates).toHaveLength(WEBGL_FORMS.length);
    const second = await ceilingOf();
    expect({ outcome: second.outcome, reason: second.reason }).toEqual({ outcome: 'ok', reason: undefined });
    expect(second.variant).toMatchObject({ id: first.variant!.id, chosenBy: 'cache' });
    expect(second.variant!.candidates!.map((t) => t.variant)).toEqual([first.variant!.id]);
  });

  it('tries every form again when the cached one no longer verifies, and records why it was not used', async (ctx) => {
    const shape = { m: 24, n: 16, k: 8 };
    const job = [gemmJob({ shape, seed: 5, timings: ['resident'] as 'resident'[], ceilingTimings: ['resident'] as 'resident'[] })];
    const device = ((await backends.run('headlessgl', job, ctx)) as GemmCase[])[0]!.executed!.device.name;
    const key = { backend: 'headlessgl', device, fingerprint: ceilingFormsFingerprint('headlessgl')!, shape };
    expect(saveCeilingForm(join(backends.cacheDir, CEILING_FORM_CACHE_FILE), key, 'webgl-gone-4x4', 0.001)).toBe(true);
    const r = ((await backends.run('headlessgl', job, ctx)) as GemmCase[]).find((c) => c.id.startsWith('gemm-ceiling/'))!;
    expect({ outcome: r.outcome, reason: r.reason }).toEqual({ outcome: 'ok', reason: undefined });
    expect(r.variant!.chosenBy).toBe('trial');
    const [stale, ...tried] = r.variant!.candidates!;
    expect(stale).toMatchObject({ variant: 'webgl-gone-4x4', outcome: 'failed', reason: expect.stringMatching(/^the cached choice failed: .*no WebGL form verified/) });
    expect(tried.map((t) => t.variant)).toEqual(WEBGL_FORMS.map((f) => f.id));
  });

  it('plans a hand-written GEMM on headlessgl, and no hand-written STREAM kernel', () => {
    const job = gemmJob({ shape: { m: 2, n: 2, k: 2 }, seed: 1, timings: [] as 'resident'[], ceilingTimings: ['resident'] as 'resident'[] });
    expect(casesOf('headlessgl', job).map((c) => c.id)).toEqual(['gemm-ceiling/headlessgl/f32/m2-n2-k2/resident']);
    expect(casesOf('headlessgl', streamJob('copy', 4096, true))).toEqual([]);
  });

  it('reads four texels of B and one of A a row a step over ceil(K/4) steps, into one target or four', () => {
    const [oneRow, fourRows] = WEBGL_FORMS;
    const one = webglGemmSource(oneRow, 8, 2, 1);
    expect(one).toMatch(/for \(int q = 0; q < 2; q\+\+\)/);
    expect(one.match(/texture2D\(B,/g)).toHaveLength(4);
    expect(one.match(/texture2D\(A,/g)).toHaveLength(1);
    expect(one).toContain('/ 8.0'); // B is 4 * ceil(K/4) = 8 texels high
    expect(one).toContain('gl_FragColor = c0;');
    const four = webglGemmSource(fourRows, 8, 2, 1);
    expect(four.startsWith('#extension GL_EXT_draw_buffers : require')).toBe(true);
    expect(four.match(/texture2D\(A,/g)).toHaveLength(4);
    expect(four.match(/gl_FragData\[\d\] = c\d;/g)).toHaveLength(4);
  });
});
