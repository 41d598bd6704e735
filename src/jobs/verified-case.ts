/**
 * The life of a case whose output has an exact expected value (collectives,
 * STREAM): set up on the backend, run once, check what really executed and
 * count wrong elements, and only then time it. A case with a wrong element
 * or a replaced backend is recorded as failed, never timed.
 */
import type { HarnessBudget } from '../config/profiles.js';
import { fallbackReason } from '../backends/fallback.js';
import type { JobHooks, PlannedCase } from '../plan/plan.js';
import type { CollectiveCase, Executed, Measurement, StreamCase } from '../results/schema.js';
import { errorReason } from '../errors/error-message.js';
import { deviceTimeOf } from './device-time.js';

/** What a backend prepared: the timed operation and what ran it. */
export interface PreparedOperation {
  executed(): Executed;
  readonly timingNote: string;
  /** one operation, ending with the synchronisation that proves it finished */
  run(): Promise<void> | void;
  /** the operation's own time on the device for a few calls, in seconds (WebGPU timestamp-query), after timing */
  deviceTimes?(): Promise<number[]>;
  dispose(): void;
}

export interface ExactCaseSpec<P extends PreparedOperation, C extends CollectiveCase | StreamCase> {
  planned: PlannedCase;
  /** the case's record so far (its skeleton from the plan), filled in as the case goes */
  record: C;
  /** sets the operation up on the backend (outside any timing) */
  prepare(): Promise<P>;
  /** what failed when prepare throws, e.g. 'could not set up the kernel' */
  prepareFailure: string;
  /** wrong elements after one run (reads back outside any timing) */
  countWrong(prepared: P): Promise<number>;
  /** the figures of a measured case */
  metrics(measurement: Measurement): NonNullable<C['metrics']>;
}

export async function runExactCase<P extends PreparedOperation, C extends CollectiveCase | StreamCase>(
  backend: string,
  spec: ExactCaseSpec<P, C>,
  budget: HarnessBudget,
  hooks: JobHooks,
): Promise<void> {
  const started = Date.now();
  const record: C = spec.record;
  const finish = (patch: Partial<C>) => hooks.onCaseResult({ ...record, ...patch, wallSeconds: (Date.now() - started) / 1000 });
  await hooks.onCaseStart(spec.planned.id);

  let prepared: P;
  try {
    prepared = await spec.prepare();
  } catch (error) {
    await finish({ reason: `${spec.prepareFailure}: ${errorReason(error)}` } as Partial<C>);
    return;
  }
  try {
    record.timingNote = prepared.timingNote;
    try {
      await prepared.run();
      record.executed = prepared.executed();
      const fallback = fallbackReason(backend, record.executed.backend, record.executed.kernelClass);
      if (fallback) return await finish({ reason: fallback } as Partial<C>);
      record.wrong = await spec.countWrong(prepared);
    } catch (error) {
      return await finish({ reason: `failed before timing: ${errorReason(error)}` } as Partial<C>);
    }
    if (record.wrong > 0) {
      return await finish({ reason: `verification failed: #wrong ${record.wrong} after a separate verification run; the case was not timed` } as Partial<C>);
    }
    let patch: Partial<C>;
    try {
      const measurement = await hooks.measure(spec.planned.id, () => prepared.run(), budget);
      const deviceTime = await deviceTimeOf(prepared.deviceTimes);
      patch = { outcome: 'ok', measurement, metrics: spec.metrics(measurement), ...(deviceTime ? { deviceTime } : {}) } as Partial<C>;
    } catch (error) {
      patch = { reason: `failed while being timed: ${errorReason(error)}` } as Partial<C>;
    }
    await finish(patch);
  } finally {
    hooks.dispose(() => prepared.dispose());
  }
}
