/**
 * Short forms of the console's table cells, for a table that must fit a terminal (fit-width.ts): the device is
 * named once per backend in the summary, not on every row; a kernel's choice, a case's evidence and its
 * verification are shortened, and COMPACT_LEGEND says what the short forms mean. --wide and the reports keep the
 * long forms (describe.ts).
 */
import type { CaseResult, GemmCase, Measurement } from '../results/schema.js';
import { formatSeconds } from '../metrics/units.js';
import { spreadKnown } from '../results/case-facts.js';
import { describeHeadline } from './describe.js';

const CHOICE: Record<string, string> = { reference: '', cached: ' (cached)', autotuned: ' (tuned)', forced: ' (forced)', 'hand-written': ' (hand)' };

/** 'naive', 'c4 (cached)', 'wgsl-8x8x16x8-direct (hand)'. */
export function compactKernel(c: GemmCase): string {
  const v = c.variant;
  if (!v) return 'naive';
  return `${v.id}${CHOICE[v.choice] ?? ` (${v.choice})`}`;
}

/** '6.68 GFLOP/s ±4.1%', '1.21 GFLOP/s ±?' (one process: spread unknown), the outcome when it has no figure. */
export function compactFigure(c: CaseResult): string {
  if (c.outcome !== 'ok' || !c.metrics) return c.outcome.toUpperCase();
  const text = describeHeadline(c);
  return spreadKnown(c.measurement) ? text : text.replace(', spread unknown', ' ±?');
}

/** The median wall-clock time alone (the device's own time is in --wide and the reports). */
export function compactTime(c: CaseResult): string {
  return c.outcome === 'ok' && c.measurement ? formatSeconds(c.measurement.medianSeconds) : '-';
}

/** '3', '3, NOT STEADY 1': the forks, and those whose samples never settled. */
export function compactEvidence(m: Measurement | undefined): string {
  if (!m) return '-';
  return m.driftingForks > 0 ? `${m.forkCount}, NOT STEADY ${m.driftingForks}` : String(m.forkCount);
}

/** 'yes', 'NO', '-'. */
export function compactVerified(c: GemmCase): string {
  return c.verification ? (c.verification.passed ? 'yes' : 'NO') : '-';
}

export const COMPACT_LEGEND =
  'Short forms: ±?: one process, spread unknown; forks: worker processes the figure comes from, NOT STEADY n: forks whose samples ' +
  'changed level; kernel: naive is the gpu.js README kernel, (cached)/(tuned)/(forced) how the tuned variant was chosen, (hand) a ' +
  'hand-written kernel on the same API. Devices are named once, in the summary.';
