/**
 * A case's figures (f32 TFLOP/s, GB/s, algbw and busbw) for a new headline
 * measurement, from the work its metrics already record (FLOP, bytes moved,
 * S and the busbw factor): used when a case's forks are merged, so the
 * figures follow the headline time and its interval, with the same formulas
 * (src/metrics/) as the workloads use.
 */
import { algbwGBps } from '../metrics/bandwidth.js';
import { tflopsPerSecond } from '../metrics/units.js';
import type { CaseResult, Measurement } from './schema.js';

/** The case with `measurement` and the metrics recomputed from it; a case without metrics gets none. */
export function withMeasurement<C extends CaseResult>(c: C, m: Measurement): C {
  const fast = m.medianCi.lowSeconds;
  const slow = m.medianCi.highSeconds;
  if (c.workload === 'gemm') {
    if (!c.metrics) return { ...c, measurement: m };
    const flop = c.metrics.flop;
    return {
      ...c,
      measurement: m,
      metrics: { flop, medianTflops: tflopsPerSecond(flop, m.medianSeconds), tflopsCi: { low: tflopsPerSecond(flop, slow), high: tflopsPerSecond(flop, fast) } },
    };
  }
  if (c.workload === 'stream') {
    if (!c.metrics) return { ...c, measurement: m };
    const moved = c.metrics.bytesMoved;
    return { ...c, measurement: m, metrics: { bytesMoved: moved, GBps: algbwGBps(moved, m.medianSeconds), GBpsCi: { low: algbwGBps(moved, slow), high: algbwGBps(moved, fast) } } };
  }
  if (!c.metrics) return { ...c, measurement: m };
  const { bytes, busbwFactor: factor, memoryBytes } = c.metrics;
  const algbw = algbwGBps(bytes, m.medianSeconds);
  return {
    ...c,
    measurement: m,
    metrics: {
      bytes,
      algbwGBps: algbw,
      busbwGBps: algbw * factor,
      busbwFactor: factor,
      busbwCi: { low: algbwGBps(bytes, slow) * factor, high: algbwGBps(bytes, fast) * factor },
      ...(memoryBytes !== undefined ? { memoryBytes, memoryGBps: algbwGBps(memoryBytes, m.medianSeconds) } : {}),
    },
  };
}
