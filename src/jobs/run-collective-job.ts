/**
 * One collective (all-reduce, reduce-scatter or all-gather) of one size on one backend, as
 * bench/builtin/collectives.bench.ts defines it (the reduction kernel, every rank's buffer, the check of every
 * rank's final state), carried out by the engine's schedule: rank buffers on the device, one run whose every
 * element of every rank is checked (nccl-tests' #wrong, on integer inputs whose sums are exact), then timing. algbw
 * and busbw follow nccl-tests; the memory traffic rate sets the run beside the backend's own copy bandwidth.
 */
import type { HarnessBudget } from '../config/profiles.js';
import type { BackendSession } from '../backends/session.js';
import { busbwFactor } from '../metrics/bandwidth.js';
import { collectiveMetrics } from '../results/case-figures.js';
import { caseSkeleton, casesOf, scheduleOf, type CollectiveJob, type JobHooks } from '../plan/plan.js';
import type { CollectiveCase } from '../results/schema.js';
import { checkWithCase, flattenOutput } from '../suite/verify-output.js';
import { caseMaterial, named, UNSEEDED, type CaseMaterial } from './case-material.js';
import { runExactCase } from './verified-case.js';
import { memoryTrafficBytes } from '../workloads/allreduce/schedule.js';

export async function runCollectiveJob(backend: string, session: BackendSession, job: CollectiveJob, budget: HarnessBudget, hooks: JobHooks): Promise<void> {
  const planned = casesOf(backend, job)[0]!;
  const schedule = scheduleOf(job);
  const factor = busbwFactor(job.collective, job.ranks);
  const memoryBytes = memoryTrafficBytes(schedule);
  let material: CaseMaterial | undefined;
  await runExactCase(
    backend,
    {
      planned,
      record: caseSkeleton(backend, planned) as CollectiveCase,
      prepare: async () => {
        material = await caseMaterial(job.source, { ranks: job.ranks, bytes: job.bytes }, UNSEEDED);
        return session.prepareCollective(schedule, rankBuffersOf(material, job), material.spec);
      },
      prepareFailure: 'could not put the rank buffers on the backend',
      countWrong: async (prepared) => {
        const { kase, host, size } = material!;
        const output = flattenOutput(await prepared.readBack(), job.ranks * (job.bytes / 4));
        return checkWithCase(output, named('check', () => kase.check!(output, host, size))).wrong;
      },
      metrics: (m) => collectiveMetrics({ bytes: job.bytes, busbwFactor: factor, memoryBytes }, m),
    },
    budget,
    hooks,
  );
}

/** The case's one input, every rank's buffer rank after rank, cut into the ranks' buffers. */
function rankBuffersOf(material: CaseMaterial, job: CollectiveJob): Float32Array[] {
  const all = material.host[0];
  const elements = job.bytes / 4;
  if (!(all instanceof Float32Array) || all.length !== job.ranks * elements) throw new Error(`inputs() gave no [${elements}, ${job.ranks}] array of the rank buffers`);
  return Array.from({ length: job.ranks }, (_, r) => all.slice(r * elements, (r + 1) * elements));
}
