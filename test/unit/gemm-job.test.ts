/**
 * runGemmJob in-process with the fake sessions: the order verify-then-time,
 * and fallback detection per case (not only at probe time).
 */
import { describe, expect, it } from 'vitest';
import { FakeSession } from '../../src/backends/fake.js';
import type { CaseResult } from '../../src/results/schema.js';
import { runGemmJob } from '../../src/jobs/run-gemm-job.js';
import { measure } from '../../src/harness/measure.js';
import { gemmJob } from '../helpers/builtin-suites.js';

const budget = { timeBudgetMs: 1, minSamples: 2, warmupMs: 0, warmupIterations: 0, maxWarmupMs: 0 };

async function run(backend: 'fake' | 'fake-fallback' | 'fake-wrong'): Promise<{ starts: string[]; results: CaseResult[] }> {
  const starts: string[] = [];
  const results: CaseResult[] = [];
  await runGemmJob(backend, new FakeSession(backend), gemmJob({ shape: { m: 3, n: 5, k: 7 }, seed: 1, timings: ['end-to-end', 'resident'] }), budget, {
    onCaseStart: (id) => void starts.push(id),
    onCaseResult: (r) => void results.push(r),
    measure,
    dispose: (release) => release(),
  });
  return { starts, results };
}

describe('runGemmJob', () => {
  it('announces each case before its work and returns one verified, timed result per timing', async () => {
    const { starts, results } = await run('fake');
    expect(starts).toEqual(['gemm/fake/f32/m3-n5-k7/end-to-end', 'gemm/fake/f32/m3-n5-k7/resident']);
    expect(results.map((r) => [r.id, r.outcome])).toEqual([
      ['gemm/fake/f32/m3-n5-k7/end-to-end', 'ok'],
      ['gemm/fake/f32/m3-n5-k7/resident', 'ok'],
    ]);
    expect(results[0]!.metrics!.flop).toBe(210);
    expect(results[0]!.timingNote).toBe('fake: a JS loop');
  });

  it('reads the resident output back once, for verification, never inside the timed samples', async () => {
    const session = new FakeSession('fake');
    const calls = { resident: 0, readResident: 0, endToEnd: 0 };
    const original = session.prepareGemm.bind(session);
    session.prepareGemm = async (ops, variant, source) => {
      const prepared = await original(ops, variant, source);
      return {
        ...prepared,
        endToEnd: () => (calls.endToEnd++, prepared.endToEnd()),
        resident: () => (calls.resident++, prepared.resident()),
        readResident: () => (calls.readResident++, prepared.readResident()),
      };
    };
    const results: CaseResult[] = [];
    await runGemmJob('fake', session, gemmJob({ shape: { m: 3, n: 5, k: 7 }, seed: 1, timings: ['resident'] }), budget, {
      onCaseStart: () => undefined,
      onCaseResult: (r) => void results.push(r),
      measure,
      dispose: (release) => release(),
    });
    const samples = results[0]!.measurement!.sampleCount;
    expect(calls.readResident).toBe(1);
    expect(calls.endToEnd).toBe(0);
    expect(calls.resident).toBe(1 + samples + results[0]!.measurement!.forks[0]!.warmupSamples);
  });

  it('fails every case that a backend ran elsewhere, naming what really ran, without timing it', async () => {
    const { results } = await run('fake-fallback');
    for (const r of results) {
      expect(r.outcome).toBe('error');
      expect(r.executed?.backend).toBe('cpu');
      expect(r.reason).toContain("ran this case on 'cpu' (FakeKernel) instead of the requested 'fake-fallback'");
      expect(r.measurement).toBeUndefined();
      expect(r.metrics).toBeUndefined();
    }
  });

  it('fails a wrong result with its error figure and does not time it', async () => {
    const { results } = await run('fake-wrong');
    for (const r of results) {
      expect(r.outcome).toBe('error');
      expect(r.verification).toMatchObject({ passed: false, wrongElements: 1, checkedElements: 15 });
      expect(r.measurement).toBeUndefined();
    }
  });
});
