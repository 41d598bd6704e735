/**
 * A case's figures (f32 TFLOP/s, GB/s, algbw and busbw) from the work it did and its measurement: the one home of
 * these formulas (src/metrics/) applied to a median and its 95% interval. The jobs use them when a case is measured,
 * and withMeasurement when a case's forks are merged, so the figures always follow the headline time and interval.
 * A faster time is a higher rate: the interval's low time gives the rate's high end.
 */
import { algbwGBps } from '../metrics/bandwidth.js';
import { tflopsPerSecond } from '../metrics/units.js';
import type { CaseResult, CollectiveCase, GemmCase, ImportedCase, KernelCase, Measurement, StreamCase } from './schema.js';

/** GEMM: FLOP (2·M·N·K) over the median time, in TFLOP/s, with the interval. */
export function gemmMetrics(flop: number, m: Measurement): NonNullable<GemmCase['metrics']> {
  return {
    flop,
    medianTflops: tflopsPerSecond(flop, m.medianSeconds),
    tflopsCi: { low: tflopsPerSecond(flop, m.medianCi.highSeconds), high: tflopsPerSecond(flop, m.medianCi.lowSeconds) },
  };
}

/** STREAM: bytes read plus written over the median time, in GB/s, with the interval. */
export function streamMetrics(bytesMoved: number, m: Measurement): NonNullable<StreamCase['metrics']> {
  return {
    bytesMoved,
    GBps: algbwGBps(bytesMoved, m.medianSeconds),
    GBpsCi: { low: algbwGBps(bytesMoved, m.medianCi.highSeconds), high: algbwGBps(bytesMoved, m.medianCi.lowSeconds) },
  };
}

/** A suite kernel: its stated flops over the median time in TFLOP/s (f32) and its bytes in GB/s, each with the interval. */
export function kernelMetrics(work: KernelCase['work'], m: Measurement): NonNullable<KernelCase['metrics']> {
  const { flops, bytes } = work;
  return {
    ...(flops !== undefined
      ? { medianTflops: tflopsPerSecond(flops, m.medianSeconds), tflopsCi: { low: tflopsPerSecond(flops, m.medianCi.highSeconds), high: tflopsPerSecond(flops, m.medianCi.lowSeconds) } }
      : {}),
    ...(bytes !== undefined ? { GBps: algbwGBps(bytes, m.medianSeconds), GBpsCi: { low: algbwGBps(bytes, m.medianCi.highSeconds), high: algbwGBps(bytes, m.medianCi.lowSeconds) } } : {}),
  };
}

/** What a collective moved: S, nccl-tests' busbw factor, and (when known) the bytes all ranks read and wrote. */
export interface CollectiveWork {
  bytes: number;
  busbwFactor: number;
  memoryBytes?: number;
}

/** A collective: algbw = S / t and busbw = algbw · factor (nccl-tests), with busbw's interval and the memory traffic rate. */
export function collectiveMetrics(work: CollectiveWork, m: Measurement): NonNullable<CollectiveCase['metrics']> {
  const { bytes, busbwFactor: factor, memoryBytes } = work;
  const algbw = algbwGBps(bytes, m.medianSeconds);
  return {
    bytes,
    algbwGBps: algbw,
    busbwGBps: algbw * factor,
    busbwFactor: factor,
    busbwCi: { low: algbwGBps(bytes, m.medianCi.highSeconds) * factor, high: algbwGBps(bytes, m.medianCi.lowSeconds) * factor },
    ...(memoryBytes !== undefined ? { memoryBytes, memoryGBps: algbwGBps(memoryBytes, m.medianSeconds) } : {}),
  };
}

/** An imported figure: work / time x factor in its unit (GB/s: 1e9 B/s; TFLOP/s: 1e12 FLOP/s), with the interval. */
export function importedMetrics(figure: Pick<NonNullable<ImportedCase['metrics']>, 'name' | 'unit' | 'work' | 'factor' | 'timed'>, m: Measurement): NonNullable<ImportedCase['metrics']> {
  const scale = figure.unit === 'GB/s' ? 1e9 : 1e12;
  const rate = (seconds: number) => (figure.work / Math.max(seconds, Number.MIN_VALUE)) * (figure.factor / scale);
  return { ...figure, value: rate(m.medianSeconds), ci: { low: rate(m.medianCi.highSeconds), high: rate(m.medianCi.lowSeconds) } };
}

/** The case with `measurement` and the metrics recomputed from it; a case without metrics gets none. */
export function withMeasurement<C extends CaseResult>(c: C, m: Measurement): C {
  if (!c.metrics) return { ...c, measurement: m };
  if (c.workload === 'gemm') return { ...c, measurement: m, metrics: gemmMetrics(c.metrics.flop, m) };
  if (c.workload === 'stream') return { ...c, measurement: m, metrics: streamMetrics(c.metrics.bytesMoved, m) };
  if (c.workload === 'imported') return { ...c, measurement: m, metrics: importedMetrics(c.metrics, m) };
  if (c.workload === 'kernel') return { ...c, measurement: m, metrics: kernelMetrics(c.work, m) };
  return { ...c, measurement: m, metrics: collectiveMetrics(c.metrics, m) };
}
