/**
 * The hand-written WGSL GEMM (the webgpu ceiling) on every WebGPU adapter the machine has, through a worker process
 * like a run: odd, rectangular and tiny shapes (1x1x1, 7x3x5, 333x517x129, and K past several tiles), both timing
 * modes, verified against float64 before timing and re-checked with A doubled after it, on the adapter the run took.
 */
import { describe, expect, it } from 'vitest';
import type { GemmCase } from '../../src/results/schema.js';
import { tilingFor } from '../../src/backends/ceiling/webgpu-gemm.js';
import { TILING_128, TILING_256, tileOf } from '../../src/backends/ceiling/wgsl-gemm-source.js';
import { realBackends } from '../helpers/real-backends.js';

const SHAPES = [
  { m: 1, n: 1, k: 1 },
  { m: 7, n: 3, k: 5 },
  { m: 333, n: 517, k: 129 },
  { m: 65, n: 66, k: 50 },
];

describe('the WebGPU ceiling GEMM', { timeout: 240_000 }, () => {
  const backends = realBackends();

  it.for(['webgpu@vulkan', 'webgpu@opengl'])('%s: every shape verified, timed and re-checked, recorded as hand-written WGSL', async (target, ctx) => {
    const jobs = SHAPES.map((shape) => ({ kind: 'gemm' as const, shape, seed: 5, timings: [] as 'resident'[], ceilingTimings: ['end-to-end', 'resident'] as ('end-to-end' | 'resident')[] }));
    const results = (await backends.run(target, jobs, ctx)) as GemmCase[];
    expect(results).toHaveLength(SHAPES.length * 2);
    for (const r of results) {
      expect({ id: r.id, outcome: r.outcome, reason: r.reason }).toEqual({ id: r.id, outcome: 'ok', reason: undefined });
      expect(r.id.startsWith('gemm-ceiling/webgpu/')).toBe(true);
      expect(r.verification).toMatchObject({ passed: true, recheckedAfterTiming: true, checkedElements: r.shape.m * r.shape.n });
      expect(r.variant).toMatchObject({ id: 'wgsl-tiled-64x64', choice: 'hand-written' });
      expect(r.executed).toMatchObject({ backend: 'webgpu', kernelClass: 'hand-written WGSL (wgsl-tiled-64x64)' });
      expect(r.executed!.device.details?.dawnBackend).toBe(target.split('@')[1]);
    }
  });

  it('takes 256 invocations a workgroup where the device allows them, else the 128 compatibility mode guarantees, with one 64x64 tile', () => {
    expect(tilingFor({ maxComputeInvocationsPerWorkgroup: 256, maxComputeWorkgroupSizeY: 256 })).toBe(TILING_256);
    expect(tilingFor({ maxComputeInvocationsPerWorkgroup: 128, maxComputeWorkgroupSizeY: 128 })).toBe(TILING_128);
    expect(tileOf(TILING_256)).toEqual({ bm: 64, bn: 64 });
    expect(tileOf(TILING_128)).toEqual({ bm: 64, bn: 64 });
    expect(TILING_128.wx * TILING_128.wy).toBe(128);
  });
});
