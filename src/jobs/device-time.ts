/**
 * A case's deviceTime record from a kernel's own timings on the device (WebGPU timestamp-query), read after its
 * timed samples: their median, and how many calls it is of.
 */
import type { MeasuredCase } from '../results/schema.js';
import { medianOf } from '../stats/statistics.js';

export async function deviceTimeOf(deviceTimes: (() => Promise<number[]>) | undefined): Promise<MeasuredCase['deviceTime']> {
  if (!deviceTimes) return undefined;
  let seconds: number[];
  try {
    seconds = await deviceTimes();
  } catch {
    // the wall-clock figure stands on its own: a device that cannot time itself after all records no device time
    return undefined;
  }
  if (seconds.length === 0) return undefined;
  return { medianSeconds: medianOf(seconds), calls: seconds.length, source: 'timestamp-query' };
}
