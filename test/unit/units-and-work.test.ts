import { describe, expect, it } from 'vitest';
import { gemmFlop } from '../../src/metrics/gemm-work.js';
import { formatSeconds, formatSi, tflopsPerSecond } from '../../src/metrics/units.js';

describe('GEMM work', () => {
  it('counts 2*M*N*K FLOPs', () => {
    expect(gemmFlop({ m: 3, n: 5, k: 7 })).toBe(210);
    expect(gemmFlop({ m: 1024, n: 1024, k: 1024 })).toBe(2147483648);
  });
});

describe('rates', () => {
  it('converts FLOPs and seconds to TFLOP/s', () => {
    expect(tflopsPerSecond(2e12, 2)).toBe(1);
    expect(tflopsPerSecond(2 * 512 ** 3, 0.5)).toBeCloseTo(5.36870912e-4, 15);
  });
  it('refuses a zero or negative duration', () => {
    expect(() => tflopsPerSecond(1, 0)).toThrow(RangeError);
    expect(() => tflopsPerSecond(1, -1)).toThrow(RangeError);
  });
  it('formats with SI prefixes and 3 significant digits', () => {
    expect(formatSi(3.12e8, 'FLOP/s')).toBe('312 MFLOP/s');
    expect(formatSi(1.5e12, 'FLOP/s')).toBe('1.50 TFLOP/s');
    expect(formatSi(0, 'FLOP/s')).toBe('0 FLOP/s');
    expect(formatSeconds(0.000812)).toBe('812 µs');
    expect(formatSeconds(1.234)).toBe('1.23 s');
    expect(formatSeconds(0.0123)).toBe('12.3 ms');
  });
});
