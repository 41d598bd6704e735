/**
 * Picking a GEMM variant for one backend, device, shape and timing mode:
 * every candidate is compiled, run once and verified against the float64
 * reference, then timed briefly; the fastest verified one wins. A variant
 * that fails to compile, gives a wrong result or cannot run the shape is
 * recorded with its reason and is never chosen.
 *
 * The trial timing is short (a few calls, the minimum taken: the least
 * disturbed call on a shared machine); the chosen variant is then measured
 * like every case, with the profile's budget.
 */
import type { GemmVariantId } from './variants.js';
import { errorLine } from '../../errors/error-message.js';

/** What one candidate did in the trial. */
export type TrialOutcome = { ok: true; seconds: number } | { ok: false; reason: string };

export interface CandidateRecord {
  variant: GemmVariantId;
  outcome: 'ok' | 'failed';
  /** the fastest trial call, seconds (ok only) */
  trialSeconds?: number;
  /** why it was not a candidate (failed only) */
  reason?: string;
}

export interface TuningResult {
  /** undefined when no candidate verified */
  chosen: GemmVariantId | undefined;
  candidates: CandidateRecord[];
}

/** Tries each candidate in turn (one at a time: they share the device) and picks the fastest that verified. */
export async function autotune(candidates: readonly GemmVariantId[], trial: (variant: GemmVariantId) => Promise<TrialOutcome>): Promise<TuningResult> {
  const records: CandidateRecord[] = [];
  for (const variant of candidates) {
    let outcome: TrialOutcome;
    try {
      outcome = await trial(variant);
    } catch (error) {
      outcome = { ok: false, reason: errorLine(error) };
    }
    records.push(outcome.ok ? { variant, outcome: 'ok', trialSeconds: outcome.seconds } : { variant, outcome: 'failed', reason: outcome.reason });
  }
  const ok = records.filter((r) => r.outcome === 'ok');
  const best = ok.reduce<CandidateRecord | undefined>((a, b) => (!a || b.trialSeconds! < a.trialSeconds! ? b : a), undefined);
  return { chosen: best?.variant, candidates: records };
}
