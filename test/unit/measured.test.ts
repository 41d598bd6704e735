/**
 * The measured figures (reference-data/measurements.json): the public figures exactly as their sources give
 * them, each against its own chip's peak at its own precision (an f32 figure above the FP32 non-tensor peak
 * is flagged, never compared), device names as tools print them, and a user's own figures added to the set.
 */
import { describe, expect, it } from 'vitest';
import { chipById, loadChipTable } from '../../src/reference/chips.js';
import { checkAgainstPeak, checkMeasuredFigure, chipIdForDevice } from '../../src/reference/measured-check.js';
import { loadMeasurements, parseMeasurements, withExtraMeasurements, type MeasuredFigure } from '../../src/reference/measurements.js';

const table = loadChipTable();
const set = loadMeasurements();
const fig = (id: string) => set.figures.find((f) => f.id === id)!;
const chip = (id: string) => chipById(table, id);
const T = 1e12;

describe('the shipped measured figures', () => {
  it('give the public figures exactly, with the device strings and versions their sources print', () => {
    expect(fig('h20-bf16-charming')).toMatchObject({ chip: 'h20', device: 'NVIDIA H20 96GB', quantity: 'matmul', precision: 'bf16', value: 141.86, unit: 'TFLOP/s', software: 'Python 3.10 + PyTorch 2.8.0 + CUDA 12.8', devices: 1 });
    expect(fig('h100-bf16-clow1710')).toMatchObject({ chip: 'h100-sxm5', device: 'NVIDIA H100 80GB HBM3', precision: 'bf16', value: 783.66 });
    expect(fig('h100-bf16-haxxorcialtion-2025')).toMatchObject({ value: 789.24, software: 'Python 3.12.3 + PyTorch 2.8.0 + CUDA 12.6', supersededBy: 'h100-bf16-haxxorcialtion' });
    expect(fig('h100-bf16-haxxorcialtion')).toMatchObject({ value: 797.51, software: 'Python 3.12.3 + PyTorch 2.7.0 + CUDA 12.6' });
    expect(fig('a800-bf16-charming')).toMatchObject({ chip: 'a800-sxm4-80gb', value: 266.48 });
    expect(fig('a100-bf16-charming')).toMatchObject({ chip: 'a100-sxm4-80gb', value: 264.53 });
    expect(fig('910b2-bf16-yjzxkxdn')).toMatchObject({ chip: 'ascend-910b2', device: 'Ascend910B2', precision: 'bf16', value: 315.36 });
    expect(fig('h100-allreduce-azure-nd-h100-v5')).toMatchObject({ quantity: 'allreduce-busbw', value: 478.87, unit: 'GB/s', devices: 8, software: 'NCCL 2.18.5, CUDA 12.6, driver 560.35.03' });
    expect(fig('a100-allreduce-azure-nd-a100-v4')).toMatchObject({ quantity: 'allreduce-busbw', value: 231.58, unit: 'GB/s', devices: 8, software: 'NCCL 2.18.5, CUDA 12.5, driver 550.90.07' });
  });

  it('keep the H100 "fp32" 403.74 as given, marked mislabelled (TF32 tensor cores under an f32 label)', () => {
    const f = fig('h100-fp32-label-haxxorcialtion-2025');
    expect(f).toMatchObject({ precision: 'fp32', value: 403.74, mislabelled: { likely: 'tf32' } });
    const check = checkMeasuredFigure(table, f);
    expect(check).toMatchObject({ flag: 'above-peak', comparable: false });
    expect(check.fraction).toBeUndefined();
    expect(check.note).toContain('above the FP32 non-tensor peak (67 TFLOP/s): likely TF32 tensor cores under an f32 label; not compared as f32');
  });

  it('name a dated source, with its address, for every figure, and a method with its statistic', () => {
    for (const f of set.figures) {
      expect(f.sources.length).toBeGreaterThan(0);
      for (const key of f.sources) expect(set.sources[key]).toMatchObject({ url: expect.stringMatching(/^https:\/\//), accessed: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
      expect(f.method.statistic).toMatch(/^(max|mean|median|single)$/);
    }
  });

  it('give the ratios the claims rest on', () => {
    expect(141.86 / 783.66).toBeCloseTo(0.18102, 5);
    expect(fig('h20-bf16-charming').value / fig('h100-bf16-clow1710').value).toBeCloseTo(0.18102, 5);
    expect(fig('h20-bf16-charming').value / fig('h100-bf16-haxxorcialtion-2025').value).toBeCloseTo(0.17974, 5);
    expect(fig('910b2-bf16-yjzxkxdn').value / fig('h20-bf16-charming').value).toBeCloseTo(2.2230, 4);
  });

  it('are refused with the JSON path when a unit does not fit the quantity or a source is missing', () => {
    const text = (edit: (f: { figures: Record<string, unknown>[] }) => void) => {
      const file = { schemaVersion: 1, sources: set.sources, figures: structuredClone(set.figures) as unknown as Record<string, unknown>[] };
      edit(file);
      return JSON.stringify(file);
    };
    expect(() => parseMeasurements(text((f) => (f.figures[0]!.unit = 'GB/s')), 'm.json')).toThrow(/m\.json: not a valid measurements file at \$\.figures\[0\]\.unit: matmul is in TFLOP\/s/);
    expect(() => parseMeasurements(text((f) => (f.figures[0]!.sources = ['nowhere'])), 'm.json')).toThrow(/cites source 'nowhere', which \$\.sources does not define/);
  });
});

describe('checkAgainstPeak', () => {
  it('sets a figure against its own precision\'s peak: bf16 against FP16/BF16 tensor, fp32 against FP32 non-tensor', () => {
    const bf16 = checkAgainstPeak(chip('h20'), 'bf16', 141.86 * T);
    expect(bf16).toMatchObject({ peak: 148 * T, comparable: true });
    expect(bf16.fraction).toBeCloseTo(141.86 / 148, 12);
    expect(bf16.note).toBe("141.86 TFLOP/s bf16 is 95.9% of H20 96GB's FP16/BF16 tensor peak (148 TFLOP/s, secondary)");
    const fp32 = checkAgainstPeak(chip('h100-sxm5'), 'fp32', 52.11 * T);
    expect(fp32).toMatchObject({ peak: 67 * T, comparable: true });
    expect(fp32.flag).toBeUndefined();
    expect(fp32.fraction).toBeCloseTo(52.11 / 67, 12);
    expect(checkAgainstPeak(chip('h100-sxm5'), 'tf32', 402.15 * T).fraction).toBeCloseTo(402.15 / 494.7, 12);
  });

  it('flags an f32 figure above the FP32 non-tensor peak and at most the TF32 peak as TF32 under an f32 label, and never compares it', () => {
    const c = checkAgainstPeak(chip('h100-sxm5'), 'fp32', 403.74 * T);
    expect(c).toMatchObject({ flag: 'above-peak', comparable: false, peak: 67 * T });
    expect(c.fraction).toBeUndefined();
    expect(c.note).toBe('403.74 TFLOP/s fp32 is above the FP32 non-tensor peak (67 TFLOP/s): likely TF32 tensor cores under an f32 label; not compared as f32');
    const beyond = checkAgainstPeak(chip('h100-sxm5'), 'fp32', 600 * T);
    expect(beyond).toMatchObject({ flag: 'above-peak', comparable: false });
    expect(beyond.note).toContain('also above the TF32 tensor peak (494.7 TFLOP/s)');
  });

  it('flags any figure above its precision\'s peak', () => {
    const c = checkAgainstPeak(chip('h20'), 'bf16', 200 * T);
    expect(c).toMatchObject({ flag: 'above-peak', comparable: false });
    expect(c.fraction).toBeUndefined();
    expect(c.note).toContain("above H20 96GB's FP16/BF16 tensor peak (148 TFLOP/s, secondary)");
  });

  it('says when the peak is unknown or the chip lacks the format, and compares nothing', () => {
    const unknown = checkAgainstPeak(chip('ascend-910b2'), 'fp32', 84.53 * T);
    expect(unknown.comparable).toBe(false);
    expect(unknown.fraction).toBeUndefined();
    expect(unknown.peak).toBeUndefined();
    expect(checkAgainstPeak(chip('ascend-910b2'), 'fp32', 84.53 * T).note).toContain("Ascend 910B2's FP32 non-tensor peak is unknown");
    expect(checkAgainstPeak(chip('a100-sxm4-80gb'), 'fp8', 100 * T).note).toContain('A100 SXM4 80GB does not have FP8 tensor');
  });

  it('sets all-reduce busbw against the link per direction, flagging NVLS past the wire rate', () => {
    const h100 = checkAgainstPeak(chip('h100-sxm5'), 'allreduce-busbw', 478.87e9);
    expect(h100).toMatchObject({ peak: 450e9, flag: 'above-peak', comparable: false });
    expect(h100.note).toContain('in-network reduction (NVLS, SHARP)');
    const a100 = checkAgainstPeak(chip('a100-sxm4-80gb'), 'allreduce-busbw', 231.58e9);
    expect(a100).toMatchObject({ peak: 300e9, comparable: true });
    expect(a100.fraction).toBeCloseTo(231.58 / 300, 12);
    const hccs = checkAgainstPeak(chip('ascend-910b2'), 'allreduce-busbw', 50e9); // direction unstated: 98 to 196 per direction
    expect(hccs).toMatchObject({ peak: 196e9, peakLow: 98e9, comparable: true });
    expect(hccs.note).toContain('25.5% to 51.0%');
  });
});

describe('chipIdForDevice', () => {
  it('names the chip of a device string as tools print it', () => {
    expect(chipIdForDevice(table, 'NVIDIA H100 80GB HBM3')).toBe('h100-sxm5');
    expect(chipIdForDevice(table, 'NVIDIA A800-SXM4-80GB')).toBe('a800-sxm4-80gb');
    expect(chipIdForDevice(table, 'NVIDIA A800 SXM4 80GB')).toBe('a800-sxm4-80gb');
    expect(chipIdForDevice(table, 'NVIDIA H20')).toBe('h20');
    expect(chipIdForDevice(table, 'NVIDIA H20 96GB')).toBe('h20');
    expect(chipIdForDevice(table, 'Ascend910B3')).toBe('ascend-910b3');
    expect(chipIdForDevice(table, 'Ascend910B2')).toBe('ascend-910b2');
    expect(chipIdForDevice(table, 'Ascend 910B4')).toBe('ascend-910b4');
    expect(chipIdForDevice(table, 'NVIDIA H100 PCIe')).toBe('h100-pcie');
    expect(chipIdForDevice(table, 'NVIDIA A100-SXM4-80GB')).toBe('a100-sxm4-80gb');
    expect(chipIdForDevice(table, 'NVIDIA H200')).toBe('h200-sxm');
  });

  it('matches no chip where the string names another part or too little', () => {
    expect(chipIdForDevice(table, 'NVIDIA H100 PCIe')).not.toBe('h100-sxm5');
    expect(chipIdForDevice(table, 'NVIDIA H100')).toBeUndefined(); // SXM5 or PCIe: not said
    expect(chipIdForDevice(table, 'NVIDIA H100 NVL')).toBeUndefined();
    expect(chipIdForDevice(table, 'NVIDIA A800 80GB PCIe')).toBeUndefined();
    expect(chipIdForDevice(table, 'NVIDIA A800-SXM4-40GB')).toBeUndefined();
    expect(chipIdForDevice(table, 'NVIDIA A100-SXM4-40GB')).toBeUndefined();
    expect(chipIdForDevice(table, 'NVIDIA GH200 480GB')).toBeUndefined();
    expect(chipIdForDevice(table, 'Ascend910B')).toBeUndefined(); // the variant is not said
    expect(chipIdForDevice(table, 'Ascend910ProA')).toBeUndefined();
  });

  it('names the chip of every shipped figure\'s device string', () => {
    for (const f of set.figures) expect(chipIdForDevice(table, f.device), f.device).toBe(f.chip);
  });
});

describe('a user\'s own measured figures', () => {
  const mine: MeasuredFigure = {
    id: 'my-h20-bf16', chip: 'h20', device: 'NVIDIA H20', quantity: 'matmul', precision: 'bf16', value: 120.5, unit: 'TFLOP/s',
    method: { tool: 'mamf-finder', shape: 'M, N, K in 1024 to 16384 (step 1024)', statistic: 'max' }, devices: 1, sources: ['my-cluster'],
  };
  const sources = { 'my-cluster': { title: 'mamf-finder on our H20 node, results/h20-mamf.txt', accessed: '2026-12-01' } };

  it('join the shipped ones, citing their own sources', () => {
    const merged = withExtraMeasurements(set, { figures: [mine], sources });
    expect(merged.figures).toHaveLength(set.figures.length + 1);
    expect(merged.sources['my-cluster']!.title).toContain('mamf-finder');
  });

  it('are refused when they reuse an id, cite no defined source, or break the schema', () => {
    expect(() => withExtraMeasurements(set, { figures: [{ ...mine, id: 'h20-bf16-charming' }], sources })).toThrow(/'h20-bf16-charming' appears twice/);
    expect(() => withExtraMeasurements(set, { figures: [mine] })).toThrow(/cites source 'my-cluster', which \$\.sources does not define/);
    expect(() => withExtraMeasurements(set, { figures: [{ ...mine, unit: 'GB/s' }], sources })).toThrow(/\$\.figures\[0\]\.unit: matmul is in TFLOP\/s/);
    expect(() => withExtraMeasurements(set, { figures: [mine], sources: { 'torchperf-db-2026': sources['my-cluster'] } })).toThrow(/already a shipped source/);
  });
});
