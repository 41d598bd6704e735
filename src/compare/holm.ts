/**
 * The error rate of a whole comparison, not of each case: Holm's step-down
 * procedure (S. Holm, "A simple sequentially rejective multiple test
 * procedure", Scand. J. Statistics 6, 1979) over every claim of every case,
 * through @stdlib/stats-padjust. The chance that any claim of the
 * comparison is wrong is then at most alpha, whatever the dependence
 * between cases.
 *
 * Besides which claims hold, each claim gets the level it was tested at:
 * alpha / (m - r + 1) for the claim of rank r that was rejected, and for the
 * rest the level at which the procedure stopped. An interval drawn at that
 * level lies past (or inside) the threshold exactly when the claim holds.
 */
import padjust from '@stdlib/stats-padjust';

export interface HolmOutcome {
  /** Holm-adjusted p-values, in the order given */
  adjusted: number[];
  /** whether each claim holds at the family's alpha */
  rejected: boolean[];
  /** the one-sided level each claim was tested at */
  levels: number[];
}

export function holm(pValues: readonly number[], alpha: number): HolmOutcome {
  const m = pValues.length;
  if (m === 0) return { adjusted: [], rejected: [], levels: [] };
  const adjusted = padjust([...pValues], 'holm');
  const rejected = adjusted.map((p) => p < alpha);
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const rank = new Array<number>(m);
  order.forEach((o, r) => (rank[o.i] = r + 1));
  const held = rejected.filter(Boolean).length;
  // the step at which the procedure stopped: every claim not rejected was tested (or would have been) at its level
  const stopLevel = alpha / (m - held);
  const levels = pValues.map((_, i) => (rejected[i] ? alpha / (m - rank[i]! + 1) : held === m ? alpha : stopLevel));
  return { adjusted, rejected, levels };
}
