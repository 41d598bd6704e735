/**
 * One case's results from its forks (one worker process each), merged into
 * the case the result file records. The forks must agree on what ran: the
 * same device and, for a tuned GEMM case, the same kernel variant; a fork
 * that failed fails the case (with the fork named), since a figure from the
 * forks that happened to work would hide a flaky kernel.
 */
import { headlineOf } from '../harness/forks.js';
import { withMeasurement } from '../results/case-figures.js';
import type { CaseResult } from '../results/schema.js';

/** What executed a case, for the forks' agreement. */
function executedOf(c: CaseResult): string {
  const variant = c.workload === 'gemm' ? ` running ${c.variant?.id ?? 'naive'}` : '';
  return c.executed ? `${c.executed.backend} on ${c.executed.device.name}${variant}` : `unknown${variant}`;
}

/** The case's record without its figures: what a failed case keeps. */
function withoutFigures(c: CaseResult): Omit<CaseResult, 'measurement' | 'reference'> {
  const { measurement: _m, metrics: _x, reference: _r, ...rest } = c as CaseResult & { metrics?: unknown };
  return rest;
}

/**
 * The case from its forks so far, in the order they ran (at least one). `planned` is the number of forks the run
 * will take, for the messages.
 */
export function mergeForks(forks: readonly CaseResult[], planned: number): CaseResult {
  const first = forks[0];
  if (!first) throw new RangeError('a case needs at least one fork');
  const failed = forks.findIndex((f) => f.outcome !== 'ok');
  const wallSeconds = forks.reduce((a, f) => a + f.wallSeconds, 0);
  if (failed >= 0) {
    const f = forks[failed]!;
    // an adaptive interleaved run adds fork pairs past the planned ones
    const which = planned > 1 || forks.length > 1 ? `fork ${failed + 1}${failed < planned ? ` of ${planned}` : ', an added pair'}: ` : '';
    // a fork that failed keeps its own record (executed, verification), but no figure from the others
    return { ...withoutFigures(f), wallSeconds, reason: `${which}${f.reason ?? f.outcome}` } as CaseResult;
  }
  const odd = forks.findIndex((f) => executedOf(f) !== executedOf(first));
  if (odd >= 0) {
    return {
      ...withoutFigures(first),
      outcome: 'error',
      wallSeconds,
      reason: `fork ${odd + 1} ran ${executedOf(forks[odd]!)}, fork 1 ${executedOf(first)}: the forks did not measure the same thing, so no figure is reported`,
    } as CaseResult;
  }
  const measurement = headlineOf(forks.flatMap((f) => f.measurement!.forks));
  return { ...withMeasurement(first, measurement), wallSeconds };
}
