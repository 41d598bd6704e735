/**
 * One collective (all-reduce, reduce-scatter or all-gather) of one size on
 * one backend: rank buffers on the device, one run whose every element of
 * every rank is checked (nccl-tests' #wrong, on integer inputs whose sums
 * are exact), then timing. algbw and busbw follow nccl-tests; the memory
 * traffic rate sets the run beside the backend's own copy bandwidth.
 */
import type { HarnessBudget } from '../config/profiles.js';
import type { BackendSession } from '../backends/session.js';
import { busbwFactor } from '../metrics/bandwidth.js';
import { collectiveMetrics } from '../results/case-figures.js';
import { caseSkeleton, casesOf, scheduleOf, type CollectiveJob, type JobHooks } from '../plan/plan.js';
import type { CollectiveCase } from '../results/schema.js';
import { runExactCase } from './verified-case.js';
import { countWrong, initialBuffers } from '../workloads/allreduce/rank-data.js';
import { memoryTrafficBytes } from '../workloads/allreduce/schedule.js';

export async function runCollectiveJob(backend: string, session: BackendSession, job: CollectiveJob, budget: HarnessBudget, hooks: JobHooks): Promise<void> {
  const planned = casesOf(backend, job)[0]!;
  const schedule = scheduleOf(job);
  const factor = busbwFactor(job.collective, job.ranks);
  const memoryBytes = memoryTrafficBytes(schedule);
  await runExactCase(
    backend,
    {
      planned,
      record: caseSkeleton(backend, planned) as CollectiveCase,
      prepare: () => session.prepareCollective(schedule, initialBuffers(schedule)),
      prepareFailure: 'could not put the rank buffers on the backend',
      countWrong: async (prepared) => countWrong(schedule, await prepared.readBack()),
      metrics: (m) => collectiveMetrics({ bytes: job.bytes, busbwFactor: factor, memoryBytes }, m),
    },
    budget,
    hooks,
  );
}
