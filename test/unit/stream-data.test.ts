import { describe, expect, it } from 'vitest';
import { countStreamWrong, streamInputs, TRIAD_SCALAR } from '../../src/workloads/stream/stream-data.js';

describe('STREAM verification', () => {
  const { x, y } = streamInputs(10);
  it('uses integer inputs so the expected output is exact', () => {
    for (const v of [...x, ...y]) expect(Number.isInteger(v)).toBe(true);
    expect(TRIAD_SCALAR).toBe(3);
  });
  it('accepts exact copy and triad outputs', () => {
    expect(countStreamWrong('copy', x, y, x.slice())).toBe(0);
    expect(countStreamWrong('triad', x, y, x.map((v, i) => v + 3 * y[i]!))).toBe(0);
  });
  it('counts every wrong element, and a wrong length as all wrong', () => {
    const bad = x.map((v, i) => v + 3 * y[i]!);
    bad[2]! += 1;
    bad[7] = NaN;
    expect(countStreamWrong('triad', x, y, bad)).toBe(2);
    expect(countStreamWrong('copy', x, y, x.map((v, i) => v + 3 * y[i]!))).toBeGreaterThan(0);
    expect(countStreamWrong('copy', x, y, new Float32Array(9))).toBe(10);
  });
});
