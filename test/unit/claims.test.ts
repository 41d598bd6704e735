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
