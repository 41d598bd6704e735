/**
 * Every GEMM kernel variant, forced, on every gpu.js backend this machine
 * has (through the same worker processes a run uses), on odd and rectangular
 * shapes that none of the variants' multiples divide: each must verify
 * against float64 in both timing modes and really run on the backend asked
 * for. On CI every backend must be available.
 */
import { describe, expect, it } from 'vitest';
import type { GemmCase } from '../../src/results/schema.js';
import { GEMM_VARIANT_IDS } from '../../src/workloads/gemm/variants.js';
import { backendOf, REAL_TARGETS, realBackends } from '../helpers/real-backends.js';
import { gemmJob } from '../helpers/builtin-suites.js';

const SHAPES = [
  { m: 33, n: 17, k: 9 },
  { m: 1, n: 1, k: 1 },
  { m: 17, n: 5, k: 130 },
  { m: 6, n: 48, k: 3 },
  { m: 5, n: 70, k: 7 }, // two 64-column strips for r4u4b64
];

describe('GEMM variants on every gpu.js backend', { timeout: 300_000 }, () => {
  const backends = realBackends();

  it.for(REAL_TARGETS)('%s: every variant verified on odd and rectangular shapes, in both timing modes', async (target, ctx) => {
    const jobs = GEMM_VARIANT_IDS.flatMap((variant) =>
      SHAPES.map((shape) => (gemmJob({ shape, seed: 5, timings: [], tunedTimings: ['end-to-end', 'resident'] as ('end-to-end' | 'resident')[], variant }))),
    );
    const results = (await backends.run(target, jobs, ctx)) as GemmCase[];
    expect(results).toHaveLength(GEMM_VARIANT_IDS.length * SHAPES.length * 2);
    for (const r of results) {
      expect({ id: r.id, variant: r.variant?.id, outcome: r.outcome, reason: r.reason }).toEqual({ id: r.id, variant: r.variant?.id, outcome: 'ok', reason: undefined });
      expect(r.id.startsWith('gemm-tuned/')).toBe(true);
      expect(r.variant!.choice).toBe('forced');
      expect(r.executed!.backend).toBe(backendOf(target));
      expect(r.verification!.passed).toBe(true);
      expect(r.verification!.recheckedAfterTiming).toBe(true);
      expect(r.verification!.checkedElements).toBe(r.shape.m * r.shape.n);
    }
    expect(new Set(results.map((r) => r.variant!.id))).toEqual(new Set(GEMM_VARIANT_IDS));
  });

  it('stops its private X server', async () => {
    await backends.stop();
  });
});
