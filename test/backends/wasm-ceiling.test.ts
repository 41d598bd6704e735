/**
 * The hand-written WebAssembly GEMM (the webasm ceiling): built from its AssemblyScript source, and right on odd,
 * rectangular and tiny shapes in both timing modes, with 1 to 3 threads (fewer rows than threads included),
 * against the float64 result within f32's bound, and 2C when A is doubled.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostCpuDevice } from '../../src/backends/host-cpu.js';
import { prepareWasmCeilingGemm } from '../../src/backends/ceiling/wasm-gemm.js';
import { ceilingWasmPath } from '../../src/backends/ceiling/wasm-module.js';
import { makeGemmOperands } from '../../src/workloads/gemm/inputs.js';
import { float64Gemm, verifyGemm } from '../../src/workloads/gemm/verify.js';
import { casesOf } from '../../src/plan/plan.js';
import type { GemmCase } from '../../src/results/schema.js';
import { realBackends } from '../helpers/real-backends.js';
import { gemmJob } from '../helpers/builtin-suites.js';

const ROOT = resolve(import.meta.dirname, '../..');

const SHAPES = [
  { m: 1, n: 1, k: 1 },
  { m: 7, n: 3, k: 5 },
  { m: 333, n: 517, k: 129 },
  // K past one block of 256, N past one panel of 8 by one column, M one row past a block of 4
  { m: 5, n: 9, k: 300 },
  { m: 64, n: 16, k: 512 },
];

describe('the WebAssembly ceiling GEMM', () => {
  it('is built from its source: asc compiles assembly/index.ts (the GEMM and STREAM kernels) into the module dist/ holds', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'chipbench-asc-')), 'gemm.wasm');
    const script = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts['build:wasm'] as string;
    const args = script.replace(/^asc /, '').replace('dist/wasm/ceiling.wasm', out).split(' ');
    execFileSync(join(ROOT, 'node_modules', '.bin', 'asc'), args, { cwd: ROOT });
    const built = readFileSync(out);
    expect(Buffer.compare(built, readFileSync(ceilingWasmPath()))).toBe(0);
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(built)).map((e) => e.name);
    expect(exports).toEqual(expect.arrayContaining(['packB', 'gemmRows', 'copyRange', 'triadRange']));
  });

  for (const shape of SHAPES) {
    for (const threads of [1, 2, 3]) {
      it(`computes ${shape.m}x${shape.n}x${shape.k} on ${threads} thread(s) in both timings, and 2C with A doubled`, async () => {
        const ops = makeGemmOperands(shape, 11);
        const exact = float64Gemm(ops);
        const gemm = await prepareWasmCeilingGemm(ops, hostCpuDevice(), threads);
        try {
          const endToEnd = verifyGemm(gemm.toRowMajor(await gemm.endToEnd()), exact, shape.k);
          expect(endToEnd.passed, `max error ${endToEnd.maxRelError} > ${endToEnd.bound}`).toBe(true);
          expect(endToEnd.checkedElements).toBe(shape.m * shape.n);
          await gemm.resident();
          expect(gemm.readbacks()).toBe(0);
          const resident = verifyGemm(gemm.toRowMajor(await gemm.readResident()), exact, shape.k);
          expect(resident.passed).toBe(true);
          expect(gemm.readbacks()).toBe(1);
          const twice = { c: exact.c.map((x) => 2 * x), absSum: exact.absSum.map((x) => 2 * x) };
          for (const timing of ['resident', 'end-to-end'] as const) {
            expect(verifyGemm(gemm.toRowMajor(await gemm.runDoubled(timing)), twice, shape.k).passed).toBe(true);
          }
          // after the doubled call, A is the case's own again
          await gemm.resident();
          expect(verifyGemm(gemm.toRowMajor(await gemm.readResident()), exact, shape.k).passed).toBe(true);
          expect(gemm.executed('resident')).toMatchObject({ backend: 'webasm', kernelClass: `hand-written WebAssembly SIMD (wasm-simd-4x8), ${threads} thread(s)` });
        } finally {
          gemm.dispose();
        }
      });
    }
  }
});

describe('the webasm ceiling cases, through a worker process like a run', { timeout: 240_000 }, () => {
  const backends = realBackends();

  it('verifies, times and re-checks gemm-ceiling cases beside gpu.js, recorded as hand-written on the host CPU', async (ctx) => {
    const shapes = [{ m: 7, n: 3, k: 5 }, { m: 333, n: 517, k: 129 }];
    const jobs = shapes.map((shape) => (gemmJob({ shape, seed: 3, timings: ['resident'] as 'resident'[], ceilingTimings: ['end-to-end', 'resident'] as ('end-to-end' | 'resident')[] })));
    const results = (await backends.run('webasm', jobs, ctx)) as GemmCase[];
    expect(results.map((r) => r.id)).toEqual([
      'gemm/webasm/f32/m7-n3-k5/resident',
      'gemm-ceiling/webasm/f32/m7-n3-k5/end-to-end',
      'gemm-ceiling/webasm/f32/m7-n3-k5/resident',
      'gemm/webasm/f32/m333-n517-k129/resident',
      'gemm-ceiling/webasm/f32/m333-n517-k129/end-to-end',
      'gemm-ceiling/webasm/f32/m333-n517-k129/resident',
    ]);
    for (const r of results) {
      expect({ id: r.id, outcome: r.outcome, reason: r.reason }).toEqual({ id: r.id, outcome: 'ok', reason: undefined });
      expect(r.verification).toMatchObject({ passed: true, recheckedAfterTiming: true, checkedElements: r.shape.m * r.shape.n });
    }
    for (const r of results.filter((c) => c.id.startsWith('gemm-ceiling/'))) {
      expect(r.variant).toMatchObject({ id: 'wasm-simd-4x8', choice: 'hand-written' });
      expect(r.executed!.kernelClass).toMatch(/^hand-written WebAssembly SIMD \(wasm-simd-4x8\), \d+ thread\(s\)$/);
      expect(r.executed!.device.executesOn).toBe('cpu');
      expect(r.metrics!.medianTflops).toBeGreaterThan(0);
    }
  });

  it('plans ceiling cases only on a backend that has one', () => {
    const job = gemmJob({ shape: { m: 2, n: 2, k: 2 }, seed: 1, timings: [] as 'resident'[], ceilingTimings: ['resident'] as 'resident'[] });
    expect(casesOf('webasm', job).map((c) => c.id)).toEqual(['gemm-ceiling/webasm/f32/m2-n2-k2/resident']);
    expect(casesOf('cpu', job)).toEqual([]);
  });
});
