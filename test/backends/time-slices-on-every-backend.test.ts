/**
 * Cases sampled in turn on every gpu.js backend this machine has: one worker
 * opens a GEMM shape (both timings), a collective and two STREAM kernels at
 * once and alternates their slices, so real kernels of one backend run
 * interleaved call by call. Each must still verify before timing, and each
 * GEMM must pass its re-check after timing (a kernel that stopped rendering
 * while another lived on its context would fail it). On CI every backend
 * must be available.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/plan/plan.js';
import { backendOf, REAL_TARGETS, realBackends } from '../helpers/real-backends.js';
import { collectiveJob, gemmJob, streamJob } from '../helpers/builtin-suites.js';

const JOBS: Job[] = [
  gemmJob({ shape: { m: 16, n: 16, k: 16 }, seed: 1, timings: ['end-to-end', 'resident'] }),
  collectiveJob('allreduce', 'ring', 4, 4 * 64),
  streamJob('copy', 4 * 256),
  streamJob('triad', 4 * 256),
];

/** Enough for several slices of every case; the test checks results and slices, never speed. */
const SLICED = { timeBudgetMs: 8, minSamples: 4, warmupMs: 0, warmupIterations: 1, maxWarmupMs: 0, timeSlices: 4 };

describe('time slices on every gpu.js backend', { timeout: 300_000 }, () => {
  const backends = realBackends();

  it.for(REAL_TARGETS)('%s: every case verified and measured in slices, in turn with the others', async (target, ctx) => {
    const results = await backends.run(target, JOBS, ctx, SLICED);
    expect(results.map((r) => r.outcome)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    for (const r of results) {
      expect(r.executed!.backend).toBe(backendOf(target));
      const fork = r.measurement!.forks[0]!;
      // at least minSamples slices, or timeSlices for a fast case; every sample belongs to one
      expect(fork.slices!.length).toBeGreaterThanOrEqual(SLICED.timeSlices);
      expect(fork.slices!.reduce((n, s) => n + s.count, 0)).toBe(fork.sampleCount);
      if (r.workload === 'gemm') expect(r.verification).toMatchObject({ passed: true, recheckedAfterTiming: true });
      else expect('wrong' in r && r.wrong).toBe(0);
    }
  });

  afterAll(() => backends.stop());
});
