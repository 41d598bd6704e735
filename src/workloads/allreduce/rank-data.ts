/**
 * Rank buffers for collectives, and the check of their final state.
 *
 * Inputs are small integers (-8..8), so every sum of up to 2^20 ranks is an
 * integer below 2^24 and exact in f32: a correct collective gives exactly
 * the expected value, and any difference is a wrong element (#wrong in
 * nccl-tests), never rounding.
 */
import type { Schedule } from './schedule.js';
import { chunkRange } from './schedule.js';

/** Element i of rank r: an integer in [-8, 8], deterministic and different across ranks. */
export function rankValue(rank: number, index: number): number {
  return ((rank * 131 + index * 7 + ((index * index) % 13)) % 17) - 8;
}

/** The initial buffers: for all-gather only chunk r of rank r is meaningful, the rest is filled with NaN so a missed copy shows. */
export function initialBuffers(schedule: Schedule): Float32Array[] {
  const { ranks, elements, collective } = schedule;
  return Array.from({ length: ranks }, (_, r) => {
    const buffer = new Float32Array(elements);
    if (collective === 'allgather') {
      buffer.fill(NaN);
      const { start, end } = chunkRange(elements, ranks, r);
      for (let i = start; i < end; i++) buffer[i] = rankValue(r, i);
    } else {
      for (let i = 0; i < elements; i++) buffer[i] = rankValue(r, i);
    }
    return buffer;
  });
}

/**
 * Counts the wrong elements of the final state, over every element every
 * rank must hold (nccl-tests' #wrong):
 * - all-reduce: every element of every rank equals the sum over ranks;
 * - reduce-scatter: chunk r of rank r equals the sum over ranks;
 * - all-gather: chunk c of every rank equals rank c's input chunk c.
 */
export function countWrong(schedule: Schedule, buffers: readonly ArrayLike<number>[]): number {
  const { ranks, elements, collective } = schedule;
  const sum = (i: number) => {
    let s = 0;
    for (let r = 0; r < ranks; r++) s += rankValue(r, i);
    return s;
  };
  let wrong = 0;
  for (let r = 0; r < ranks; r++) {
    const buffer = buffers[r]!;
    if (collective === 'reducescatter') {
      const { start, end } = chunkRange(elements, ranks, r);
      for (let i = start; i < end; i++) if (buffer[i] !== sum(i)) wrong++;
    } else if (collective === 'allgather') {
      for (let c = 0; c < ranks; c++) {
        const { start, end } = chunkRange(elements, ranks, c);
        for (let i = start; i < end; i++) if (buffer[i] !== rankValue(c, i)) wrong++;
      }
    } else {
      for (let i = 0; i < elements; i++) if (buffer[i] !== sum(i)) wrong++;
    }
  }
  return wrong;
}
