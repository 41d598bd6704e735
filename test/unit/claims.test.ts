/**
 * The article's claims against the shipped chip table: every verdict and the
 * arithmetic it rests on, the verdict rule, and broken claims files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadChipTable } from '../../src/reference/chips.js';
import { loadClaims, shippedClaimsPath, type ClaimsFile } from '../../src/reference/claims.js';
import { evaluateClaims, verdictOf, type CheckResult } from '../../src/reference/evaluate-claims.js';
import { loadMeasurements, type MeasuredFigure } from '../../src/reference/measurements.js';
import { renderClaims } from '../../src/report/claims-report.js';
import { tempDir } from '../helpers/cli.js';

const results = evaluateClaims(loadClaims(), loadChipTable());
const claim = (n: number) => results.find((r) => r.claim.number === n)!;
const check = (n: number, label: string) => claim(n).checks.find((c) => c.label === label)!;

describe('the article\'s claims, evaluated', () => {
  it('are all seven, in the article\'s order', () => {
    expect(results.map((r) => r.claim.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('1, NVLink cut to 400 GB/s, two thirds: holds for A800 (400/600), not for H800 (400/900): partly', () => {
    expect(check(1, 'A800 / A100 NVLink')).toMatchObject({ holds: true });
    expect(check(1, 'A800 / A100 NVLink').arithmetic).toContain('400 / 600 = 66.7%');
    expect(check(1, 'H800 / H100 NVLink')).toMatchObject({ holds: false });
    expect(check(1, 'H800 / H100 NVLink').arithmetic).toContain('400 / 900 = 44.4%');
    expect(check(1, 'A800 NVLink').holds).toBe(true);
    expect(check(1, 'original NVLink').arithmetic).toMatch(/article 600 GB\/s or higher, .*every value is at least/);
    expect(claim(1).verdict).toBe('partly');
  });

  it('2, 20-35% longer: A800 26.9% holds, H800 54.7% does not, under the stated step model: partly', () => {
    expect(check(2, 'A800 against A100').value).toBeCloseTo(0.269, 3);
    expect(check(2, 'A800 against A100').holds).toBe(true);
    expect(check(2, 'H800 against H100').value).toBeCloseTo(0.547, 3);
    expect(check(2, 'H800 against H100').holds).toBe(false);
    expect(check(2, 'H800 against H100').arithmetic).toContain('0.500 to 0.618');
    expect(claim(2).verdict).toBe('partly');
  });

  it('3, 41% fewer cores: 1 - 78/132 = 40.9%, 41% at the article\'s precision: holds', () => {
    const c = check(3, 'H20 SMs fewer than H100 SXM5');
    expect(c.value).toBeCloseTo(1 - 78 / 132, 12);
    expect(c.arithmetic).toContain('1 - 78 / 132 = 40.9%');
    expect(c.arithmetic).toContain('compared at 41.0%');
    expect(claim(3).verdict).toBe('holds');
  });

  it('4, 15-30% of H100: tensor peaks 15.0% hold, FP32 65.7% does not, memory 119% is context: partly', () => {
    expect(check(4, 'FP16/BF16 tensor').arithmetic).toContain('148 / 989 = 15.0%');
    expect(check(4, 'FP16/BF16 tensor').holds).toBe(true);
    expect(check(4, 'FP8 tensor').arithmetic).toContain('296 / 1979 = 15.0%');
    expect(check(4, 'FP32 non-tensor').arithmetic).toContain('44 / 67 = 65.7%');
    expect(check(4, 'FP32 non-tensor').holds).toBe(false);
    expect(check(4, 'memory bandwidth')).toMatchObject({ role: 'context', holds: false });
    expect(check(4, 'memory bandwidth').arithmetic).toContain('4 / 3.35 = 119.4%');
    expect(claim(4).verdict).toBe('partly');
  });

  it('5, 910B 320 against H20 148: both match FP16/BF16 tensor peaks on paper (320 within the 910B variants): holds', () => {
    expect(check(5, 'H20 148').arithmetic).toContain('matches H20 96GB');
    expect(check(5, '910B 320').arithmetic).toContain('within the range 245.8 to 373.9, equal to none');
    expect(claim(5).verdict).toBe('holds');
    // the article calls 320 measured; whether a measurement is published is said by the measured verdict, not here
    expect(check(5, '320 as a measurement').arithmetic).not.toContain('no measurement is published');
  });

  it('6, 910C on par with H100: FP16/BF16 800/989 = 80.9% (752: 76.0%, 780: 78.9%); FP32 unknown: does not hold', () => {
    const fp16 = check(6, 'FP16/BF16 tensor');
    expect(fp16.arithmetic).toContain('800 / 989 = 80.9%');
    expect(fp16.arithmetic).toContain('752 [cloudmatrix384-paper]: 76.0%');
    expect(fp16.arithmetic).toContain('780 [semianalysis-cm384]: 78.9%');
    expect(check(6, 'FP32 non-tensor')).toMatchObject({ holds: undefined });
    expect(check(6, 'FP32 non-tensor').arithmetic).toContain("Ascend 910C's FP32 non-tensor (TFLOP/s) is unknown");
    expect(claim(6).verdict).toBe('does not hold');
  });

  it('7, the 1.4M RMB server: not checkable from a chip table', () => {
    expect(claim(7).verdict).toBe('not checkable');
  });
});

describe('checks the table cannot compute', () => {
  const withTable = (edit: (t: ReturnType<typeof loadChipTable>) => void) => {
    const table = loadChipTable();
    edit(table);
    return evaluateClaims(loadClaims(), table);
  };
  it('refuse to divide links stated in different conventions', () => {
    const r = withTable((t) => (t.chips.find((c) => c.id === 'a800-sxm4-80gb')!.interconnect.convention = 'per-direction'));
    const c = r[0]!.checks.find((x) => x.label === 'A800 / A100 NVLink')!;
    expect(c.holds).toBeUndefined();
    expect(c.arithmetic).toContain('the two chips state their links differently (per-direction against bidirectional-total)');
  });
  it('report the step model as not checkable when a link is unknown', () => {
    const r = withTable((t) => (t.chips.find((c) => c.id === 'h800-sxm5')!.interconnect.GBps = { value: null, sources: [], confidence: 'unknown' }));
    const c = r[1]!.checks.find((x) => x.label === 'H800 against H100')!;
    expect(c).toMatchObject({ holds: undefined, arithmetic: "not checkable: H800 SXM5 80GB's interconnect bandwidth is unknown" });
    expect(r[1]!.verdict).toBe('holds'); // A800's check alone decides
  });
});

describe('the verdict rule', () => {
  const c = (holds: boolean | undefined, role: 'primary' | 'context' = 'primary'): CheckResult => ({ label: 'x', kind: 'ratio', role, arithmetic: '', holds });
  it('uses primary checks only, and says when none can be computed', () => {
    expect(verdictOf([c(true), c(true), c(false, 'context')])).toBe('holds');
    expect(verdictOf([c(true), c(false)])).toBe('partly');
    expect(verdictOf([c(false), c(undefined), c(true, 'context')])).toBe('does not hold');
    expect(verdictOf([c(undefined), c(true, 'context')])).toBe('not checkable');
  });
});

describe('broken claims files', () => {
  const write = (edit: (f: ClaimsFile) => void) => {
    const file = JSON.parse(readFileSync(shippedClaimsPath(), 'utf8')) as ClaimsFile;
    edit(file);
    const path = join(tempDir(), 'claims.json');
    writeFileSync(path, JSON.stringify(file));
    return path;
  };
  it('refuse a check naming a figure the file lacks, with the JSON path', () => {
    const path = write((f) => (f.figures = f.figures.filter((x) => x.id !== 'h20-tflops')));
    expect(() => loadClaims(path)).toThrow(/\$\.claims\[4\]\.figures\[1\] names figure 'h20-tflops', which \$\.figures does not define/);
  });
  it('refuse a ratio across two quantities (the schema has no field for it)', () => {
    const path = write((f) => {
      (f.claims[3]!.checks[0] as Record<string, unknown>).denominatorQuantity = 'fp8-tensor';
    });
    expect(() => loadClaims(path)).toThrow(/not a valid claims file at \$\.claims\[3\]\.checks\[0\]: .*denominatorQuantity/);
  });
  it('name an unknown chip id when evaluated', () => {
    const path = write((f) => {
      (f.claims[2]!.checks[0] as { numerator: string }).numerator = 'h21';
    });
    expect(() => evaluateClaims(loadClaims(path), loadChipTable())).toThrow(/claim 3 \(h20-cores\): no chip 'h21' in the chip table/);
  });
});

describe('claims 4 and 5 judged against measured figures too', () => {
  const measurements = loadMeasurements();
  const withMeasured = evaluateClaims(loadClaims(), loadChipTable(), { measurements });
  const m = (n: number) => withMeasured.find((r) => r.claim.number === n)!;
  const mcheck = (n: number, label: string) => m(n).measured!.checks.find((c) => c.label === label)!;

  it('give the article\'s own arithmetic first: 15% to 30%, and 320 / 148 = 2.16x', () => {
    expect(m(4).articleArithmetic).toMatch(/^15% to 30% \(/);
    expect(m(5).articleArithmetic).toBe('320 TFLOPs / 148 TFLOPs = 2.16x (both in TFLOPs, precision not stated)');
  });

  it('keep the datasheet verdicts as they were', () => {
    expect(m(4).verdict).toBe('partly');
    expect(m(5).verdict).toBe('holds');
    expect(withMeasured.map((r) => r.verdict)).toEqual(results.map((r) => r.verdict));
  });

  it('4: H20 bf16 matmul 141.86 over H100 783.66 = 18.1% (and 797.51: 17.8%), inside 15-30%: holds', () => {
    const c = mcheck(4, 'BF16 matmul, measured');
    expect(c.arithmetic).toContain('141.86 TFLOP/s bf16 [m1] / 783.66 TFLOP/s bf16 [m3] = 18.1%');
    expect(c.arithmetic).toContain('141.86 TFLOP/s bf16 [m1] / 797.51 TFLOP/s bf16 [m5] = 17.8%');
    expect(c.arithmetic).toContain('142.25 TFLOP/s bf16 [m2] / 783.66 TFLOP/s bf16 [m3] = 18.2%');
    // the same contributor's earlier figure, shown apart
    expect(c.arithmetic).toContain('later replaced: 141.86 TFLOP/s bf16 [m1] / 789.24 TFLOP/s bf16 [m4] = 18.0%');
    expect(c.holds).toBe(true);
    expect(c.value).toBeGreaterThan(0.177);
    expect(c.value).toBeLessThan(0.183);
    expect(m(4).measured!.verdict).toBe('holds');
  });

  it('4: never uses the H100 "fp32" 403.74 as f32: f32 is divided by f32 only, and that figure is named as not used', () => {
    const c = mcheck(4, 'FP32 matmul, measured');
    expect(c.role).toBe('context');
    expect(c.arithmetic).toContain('31.95 TFLOP/s fp32 [m6] / 52.11 TFLOP/s fp32 [m8] = 61.3%');
    expect(c.arithmetic).not.toMatch(/\/ 403\.74/);
    expect(c.arithmetic).toContain('not used: 403.74 TFLOP/s fp32 [m9] (labelled fp32 but likely tf32: above its peak)');
    const used = m(4).measured!.figures.find((u) => u.figure.value === 403.74)!;
    expect(used.peak.comparable).toBe(false);
  });

  it('5: the public 910B2 bf16 matmul 315.36 over H20 141.86 = 2.22x, far above: holds; and beside the article\'s 320 and 148', () => {
    const c = mcheck(5, '910B / H20 BF16 matmul, measured');
    expect(c.arithmetic).toContain('315.36 TFLOP/s bf16 [m1] / 141.86 TFLOP/s bf16 [m2] = 2.22x');
    expect(c.arithmetic).toContain('(claim: at least 1.50x) holds');
    expect(mcheck(5, "the article's 320 beside measured 910B BF16 matmul").arithmetic).toContain('315.36 TFLOP/s bf16 [m1] = 98.6% of 320');
    expect(mcheck(5, "the article's 148 beside measured H20 BF16 matmul").arithmetic).toContain('141.86 TFLOP/s bf16 [m2] = 95.9% of 148');
    expect(m(5).measured!.verdict).toBe('holds');
    const b2 = m(5).measured!.figures.find((u) => u.figure.chip === 'ascend-910b2')!;
    expect(b2.source).toContain('https://github.com/zzc0721/torch-performance-test-data/issues/109');
  });

  it('5, with no 910B measurement: says none was found, and still shows H20\'s measured figure against 148', () => {
    const without910b = { ...measurements, figures: measurements.figures.filter((f) => !f.chip.startsWith('ascend')) };
    const r = evaluateClaims(loadClaims(), loadChipTable(), { measurements: without910b }).find((x) => x.claim.number === 5)!;
    const c = r.measured!.checks.find((x) => x.label === '910B / H20 BF16 matmul, measured')!;
    expect(c).toMatchObject({ holds: undefined, arithmetic: 'not checkable: no public measurement of Ascend 910B (4 variants) bf16 matmul found' });
    expect(r.measured!.checks.find((x) => x.label === "the article's 148 beside measured H20 BF16 matmul")!.arithmetic).toContain('141.86 TFLOP/s bf16 [m1] = 95.9% of 148');
    expect(r.measured!.verdict).toBe('not checkable');
  });

  it('print the article\'s arithmetic, then the datasheet verdict, then the measured verdict with methods and sources', () => {
    const text = renderClaims(withMeasured);
    const block5 = text.slice(text.indexOf('Claim 5 '), text.indexOf('Claim 6 '));
    const at = (s: string) => block5.indexOf(s);
    expect(at("the article's arithmetic: 320 TFLOPs / 148 TFLOPs = 2.16x")).toBeGreaterThan(0);
    expect(at("the article's arithmetic")).toBeLessThan(at('from the datasheets'));
    expect(at('from the datasheets')).toBeLessThan(at('verdict from the datasheets: HOLDS'));
    expect(at('verdict from the datasheets: HOLDS')).toBeLessThan(at('from measured figures'));
    expect(at('from measured figures')).toBeLessThan(at('verdict from measured figures: HOLDS'));
    expect(block5).toContain('PyTorch square matmul sweep');
    expect(block5).toContain('statistic max');
    expect(block5).toContain('[torchperf-issue-109] zzc0721/torch-performance-test-data issue #109');
    const block4 = text.slice(text.indexOf('Claim 4 '), text.indexOf('Claim 5 '));
    expect(block4.indexOf("the article's arithmetic: 15% to 30%")).toBeLessThan(block4.indexOf('verdict from the datasheets: PARTLY'));
    expect(block4).toContain('verdict from measured figures: HOLDS');
    // every measured figure names its precision and unit
    for (const line of block4.split('\n').filter((l) => /\[m\d+\]/.test(l))) expect(line).toMatch(/TFLOP\/s (bf16|fp16|fp32|tf32)/);
  });

  it('are absent when no measured figures are given', () => {
    expect(claim(4).measured).toBeUndefined();
    expect(renderClaims(results)).not.toContain('verdict from measured figures');
  });
});

describe('a user\'s own measured figures in the evaluation', () => {
  const mine: MeasuredFigure = {
    id: 'lab-h20-bf16', chip: 'h20', device: 'NVIDIA H20', quantity: 'matmul', precision: 'bf16', value: 100, unit: 'TFLOP/s',
    method: { tool: 'mamf-finder', shape: 'M, N, K in 1024 to 16384', statistic: 'max' }, devices: 1, sources: ['lab-run'],
  };
  const sources = { 'lab-run': { title: 'our H20 node, mamf-finder, results/h20.txt', accessed: '2026-12-01' } };

  it('are judged beside the public ones and named with their own source', () => {
    const r = evaluateClaims(loadClaims(), loadChipTable(), { measurements: loadMeasurements(), extraMeasured: { figures: [mine], sources } });
    const c4 = r.find((x) => x.claim.number === 4)!;
    const bf16 = c4.measured!.checks.find((c) => c.label === 'BF16 matmul, measured')!;
    const ref = c4.measured!.figures.find((u) => u.figure.id === 'lab-h20-bf16')!.ref;
    expect(bf16.arithmetic).toContain(`100 TFLOP/s bf16 [${ref}] / 783.66 TFLOP/s bf16`);
    expect(c4.measured!.sources['lab-run']).toContain('our H20 node, mamf-finder');
    expect(renderClaims(r)).toContain('[lab-run] our H20 node, mamf-finder, results/h20.txt (accessed 2026-12-01)');
  });

  it('stand alone without the shipped ones', () => {
    const r = evaluateClaims(loadClaims(), loadChipTable(), { extraMeasured: { figures: [mine], sources } });
    const c4 = r.find((x) => x.claim.number === 4)!;
    expect(c4.measured!.checks.find((c) => c.label === 'BF16 matmul, measured')!.arithmetic).toBe(
      'not checkable: no public measurement of H100 SXM5 80GB bf16 matmul found',
    );
  });

  it('are refused, naming the figure, when they name a chip the table lacks', () => {
    const bad = { ...mine, chip: 'h21' };
    expect(() => evaluateClaims(loadClaims(), loadChipTable(), { extraMeasured: { figures: [bad], sources } })).toThrow(/measured figure 'lab-h20-bf16' names chip 'h21', which the chip table .* lacks/);
  });
});
