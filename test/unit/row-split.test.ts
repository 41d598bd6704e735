/**
 * The thread split of the hand-written WebAssembly GEMM: every row in exactly one thread's range, in blocks of the
 * micro-kernel's 4 rows, including shapes with fewer rows (or blocks) than threads.
 */
import { describe, expect, it } from 'vitest';
import { rowRanges } from '../../src/backends/ceiling/row-split.js';

describe('rowRanges', () => {
  it('splits 10 rows over 2 threads in whole blocks of 4: [0, 4) and [4, 10)', () => {
    expect(rowRanges(10, 2, 4)).toEqual([
      [0, 4],
      [4, 10],
    ]);
  });

  it('gives the threads past the blocks empty ranges: 1 row over 3 threads', () => {
    expect(rowRanges(1, 3, 4)).toEqual([
      [0, 0],
      [0, 0],
      [0, 1],
    ]);
  });

  it('covers every row exactly once, in order, for every row count up to 70 and 1 to 9 threads', () => {
    for (let rows = 0; rows <= 70; rows++) {
      for (let threads = 1; threads <= 9; threads++) {
        const ranges = rowRanges(rows, threads, 4);
        expect(ranges).toHaveLength(threads);
        const covered = ranges.flatMap(([start, end]) => Array.from({ length: end - start }, (_, i) => start + i));
        expect(covered).toEqual(Array.from({ length: rows }, (_, i) => i));
        // every range but the last ends on a block boundary, so no micro-kernel straddles two threads
        for (const [, end] of ranges.slice(0, -1)) expect(end % 4 === 0 || end === rows).toBe(true);
      }
    }
  });

  it('refuses no threads and fractional rows', () => {
    expect(() => rowRanges(8, 0, 4)).toThrow(/threads must be at least 1/);
    expect(() => rowRanges(2.5, 2, 4)).toThrow(/rows must be a whole number/);
  });
});
