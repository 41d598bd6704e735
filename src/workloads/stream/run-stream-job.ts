/**
 * One STREAM kernel of one array size on one backend: run it once and check
 * every output element, then time it. GB/s counts bytes read plus written
 * (STREAM's convention): copy moves 2 arrays, triad 3.
 */
import type { HarnessBudget } from '../../../bench/profiles.js';
import { fallbackReason } from '../../backends/fallback.js';
import type { BackendSession, PreparedStream } from '../../backends/session.js';
import { measure } from '../../harness/measure.js';
import { streamBytes } from '../../metrics/bandwidth.js';
import { BYTES_PER_GB } from '../../metrics/bandwidth.js';
import { caseSkeleton, casesOf, type JobHooks, type StreamJob } from '../../runner/plan.js';
import type { StreamCase } from '../../results/schema.js';
import { errorMessage } from '../error-message.js';
import { countStreamWrong, streamInputs } from './stream-data.js';

export async function runStreamJob(backend: string, session: BackendSession, job: StreamJob, budget: HarnessBudget, hooks: JobHooks): Promise<void> {
  const planned = casesOf(backend, job)[0]!;
  const started = Date.now();
  const base = caseSkeleton(backend, planned) as StreamCase;
  const finish = (patch: Partial<StreamCase>) => hooks.onCaseResult({ ...base, ...patch, wallSeconds: (Date.now() - started) / 1000 });
  await hooks.onCaseStart(planned.id);

  const { x, y } = streamInputs(job.bytes / 4);
  let prepared: PreparedStream;
  try {
    prepared = await session.prepareStream(job.kernel, x, y);
  } catch (error) {
    await finish({ reason: `could not set up the kernel: ${errorMessage(error)}` });
    return;
  }
  try {
    base.timingNote = prepared.timingNote;
    try {
      await prepared.run();
      base.executed = prepared.executed();
      const fallback = fallbackReason(backend, base.executed.backend, base.executed.kernelClass);
      if (fallback) return await finish({ reason: fallback });
      base.wrong = countStreamWrong(job.kernel, x, y, await prepared.readBack());
    } catch (error) {
      return await finish({ reason: `the kernel failed before timing: ${errorMessage(error)}` });
    }
    if (base.wrong > 0) return await finish({ reason: `verification failed: ${base.wrong} wrong elements; the case was not timed` });
    let patch: Partial<StreamCase>;
    try {
      const measurement = await measure(planned.id, () => prepared.run(), budget);
      const moved = streamBytes(job.kernel, job.bytes / 4);
      const gbps = (seconds: number) => moved / seconds / BYTES_PER_GB;
      patch = {
        outcome: 'ok',
        measurement,
        metrics: {
          bytesMoved: moved,
          GBps: gbps(measurement.medianSeconds),
          GBpsCi: { low: gbps(measurement.medianCi.highSeconds), high: gbps(measurement.medianCi.lowSeconds) },
        },
      };
    } catch (error) {
      patch = { reason: `the kernel failed while being timed: ${errorMessage(error)}` };
    }
    await finish(patch);
  } finally {
    prepared.dispose();
  }
}
