/**
 * A RunResult in the formats of the tools CI users already have. Only cases
 * that finished ok are exported; each figure keeps its unit and precision
 * in its name, so a chart never shows a bare "TFLOPs".
 *
 * - github-action-benchmark, tool 'customBiggerIsBetter': an array of
 *   { name, unit, value, range?, extra? }, range and extra being strings
 *   (github.com/benchmark-action/github-action-benchmark, "Examples" for
 *   custom benchmarks).
 * - Bencher Metric Format (bencher.dev/docs/reference/bencher-metric-format):
 *   { benchmark: { measure: { value, lower_value?, upper_value? } } }, measure
 *   slugs at most 64 characters. Each case gives its figure (a custom
 *   measure, bigger is better) and the built-in `latency` in nanoseconds.
 *
 * Beside the cases, every hand-written case with a gpu.js case at its point
 * (shape and timing, or array size) gives gpu.js's share of the hand-written
 * figure, in percent (results/ceiling-gaps.ts), named
 * gpujs-share-of-hand-written/<the hand-written case's id>: one point a series.
 */
import type { CaseResult, RunResult } from '../results/schema.js';
import { caseHeadline, executedOn, type CaseHeadline } from '../results/case-facts.js';
import { pointShares, type PointShare } from '../results/ceiling-gaps.js';

export const EXPORT_FORMATS = ['github-action-benchmark', 'bencher'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The case's headline figure with its interval, for a case that was measured. */
function headline(c: CaseResult): CaseHeadline | undefined {
  return c.measurement ? caseHeadline(c) : undefined;
}

export interface GithubActionBenchmarkEntry {
  name: string;
  unit: string;
  value: number;
  range?: string;
  extra?: string;
}

const SHARE_UNIT = "% (gpu.js's fastest kernel at this point / the hand-written kernel on the same API and device)";
const SHARE_MEASURE = 'share-of-hand-written-pct';
const shareName = (s: PointShare) => `gpujs-share-of-hand-written/${s.ceiling.id}`;

/** github-action-benchmark's customBiggerIsBetter input. */
export function toGithubActionBenchmark(run: RunResult): GithubActionBenchmarkEntry[] {
  const shares = pointShares(run).map((s) => ({ name: shareName(s), unit: SHARE_UNIT, value: 100 * s.share, extra: `gpu.js: ${s.gpujs.id}; hand-written: ${s.ceiling.id}` }));
  return [...cases(run), ...shares];
}

function cases(run: RunResult): GithubActionBenchmarkEntry[] {
  return run.cases.flatMap((c) => {
    const h = headline(c);
    if (!h) return [];
    const halfWidth = Math.max(h.value - h.low, h.high - h.value);
    const device = executedOn(c) ?? c.backend;
    const m = c.measurement!;
    const interval = `[${h.low.toPrecision(3)}, ${h.high.toPrecision(3)}]`;
    const over = !h.spreadKnown
      ? 'spread unknown, 1 fork'
      : m.intervalFrom === 'model'
        ? `95% interval over the forks with the run's noise model, ${interval}`
        : `95% interval over the forks, ${interval}`;
    const steady = m.driftingForks > 0 ? `; NOT STEADY in ${m.driftingForks} of ${m.forkCount} forks` : '';
    const range = h.spreadKnown ? { range: `± ${halfWidth.toPrecision(3)}` } : {};
    return [{ name: c.id, unit: h.unitLabel, value: h.value, ...range, extra: `${device}; ${m.forkCount} fork(s), ${m.sampleCount} samples; ${over}${steady}` }];
  });
}

export type BencherMetricFormat = Record<string, Record<string, { value: number; lower_value?: number; upper_value?: number }>>;

/** Bencher Metric Format: each case's figure and its latency (the headline time in ns, with its interval). */
export function toBencherMetricFormat(run: RunResult): BencherMetricFormat {
  const out: BencherMetricFormat = {};
  for (const c of run.cases) {
    const h = headline(c);
    if (!h) continue;
    const m = c.measurement!;
    // an imported rate with no time of its own (a mean over shapes, a copy bandwidth) has no latency to give
    const timed = c.workload !== 'imported' || c.metrics?.timed === true;
    // one process's interval says nothing of the next: no bounds rather than misleading ones
    out[c.id] = h.spreadKnown
      ? {
          [h.measure]: { value: h.value, lower_value: h.low, upper_value: h.high },
          ...(timed ? { latency: { value: m.medianSeconds * 1e9, lower_value: m.medianCi.lowSeconds * 1e9, upper_value: m.medianCi.highSeconds * 1e9 } } : {}),
        }
      : { [h.measure]: { value: h.value }, ...(timed ? { latency: { value: m.medianSeconds * 1e9 } } : {}) };
  }
  for (const s of pointShares(run)) out[shareName(s)] = { [SHARE_MEASURE]: { value: 100 * s.share } };
  return out;
}

export function exportRun(run: RunResult, format: ExportFormat): unknown {
  return format === 'bencher' ? toBencherMetricFormat(run) : toGithubActionBenchmark(run);
}
