/**
 * chipbench's own suite files: bench/builtin/stream.bench.ts lists as STREAM copy and triad bound to the built-in
 * workload, sized by the run's byte sweep, with the bytes STREAM counts; its kernels (run here on the host, thread
 * by thread, as gpu.js's cpu mode would) match its reference exactly; the plan gives the ids of every earlier run;
 * bench/builtin/gemm.bench.ts gives the operands, the naive kernel and the check of every earlier run, with each variant;
 * bench/builtin/collectives.bench.ts lists every collective bound to its workload and checks every rank's final state;
 * and chipbench's own checkout does not take its built-in folder for a project's suite files.
 */
import { describe, expect, it } from 'vitest';
import { runOnHost } from '../../src/backends/host-kernel.js';
import { RunPlan } from '../../src/plan/plan.js';
import { builtinSourceDir, builtinSuiteFiles } from '../../src/runner/builtin-suites.js';
import { suiteSelection } from '../../src/cli/suite-option.js';
import { packageRoot } from '../../src/env/package-info.js';
import { caseMaterial } from '../../src/jobs/case-material.js';
import { checkAgainstReference } from '../../src/suite/verify-output.js';
import { builtinListings, builtinPlan, collectiveJob, gemmJob, streamJob } from '../helpers/builtin-suites.js';
import { gemmVariantSources } from '../../src/suite/builtin.js';
import { makeGemmOperands } from '../../src/workloads/gemm/inputs.js';
import { executeOnHost } from '../../src/workloads/allreduce/host-executor.js';
import { scheduleOf } from '../../src/plan/plan.js';
import { rankValue } from '../../bench/builtin/collectives.bench.js';

describe('the built-in STREAM suite file', () => {
  it("lists copy and triad bound to STREAM, at the run's byte sweep, moving 2 and 3 arrays", async () => {
    const [listing] = await builtinListings(['stream'], { bytes: [4096, 65536] });
    expect(listing).toMatchObject({ file: 'bench/builtin/stream.bench.ts', suite: 'stream', builtin: true });
    expect(listing!.cases.map((c) => [c.name, c.timing, c.builtin, c.problem])).toEqual([
      ['copy', 'resident', { workload: 'stream', kernel: 'copy' }, undefined],
      ['triad', 'resident', { workload: 'stream', kernel: 'triad' }, undefined],
    ]);
    expect(listing!.cases.map((c) => c.sizes.map((s) => [s.size, s.work, s.headline]))).toEqual([
      [[4096, { bytes: 8192 }, 'bytes'], [65536, { bytes: 131072 }, 'bytes']],
      [[4096, { bytes: 12288 }, 'bytes'], [65536, { bytes: 196608 }, 'bytes']],
    ]);
  });

  it('plans the ids every earlier run has, each with the hand-written kernel beside it where the backend has one', async () => {
    const builtins = await builtinListings(['stream'], { bytes: [4096, 65536] });
    const plan = new RunPlan({ workloads: ['stream'], timings: ['resident'], shapes: [], ceilings: true, seed: 1, ranks: 8, algorithms: [], collectiveBytes: [4096, 65536], builtins });
    expect(plan.ids(['cpu'])).toEqual(['stream-copy/cpu/f32/4KiB', 'stream-copy/cpu/f32/64KiB', 'stream-triad/cpu/f32/4KiB', 'stream-triad/cpu/f32/64KiB']);
    expect(plan.ids(['webgpu'])).toEqual([
      'stream-copy/webgpu/f32/4KiB',
      'stream-ceiling-copy/webgpu/f32/4KiB',
      'stream-copy/webgpu/f32/64KiB',
      'stream-ceiling-copy/webgpu/f32/64KiB',
      'stream-triad/webgpu/f32/4KiB',
      'stream-ceiling-triad/webgpu/f32/4KiB',
      'stream-triad/webgpu/f32/64KiB',
      'stream-ceiling-triad/webgpu/f32/64KiB',
    ]);
    expect(plan.cases('cpu')[0]!.job).toMatchObject({ kind: 'stream', kernel: 'copy', bytes: 4096, movedBytes: 8192, source: { name: 'copy' } });
    expect(() => new RunPlan({ workloads: ['stream'], timings: [], shapes: [], seed: 1, ranks: 8, algorithms: [], collectiveBytes: [4096] })).toThrow('the built-in STREAM suite (bench/builtin/stream.bench.ts) was not listed');
  });

  it('computes copy and triad exactly: every element equals the float64 reference, and one wrong element is counted', async () => {
    for (const kernel of ['copy', 'triad'] as const) {
      const job = streamJob(kernel, 4 * 33);
      const m = await caseMaterial(job.source, job.bytes, 0);
      expect(m.spec.output).toEqual([33]);
      expect(m.spec.constants ?? {}).toEqual(kernel === 'triad' ? { s: 3 } : {});
      const out = runOnHost(m.spec, m.inputs);
      expect([...out]).toEqual([...m.reference!]);
      expect(checkAgainstReference(out, m.reference!, m.kase.tolerance!).wrong).toBe(0);
      out[5]! += 1;
      expect(checkAgainstReference(out, m.reference!, m.kase.tolerance!).wrong).toBe(1);
      // small integers: exact in f32 (the first elements of x are -8, -1, 6, -4, 3; of y -5, 0, 5, -7, -2)
      expect([...m.host[0] as Float32Array].slice(0, 5)).toEqual([-8, -1, 6, -4, 3]);
      if (kernel === 'triad') expect([...out].slice(0, 2)).toEqual([-8 + 3 * -5, -1 + 3 * 0]);
    }
  });

  it('plans no built-in collective when its file was not listed', () => {
    expect(() => new RunPlan({ workloads: ['allreduce'], timings: [], shapes: [], seed: 1, ranks: 8, algorithms: ['ring'], collectiveBytes: [4096] })).toThrow('the built-in suite files define no allreduce ring');
  });

  it("is loaded from its compiled file in a build and from its source under vitest, and chipbench's checkout skips it in discovery", () => {
    const [file] = builtinSuiteFiles(['stream']);
    expect(file).toEqual({ file: 'bench/builtin/stream.bench.ts', path: `${builtinSourceDir()}/stream.bench.ts`, builtin: true });
    expect(builtinSuiteFiles([])).toEqual([]);
    expect(builtinSuiteFiles(['allgather', 'stream', 'gemm']).map((f) => f.file)).toEqual(['bench/builtin/gemm.bench.ts', 'bench/builtin/stream.bench.ts', 'bench/builtin/collectives.bench.ts']);
    const selection = suiteSelection({}, packageRoot());
    expect(selection.files.filter((f) => f.path.startsWith(builtinSourceDir()))).toEqual([]);
  });
});

describe('the built-in collectives suite file', () => {
  it("lists every collective and algorithm bound to its workload, at the run's ranks and byte sweep, S as the work", async () => {
    const [listing] = await builtinListings(['allreduce'], { bytes: [4096, 65536], ranks: 4 });
    expect(listing).toMatchObject({ file: 'bench/builtin/collectives.bench.ts', suite: 'collectives', builtin: true });
    expect(listing!.cases.map((c) => [c.name, c.timing, c.builtin, c.problem])).toEqual([
      ['allreduce-ring', 'resident', { workload: 'collective', collective: 'allreduce', algorithm: 'ring' }, undefined],
      ['allreduce-halving-doubling', 'resident', { workload: 'collective', collective: 'allreduce', algorithm: 'halving-doubling' }, undefined],
      ['allreduce-direct', 'resident', { workload: 'collective', collective: 'allreduce', algorithm: 'direct' }, undefined],
      ['reducescatter-ring', 'resident', { workload: 'collective', collective: 'reducescatter', algorithm: 'ring' }, undefined],
      ['allgather-ring', 'resident', { workload: 'collective', collective: 'allgather', algorithm: 'ring' }, undefined],
    ]);
    expect(listing!.cases[0]!.sizes.map((s) => [s.size, s.work])).toEqual([
      [{ ranks: 4, bytes: 4096 }, { bytes: 4096 }],
      [{ ranks: 4, bytes: 65536 }, { bytes: 65536 }],
    ]);
  });

  it('plans the ids every earlier run has, all-reduce by the algorithms asked for, in their order', async () => {
    const builtins = await builtinListings(['allreduce'], { bytes: [4096], ranks: 8 });
    const plan = new RunPlan({ workloads: ['allgather', 'allreduce', 'reducescatter'], timings: [], shapes: [], seed: 1, ranks: 8, algorithms: ['direct', 'ring'], collectiveBytes: [4096], builtins });
    expect(plan.ids(['cpu'])).toEqual(['allreduce-direct/cpu/f32/r8-4KiB', 'allreduce-ring/cpu/f32/r8-4KiB', 'reducescatter-ring/cpu/f32/r8-4KiB', 'allgather-ring/cpu/f32/r8-4KiB']);
    expect(plan.cases('cpu')[1]!.job).toMatchObject({ kind: 'collective', collective: 'allreduce', algorithm: 'ring', ranks: 8, bytes: 4096, source: { name: 'allreduce-ring' } });
  });

  it("checks every rank's final state: the engine's schedule carried out on the host with the file's buffers is right, and each wrong element counts", async () => {
    for (const [collective, algorithm] of [['allreduce', 'ring'], ['allreduce', 'halving-doubling'], ['allreduce', 'direct'], ['reducescatter', 'ring'], ['allgather', 'ring']] as const) {
      const job = collectiveJob(collective, algorithm, 3, 4 * 7);
      const m = await caseMaterial(job.source, { ranks: 3, bytes: 4 * 7 }, 0);
      const buffers = Array.from({ length: 3 }, (_, r) => (m.host[0] as Float32Array).slice(r * 7, (r + 1) * 7));
      executeOnHost(scheduleOf(job), buffers);
      const flat = Float32Array.from(buffers.flatMap((b) => [...b]));
      expect([collective, algorithm, m.kase.check!(flat, m.host, m.size).wrong]).toEqual([collective, algorithm, 0]);
      flat[collective === 'reducescatter' ? 0 : 20]! += 1;
      expect([collective, algorithm, m.kase.check!(flat, m.host, m.size).wrong]).toEqual([collective, algorithm, 1]);
    }
    // element 0 of ranks 0, 1, 2 is -8, 4, -1 (small integers): every sum is exact in f32
    expect([rankValue(0, 0), rankValue(1, 0), rankValue(2, 0)]).toEqual([-8, 4, -1]);
  });
});

describe('the built-in GEMM suite file', () => {
  it("lists GEMM bound to its workload at the run's shapes, 2 M N K as the work, with every tuned variant's kernel", async () => {
    const [listing] = await builtinListings(['gemm'], { shapes: [{ m: 256, n: 256, k: 256 }, { m: 333, n: 517, k: 129 }] });
    expect(listing).toMatchObject({ file: 'bench/builtin/gemm.bench.ts', suite: 'gemm', builtin: true });
    expect(listing!.cases.map((c) => [c.name, c.builtin, c.problem])).toEqual([['gemm', { workload: 'gemm' }, undefined]]);
    expect(listing!.cases[0]!.sizes.map((s) => [s.label, s.work, s.headline])).toEqual([
      ['m256-n256-k256', { flops: 2 * 256 ** 3 }, 'flops'],
      ['m333-n517-k129', { flops: 2 * 333 * 517 * 129 }, 'flops'],
    ]);
    const m = await caseMaterial(gemmJob({ shape: { m: 2, n: 2, k: 2 }, seed: 1, timings: [] }).source, { m: 2, n: 2, k: 2 }, 1);
    expect(Object.keys(gemmVariantSources(m.kase)).sort()).toEqual(['bt', 'c4', 'flat', 'r4u4', 'r4u4b64', 't22']);
  });

  it('plans the ids every earlier run has: the naive kernel in each timing, the tuned case and the hand-written one', async () => {
    const plan = await builtinPlan({ workloads: ['gemm'], timings: ['end-to-end', 'resident'], shapes: [{ m: 8, n: 8, k: 8 }], variant: 'auto', ceilings: true, seed: 1, ranks: 8, algorithms: [], collectiveBytes: [] });
    expect(plan.ids(['webasm'])).toEqual(['gemm/webasm/f32/m8-n8-k8/end-to-end', 'gemm/webasm/f32/m8-n8-k8/resident', 'gemm-tuned/webasm/f32/m8-n8-k8/resident', 'gemm-ceiling/webasm/f32/m8-n8-k8/resident']);
    expect(plan.cases('cpu')[0]!.job).toMatchObject({ kind: 'gemm', shape: { m: 8, n: 8, k: 8 }, flops: 1024, source: { name: 'gemm' } });
  });

  it('makes the operands of every earlier run (one seeded stream, A then B) and states the naive kernel as the engine compiles it', async () => {
    const shape = { m: 3, n: 5, k: 7 };
    const m = await caseMaterial(gemmJob({ shape, seed: 42, timings: [] }).source, { ...shape }, 42);
    const ops = makeGemmOperands(shape, 42);
    expect([m.host[0], m.host[1]]).toEqual([ops.a, ops.b]);
    expect(m.inputs.map((i) => (typeof i === 'object' && 'dims' in i ? i.dims : undefined))).toEqual([[7, 3], [5, 7]]);
    expect({ output: m.spec.output, constants: m.spec.constants }).toEqual({ output: [5, 3], constants: { K: 7 } });
  });

  it("passes a C within f32's bound, fails one wrong element, and reports the worst normalised error and the bound", async () => {
    const shape = { m: 4, n: 3, k: 5 };
    const m = await caseMaterial(gemmJob({ shape, seed: 7, timings: [] }).source, { ...shape }, 7);
    const [a, b] = m.host as Float32Array[];
    const c = new Float32Array(12);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) for (let p = 0; p < 5; p++) c[i * 3 + j]! += a![i * 5 + p]! * b![p * 3 + j]!;
    const right = m.kase.check!(c, m.host, m.size);
    expect(right.wrong).toBe(0);
    expect(right.bound).toBeCloseTo((6 * 2 ** -24) / (1 - 6 * 2 ** -24), 20);
    expect(right.maxError!).toBeLessThanOrEqual(right.bound!);
    c[7]! += 0.01;
    expect(m.kase.check!(c, m.host, m.size).wrong).toBe(1);
    expect(m.kase.check!(new Float32Array(11), m.host, m.size).wrong).toBe(12);
  });
});
