/**
 * The hand-written WGSL GEMM (the webgpu ceiling) on every WebGPU adapter the machine has, through a worker process
 * like a run: odd, rectangular and tiny shapes (1x1x1, 7x3x5, 333x517x129, and K past several tiles), both timing
 * modes, verified against float64 before timing and re-checked with A doubled after it, on the adapter the run took.
 */
import { describe, expect, it } from 'vitest';
import type { GemmCase } from '../../src/results/schema.js';
import { tilingUnfit } from '../../src/backends/ceiling/webgpu-gemm.js';
import { tileOf, tilingName, WGSL_TILINGS, workgroupBytes } from '../../src/backends/ceiling/wgsl-gemm-source.js';
import { realBackends } from '../helpers/real-backends.js';
import { gemmJob } from '../helpers/builtin-suites.js';

const SHAPES = [
  { m: 1, n: 1, k: 1 },
  { m: 7, n: 3, k: 5 },
  { m: 333, n: 517, k: 129 },
  { m: 65, n: 66, k: 50 },
];

describe('the WebGPU ceiling GEMM', { timeout: 240_000 }, () => {
  const backends = realBackends();

  it.for(['webgpu@vulkan', 'webgpu@opengl'])('%s: every shape verified, timed and re-checked, recorded as hand-written WGSL', async (target, ctx) => {
    const jobs = SHAPES.map((shape) => (gemmJob({ shape, seed: 5, timings: [] as 'resident'[], ceilingTimings: ['end-to-end', 'resident'] as ('end-to-end' | 'resident')[] })));
    const results = (await backends.run(target, jobs, ctx)) as GemmCase[];
    expect(results).toHaveLength(SHAPES.length * 2);
    for (const r of results) {
      expect({ id: r.id, outcome: r.outcome, reason: r.reason }).toEqual({ id: r.id, outcome: 'ok', reason: undefined });
      expect(r.id.startsWith('gemm-ceiling/webgpu/')).toBe(true);
      expect(r.verification).toMatchObject({ passed: true, recheckedAfterTiming: true, checkedElements: r.shape.m * r.shape.n });
      // a cache of the test's own: every shape's first ceiling case is a trial on this adapter
      expect(r.variant).toMatchObject({ choice: 'hand-written', chosenBy: 'trial' });
      expect(r.executed).toMatchObject({ backend: 'webgpu', kernelClass: `hand-written WGSL (${r.variant!.id})` });
      // every tiling that fits the device verified at this shape (the tuner checks each against float64), and the
      // one taken is the fastest of them
      const tried = r.variant!.candidates!;
      expect(tried.map((t) => t.variant)).toEqual(WGSL_TILINGS.map(tilingName));
      for (const t of tried) expect(t.outcome === 'ok' || /invocations a workgroup|workgroup memory|past the device/.test(t.reason ?? ''), `${t.variant}: ${t.reason}`).toBe(true);
      const fastest = tried.filter((t) => t.outcome === 'ok').reduce((x, y) => (y.trialSeconds! < x.trialSeconds! ? y : x));
      expect(r.variant!.id).toBe(fastest.variant);
      expect(r.executed!.device.details?.dawnBackend).toBe(target.split('@')[1]);
      // the device's own time of resident calls, where the adapter offers timestamp-query: lavapipe through Vulkan
      // does, Dawn's OpenGL backend does not
      if (r.timing === 'resident' && target === 'webgpu@vulkan') expect(r.deviceTime).toMatchObject({ calls: 10, source: 'timestamp-query' });
      else expect(r.deviceTime).toBeUndefined();
    }
  });

  it('tries only the pinned tiling when an earlier fork chose one, so every fork measures the same kernel', async (ctx) => {
    const pinned = tilingName(WGSL_TILINGS[1]!);
    const jobs = [gemmJob({ shape: { m: 33, n: 17, k: 9 }, seed: 5, timings: [] as 'resident'[], ceilingTimings: ['resident'] as 'resident'[], ceilingVariant: pinned })];
    const [r] = (await backends.run('webgpu@vulkan', jobs, ctx)) as GemmCase[];
    expect({ outcome: r!.outcome, reason: r!.reason }).toEqual({ outcome: 'ok', reason: undefined });
    expect(r!.variant!.id).toBe(pinned);
    expect(r!.variant!.candidates!.map((t) => t.variant)).toEqual([pinned]);
    expect(r!.variant!.chosenBy).toBe('first-fork');
  });

  it('offers 64x64 staged tilings and direct forms of 128x64 and 64x128, and refuses one past the device: 256 invocations or 16 KiB of workgroup memory in compatibility mode', () => {
    const staged = WGSL_TILINGS.filter((t) => !t.direct);
    for (const t of staged) expect(tileOf(t)).toEqual({ bm: 64, bn: 64 });
    expect(WGSL_TILINGS.filter((t) => t.direct).map((t) => [tilingName(t), tileOf(t), workgroupBytes(t)])).toEqual([
      ['wgsl-8x8x16x8-direct', { bm: 128, bn: 64 }, 0],
      ['wgsl-8x8x8x16-direct', { bm: 64, bn: 128 }, 0],
    ]);
    const compat = { maxComputeInvocationsPerWorkgroup: 128, maxComputeWorkgroupSizeX: 128, maxComputeWorkgroupSizeY: 128, maxComputeWorkgroupStorageSize: 16384 };
    expect(WGSL_TILINGS.map((t) => tilingUnfit(t, compat))).toEqual(['256 invocations a workgroup, more than the device\'s 128', undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(tilingUnfit({ wx: 4, wy: 8, tm: 8, tn: 16, bk: 64, vec4: true }, compat)).toBe("32768 bytes of workgroup memory, more than the device's 16384");
    expect(workgroupBytes({ wx: 16, wy: 16, tm: 4, tn: 4, bk: 16 })).toBe(4 * 16 * (64 + 64));
    expect(tilingName({ wx: 4, wy: 8, tm: 8, tn: 16, bk: 32, vec4: true })).toBe('wgsl-4x8x8x16-k32-v4');
  });
});
