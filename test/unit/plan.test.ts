/**
 * Planning: the cases of a GEMM job (the naive kernel's, then the tuned
 * ones), and the jobs rebuilt from any remaining cases after a worker died,
 * which must give back exactly those cases in the same order.
 */
import { describe, expect, it } from 'vitest';
import { casesOf, jobsOf, unrunCase, type Job } from '../../src/plan/plan.js';
import { ForkLedger } from '../../src/runner/fork-ledger.js';
import type { CaseResult } from '../../src/results/schema.js';
import { builtinPlan, gemmJob, streamJob } from '../helpers/builtin-suites.js';

const gemm: Job = gemmJob({ shape: { m: 8, n: 8, k: 8 }, seed: 1, timings: ['end-to-end', 'resident'], tunedTimings: ['resident'], variant: 'auto' });
const other: Job = gemmJob({ shape: { m: 4, n: 4, k: 4 }, seed: 1, timings: ['resident'], tunedTimings: ['resident'], variant: 'auto' });
const stream: Job = streamJob('copy', 4096);

describe('casesOf', () => {
  it('plans the naive kernel in every timing, then the tuned cases', () => {
    expect(casesOf('webasm', gemm).map((c) => [c.id, c.tuned ?? false])).toEqual([
      ['gemm/webasm/f32/m8-n8-k8/end-to-end', false],
      ['gemm/webasm/f32/m8-n8-k8/resident', false],
      ['gemm-tuned/webasm/f32/m8-n8-k8/resident', true],
    ]);
  });

  it('plans no tuned case for a job without tuned timings (files and jobs from before variants)', () => {
    expect(casesOf('cpu', gemmJob({ shape: { m: 2, n: 2, k: 2 }, seed: 1, timings: ['resident'] })).map((c) => c.id)).toEqual(['gemm/cpu/f32/m2-n2-k2/resident']);
  });
});

describe('jobsOf', () => {
  const planned = [gemm, other, stream].flatMap((job) => casesOf('cpu', job));

  it('gives back exactly the remaining cases, in order, for every suffix and every single case dropped', () => {
    const subsets = [
      ...planned.map((_, i) => planned.slice(i)),
      ...planned.map((_, i) => planned.filter((__, j) => j !== i)),
    ];
    for (const remaining of subsets) {
      const rebuilt = jobsOf(remaining).flatMap((job) => casesOf('cpu', job));
      expect(rebuilt.map((c) => c.id)).toEqual(remaining.map((c) => c.id));
    }
  });

  it('keeps a tuned case alone as a job of its own shape, with no naive timing', () => {
    const tunedOnly = planned.filter((c) => c.id === 'gemm-tuned/cpu/f32/m8-n8-k8/resident');
    expect(jobsOf(tunedOnly)).toEqual([{ ...gemm, timings: [], tunedTimings: ['resident'] }]);
  });
});

const mainPlan = await builtinPlan({
    workloads: ['gemm', 'stream', 'allreduce', 'allgather'],
    timings: ['end-to-end', 'resident'],
    shapes: [{ m: 8, n: 8, k: 8 }, { m: 3, n: 5, k: 7 }],
    variant: 'auto',
    ceilings: true,
    seed: 1,
    ranks: 4,
    algorithms: ['ring', 'direct'],
    collectiveBytes: [4096, 65536],
  });

describe('RunPlan', () => {
  const plan = mainPlan;

  it('plans GEMM (naive in every timing, tuned resident), then STREAM, then each collective, algorithm and size', () => {
    expect(plan.cases('cpu').map((c) => c.id)).toEqual([
      'gemm/cpu/f32/m8-n8-k8/end-to-end',
      'gemm/cpu/f32/m8-n8-k8/resident',
      'gemm-tuned/cpu/f32/m8-n8-k8/resident',
      'gemm/cpu/f32/m3-n5-k7/end-to-end',
      'gemm/cpu/f32/m3-n5-k7/resident',
      'gemm-tuned/cpu/f32/m3-n5-k7/resident',
      'stream-copy/cpu/f32/4KiB',
      'stream-copy/cpu/f32/64KiB',
      'stream-triad/cpu/f32/4KiB',
      'stream-triad/cpu/f32/64KiB',
      'allreduce-ring/cpu/f32/r4-4KiB',
      'allreduce-ring/cpu/f32/r4-64KiB',
      'allreduce-direct/cpu/f32/r4-4KiB',
      'allreduce-direct/cpu/f32/r4-64KiB',
      'allgather-ring/cpu/f32/r4-4KiB',
      'allgather-ring/cpu/f32/r4-64KiB',
    ]);
    expect(plan.caseCount(['cpu'])).toBe(16);
    // webasm has the hand-written kernels: one more GEMM case per shape, in the resident timing, and a hand-written
    // STREAM case after each of gpu.js's
    expect(plan.caseCount(['cpu', 'webasm'])).toBe(16 + 22);
    expect(plan.cases('webasm').filter((c) => c.job.kind === 'stream').map((c) => [c.id, c.ceiling ?? false])).toEqual([
      ['stream-copy/webasm/f32/4KiB', false],
      ['stream-ceiling-copy/webasm/f32/4KiB', true],
      ['stream-copy/webasm/f32/64KiB', false],
      ['stream-ceiling-copy/webasm/f32/64KiB', true],
      ['stream-triad/webasm/f32/4KiB', false],
      ['stream-ceiling-triad/webasm/f32/4KiB', true],
      ['stream-triad/webasm/f32/64KiB', false],
      ['stream-ceiling-triad/webasm/f32/64KiB', true],
    ]);
  });

  it('expands each backend once and lists the ids backend by backend', () => {
    expect(plan.cases('webasm')).toBe(plan.cases('webasm'));
    expect(plan.ids(['cpu', 'webasm'])).toEqual([...plan.cases('cpu'), ...plan.cases('webasm')].map((c) => c.id));
  });

  it('gives the preflight every shape and every buffer size once', () => {
    expect(plan.gemmShapes).toEqual([{ m: 8, n: 8, k: 8 }, { m: 3, n: 5, k: 7 }]);
    expect(plan.bufferBytes).toEqual([4096, 65536]);
  });

  it('plans no tuned case for the naive variant and no GEMM without the workload', async () => {
    const naive = await builtinPlan({ workloads: ['gemm'], timings: ['resident'], shapes: [{ m: 2, n: 2, k: 2 }], variant: 'naive', seed: 1, ranks: 8, algorithms: [], collectiveBytes: [4096] });
    expect(naive.cases('cpu').map((c) => c.id)).toEqual(['gemm/cpu/f32/m2-n2-k2/resident']);
    // without ceilings (--no-ceilings), a backend that has one runs gpu.js alone
    expect(naive.cases('webasm').map((c) => c.id)).toEqual(['gemm/webasm/f32/m2-n2-k2/resident']);
    expect(naive.bufferBytes).toEqual([]);
    const noGemm = await builtinPlan({ workloads: ['stream'], timings: ['resident'], shapes: [{ m: 2, n: 2, k: 2 }], seed: 1, ranks: 8, algorithms: [], collectiveBytes: [4096] });
    expect(noGemm.gemmShapes).toEqual([]);
  });
});

const ledgerPlan = await builtinPlan({ workloads: ['gemm'], timings: ['end-to-end', 'resident'], shapes: [{ m: 8, n: 8, k: 8 }], variant: 'auto', seed: 1, ranks: 8, algorithms: [], collectiveBytes: [] });

describe('ForkLedger.pinned', () => {
  const plan = ledgerPlan;
  const cases = plan.cases('cpu');
  const tunedId = 'gemm-tuned/cpu/f32/m8-n8-k8/resident';

  it("pins a tuned case's job to the variant its first fork ran, and its shape stays one job on the wire", () => {
    const ledger = new ForkLedger(3);
    for (const c of cases) {
      const result = unrunCase('cpu', c, 'error', 'x');
      // the first fork's record as the ledger holds it: ok, the tuned case with the variant the autotuner chose
      ledger.unrun({ ...result, outcome: 'ok', ...(c.tuned ? { variant: { id: 'r4u4', description: 'r4u4', choice: 'autotuned' } } : {}) } as CaseResult);
    }
    const pinned = ledger.pinned(cases);
    expect(pinned.map((c) => c.id)).toEqual(cases.map((c) => c.id));
    expect(new Set(pinned.map((c) => c.job)).size).toBe(1);
    expect(pinned.find((c) => c.id === tunedId)!.job).toMatchObject({ kind: 'gemm', variant: 'r4u4' });
    expect(jobsOf(pinned)).toHaveLength(1);
  });

  it("pins the ceiling's form too (a WGSL tiling the first fork's trials chose), in the same one job", async () => {
    const withCeiling = await builtinPlan({ workloads: ['gemm'], timings: ['resident'], shapes: [{ m: 8, n: 8, k: 8 }], variant: 'auto', ceilings: true, seed: 1, ranks: 8, algorithms: [], collectiveBytes: [] });
    const planned = withCeiling.cases('webgpu');
    expect(planned.map((c) => c.id)).toEqual(['gemm/webgpu/f32/m8-n8-k8/resident', 'gemm-tuned/webgpu/f32/m8-n8-k8/resident', 'gemm-ceiling/webgpu/f32/m8-n8-k8/resident']);
    const ledger = new ForkLedger(2);
    const chose = { 'gemm-tuned/webgpu/f32/m8-n8-k8/resident': 'r4u4', 'gemm-ceiling/webgpu/f32/m8-n8-k8/resident': 'wgsl-8x8x8x8-k16-v4' } as Record<string, string>;
    for (const c of planned) {
      const id = chose[c.id];
      ledger.unrun({ ...unrunCase('webgpu', c, 'error', 'x'), outcome: 'ok', ...(id ? { variant: { id, description: id, choice: c.ceiling ? 'hand-written' : 'autotuned' } } : {}) } as CaseResult);
    }
    const pinned = ledger.pinned(planned);
    expect(new Set(pinned.map((c) => c.job)).size).toBe(1);
    expect(pinned[0]!.job).toMatchObject({ variant: 'r4u4', ceilingVariant: 'wgsl-8x8x8x8-k16-v4' });
    expect(jobsOf(pinned)).toEqual([expect.objectContaining({ variant: 'r4u4', ceilingVariant: 'wgsl-8x8x8x8-k16-v4', ceilingTimings: ['resident'] })]);
  });

  it('leaves the cases as planned before any fork chose a variant', () => {
    const pinned = new ForkLedger(3).pinned(cases);
    expect(pinned.every((c, i) => c.job === cases[i]!.job)).toBe(true);
  });
});

describe('jobsOf with hand-written ceiling cases', () => {
  const withCeiling: Job = gemmJob({ shape: { m: 8, n: 8, k: 8 }, seed: 1, timings: ['end-to-end', 'resident'], tunedTimings: ['resident'], variant: 'auto', ceilingTimings: ['resident'] });
  const streamCeiling: Job = { kind: 'stream', kernel: 'copy', bytes: 4096, ceiling: true };
  const planned = [withCeiling, stream, streamCeiling].flatMap((job) => casesOf('webasm', job));

  it('plans the ceiling after the tuned case on webasm, and the hand-written STREAM case after gpu.js\'s', () => {
    expect(planned.map((c) => c.id)).toEqual([
      'gemm/webasm/f32/m8-n8-k8/end-to-end',
      'gemm/webasm/f32/m8-n8-k8/resident',
      'gemm-tuned/webasm/f32/m8-n8-k8/resident',
      'gemm-ceiling/webasm/f32/m8-n8-k8/resident',
      'stream-copy/webasm/f32/4KiB',
      'stream-ceiling-copy/webasm/f32/4KiB',
    ]);
  });

  it('gives back exactly the remaining cases, in order, for every suffix and every single case dropped', () => {
    const subsets = [...planned.map((_, i) => planned.slice(i)), ...planned.map((_, i) => planned.filter((__, j) => j !== i))];
    for (const remaining of subsets) {
      expect(jobsOf(remaining).flatMap((job) => casesOf('webasm', job)).map((c) => c.id)).toEqual(remaining.map((c) => c.id));
    }
  });
});
