import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { measure } from '../../src/harness/measure.js';
import { quantile } from '../../src/stats/statistics.js';

describe('measure (tinybench adapter)', () => {
  it('takes at least the minimum sample count, excludes warm-up, and keeps samples in order', async () => {
    let calls = 0;
    const m = await measure(
      'min-samples',
      () => {
        calls++;
        // a busy wait, not setTimeout: timers may fire early by the performance clock
        const end = performance.now() + 2;
        while (performance.now() < end);
      },
      { timeBudgetMs: 1, minSamples: 7, warmupMs: 0, warmupIterations: 2, maxWarmupMs: 0 },
    );
    expect(m.sampleCount).toBe(7);
    expect(m.forkCount).toBe(1);
    const fork = m.forks[0]!;
    expect(fork.warmupSamples).toBe(2);
    expect(calls).toBe(9);
    expect(fork.samplesSeconds).toHaveLength(7);
    const sorted = [...fork.samplesSeconds].sort((a, b) => a - b);
    expect(fork.medianSeconds).toBeCloseTo(quantile(sorted, 0.5), 15);
    // one fork: the headline is its median, and its interval is the fork's own, marked as such
    expect(m.medianSeconds).toBe(fork.medianSeconds);
    expect(m).toMatchObject({ intervalFrom: 'samples', betweenForkSdLog: null, uncheckedForks: 1 });
    expect(fork.minSeconds).toBe(sorted[0]);
    expect(fork.maxSeconds).toBe(sorted[6]);
    // each sample includes the 2 ms wait, in seconds
    expect(fork.minSeconds).toBeGreaterThanOrEqual(0.002);
  });

  it('stops at the sample cap before the time budget is spent', async () => {
    const m = await measure('cap', () => undefined, { timeBudgetMs: 60_000, minSamples: 3, warmupMs: 0, warmupIterations: 0, maxWarmupMs: 0 }, 50);
    expect(m.sampleCount).toBe(50);
  });

  it('passes an error of the sampled function through', async () => {
    await expect(
      measure('boom', () => {
        throw new Error('device lost');
      }, { timeBudgetMs: 1, minSamples: 1, warmupMs: 0, warmupIterations: 0, maxWarmupMs: 0 }),
    ).rejects.toThrow('device lost');
  });
});
