/**
 * Real gpu.js kernels on every backend this machine has, through the same
 * worker processes a run uses: odd, rectangular and degenerate shapes, both
 * timing modes, verified against float64; webgpu on both of Dawn's paths
 * (Vulkan at the core level, OpenGL at compatibility). On CI (CI=true) every
 * backend and both Dawn paths must be available: CI installs what each needs.
 */
import { describe, expect, it } from 'vitest';
import { isSoftwareRenderer } from '../../src/backends/device-class.js';
import type { GemmCase } from '../../src/results/schema.js';
import { backendOf, REAL_TARGETS, realBackends } from '../helpers/real-backends.js';
import { gemmJob } from '../helpers/builtin-suites.js';

const SHAPES = [
  { m: 333, n: 517, k: 129 },
  { m: 1, n: 1, k: 1 },
  { m: 17, n: 1, k: 31 },
  { m: 1, n: 13, k: 1 },
  { m: 64, n: 48, k: 3 },
  { m: 5, n: 7, k: 1100 }, // K past gpu.js's default loopMaxIterations (1000): a capped loop would fail verification
];

describe('GEMM on every gpu.js backend', { timeout: 240_000 }, () => {
  const backends = realBackends();

  it.for(REAL_TARGETS)('%s: verified on odd and rectangular shapes, and really ran there', async (target, ctx) => {
    const jobs = SHAPES.map((shape) => (gemmJob({ shape, seed: 3, timings: ['end-to-end', 'resident'] as ('end-to-end' | 'resident')[] })));
    const results = await backends.run(target, jobs, ctx);
    expect(results).toHaveLength(SHAPES.length * 2);
    for (const r of results as GemmCase[]) {
      expect({ id: r.id, outcome: r.outcome, reason: r.reason }).toEqual({ id: r.id, outcome: 'ok', reason: undefined });
      expect(r.executed!.backend).toBe(backendOf(target));
      expect(r.executed!.device.name.length).toBeGreaterThan(0);
      expect(r.verification!.passed).toBe(true);
      expect(r.verification!.recheckedAfterTiming).toBe(true);
      expect(r.verification!.checkedElements).toBe(r.shape.m * r.shape.n);
      expect(r.verification!.maxRelError!).toBeLessThanOrEqual(r.verification!.bound);
      // A software renderer must never be reported as a GPU; under chipbench's own Xvfb, headless-gl is always one.
      const device = r.executed!.device;
      if (isSoftwareRenderer(device.name) || (backendOf(target) === 'headlessgl' && !process.env.DISPLAY)) {
        expect(device.executesOn).toBe('cpu');
        expect(device.softwareRenderer).toBe(true);
      }
    }
  });

  it('stops the private X server it started', async () => {
    const pid = await backends.stop();
    if (pid === undefined) return; // a DISPLAY was given: chipbench started no X server
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive()).toBe(false);
  });
});
