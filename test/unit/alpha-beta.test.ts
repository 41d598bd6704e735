import { describe, expect, it } from 'vitest';
import { perDirectionGBps, ringAllreduceSeconds } from '../../src/metrics/alpha-beta.js';

describe('alpha-beta ring all-reduce model', () => {
  it('is 2(R-1) alpha + 2(R-1)/R S / B', () => {
    // R = 2, S = 1e9 B, B = 1 GB/s, alpha = 0: 2*1/2 * 1 s = 1 s
    expect(ringAllreduceSeconds(2, 1e9, 0, 1)).toBe(1);
    // R = 8: 14 alpha + 1.75 S/B = 14 * 1e-6 + 1.75 * 64 MiB / 450 GB/s
    expect(ringAllreduceSeconds(8, 64 * 2 ** 20, 1e-6, 450)).toBeCloseTo(14e-6 + (1.75 * 67108864) / 450e9, 15);
    // latency only for a tiny message
    expect(ringAllreduceSeconds(4, 0, 2e-6, 100)).toBeCloseTo(12e-6, 18);
  });
  it('reads NVLink figures as bidirectional totals, and gives both readings when the source does not say', () => {
    expect(perDirectionGBps(900, 'bidirectional-total')).toEqual([450, 450]);
    expect(perDirectionGBps(400, 'per-direction')).toEqual([400, 400]);
    expect(perDirectionGBps(196, 'unstated')).toEqual([98, 196]);
  });
  it('refuses fewer than 2 ranks and no bandwidth', () => {
    expect(() => ringAllreduceSeconds(1, 1, 0, 1)).toThrow(RangeError);
    expect(() => ringAllreduceSeconds(2, 1, 0, 0)).toThrow(RangeError);
  });
});
