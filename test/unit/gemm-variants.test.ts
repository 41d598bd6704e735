/**
 * GEMM variants on the host side, on tiny exact inputs: padding to a
 * variant's multiples, B transposed, and reading each layout of output cells
 * back as the real M x N result; the autotuner's pick; the variant cache.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { autotune } from '../../src/workloads/gemm/autotune.js';
import type { GemmOperands } from '../../src/workloads/gemm/inputs.js';
import { defaultVariantCachePath, loadVariantChoice, saveVariantChoice, variantCacheKey, variantsFingerprint, type VariantKey } from '../../src/jobs/variant-cache.js';
import { caseMaterial } from '../../src/jobs/case-material.js';
import { gemmVariantSources } from '../../src/suite/builtin.js';
import { gemmJob } from '../helpers/builtin-suites.js';
import { GEMM_VARIANT_IDS, GEMM_VARIANTS, layoutOperands, outputDims, paddedShape, unpackOutput, variantUnfit } from '../../src/workloads/gemm/variants.js';

/** A (3x2) = [[1,2],[3,4],[5,6]], B (2x3) = [[7,8,9],[10,11,12]]. */
const OPS: GemmOperands = { shape: { m: 3, n: 3, k: 2 }, seed: 0, a: Float32Array.from([1, 2, 3, 4, 5, 6]), b: Float32Array.from([7, 8, 9, 10, 11, 12]) };
const C = [27, 30, 33, 61, 68, 75, 95, 106, 117];

/**
 * What a gpu.js kernel of this variant would return for C, built from thread coordinates the way the kernels in
 * gpujs-kernels.ts index: output[y][x] (or output[z][y][x] for a column-blocked one, whose column is
 * z * blockCols + x * cols), each cell a number or an Array(rows*cols) block, row-major.
 */
function asKernelOutput(c: number[], m: number, n: number, v: (typeof GEMM_VARIANTS)[keyof typeof GEMM_VARIANTS]): unknown {
  const p = paddedShape({ m, n, k: 1 }, v);
  const cell = (i: number, j: number) => (i < m && j < n ? c[i * n + j]! : 0);
  const thread = (firstRow: number, firstCol: number) =>
    v.rows * v.cols === 1
      ? cell(firstRow, firstCol)
      : Float32Array.from({ length: v.rows * v.cols }, (_, q) => cell(firstRow + Math.floor(q / v.cols), firstCol + (q % v.cols)));
  const grid = (firstCol: number, width: number) =>
    Array.from({ length: p.m / v.rows }, (_, ty) => Array.from({ length: width / v.cols }, (_, tx) => thread(ty * v.rows, firstCol + tx * v.cols)));
  if (v.blockCols) return Array.from({ length: p.n / v.blockCols }, (_, tz) => grid(tz * v.blockCols!, v.blockCols!));
  return grid(0, p.n);
}

describe('variant layouts', () => {
  it('pads M, N and K up to each variant\'s multiples', () => {
    expect(paddedShape({ m: 3, n: 3, k: 2 }, GEMM_VARIANTS.t22)).toEqual({ m: 4, n: 4, k: 2 });
    expect(paddedShape({ m: 3, n: 3, k: 2 }, GEMM_VARIANTS.r4u4)).toEqual({ m: 4, n: 3, k: 4 });
    expect(paddedShape({ m: 3, n: 3, k: 2 }, GEMM_VARIANTS.c4)).toEqual({ m: 3, n: 4, k: 2 });
    expect(paddedShape({ m: 3, n: 3, k: 2 }, GEMM_VARIANTS.naive)).toEqual({ m: 3, n: 3, k: 2 });
    expect(paddedShape({ m: 3, n: 65, k: 2 }, GEMM_VARIANTS.r4u4b64)).toEqual({ m: 4, n: 128, k: 4 });
  });

  it('gives gpu.js 2D output dimensions, or 3D with the column strip as z', () => {
    expect(outputDims({ m: 8, n: 6, k: 4 }, GEMM_VARIANTS.t22)).toEqual([3, 4]);
    expect(outputDims({ m: 8, n: 128, k: 4 }, GEMM_VARIANTS.r4u4b64)).toEqual([64, 2, 2]);
  });

  it('reads a column-blocked output across strips: cell (i, j) from strip j / 64', () => {
    const shape = { m: 4, n: 70, k: 1 };
    const c = Array.from({ length: 4 * 70 }, (_, q) => q + 1);
    const out = asKernelOutput(c, 4, 70, GEMM_VARIANTS.r4u4b64) as Float32Array[][][];
    expect(out).toHaveLength(2); // 70 columns padded to 2 strips of 64
    expect(out[1]![0]![5]![2]).toBe(c[2 * 70 + 69]); // strip 1, column 5 of it = column 69; row 2 of the thread's 4
    expect([...unpackOutput(out, shape, GEMM_VARIANTS.r4u4b64)]).toEqual(c);
  });

  it('zero-pads A and B, and transposes B for the variants that read it along K', () => {
    const r4 = layoutOperands(OPS, GEMM_VARIANTS.r4u4);
    expect([...r4.a]).toEqual([1, 2, 0, 0, 3, 4, 0, 0, 5, 6, 0, 0, 0, 0, 0, 0]);
    expect([...r4.b]).toEqual([7, 8, 9, 10, 11, 12, 0, 0, 0, 0, 0, 0]);
    const t22 = layoutOperands(OPS, GEMM_VARIANTS.t22);
    expect([...t22.b]).toEqual([7, 10, 8, 11, 9, 12, 0, 0]); // B^T, 4 x 2
    expect(layoutOperands(OPS, GEMM_VARIANTS.naive).a).toBe(OPS.a); // nothing to pad: the same array
  });

  it.each(GEMM_VARIANT_IDS)('%s: reads its output back as the real row-major C, padding dropped', (id) => {
    const v = GEMM_VARIANTS[id];
    expect([...unpackOutput(asKernelOutput(C, 3, 3, v), OPS.shape, v)]).toEqual(C);
  });

  it('gives an empty result for an output of the wrong shape, so verification fails on its length', () => {
    expect(unpackOutput([[1, 2, 3]], OPS.shape, GEMM_VARIANTS.naive)).toHaveLength(0);
    expect(unpackOutput([[Float32Array.of(1, 2, 3, 4)]], OPS.shape, GEMM_VARIANTS.t22)).toHaveLength(0);
  });

  it('offers flat indices only below 2^24 elements, where gpu.js computes them exactly', () => {
    expect(variantUnfit({ m: 4096, n: 4095, k: 4095 }, GEMM_VARIANTS.flat)).toBeUndefined();
    expect(variantUnfit({ m: 4096, n: 8, k: 4096 }, GEMM_VARIANTS.flat)).toMatch(/2\^24/);
    expect(variantUnfit({ m: 4096, n: 8, k: 4096 }, GEMM_VARIANTS.t22)).toBeUndefined();
  });
});

describe('autotune', () => {
  it('picks the fastest variant that verified, never a faster one that did not', async () => {
    const seconds = { naive: 3, bt: 2, flat: 4, c4: 0.5, t22: 1, r4u4: 0.1, r4u4b64: 1.5 } as const;
    const result = await autotune(GEMM_VARIANT_IDS, async (id) =>
      id === 'r4u4' ? { ok: false, reason: 'verification failed' } : id === 'c4' ? Promise.reject(new Error('compile error\nstack')) : { ok: true, seconds: seconds[id] },
    );
    expect(result.chosen).toBe('t22');
    expect(result.candidates.find((c) => c.variant === 'r4u4')).toEqual({ variant: 'r4u4', outcome: 'failed', reason: 'verification failed' });
    expect(result.candidates.find((c) => c.variant === 'c4')).toEqual({ variant: 'c4', outcome: 'failed', reason: 'compile error' });
    expect(result.candidates.find((c) => c.variant === 'bt')).toEqual({ variant: 'bt', outcome: 'ok', trialSeconds: 2 });
  });

  it('chooses nothing when nothing verified', async () => {
    expect((await autotune(['naive', 'bt'], async () => ({ ok: false, reason: 'wrong' }))).chosen).toBeUndefined();
  });
});

describe('the variant cache', () => {
  const key: VariantKey = { backend: 'webasm', device: 'AMD EPYC', gpujs: '2.24.1', kernels: 'abcdef012345', shape: { m: 512, n: 512, k: 512 }, timing: 'resident' };
  const fresh = () => join(mkdtempSync(join(tmpdir(), 'chipbench-cache-test-')), 'sub', 'gemm-variants.json');

  it('keeps a choice across processes (a file), per backend, device, gpu.js version, shape and timing', () => {
    const path = fresh();
    expect(loadVariantChoice(path, key)).toBeUndefined();
    expect(saveVariantChoice(path, key, 'r4u4', 0.04, new Date('2026-11-29T00:00:00Z'))).toBe(true);
    expect(loadVariantChoice(path, key)).toEqual({ variant: 'r4u4', trialSeconds: 0.04, tunedAt: '2026-11-29T00:00:00.000Z' });
    expect(loadVariantChoice(path, { ...key, gpujs: '2.25.0' })).toBeUndefined();
    expect(loadVariantChoice(path, { ...key, device: 'NVIDIA H200' })).toBeUndefined();
    expect(loadVariantChoice(path, { ...key, timing: 'end-to-end' })).toBeUndefined();
    expect(loadVariantChoice(path, { ...key, shape: { m: 512, n: 512, k: 256 } })).toBeUndefined();
    saveVariantChoice(path, { ...key, gpujs: '2.25.0' }, 't22', 0.05);
    expect(loadVariantChoice(path, key)?.variant).toBe('r4u4');
  });

  it('skips an entry it does not understand and keeps the others (another version may share the cache)', () => {
    const path = fresh();
    saveVariantChoice(path, key, 'bt', 1);
    const other = { ...key, backend: 'webgpu' };
    saveVariantChoice(path, other, 't22', 1);
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.choices[variantCacheKey(key)] = { variant: 'no-such-variant', trialSeconds: 1, tunedAt: 'x' };
    writeFileSync(path, JSON.stringify(file));
    expect(loadVariantChoice(path, key)).toBeUndefined();
    expect(loadVariantChoice(path, other)?.variant).toBe('t22');
  });

  it('ignores a file that is not a cache, and replaces it on the next save', () => {
    const path = fresh();
    saveVariantChoice(path, key, 'bt', 1);
    writeFileSync(path, '{"schemaVersion": 2, "choices": {}}');
    expect(loadVariantChoice(path, key)).toBeUndefined();
    writeFileSync(path, 'not json');
    expect(loadVariantChoice(path, key)).toBeUndefined();
    expect(saveVariantChoice(path, key, 'c4', 1)).toBe(true);
    expect(loadVariantChoice(path, key)?.variant).toBe('c4');
  });

  it("keys every choice by the fingerprint of the variants' layouts and kernels: a kernel rewritten in the suite file is tuned again", async () => {
    const m = await caseMaterial(gemmJob({ shape: { m: 2, n: 2, k: 2 }, seed: 1, timings: [] }).source, { m: 2, n: 2, k: 2 }, 1);
    const sources = { naive: m.spec.source, ...gemmVariantSources(m.kase) };
    const fingerprint = variantsFingerprint(sources);
    expect(fingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect(variantsFingerprint({ ...sources, t22: function (this: unknown) { return 0; } })).not.toBe(fingerprint);
    expect(variantCacheKey(key)).toBe('webasm|AMD EPYC|gpu.js 2.24.1|variants abcdef012345|512x512x512|resident');
    const path = fresh();
    saveVariantChoice(path, key, 'bt', 1);
    expect(loadVariantChoice(path, { ...key, kernels: fingerprint })).toBeUndefined();
  });

  it('reports a cache it cannot write instead of failing the run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chipbench-cache-test-'));
    writeFileSync(join(dir, 'file'), '');
    expect(saveVariantChoice(join(dir, 'file', 'gemm-variants.json'), key, 'bt', 1)).toBe(false);
    rmSync(dir, { recursive: true });
  });

  it('lives under CHIPBENCH_CACHE_DIR, else XDG_CACHE_HOME/chipbench, else ~/.cache/chipbench', () => {
    expect(defaultVariantCachePath({ CHIPBENCH_CACHE_DIR: '/c' })).toBe('/c/gemm-variants.json');
    expect(defaultVariantCachePath({ XDG_CACHE_HOME: '/x' })).toBe('/x/chipbench/gemm-variants.json');
    expect(defaultVariantCachePath({})).toMatch(/\/\.cache\/chipbench\/gemm-variants\.json$/);
  });
});
