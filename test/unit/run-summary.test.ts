/**
 * The summary printed first: its answers on the report fixture, with every case set beside the shipped chip
 * table as a run does, checked to the figure; and its console form within a width.
 */
import { describe, expect, it } from 'vitest';
import { summariseRun } from '../../src/report/run-summary.js';
import { renderClosingLines, renderConsoleSummary } from '../../src/report/console-summary.js';
import { compareWithChips } from '../../src/reference/compare-case.js';
import { loadChipTable } from '../../src/reference/chips.js';
import { reportRun } from '../helpers/report-fixture.js';
import type { RunResult } from '../../src/results/schema.js';

const chips = loadChipTable();

/** The fixture with each case's comparison with the chips, as chipbench run records it. */
function comparedRun(): RunResult {
  const run = reportRun();
  for (const c of run.cases) {
    const reference = compareWithChips(c, { table: chips, alphaSeconds: 2e-6 });
    if (reference) c.reference = reference;
  }
  return run;
}

describe('the run summary', () => {
  const summary = summariseRun(comparedRun(), { chips, verdict: '1 regressed: the gate fails' });
  const line = (backend: string, label: string) => summary.backends.find((b) => b.backend === backend)!.lines.find((l) => l.label === label)?.text;

  it('names each backend that ran with its device once, and says which did not run', () => {
    expect(summary.backends.map((b) => b.backend)).toEqual(['cpu', 'webgpu']);
    expect(summary.backends[1]!.device).toBe('llvmpipe (LLVM 15.0.6, 256 bits) [software renderer, runs on the CPU]');
    expect(summary.unavailable).toEqual(['headlessgl: the gl addon is not built']);
    expect(summary.overview).toBe('38 cases on 2 backends, 1 failed or skipped; profile quick; 5m00s');
  });

  it("sets gpu.js's best GEMM and STREAM beside the hand-written kernel at the same point, and the peak all-reduce busbw", () => {
    expect(line('webgpu', 'GEMM f32')).toBe('780 MFLOP/s ±2.5% gpu.js naive, 256x256x256 resident; hand-written 3.90 GFLOP/s: gpu.js 20.0% of it');
    expect(line('webgpu', 'STREAM f32')).toBe('0.900 GB/s ±3.0% gpu.js copy, 1MiB; hand-written 3.60 GB/s: gpu.js 25.0% of it');
    expect(line('cpu', 'GEMM f32')).toContain('; no hand-written kernel on this API');
    expect(line('cpu', 'all-reduce')).toBe('busbw 0.400 GB/s ±3.0%, algbw 0.229 GB/s (ring, 8 ranks in one process, 1MiB)');
  });

  it('compares with the nearest chip at the same precision: f32 with an FP32 non-tensor peak, STREAM with memory bandwidth', () => {
    // 1.56 GFLOP/s / 19.5 TFLOP/s (A100 SXM4, the lowest known FP32 peak) = 0.0080%; 9.00 GB/s / 800 GB/s (Ascend 910B4) = 1.1%
    expect(line('cpu', 'vs chips')).toBe('GEMM 0.0080% of A100 SXM4 80GB FP32 (19.5 TFLOP/s); STREAM 1.1% of Ascend 910B4 memory (800 GB/s)');
  });

  it('carries the verdict and names the failures', () => {
    expect(summary.verdict).toBe('1 regressed: the gate fails');
    expect(summary.failures).toEqual(['gemm/webgpu/f32/m33-n33-k33/resident: error: verification failed | 3 "wrong" elements']);
  });

  it('prints within the width, each answer wrapped under its label', () => {
    for (const width of [60, 80, 120]) {
      const text = renderConsoleSummary(summary, width);
      for (const l of text.split('\n')) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(width);
      expect(text.split('\n')[0]).toMatch(/^Summary: 38 cases/);
    }
    const narrow = renderConsoleSummary(summary, 60).split('\n');
    const gemm = narrow.findIndex((l) => l.startsWith('  GEMM f32    780 MFLOP/s'));
    // the rest of the answer continues under its text, not under its label
    expect(narrow[gemm + 1]).toMatch(/^ {14}\S/);
  });

  it('ends the run with the best GEMM per backend, the failures and the verdict, never breaking a figure', () => {
    const closing = renderClosingLines(summary, 120).split('\n');
    expect(closing[0]).toBe("In short, gpu.js's best f32 GEMM per backend: cpu 1.56 GFLOP/s ±2.5%, webgpu 780 MFLOP/s ±2.5%.");
    expect(closing.slice(1)).toEqual([
      '1 case(s) failed or were skipped.',
      'Against the base: 1 regressed: the gate fails.',
      'The summary per backend, with the hand-written kernels and the chips, is at the top.',
    ]);
    // a run of suite files alone has no hand-written kernel and no chip beside its figures
    const suiteOnly = { ...summary, verdict: undefined, failures: [], backends: [{ backend: 'cpu', device: 'x', lines: [{ label: 'softmax.rows', text: '9.0 MB/s at n4' }] }] };
    expect(renderClosingLines(suiteOnly as typeof summary, 120).split('\n')).toEqual(['In short: the suite kernels above, per backend.', 'The summary per backend is at the top.']);
    const narrow = renderClosingLines(summary, 60).split('\n');
    // at 60 columns the first figure does not fit beside the head: it starts the next line, whole
    expect(narrow.slice(0, 2)).toEqual(["In short, gpu.js's best f32 GEMM per backend:", '  cpu 1.56 GFLOP/s ±2.5%, webgpu 780 MFLOP/s ±2.5%.']);
    for (const l of narrow) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(60);
  });
});
