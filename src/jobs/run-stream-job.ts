/**
 * One STREAM kernel of one array size on one backend, gpu.js's or the
 * hand-written ceiling on the same API and device: one run whose every
 * output element is checked, then timing. GB/s counts bytes read plus
 * written (STREAM's convention): copy moves 2 arrays, triad 3.
 */
import type { HarnessBudget } from '../config/profiles.js';
import type { BackendSession, CeilingStream } from '../backends/session.js';
import { streamBytes } from '../metrics/bandwidth.js';
import { streamMetrics } from '../results/case-figures.js';
import { caseSkeleton, casesOf, type JobHooks, type StreamJob } from '../plan/plan.js';
import type { StreamCase } from '../results/schema.js';
import { runExactCase } from './verified-case.js';
import { countStreamWrong, streamInputs } from '../workloads/stream/stream-data.js';

export async function runStreamJob(backend: string, session: BackendSession, job: StreamJob, budget: HarnessBudget, hooks: JobHooks): Promise<void> {
  const planned = casesOf(backend, job)[0]!;
  const { x, y } = streamInputs(job.bytes / 4);
  const moved = streamBytes(job.kernel, job.bytes / 4);
  const record = caseSkeleton(backend, planned) as StreamCase;
  await runExactCase(
    backend,
    {
      planned,
      record,
      prepare: () => (job.ceiling ? prepareCeiling(backend, session, job, x, y, record) : session.prepareStream(job.kernel, x, y)),
      prepareFailure: 'could not set up the kernel',
      countWrong: async (prepared) => countStreamWrong(job.kernel, x, y, await prepared.readBack()),
      metrics: (m) => streamMetrics(moved, m),
    },
    budget,
    hooks,
  );
}

/** The hand-written kernel, recorded in the case as it is prepared (a backend without one fails the case). */
async function prepareCeiling(backend: string, session: BackendSession, job: StreamJob, x: Float32Array, y: Float32Array, record: StreamCase): Promise<CeilingStream> {
  if (!session.prepareCeilingStream) throw new Error(`${backend} has no hand-written STREAM kernel`);
  const ceiling = await session.prepareCeilingStream(job.kernel, x, y);
  record.variant = { id: ceiling.ceiling.id, description: ceiling.ceiling.description, choice: 'hand-written' };
  return ceiling;
}
