import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { Turns } from '../../src/harness/turns.js';
import { slicePlan, turnSlicedMeasure } from '../../src/harness/turn-slices.js';

const budget = { timeBudgetMs: 100, minSamples: 5, warmupMs: 0, warmupIterations: 1, maxWarmupMs: 0, timeSlices: 8 };

/** A sample that takes `ms` by the performance clock (a busy wait: timers may fire early by that clock). */
const busy = (ms: number) => () => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe('slicePlan', () => {
  it('cuts a fast case into timeSlices slices and lets it re-warm after a pause', () => {
    expect(slicePlan(budget, 0.01)).toEqual({ slices: 8, rewarm: true });
  });
  it('gives a case as many slices as its calls fill, never fewer than minSamples', () => {
    // 100 ms / 15 ms fills 6 slices of one call
    expect(slicePlan(budget, 15)).toEqual({ slices: 6, rewarm: false });
    // slower than 100 ms / 5: minSamples slices of one sample each, as many calls as in one go
    expect(slicePlan(budget, 30)).toEqual({ slices: 5, rewarm: false });
    expect(slicePlan(budget, 1000)).toEqual({ slices: 5, rewarm: false });
  });
  it('never takes more slices than asked, and one when asked for one', () => {
    expect(slicePlan({ ...budget, timeSlices: 3 }, 1000).slices).toBe(3);
    expect(slicePlan({ ...budget, timeSlices: 1 }, 0.01).slices).toBe(1);
    expect(slicePlan({ ...budget, timeSlices: undefined }, 0.01).slices).toBe(1);
  });
  it('re-warms only when one call costs at most a tenth of a slice', () => {
    // a slice of 100 / 8 = 12.5 ms: 1.25 ms is a tenth, 1.3 ms more
    expect(slicePlan(budget, 1.25).rewarm).toBe(true);
    expect(slicePlan(budget, 1.3).rewarm).toBe(false);
  });
});

describe('Turns', () => {
  it('hands the turn on first come, first served, and frees it when nobody waits', async () => {
    const turns = new Turns();
    const order: string[] = [];
    const task = (name: string) =>
      turns.hold(async () => {
        for (let i = 0; i < 3; i++) {
          order.push(`${name}${i}`);
          // an await that would let another task in, were it not for the turn
          await new Promise((resolve) => setTimeout(resolve, 1));
          await turns.yieldTurn();
        }
      });
    await Promise.all([task('a'), task('b'), task('c')]);
    expect(order).toEqual(['a0', 'b0', 'c0', 'a1', 'b1', 'c1', 'a2', 'b2', 'c2']);
    // free again: a new holder gets it at once, and yielding alone returns at once
    await turns.hold(() => turns.yieldTurn());
    expect(() => turns.pass()).toThrow('not held');
  });
});

describe('turnSlicedMeasure', () => {
  it('interleaves the slices of the cases that hold turns, and keeps every slice in the fork', async () => {
    const turns = new Turns();
    const log: string[] = [];
    const turnsTaken: string[] = [];
    const measure = turnSlicedMeasure(turns, (id) => void turnsTaken.push(id));
    const sample = (name: string) => () => {
      if (log[log.length - 1] !== name) log.push(name);
      busy(0.2)();
    };
    const [a, b] = await Promise.all(
      ['a', 'b'].map((name) => turns.hold(() => measure(name, sample(name), { ...budget, timeBudgetMs: 8, timeSlices: 4, minSamples: 2 }))),
    );
    // each case warms up and takes its first slice in its first turn, then the two alternate
    expect(log).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
    expect(turnsTaken).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
    for (const m of [a!, b!]) {
      const fork = m.forks[0]!;
      expect(fork.slices).toHaveLength(4);
      expect(fork.slices!.reduce((n, s) => n + s.count, 0)).toBe(fork.sampleCount);
      expect(fork.sampleCount).toBe(fork.samplesSeconds.length);
      // the 8 ms budget, at 0.2 ms a call: a fast case takes more than one sample a slice
      expect(fork.sampleCount).toBeGreaterThan(4);
    }
  });

  it('takes a slow case minSamples times, one sample a slice: no more calls than in one go', async () => {
    const turns = new Turns();
    let calls = 0;
    const m = await turns.hold(() =>
      turnSlicedMeasure(turns, () => undefined)('slow', () => {
        calls++;
        busy(6)();
      }, { ...budget, timeBudgetMs: 20, minSamples: 5 }),
    );
    const fork = m.forks[0]!;
    expect(fork.sampleCount).toBe(5);
    expect(fork.slices!.map((s) => s.count)).toEqual([1, 1, 1, 1, 1]);
    // one warm-up call, no re-warm calls (a call is more than a tenth of a slice)
    expect(calls).toBe(6);
  });

  it('passes an error of the sampled function through, as measure does', async () => {
    const turns = new Turns();
    await expect(
      turns.hold(() =>
        turnSlicedMeasure(turns, () => undefined)('boom', () => {
          throw new Error('device lost');
        }, budget),
      ),
    ).rejects.toThrow('device lost');
  });
});
