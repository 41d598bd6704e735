/**
 * Collectives on every gpu.js backend this machine has, through the worker
 * processes a run uses (headlessgl and webgpu need their own process): every
 * algorithm for R in {2, 3, 5, 8}, on sizes that do and do not divide into R
 * chunks, and STREAM copy and triad, with no wrong element. On CI every
 * backend must be available.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { CollectiveCase, StreamCase } from '../../src/results/schema.js';
import type { Job } from '../../src/plan/plan.js';
import { backendOf, REAL_TARGETS, realBackends } from '../helpers/real-backends.js';
import { collectiveJob, streamJob } from '../helpers/builtin-suites.js';
import { ALLREDUCE_ALGORITHMS } from '../../src/workloads/allreduce/schedule.js';

function jobs(): Job[] {
  const out: Job[] = [];
  for (const ranks of [2, 3, 5, 8]) {
    for (const bytes of [ranks * 16, ranks * 16 + 12]) {
      for (const algorithm of ALLREDUCE_ALGORITHMS) out.push(collectiveJob('allreduce', algorithm, ranks, bytes));
      out.push(collectiveJob('reducescatter', 'ring', ranks, bytes));
      out.push(collectiveJob('allgather', 'ring', ranks, bytes));
    }
  }
  // STREAM kernels on the same workers: odd and even lengths.
  for (const bytes of [4, 4 * 33, 4 * 4096]) for (const kernel of ['copy', 'triad'] as const) out.push(streamJob(kernel, bytes));
  return out;
}

describe('collectives on every gpu.js backend', { timeout: 300_000 }, () => {
  const backends = realBackends();

  it.for(REAL_TARGETS)('%s: no wrong element, and it really ran there', async (target, ctx) => {
    const planned = jobs();
    const results = await backends.run(target, planned, ctx);
    expect(results).toHaveLength(planned.length);
    for (const r of results as (CollectiveCase | StreamCase)[]) {
      expect({ id: r.id, outcome: r.outcome, reason: r.reason, wrong: r.wrong }).toEqual({ id: r.id, outcome: 'ok', reason: undefined, wrong: 0 });
      expect(r.executed!.backend).toBe(backendOf(target));
    }
  });

  afterAll(() => backends.stop());
});
