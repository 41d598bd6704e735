/**
 * The collective schedules on the host reference executor: correct for
 * R in {2, 3, 5, 8} on sizes that do and do not divide into R chunks,
 * every step needed, and the ring's intermediate states exact.
 */
import { describe, expect, it } from 'vitest';
import { executeOnHost } from '../../src/workloads/allreduce/host-executor.js';
import { scheduleBuffers, scheduleWrong } from '../helpers/builtin-suites.js';
import {
  ALLREDUCE_ALGORITHMS,
  allGatherSchedule,
  allreduceSchedule,
  chunkRange,
  memoryTrafficBytes,
  reduceScatterSchedule,
  type Schedule,
} from '../../src/workloads/allreduce/schedule.js';

const RANKS = [2, 3, 5, 8];
const sizesFor = (r: number) => [r * 4, r * 4 + 3, 1, r - 1 || 1];

function schedules(ranks: number, elements: number): Schedule[] {
  return [
    ...ALLREDUCE_ALGORITHMS.map((a) => allreduceSchedule(a, ranks, elements)),
    reduceScatterSchedule(ranks, elements),
    allGatherSchedule(ranks, elements),
  ];
}

describe('chunks', () => {
  it('split N into R contiguous chunks, the first N mod R one longer', () => {
    expect([0, 1, 2].map((c) => chunkRange(10, 3, c))).toEqual([
      { start: 0, end: 4 },
      { start: 4, end: 7 },
      { start: 7, end: 10 },
    ]);
    expect(chunkRange(2, 3, 2)).toEqual({ start: 2, end: 2 });
  });
});

describe('schedules on the host executor', () => {
  for (const ranks of RANKS) {
    for (const elements of sizesFor(ranks)) {
      it(`R=${ranks}, N=${elements}: every collective and algorithm ends with no wrong element`, () => {
        for (const schedule of schedules(ranks, elements)) {
          const buffers = scheduleBuffers(schedule);
          executeOnHost(schedule, buffers);
          expect({ name: `${schedule.collective}/${schedule.algorithm}`, wrong: scheduleWrong(schedule, buffers) }).toEqual({
            name: `${schedule.collective}/${schedule.algorithm}`,
            wrong: 0,
          });
        }
      });
    }
  }

  it('needs every step: leaving out any one leaves wrong elements', () => {
    for (const ranks of RANKS) {
      for (const schedule of schedules(ranks, ranks * 4 + 3)) {
        schedule.steps.forEach((step, skip) => {
          const buffers = scheduleBuffers(schedule);
          executeOnHost(schedule, buffers, undefined, skip);
          expect({ step: `${schedule.collective}/${schedule.algorithm} R=${ranks}: ${step.label}`, wrong: scheduleWrong(schedule, buffers) > 0 }).toEqual({
            step: `${schedule.collective}/${schedule.algorithm} R=${ranks}: ${step.label}`,
            wrong: true,
          });
        });
      }
    }
  });

  it('has the step counts of the literature: ring 2(R-1), halving-doubling 2 log2(R) (+2 to fold), direct 2', () => {
    expect(allreduceSchedule('ring', 8, 64).steps).toHaveLength(14);
    expect(allreduceSchedule('halving-doubling', 8, 64).steps).toHaveLength(6);
    expect(allreduceSchedule('halving-doubling', 5, 64).steps).toHaveLength(6);
    expect(allreduceSchedule('direct', 8, 64).steps).toHaveLength(2);
    expect(reduceScatterSchedule(8, 64).steps).toHaveLength(7);
    expect(allGatherSchedule(8, 64).steps).toHaveLength(7);
  });

  it('moves the ring through exactly the states worked out by hand (R=3, N=3)', () => {
    const schedule = allreduceSchedule('ring', 3, 3);
    const buffers = [new Float32Array([1, 2, 3]), new Float32Array([10, 20, 30]), new Float32Array([100, 200, 300])];
    const states: number[][][] = [];
    executeOnHost(schedule, buffers, (_, b) => states.push(b.map((x) => [...x])));
    expect(states).toEqual([
      [[1, 202, 3], [10, 20, 33], [110, 200, 300]],
      [[111, 202, 3], [10, 222, 33], [110, 200, 333]],
      [[111, 202, 333], [111, 222, 33], [110, 222, 333]],
      [[111, 222, 333], [111, 222, 333], [111, 222, 333]],
    ]);
  });

  it('refuses fewer than 2 ranks and empty buffers', () => {
    expect(() => allreduceSchedule('ring', 1, 8)).toThrow(/at least 2 ranks/);
    expect(() => reduceScatterSchedule(4, 0)).toThrow(/at least 1 element/);
  });
});

describe('memory traffic of a schedule (reads plus writes, all ranks in one memory)', () => {
  it('counts a reduce as 3 pieces and a copy as 2: worked by hand for the ring, R = 3, N = 5 (chunks 2, 2, 1)', () => {
    // reduce-scatter: 2 steps, each moving chunks of 2 + 2 + 1 elements as reductions: 2 * 5 * 3 = 30 elements;
    // all-gather: 2 steps of copies: 2 * 5 * 2 = 20 elements; 50 elements of 4 bytes.
    expect(memoryTrafficBytes(allreduceSchedule('ring', 3, 5))).toBe(200);
    expect(memoryTrafficBytes(reduceScatterSchedule(3, 5))).toBe(120);
    expect(memoryTrafficBytes(allGatherSchedule(3, 5))).toBe(80);
  });

  it('is 5(R-1)S for every all-reduce algorithm, 3(R-1)S for reduce-scatter and 2(R-1)S for all-gather', () => {
    for (const r of RANKS) {
      for (const n of sizesFor(r)) {
        const s = 4 * n;
        for (const a of ALLREDUCE_ALGORITHMS) expect(memoryTrafficBytes(allreduceSchedule(a, r, n)), `${a} R=${r} N=${n}`).toBe(5 * (r - 1) * s);
        expect(memoryTrafficBytes(reduceScatterSchedule(r, n))).toBe(3 * (r - 1) * s);
        expect(memoryTrafficBytes(allGatherSchedule(r, n))).toBe(2 * (r - 1) * s);
      }
    }
  });
});
