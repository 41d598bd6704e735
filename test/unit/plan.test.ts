/**
 * Planning: the cases of a GEMM job (the naive kernel's, then the tuned
 * ones), and the jobs rebuilt from any remaining cases after a worker died,
 * which must give back exactly those cases in the same order.
 */
import { describe, expect, it } from 'vitest';
import { casesOf, jobsOf, type Job } from '../../src/runner/plan.js';

const gemm: Job = { kind: 'gemm', shape: { m: 8, n: 8, k: 8 }, seed: 1, timings: ['end-to-end', 'resident'], tunedTimings: ['resident'], variant: 'auto' };
const other: Job = { kind: 'gemm', shape: { m: 4, n: 4, k: 4 }, seed: 1, timings: ['resident'], tunedTimings: ['resident'], variant: 'auto' };
const stream: Job = { kind: 'stream', kernel: 'copy', bytes: 4096 };

describe('casesOf', () => {
  it('plans the naive kernel in every timing, then the tuned cases', () => {
    expect(casesOf('webasm', gemm).map((c) => [c.id, c.tuned ?? false])).toEqual([
      ['gemm/webasm/f32/m8-n8-k8/end-to-end', false],
      ['gemm/webasm/f32/m8-n8-k8/resident', false],
      ['gemm-tuned/webasm/f32/m8-n8-k8/resident', true],
    ]);
  });

  it('plans no tuned case for a job without tuned timings (files and jobs from before variants)', () => {
    expect(casesOf('cpu', { kind: 'gemm', shape: { m: 2, n: 2, k: 2 }, seed: 1, timings: ['resident'] }).map((c) => c.id)).toEqual(['gemm/cpu/f32/m2-n2-k2/resident']);
  });
});

describe('jobsOf', () => {
  const planned = [gemm, other, stream].flatMap((job) => casesOf('cpu', job));

  it('gives back exactly the remaining cases, in order, for every suffix and every single case dropped', () => {
    const subsets = [
      ...planned.map((_, i) => planned.slice(i)),
      ...planned.map((_, i) => planned.filter((__, j) => j !== i)),
    ];
    for (const remaining of subsets) {
      const rebuilt = jobsOf(remaining).flatMap((job) => casesOf('cpu', job));
      expect(rebuilt.map((c) => c.id)).toEqual(remaining.map((c) => c.id));
    }
  });

  it('keeps a tuned case alone as a job of its own shape, with no naive timing', () => {
    const tunedOnly = planned.filter((c) => c.id === 'gemm-tuned/cpu/f32/m8-n8-k8/resident');
    expect(jobsOf(tunedOnly)).toEqual([{ ...gemm, timings: [], tunedTimings: ['resident'] }]);
  });
});
