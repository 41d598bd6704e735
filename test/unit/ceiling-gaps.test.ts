/**
 * gpu.js beside the hand-written kernels, from a saved run alone, on cases whose figures are exact: the best per
 * backend and workload, the share only at the same point, the ceiling section's cells, and both export formats.
 */
import { describe, expect, it } from 'vitest';
import { gapRate, gemmGaps, pointShares, runGaps, streamGaps } from '../../src/results/ceiling-gaps.js';
import { ceilingSection } from '../../src/report/ceiling-section.js';
import { copyBandwidthIndex } from '../../src/report/stream-table.js';
import { toBencherMetricFormat, toGithubActionBenchmark } from '../../src/export/exports.js';
import type { GemmCase, StreamCase } from '../../src/results/schema.js';
import { gemmCase, measurementOf, runWith } from '../helpers/run-result.js';

const FLOP = 2e9; // 1000^3

/** An ok GEMM case at 1000^3 taking `seconds`, of a kernel family (gemm, gemm-tuned, gemm-ceiling) on a backend. */
function gemm(family: string, backend: string, seconds: number, timing: 'resident' | 'end-to-end' = 'resident'): GemmCase {
  return gemmCase([seconds, seconds, seconds], {
    id: `${family}/${backend}/f32/m1000-n1000-k1000/${timing}`,
    backend,
    timing,
    ...(family === 'gemm-tuned' ? { variant: { id: 't22', description: 'tuned', choice: 'autotuned' as const } } : {}),
    ...(family === 'gemm-ceiling' ? { variant: { id: 'wasm-simd-4x8', description: 'hand-written', choice: 'hand-written' as const } } : {}),
  });
}

/** An ok STREAM case of `bytes` arrays taking `seconds`: copy moves 2 arrays, triad 3. */
function stream(kernel: 'copy' | 'triad', backend: string, bytes: number, seconds: number, ceiling = false): StreamCase {
  const moved = (kernel === 'copy' ? 2 : 3) * bytes;
  const measurement = measurementOf([seconds, seconds, seconds]);
  return {
    id: `stream-${ceiling ? 'ceiling-' : ''}${kernel}/${backend}/f32/${bytes}B`,
    backend,
    precision: 'f32',
    timing: 'resident',
    outcome: 'ok',
    startedAt: 'now',
    wallSeconds: 1,
    workload: 'stream',
    kernel,
    bytes,
    elements: bytes / 4,
    wrong: 0,
    executed: { backend, kernelClass: 'k', device: { executesOn: 'cpu', name: 'host CPU' } },
    measurement,
    metrics: { bytesMoved: moved, GBps: moved / seconds / 1e9, GBpsCi: { low: 0, high: 0 } },
  };
}

describe('gpu.js beside the hand-written kernels', () => {
  it('GEMM: the best gpu.js case per backend, its naive peer, and the share of the ceiling at the same shape and timing', () => {
    // webasm: naive 2 s (1 GFLOP/s), tuned 0.5 s (4 GFLOP/s), hand-written 0.1 s (20 GFLOP/s); cpu: naive only
    const cases = [gemm('gemm', 'webasm', 2), gemm('gemm-tuned', 'webasm', 0.5), gemm('gemm-ceiling', 'webasm', 0.1), gemm('gemm', 'cpu', 4)];
    const [webasm, cpu] = gemmGaps(cases);
    expect(webasm!.best.id).toBe('gemm-tuned/webasm/f32/m1000-n1000-k1000/resident');
    expect(webasm!.speedup).toBeCloseTo(4, 12);
    expect(webasm!.ceiling!.id).toBe('gemm-ceiling/webasm/f32/m1000-n1000-k1000/resident');
    expect(webasm!.ofCeiling).toBeCloseTo(0.2, 12);
    expect(cpu).toMatchObject({ backend: 'cpu', speedup: 1 });
    expect(cpu!.ceiling).toBeUndefined();
    expect(gapRate(webasm!.ceiling!)).toBeCloseTo(FLOP / 0.1, 0);
  });

  it('GEMM: a ceiling at another timing is shown but not divided into the best', () => {
    const [gap] = gemmGaps([gemm('gemm', 'webgpu', 1), gemm('gemm-ceiling', 'webgpu', 0.25, 'end-to-end')]);
    expect(gap!.ceiling!.timing).toBe('end-to-end');
    expect(gap!.ofCeiling).toBeUndefined();
  });

  it('STREAM: per kernel, the best gpu.js size, and the hand-written kernel at that size rather than its fastest', () => {
    const cases = [
      stream('copy', 'webasm', 4096, 4e-6), // 2 * 4096 B / 4 us = 2.048 GB/s
      stream('copy', 'webasm', 65536, 32e-6), // 4.096 GB/s: the best
      stream('copy', 'webasm', 4096, 1e-7, true), // 81.92 GB/s: the fastest hand-written, at another size
      stream('copy', 'webasm', 65536, 4e-6, true), // 32.768 GB/s: the one at the best's size
      stream('triad', 'webasm', 4096, 6e-6), // 2.048 GB/s, no hand-written triad
    ];
    const [copy, triad] = streamGaps(cases);
    expect(copy).toMatchObject({ backend: 'webasm', workload: 'stream-copy' });
    expect(copy!.best.bytes).toBe(65536);
    expect(copy!.ceiling!.id).toBe('stream-ceiling-copy/webasm/f32/65536B');
    expect(copy!.ofCeiling).toBeCloseTo(4.096 / 32.768, 12); // 12.5%
    expect(triad).toMatchObject({ workload: 'stream-triad' });
    expect(triad!.ceiling).toBeUndefined();
  });

  it('the section and the exports give the same shares, in percent, and say which backend has no hand-written kernel', () => {
    const run = runWith([gemm('gemm', 'webasm', 2), gemm('gemm-ceiling', 'webasm', 0.1), gemm('gemm', 'cpu', 4), stream('copy', 'webasm', 65536, 32e-6), stream('copy', 'webasm', 65536, 4e-6, true)]);
    expect(runGaps(run).map((g) => `${g.backend} ${g.workload}`)).toEqual(['webasm gemm', 'cpu gemm', 'webasm stream-copy']);
    const section = ceilingSection(run)!;
    const column = (name: string) => section.table.headers.indexOf(name);
    const [webasm, cpu, copy] = section.table.rows;
    expect(webasm![column('gpu.js best')]).toBe('1.00 GFLOP/s f32');
    expect(webasm![column('hand-written')]).toBe('20.0 GFLOP/s f32');
    expect(webasm![column('gpu.js / hand-written')]).toBe('5.0%');
    expect(cpu![column('hand-written')]).toBe('none on this API');
    // a hand-written case that failed is said to have failed, not to be missing
    const failed = runWith([gemm('gemm', 'webasm', 2), { ...gemm('gemm-ceiling', 'webasm', 0.1), outcome: 'error', reason: 'trapped' }]);
    expect(ceilingSection(failed)!.table.rows[0]![column('hand-written')]).toBe('failed (see the failed cases)');
    expect(copy![column('gpu.js best')]).toBe('4.10 GB/s');
    expect(copy![column('gpu.js / hand-written')]).toBe('13%');

    const github = toGithubActionBenchmark(run).filter((e) => e.name.startsWith('gpujs-share-of-hand-written/'));
    // one series a point, named by the hand-written case
    expect(github.map((e) => [e.name, e.value, e.extra])).toEqual([
      ['gpujs-share-of-hand-written/gemm-ceiling/webasm/f32/m1000-n1000-k1000/resident', expect.closeTo(5, 10), 'gpu.js: gemm/webasm/f32/m1000-n1000-k1000/resident; hand-written: gemm-ceiling/webasm/f32/m1000-n1000-k1000/resident'],
      ['gpujs-share-of-hand-written/stream-ceiling-copy/webasm/f32/65536B', expect.closeTo(12.5, 10), expect.any(String)],
    ]);
    expect(github[0]!.unit).toMatch(/^% \(gpu\.js's fastest kernel at this point \/ the hand-written kernel/);
    const bencher = toBencherMetricFormat(run);
    expect(bencher['gpujs-share-of-hand-written/gemm-ceiling/webasm/f32/m1000-n1000-k1000/resident']!['share-of-hand-written-pct']!.value).toBeCloseTo(5, 10);
    // the ceiling cases are exported as cases too, under their own ids
    expect(Object.keys(bencher)).toContain('gemm-ceiling/webasm/f32/m1000-n1000-k1000/resident');
  });

  it('says which backend has no hand-written kernel of a workload, and which had one that was not run', () => {
    const run = runWith([stream('copy', 'headlessgl', 65536, 32e-6), stream('triad', 'webgpu', 65536, 32e-6), stream('copy', 'webgpu', 65536, 32e-6), stream('copy', 'webgpu', 65536, 4e-6, true)]);
    const section = ceilingSection(run)!;
    const cell = (backend: string, workload: string) => section.table.rows.find((r) => r[0] === backend && r[1] === workload)![section.table.headers.indexOf('hand-written')];
    expect(cell('headlessgl', 'stream-copy')).toBe('none on this API'); // WebGL has a hand-written GEMM, no STREAM kernel
    expect(cell('webgpu', 'stream-triad')).toBe('not in this run');
    expect(cell('webgpu', 'stream-copy')).toBe('32.8 GB/s');
  });

  it('gives no share at a point where only one side ran, and the faster gpu.js kernel where two did', () => {
    const run = runWith([gemm('gemm', 'webasm', 2), gemm('gemm-tuned', 'webasm', 0.5), gemm('gemm-ceiling', 'webasm', 0.1), gemm('gemm-ceiling', 'webgpu', 0.1)]);
    expect(pointShares(run).map((s) => [s.ceiling.id, s.gpujs.id, s.share])).toEqual([
      ['gemm-ceiling/webasm/f32/m1000-n1000-k1000/resident', 'gemm-tuned/webasm/f32/m1000-n1000-k1000/resident', expect.closeTo(0.2, 12)],
    ]);
  });

  it('a run without hand-written cases has no section', () => {
    expect(ceilingSection(runWith([gemm('gemm', 'webasm', 2)]))).toBeUndefined();
  });
});

describe('the copy bandwidth a collective is set beside', () => {
  it("gives gpu.js's copy and the hand-written copy of a backend at a size apart, and neither where none passed", () => {
    const copy = copyBandwidthIndex([stream('copy', 'webasm', 4096, 4e-6), stream('copy', 'webasm', 4096, 1e-7, true), stream('triad', 'webasm', 4096, 1e-7, true)]);
    expect(copy('webasm', 4096)).toEqual({ gpujs: expect.closeTo(2.048, 12), handWritten: expect.closeTo(81.92, 12) });
    expect(copy('webasm', 65536)).toEqual({});
    expect(copy('cpu', 4096)).toEqual({});
  });
});
