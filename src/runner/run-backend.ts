/**
 * Runs every case of one backend in child processes. A crash or a watchdog
 * kill fails the case that was running, and a fresh worker carries on with
 * the cases after it, so one bad kernel costs one case, not the backend.
 */
import type { HarnessBudget } from '../config/profiles.js';
import type { BackendStatus, CaseResult } from '../results/schema.js';
import { jobsOf, unrunCase, type PlannedCase } from '../plan/plan.js';
import type { RunnerCommand, WorkerMessage } from './protocol.js';
import { runWorker, type WorkerExit, type WorkerWatch } from './spawn-worker.js';

/** After this many worker deaths in a row without a finished case, the remaining cases are failed without trying. */
export const MAX_CONSECUTIVE_WORKER_DEATHS = 2;

export interface BackendRunHooks {
  onCaseStart?: (id: string) => void;
  onCaseResult: (result: CaseResult) => void;
  /** interleaved runs: the worker takes its samples in slices on command (src/runner/slice-coordinator.ts) */
  slices?: SliceHooks;
}

export interface SliceHooks {
  onReady(id: string): void;
  onSliceDone(id: string, count: number): void;
  /** the command channel of each worker as it starts (a fresh one after a crash) */
  onChannel(send: (command: RunnerCommand) => void): void;
}

/**
 * The outcome and reason for the cases of a backend that cannot run: a
 * backend that gpu.js replaced is a failure (issue 2: never a result, always
 * a failed case); one that is simply missing here is skipped.
 */
export function unavailableOutcome(status: BackendStatus): { outcome: 'error' | 'skipped'; reason: string } {
  const reason = `backend unavailable: ${status.reason ?? 'unknown reason'}${status.remedy ? `; ${status.remedy}` : ''}`;
  return { outcome: status.replacedBy ? 'error' : 'skipped', reason };
}

/** Explains how a worker died, for the case it took down. */
export function describeWorkerDeath(exit: WorkerExit, caseTimeoutSeconds: number, probeTimeoutSeconds: number): string {
  const tail = exit.stderrTail ? `; last stderr: ${exit.stderrTail.split('\n').slice(-3).join(' | ')}` : '';
  if (exit.timedOutCaseId !== undefined) {
    // a suite file's case (<suite>.<case>/...) has its sizes in its file, and may hang in the user's own code
    const remedy = /^[^/]*\./.test(exit.timedOutCaseId) ? "raise --case-timeout, give the case smaller sizes in its suite file, or look for a loop in it that never ends" : 'raise --case-timeout or give smaller --sizes';
    return `watchdog: the case ran longer than ${caseTimeoutSeconds} s and its worker was killed; ${remedy}`;
  }
  if (exit.probeTimedOut) {
    return `watchdog: the backend did not initialise within ${probeTimeoutSeconds} s and its worker was killed${tail}`;
  }
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  return `the backend's worker process ${how} during this case${tail}`;
}

/**
 * Runs planned cases on one backend; every one gets exactly one result
 * through hooks.onCaseResult. Returns the last probe status seen.
 */
export async function runBackend(
  backend: string,
  cases: readonly PlannedCase[],
  budget: HarnessBudget,
  watch: WorkerWatch,
  hooks: BackendRunHooks,
  shouldStop: () => boolean = () => false,
): Promise<BackendStatus | undefined> {
  let remaining: PlannedCase[] = [...cases];
  let lastStatus: BackendStatus | undefined;
  let deathsInARow = 0;
  const settle = (result: CaseResult) => {
    remaining = remaining.filter((c) => c.id !== result.id);
    hooks.onCaseResult(result);
  };

  while (remaining.length > 0 && !shouldStop()) {
    let finishedThisRound = 0;
    let unavailable: BackendStatus | undefined;
    // An error while recording (the result file cannot be written) ends the run: kill the worker, then rethrow.
    let recordError: unknown;
    let killWorker: (() => void) | undefined;
    const exit = await runWorker(
      { backend, probeOnly: false, jobs: jobsOf(remaining), budget, awaitRecorded: true, ...(hooks.slices ? { sliced: true } : {}) },
      (message: WorkerMessage) => {
        if (message.type === 'probe') {
          lastStatus = message.status;
          if (!message.status.available) unavailable = message.status;
        } else if (message.type === 'case-start') {
          hooks.onCaseStart?.(message.id);
        } else if (message.type === 'ready') {
          hooks.slices?.onReady(message.id);
        } else if (message.type === 'slice-done') {
          hooks.slices?.onSliceDone(message.id, message.count);
        } else if (message.type === 'case-result' && recordError === undefined) {
          finishedThisRound++;
          try {
            settle(message.result);
          } catch (error) {
            recordError = error;
            killWorker?.();
          }
        }
      },
      {
        ...watch,
        onSpawn: (kill) => {
          killWorker = kill;
          watch.onSpawn?.(kill);
        },
        ...(hooks.slices ? { onChannel: hooks.slices.onChannel } : {}),
      },
    );
    if (recordError !== undefined) throw recordError;
    if (shouldStop()) break;
    if (unavailable) {
      // Only backends that the run's probe found available get here, so this one went away since (an adapter gone
      // after a driver reset, say): its cases left fail. Skipping them would hide it.
      const reason = `the backend became unavailable during the run: ${unavailable.reason ?? 'unknown reason'}`;
      for (const c of [...remaining]) settle(unrunCase(backend, c, 'error', reason));
      break;
    }
    if (remaining.length === 0) break;
    // The worker ended with cases left: the running one (or, if it died before starting one, the next) takes the blame.
    deathsInARow = finishedThisRound > 0 ? 1 : deathsInARow + 1;
    const culpritId = exit.timedOutCaseId || exit.unfinishedCaseId || remaining[0]!.id;
    const culprit = remaining.find((c) => c.id === culpritId) ?? remaining[0]!;
    settle(unrunCase(backend, culprit, 'error', describeWorkerDeath(exit, watch.caseTimeoutSeconds, watch.probeTimeoutSeconds)));
    if (deathsInARow >= MAX_CONSECUTIVE_WORKER_DEATHS) {
      for (const c of [...remaining]) {
        settle(unrunCase(backend, c, 'error', `not run: the backend's worker died ${deathsInARow} times in a row`));
      }
    }
  }
  return lastStatus;
}
