import { describe, expect, it } from 'vitest';
import { algbwGBps, busbwFactor, busbwGBps, streamBytes, streamGBps } from '../../src/metrics/bandwidth.js';

describe('nccl-tests bandwidth figures', () => {
  it('algbw = S / t in GB/s (1e9 bytes)', () => {
    expect(algbwGBps(64 * 2 ** 20, 0.01)).toBeCloseTo(6.7108864, 12);
    expect(algbwGBps(1e9, 1)).toBe(1);
  });
  it('busbw factor: 2(n-1)/n for all-reduce, (n-1)/n for reduce-scatter and all-gather', () => {
    expect(busbwFactor('allreduce', 8)).toBe(1.75);
    expect(busbwFactor('allreduce', 2)).toBe(1);
    expect(busbwFactor('reducescatter', 8)).toBe(0.875);
    expect(busbwFactor('allgather', 4)).toBe(0.75);
    expect(busbwFactor('allreduce', 1)).toBe(0);
  });
  it('busbw = algbw * factor', () => {
    expect(busbwGBps('allreduce', 8, 1e9, 1)).toBe(1.75);
    expect(busbwGBps('allgather', 5, 2e9, 2)).toBeCloseTo(0.8, 15);
  });
  it('refuses a zero time and a rank count below 1', () => {
    expect(() => algbwGBps(1, 0)).toThrow(RangeError);
    expect(() => busbwFactor('allreduce', 0)).toThrow(RangeError);
    expect(() => busbwFactor('allreduce', 2.5)).toThrow(RangeError);
  });
});

describe('STREAM bytes', () => {
  it('counts reads plus writes: copy 2 arrays, triad 3', () => {
    expect(streamBytes('copy', 1000)).toBe(8000);
    expect(streamBytes('triad', 1000)).toBe(12000);
    expect(streamGBps('triad', 1e9 / 12, 1)).toBeCloseTo(1, 12);
  });
});
