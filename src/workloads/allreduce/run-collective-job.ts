/**
 * One collective (all-reduce, reduce-scatter or all-gather) of one size on
 * one backend: put the rank buffers on the device, run it once and count
 * every wrong element (nccl-tests' #wrong, on integer inputs whose sums are
 * exact), and only then time it. algbw and busbw follow nccl-tests.
 */
import type { HarnessBudget } from '../../../bench/profiles.js';
import { fallbackReason } from '../../backends/fallback.js';
import type { BackendSession, PreparedCollective } from '../../backends/session.js';
import { measure } from '../../harness/measure.js';
import { algbwGBps, busbwFactor } from '../../metrics/bandwidth.js';
import { caseSkeleton, casesOf, scheduleOf, type CollectiveJob, type JobHooks } from '../../runner/plan.js';
import type { CollectiveCase } from '../../results/schema.js';
import { errorMessage } from '../error-message.js';
import { countWrong, initialBuffers } from './rank-data.js';

export async function runCollectiveJob(
  backend: string,
  session: BackendSession,
  job: CollectiveJob,
  budget: HarnessBudget,
  hooks: JobHooks,
): Promise<void> {
  const planned = casesOf(backend, job)[0]!;
  const started = Date.now();
  const base = caseSkeleton(backend, planned) as CollectiveCase;
  const finish = (patch: Partial<CollectiveCase>) =>
    hooks.onCaseResult({ ...base, ...patch, wallSeconds: (Date.now() - started) / 1000 });
  await hooks.onCaseStart(planned.id);

  const schedule = scheduleOf(job);
  let prepared: PreparedCollective;
  try {
    prepared = await session.prepareCollective(schedule, initialBuffers(schedule));
  } catch (error) {
    await finish({ reason: `could not put the rank buffers on the backend: ${errorMessage(error)}` });
    return;
  }
  try {
    base.timingNote = prepared.timingNote;
    try {
      await prepared.run();
      base.executed = prepared.executed();
      const fallback = fallbackReason(backend, base.executed.backend, base.executed.kernelClass);
      if (fallback) {
        await finish({ reason: fallback });
        return;
      }
      base.wrong = countWrong(schedule, await prepared.readBack());
    } catch (error) {
      await finish({ reason: `the collective failed before timing: ${errorMessage(error)}` });
      return;
    }
    if (base.wrong > 0) {
      await finish({ reason: `verification failed: #wrong ${base.wrong} after a separate verification run; the case was not timed` });
      return;
    }
    let patch: Partial<CollectiveCase>;
    try {
      const measurement = await measure(planned.id, () => prepared.run(), budget);
      const factor = busbwFactor(job.collective, job.ranks);
      const gbps = (seconds: number) => algbwGBps(job.bytes, seconds);
      patch = {
        outcome: 'ok',
        measurement,
        metrics: {
          bytes: job.bytes,
          algbwGBps: gbps(measurement.medianSeconds),
          busbwGBps: gbps(measurement.medianSeconds) * factor,
          busbwFactor: factor,
          busbwCi: { low: gbps(measurement.medianCi.highSeconds) * factor, high: gbps(measurement.medianCi.lowSeconds) * factor },
        },
      };
    } catch (error) {
      patch = { reason: `the collective failed while being timed: ${errorMessage(error)}` };
    }
    await finish(patch);
  } finally {
    prepared.dispose();
  }
}
