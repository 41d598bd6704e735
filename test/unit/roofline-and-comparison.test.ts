/**
 * Roofline formulas on tiny exact inputs, and the comparison of a case with
 * each chip: the same precision only (f32 against FP32 non-tensor peaks,
 * never a tensor peak), unknown figures giving no number, unstated link
 * directions giving ranges, and the device's own ceiling.
 */
import { describe, expect, it } from 'vitest';
import type { Chip, ChipTable, Figure } from '../../src/reference/chips.js';
import { compareWithChips, PEAK_FOR_PRECISION } from '../../src/reference/compare-case.js';
import { collectiveWork, gemmWork, rooflineSeconds, streamWork } from '../../src/reference/roofline.js';
import type { CaseResult, CollectiveCase, GemmCase, Measurement, StreamCase } from '../../src/results/schema.js';

describe('roofline formulas', () => {
  it('GEMM: 2MNK FLOP and 4(MK+KN+MN) bytes, bounded by the slower term', () => {
    const work = gemmWork({ m: 2, n: 3, k: 4 }); // M=2, N=3, K=4
    expect(work).toEqual({ flops: 48, memoryBytes: 4 * (8 + 12 + 6) });
    expect(rooflineSeconds(work, { flopsPerSecond: 48, memoryBytesPerSecond: 52 })).toEqual({ seconds: 2, bound: 'memory' });
    expect(rooflineSeconds(work, { flopsPerSecond: 12, memoryBytesPerSecond: 104 })).toEqual({ seconds: 4, bound: 'compute' });
  });
  it('makes no projection when a figure the work needs is unknown', () => {
    expect(rooflineSeconds(gemmWork({ m: 2, n: 3, k: 4 }), { memoryBytesPerSecond: 52 })).toBeUndefined();
    expect(rooflineSeconds(gemmWork({ m: 2, n: 3, k: 4 }), { flopsPerSecond: 48 })).toBeUndefined();
  });
  it('STREAM: copy moves bytes only, triad adds 2 FLOP per element', () => {
    expect(streamWork('copy', 80)).toEqual({ flops: 0, memoryBytes: 80 });
    expect(streamWork('triad', 120)).toEqual({ flops: 20, memoryBytes: 120 });
  });
  it('all-reduce: (R-1)/R N adds, 5(R-1)S/R bytes per rank, and the alpha-beta ring on the link', () => {
    // R = 2, S = 8 B (N = 2), alpha 1 s: link = 2 * 1 + 2 * 1/2 * 8 / B
    const work = collectiveWork('allreduce', 2, 8, 5 * 1 * 8, 1);
    expect(work.flops).toBe(1);
    expect(work.memoryBytes).toBe(20);
    expect(work.linkSeconds!(4)).toBeCloseTo(2 + 8 / 4, 12);
    expect(rooflineSeconds(work, { flopsPerSecond: 1, memoryBytesPerSecond: 20, linkBytesPerSecond: 4 })).toEqual({ seconds: 4, bound: 'link' });
    // reduce-scatter: alpha + (R-1)/R S / B
    expect(collectiveWork('reducescatter', 2, 8, 24, 1).linkSeconds!(4)).toBeCloseTo(1 + 4 / 4, 12);
    expect(collectiveWork('allgather', 2, 8, 16, 1).flops).toBe(0);
  });
});

const fig = (value: number | null, confidence: Figure['confidence'] = 'datasheet'): Figure => ({ value, sources: value === null ? [] : ['s'], confidence: value === null ? 'unknown' : confidence });

/** A chip whose every peak differs, so a comparison with the wrong precision shows in the numbers. */
function chip(id: string, over: { fp32?: number | null; memory?: number | null; link?: number | null; convention?: Chip['interconnect']['convention']; names?: string[] } = {}): Chip {
  return {
    id, name: id.toUpperCase(), vendor: 'V', deviceNames: over.names ?? [], year: fig(2024),
    peaks: { fp64: fig(1), 'fp64-tensor': fig(2), fp32: fig(over.fp32 === undefined ? 4 : over.fp32), 'tf32-tensor': fig(8), 'fp16-tensor': fig(16), 'fp8-tensor': fig(32), 'int8-tensor': fig(64) },
    memory: { sizeGB: fig(80), bandwidthTBps: fig(over.memory === undefined ? 2 : over.memory) },
    interconnect: { link: 'L', GBps: fig(over.link === undefined ? 400 : over.link), convention: over.convention ?? 'bidirectional-total' },
    cores: { count: fig(100), unit: 'SMs' }, tdpW: fig(700),
  };
}

const table: ChipTable = {
  files: ['test'], sources: { s: { title: 's' } },
  chips: [chip('a'), chip('nofp32', { fp32: null }), chip('unstated', { convention: 'unstated' }), chip('mine', { names: ['Fake GPU 9000'] })],
};
const context = { table, alphaSeconds: 0, cpuPeak: { flopsPerSecond: 1e11, label: 'estimate: test' } };

function measurement(seconds: number): Measurement {
  return { samplesSeconds: [seconds], sampleCount: 1, medianSeconds: seconds, meanSeconds: seconds, minSeconds: seconds, maxSeconds: seconds, p99Seconds: seconds, sdSeconds: 0, rmePercent: null, medianCi: { lowSeconds: seconds, highSeconds: seconds, coverage: 0 }, warmupSamples: 0 };
}
const common = { backend: 'fake', precision: 'f32' as const, timing: 'resident' as const, outcome: 'ok' as const, startedAt: 'now', wallSeconds: 1, measurement: measurement(1) };
const device = (executesOn: 'cpu' | 'gpu', name: string) => ({ backend: 'fake', kernelClass: 'K', device: { executesOn, name } });

const gemm = (executed = device('cpu', 'AMD EPYC')): GemmCase => ({
  ...common, id: 'gemm/fake/f32/m1000-n1000-k1000/resident', workload: 'gemm', shape: { m: 1000, n: 1000, k: 1000 }, seed: 1, executed,
  metrics: { flop: 2e9, medianTflops: 2e-3, tflopsCi: { low: 2e-3, high: 2e-3 } },
});

describe('a case beside each chip', () => {
  it('sets f32 GEMM against the FP32 non-tensor peak only, with the fraction and the roofline time', () => {
    const ref = compareWithChips(gemm(), context)!;
    expect(PEAK_FOR_PRECISION.f32).toBe('fp32');
    expect(ref.against).toBe('fp32');
    expect(ref.measured).toEqual({ what: 'f32 GEMM 1000x1000x1000 FLOP/s', value: 2e9, unit: 'FLOP/s' });
    const a = ref.chips.find((c) => c.chip === 'a')!;
    // fp32 = 4 TFLOP/s; every other peak (1, 2, 8, 16, 32, 64) would give another number
    expect(a.reference).toEqual({ low: 4e12, high: 4e12 });
    expect(a.fraction!.low).toBeCloseTo(2e9 / 4e12, 15);
    // roofline: max(2e9 / 4e12, 4 * 3e6 / 2e12) = max(5e-4, 6e-6) s, compute-bound
    expect(a.projectedSeconds!.low).toBeCloseTo(5e-4, 15);
    expect(a.bound).toBe('compute');
  });

  it('gives no fraction and no projection where the chip\'s FP32 peak is unknown (never a tensor peak instead)', () => {
    const c = compareWithChips(gemm(), context)!.chips.find((x) => x.chip === 'nofp32')!;
    expect(c).toMatchObject({ reference: null, fraction: null, projectedSeconds: null, bound: null, confidence: 'unknown' });
  });

  it('labels a CPU\'s own ceiling as an estimate, and a GPU in the table by its chip', () => {
    expect(compareWithChips(gemm(), context)!.ownPeak).toMatchObject({ source: 'cpu-estimate', value: 1e11, fraction: 0.02, label: 'estimate: test' });
    const onGpu = compareWithChips(gemm(device('gpu', 'Fake GPU 9000 rev 2')), context)!.ownPeak!;
    expect(onGpu).toMatchObject({ source: 'mine', value: 4e12 });
    expect(onGpu.fraction).toBeCloseTo(5e-4, 15);
    expect(compareWithChips(gemm(device('gpu', 'Some Other GPU')), context)!.ownPeak).toBeUndefined();
  });

  it('sets STREAM against memory bandwidth', () => {
    const stream: StreamCase = {
      ...common, id: 'stream-copy/fake/f32/1MiB', workload: 'stream', kernel: 'copy', bytes: 1048576, elements: 262144, wrong: 0,
      metrics: { bytesMoved: 2097152, GBps: 2.097152, GBpsCi: { low: 2, high: 2 } },
    };
    const a = compareWithChips(stream, context)!.chips.find((c) => c.chip === 'a')!;
    expect(compareWithChips(stream, context)!.against).toBe('memory-bandwidth');
    expect(a.fraction!.low).toBeCloseTo(2.097152e9 / 2e12, 15);
    expect(a.projectedSeconds!.low).toBeCloseTo(2097152 / 2e12, 18);
  });

  it('sets busbw against the per-direction link, as a range when the direction is not stated', () => {
    const ring: CollectiveCase = {
      ...common, id: 'allreduce-ring/fake/f32/r2-8B', workload: 'allreduce', algorithm: 'ring', ranks: 2, bytes: 8, elements: 2, chunking: 'uneven', steps: 2, wrong: 0,
      metrics: { bytes: 8, algbwGBps: 8e-9, busbwGBps: 8e-9, busbwFactor: 1, busbwCi: { low: 8e-9, high: 8e-9 }, memoryBytes: 40, memoryGBps: 4e-8 },
    };
    const ref = compareWithChips(ring, context)!;
    expect(ref.against).toBe('interconnect');
    // 400 GB/s bidirectional total = 200 per direction
    expect(ref.chips.find((c) => c.chip === 'a')!.reference).toEqual({ low: 2e11, high: 2e11 });
    // unstated: 200 (as a total) or 400 (per direction)
    const unstated = ref.chips.find((c) => c.chip === 'unstated')!;
    expect(unstated.reference).toEqual({ low: 2e11, high: 4e11 });
    expect(unstated.fraction).toEqual({ low: 8 / 4e11, high: 8 / 2e11 });
    expect(unstated.projectedSeconds!.low).toBeLessThan(unstated.projectedSeconds!.high);
  });

  it('adds nothing to a failed case', () => {
    const failed: CaseResult = { ...gemm(), outcome: 'error', reason: 'x' };
    delete (failed as Partial<GemmCase>).metrics;
    expect(compareWithChips(failed, context)).toBeUndefined();
  });
});
