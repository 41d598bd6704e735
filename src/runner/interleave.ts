/**
 * Interleaved runs (`chipbench run --against DIR`): the base build's worker
 * and ours run the same cases of a backend side by side, and every case is
 * sampled in slices that alternate between the two, A-B, B-A, A-B, ...
 * (ABBA, so that a steady drift falls on both alike). Slice i
 * of the two sides is taken back to back, within tens of milliseconds, so a
 * slower spell of a shared machine hits both or neither. Measured here: the
 * same build run twice, minutes apart, differs by 15-30% per case, because
 * such spells last seconds to minutes (docs/figures.md, "Can the regression gate be
 * trusted here?"); this is the design that asv's `continuous` and Chromium's
 * Pinpoint approximate by alternating whole runs. The pairing of the two
 * sides' cases and slices is slice-coordinator.ts.
 */
import type { HarnessBudget } from '../config/profiles.js';
import type { BackendStatus, CaseResult } from '../results/schema.js';
import type { PlannedCase } from '../plan/plan.js';
import { runBackend } from './run-backend.js';
import { SliceCoordinator, type Side, type SlicePlan } from './slice-coordinator.js';
import type { WorkerWatch } from './spawn-worker.js';

export interface InterleavedSide {
  watch: WorkerWatch;
  onCaseStart?: (id: string) => void;
  onCaseResult: (result: CaseResult) => void;
}

/**
 * Runs one backend's cases on both builds at once, alternating slices of
 * every case. Returns each side's last probe status.
 */
export async function runBackendInterleaved(
  backend: string,
  /** each side's cases: the same cases, each side's tuned kernels pinned to its own earlier choice */
  cases: (side: Side) => readonly PlannedCase[],
  budget: HarnessBudget,
  plan: Omit<SlicePlan, 'order'>,
  /** a side that cannot run this backend is undefined: the other then samples every case alone */
  sides: Record<Side, InterleavedSide | undefined>,
  shouldStop: () => boolean,
): Promise<Record<Side, BackendStatus | undefined>> {
  const coordinator = new SliceCoordinator({ ...plan, order: cases('head').map((c) => c.id) });
  const runSide = async (side: Side) => {
    const run = sides[side];
    if (!run) {
      coordinator.finish(side);
      return undefined;
    }
    try {
      return await runBackend(
        backend,
        cases(side),
        budget,
        run.watch,
        {
          ...(run.onCaseStart ? { onCaseStart: run.onCaseStart } : {}),
          onCaseResult: (result) => {
            const first = coordinator.tookFirstSlice(side, result.id);
            const m = result.measurement;
            const fork = m?.forks[0];
            run.onCaseResult(
              m && fork?.slices && first !== undefined ? ({ ...result, measurement: { ...m, forks: [{ ...fork, tookFirstSlice: first }] } } as CaseResult) : result,
            );
            coordinator.settle(side, result.id);
          },
          slices: coordinator.hooksFor(side),
        },
        shouldStop,
      );
    } finally {
      coordinator.finish(side);
    }
  };
  // both sides always run to their end: one side's error (its file cannot be written) must not leave the other's worker waiting
  const [base, head] = await Promise.allSettled([runSide('base'), runSide('head')]);
  for (const outcome of [base, head]) if (outcome.status === 'rejected') throw outcome.reason;
  return { base: (base as PromiseFulfilledResult<BackendStatus | undefined>).value, head: (head as PromiseFulfilledResult<BackendStatus | undefined>).value };
}
