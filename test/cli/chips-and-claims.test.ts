/**
 * The chip table and the claims through the CLI, and every run's cases set
 * beside the chips in the result file (with the fake backend).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadChipTable, shippedChipsPath, type ChipFile } from '../../src/reference/chips.js';
import { PEAK_FOR_PRECISION } from '../../src/reference/compare-case.js';
import { readRunResult } from '../../src/results/read-result.js';
import { runCli, tempDir } from '../helpers/cli.js';

const FAST = ['--profile', 'smoke', '--time-budget', '5', '--min-samples', '6', '--warmup-time', '0', '--warmup-iterations', '0'];

function userChips(): string {
  const file = JSON.parse(readFileSync(shippedChipsPath(), 'utf8')) as ChipFile;
  const chip = structuredClone(file.chips.find((c) => c.id === 'h100-sxm5')!);
  Object.assign(chip, { id: 'lab-gpu', name: 'Lab GPU', deviceNames: ['Lab GPU'] });
  const path = join(tempDir(), 'mine.json');
  writeFileSync(path, JSON.stringify({ schemaVersion: 1, sources: file.sources, chips: [chip] }));
  return path;
}

describe('chipbench chips', { timeout: 30_000 }, () => {
  it('prints every chip with the precision and unit in every column header, and the sources', async () => {
    const r = await runCli(['chips']);
    expect(r.code).toBe(0);
    const header = r.stdout.split('\n')[0]!;
    for (const h of ['FP64 (TFLOP/s)', 'FP32 non-tensor (TFLOP/s)', 'TF32 tensor (TFLOP/s)', 'FP16/BF16 tensor (TFLOP/s)', 'FP8 tensor (TFLOP/s)', 'INT8 tensor (TOPS)', 'memory bandwidth (TB/s)']) {
      expect(header).toContain(h);
    }
    expect(r.stdout).toMatch(/H20 96GB\s+1 s\s+\?\s+44 s\s+74 s\s+148 s\s+296 s\s+296 s/);
    expect(r.stdout).toMatch(/A100 SXM4 80GB\s+9\.7 d\s+19\.5 d\s+19\.5 d\s+156 d\s+312 d\s+none\s+624 d/);
    expect(r.stdout).toContain('[leaks-h20] Leaked H20 spec tables');
  });
  it('shows the measured figures apart, labelled as measured, each against its own peak, within 120 columns in a pipe', async () => {
    const r = await runCli(['chips'], { COLUMNS: '120' });
    const measured = r.stdout.slice(r.stdout.indexOf('Measured figures (reference-data/measurements.json)'));
    expect(measured.length).toBeGreaterThan(100);
    expect(measured).toMatch(/H20 96GB\s+141\.86 TFLOP\/s bf16 matmul\s+95\.9% of FP16\/BF16 tensor 148\s+torchperf-db-2026/);
    expect(measured).toMatch(/H100 SXM5 80GB\s+403\.74 TFLOP\/s 'fp32' matmul\s+likely tf32: above FP32 non-tensor 67\s+torchperf-db-2025; replaced/);
    expect(measured).toMatch(/A100 SXM4 80GB\s+231\.58 GB\/s fp32 busbw, 8 ranks\s+77\.2% of 300 GB\/s per direction/);
    expect(measured).toContain('[azure-nd-h100-v5] Azure/AI-benchmarking-guide');
    for (const line of measured.split('\n')) expect(Buffer.byteLength(line), line).toBeLessThanOrEqual(120);
  });
  it('--markdown gives a Markdown table, --json the validated table with every source', async () => {
    const md = await runCli(['chips', '--markdown']);
    expect(md.stdout).toMatch(/^\| chip \| FP64 \(TFLOP\/s\), dense \|/);
    expect(md.stdout).toMatch(/\n\| --- \| --- \|/);
    const json = JSON.parse((await runCli(['chips', '--json'])).stdout) as { chips: { id: string }[]; sources: Record<string, unknown> };
    expect(json.chips).toHaveLength(13);
    expect(Object.keys(json.sources)).toContain('nvidia-h100-datasheet');
  });
  it('adds the chips of --chips files', async () => {
    const r = await runCli(['chips', '--chips', userChips()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\nLab GPU\s+34 d\s+67 d\s+67 d/);
  });
});

describe('chipbench claims', { timeout: 30_000 }, () => {
  it('prints each claim with its arithmetic and verdict, and a summary', async () => {
    const r = await runCli(['claims']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Claim 4 (h20-performance)');
    expect(r.stdout).toMatch(/\[yes\] FP16\/BF16 tensor: H20 96GB over H100 SXM5 80GB, FP16\/BF16 tensor \(TFLOP\/s\): 148 \/ 989 = 15\.0%/);
    expect(r.stdout).toMatch(/\[no\] FP32 non-tensor: .*44 \/ 67 = 65\.7%/);
    expect(r.stdout).toMatch(/\[no\] \(context\) memory bandwidth: .*4 \/ 3\.35 = 119\.4%/);
    expect(r.stdout).toMatch(/\n3\s+holds\s+H20 has 41% fewer cores than H100\./);
    expect(r.stdout).toMatch(/\n6\s+does not hold\s+/);
    expect(r.stdout).toMatch(/\n7\s+not checkable\s+/);
    // a pipe is 120 columns: every line fits, counted in bytes
    expect(Math.max(...r.stdout.split('\n').map((l) => Buffer.byteLength(l)))).toBeLessThanOrEqual(120);
  });
  it('gives claims 4 and 5 the article\'s arithmetic first, then the datasheet verdict, then the verdict from measured figures', async () => {
    // a wide terminal, so each check stays on one line to be found whole
    const r = await runCli(['claims'], { COLUMNS: '1000' });
    const block5 = r.stdout.slice(r.stdout.indexOf('Claim 5 '), r.stdout.indexOf('Claim 6 '));
    const order = ["the article's arithmetic: 320 TFLOPs / 148 TFLOPs = 2.16x", 'verdict from the datasheets: HOLDS', '315.36 TFLOP/s bf16 [m1] / 141.86 TFLOP/s bf16 [m2] = 2.22x', 'verdict from measured figures: HOLDS'];
    const at = order.map((s) => block5.indexOf(s));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(block5).not.toContain('no measurement is published');
    const block4 = r.stdout.slice(r.stdout.indexOf('Claim 4 '), r.stdout.indexOf('Claim 5 '));
    expect(block4).toContain('141.86 TFLOP/s bf16 [m1] / 783.66 TFLOP/s bf16 [m3] = 18.1%');
    expect(block4).toContain('verdict from measured figures: HOLDS');
    expect(r.stdout).toMatch(/\n4\s+partly\s+H20's performance is 15%-30% of H100's\.\s+holds/);
  });
  it('--json gives every claim with its checks and verdict', async () => {
    const claims = JSON.parse((await runCli(['claims', '--json'])).stdout) as { number: number; verdict: string; checks: unknown[] }[];
    expect(claims.map((c) => [c.number, c.verdict])).toEqual([
      [1, 'partly'], [2, 'partly'], [3, 'holds'], [4, 'partly'], [5, 'holds'], [6, 'does not hold'], [7, 'not checkable'],
    ]);
  });
});

describe('every run beside the chip table', { timeout: 60_000 }, () => {
  it('records each case against every chip at the same precision, and prints the comparison', async () => {
    const out = join(tempDir(), 'run.json');
    const r = await runCli(['run', '--backends', 'fake', '--workloads', 'gemm,stream,allreduce', '--algorithms', 'ring', '--sizes', '16', '-b', '4K', '-e', '4K', ...FAST, '--chips', userChips(), '--wide', '-o', out]);
    expect(r.code).toBe(0);
    const result = readRunResult(out);
    expect(result.reference!.chipTables).toHaveLength(2);
    expect(result.reference!.alphaSeconds).toBe(2e-6);
    const expected = { gemm: 'fp32', stream: 'memory-bandwidth', allreduce: 'interconnect' } as const;
    for (const c of result.cases) {
      const ref = c.reference!;
      expect(ref.against).toBe(expected[c.workload as keyof typeof expected]);
      expect(ref.chips.map((x) => x.chip)).toContain('lab-gpu');
      expect(ref.chips).toHaveLength(14);
    }
    // every f32 GEMM comparison uses exactly the chip's FP32 non-tensor peak, or none where it is unknown
    const table = loadChipTable([result.reference!.chipTables[1]!]);
    for (const c of result.cases.filter((x) => x.workload === 'gemm')) {
      for (const x of c.reference!.chips) {
        const peak = table.chips.find((chip) => chip.id === x.chip)!.peaks[PEAK_FOR_PRECISION[c.precision]].value;
        expect(x.reference, `${c.id} vs ${x.chip}`).toEqual(peak === null ? null : { low: peak * 1e12, high: peak * 1e12 });
      }
    }
    const gemm = result.cases.find((c) => c.workload === 'gemm')!;
    const h100 = gemm.reference!.chips.find((x) => x.chip === 'h100-sxm5')!;
    expect(h100.reference).toEqual({ low: 67e12, high: 67e12 }); // FP32 non-tensor, never 989 (FP16 tensor)
    expect(h100.fraction!.low).toBeCloseTo(gemm.reference!.measured.value / 67e12, 20);
    expect(gemm.reference!.chips.find((x) => x.chip === 'ascend-910c')!.reference).toBeNull(); // FP32 unknown
    expect(r.stdout).toContain("# f32 GEMM beside each chip's FP32 non-tensor dense peak (FP32 TFLOP/s; never a tensor-core peak)");
    expect(r.stdout).toMatch(/H100 SXM5 80GB\s+67 d\s+3\.35 d\s+\S+%\s+\S+ (ns|µs)/);
    expect(r.stdout).toContain("# STREAM beside each chip's memory bandwidth");
    expect(r.stdout).toMatch(/Lab GPU \(NVLink 4 \(18 links\), 900 GB\/s bidirectional-total\)/);
  });
});
