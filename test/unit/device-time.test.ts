/** A kernel's own times on the device, as a case records them: their median and count, or nothing. */
import { describe, expect, it } from 'vitest';
import { deviceTimeOf } from '../../src/jobs/device-time.js';
import { describeTime } from '../../src/report/describe.js';
import { gemmCase } from '../helpers/run-result.js';

describe('deviceTimeOf', () => {
  it('records the median of the calls and their count', async () => {
    expect(await deviceTimeOf(async () => [3e-3, 1e-3, 2e-3, 4e-3])).toEqual({ medianSeconds: 2.5e-3, calls: 4, source: 'timestamp-query' });
  });

  it('records nothing for a kernel that cannot time itself, that returned no call, or whose query failed', async () => {
    expect(await deviceTimeOf(undefined)).toBeUndefined();
    expect(await deviceTimeOf(async () => [])).toBeUndefined();
    expect(await deviceTimeOf(async () => Promise.reject(new Error('query set lost')))).toBeUndefined();
  });

  it('is printed beside the wall-clock median, never instead of it', () => {
    const c = gemmCase([0.002, 0.002, 0.002]);
    expect(describeTime(c)).toBe('2.00 ms');
    expect(describeTime({ ...c, deviceTime: { medianSeconds: 0.0015, calls: 10, source: 'timestamp-query' } })).toBe('2.00 ms (1.50 ms on the device)');
    expect(describeTime({ ...c, outcome: 'error' })).toBe('-');
  });
});
