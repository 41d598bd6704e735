/**
 * One STREAM kernel of one array size on one backend: one run whose every
 * output element is checked, then timing. GB/s counts bytes read plus
 * written (STREAM's convention): copy moves 2 arrays, triad 3.
 */
import type { HarnessBudget } from '../../../bench/profiles.js';
import type { BackendSession } from '../../backends/session.js';
import { BYTES_PER_GB, streamBytes } from '../../metrics/bandwidth.js';
import { caseSkeleton, casesOf, type JobHooks, type StreamJob } from '../../runner/plan.js';
import type { StreamCase } from '../../results/schema.js';
import { runExactCase } from '../verified-case.js';
import { countStreamWrong, streamInputs } from './stream-data.js';

export async function runStreamJob(backend: string, session: BackendSession, job: StreamJob, budget: HarnessBudget, hooks: JobHooks): Promise<void> {
  const planned = casesOf(backend, job)[0]!;
  const { x, y } = streamInputs(job.bytes / 4);
  const moved = streamBytes(job.kernel, job.bytes / 4);
  const gbps = (seconds: number) => moved / seconds / BYTES_PER_GB;
  await runExactCase(
    backend,
    {
      planned,
      base: caseSkeleton(backend, planned) as StreamCase,
      prepare: () => session.prepareStream(job.kernel, x, y),
      prepareFailure: 'could not set up the kernel',
      countWrong: async (prepared) => countStreamWrong(job.kernel, x, y, await prepared.readBack()),
      metrics: (m) => ({ bytesMoved: moved, GBps: gbps(m.medianSeconds), GBpsCi: { low: gbps(m.medianCi.highSeconds), high: gbps(m.medianCi.lowSeconds) } }),
    },
    budget,
    hooks,
  );
}
