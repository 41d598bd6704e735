/**
 * The console view of a RunResult: one row per case with the backend that
 * was asked for, the device that really ran, the shape, the timing mode, the
 * median time, the f32 rate with its 95% interval, and the verification.
 */
import type { CaseResult, CollectiveCase, GemmCase, RunResult, StreamCase } from '../results/schema.js';
import { copyBandwidthIndex, renderStreamTable } from './stream-table.js';
import { renderRingProjection } from './projection-table.js';
import { DEFAULT_ALPHA_SECONDS } from '../metrics/alpha-beta.js';
import type { ChipTable } from '../reference/chips.js';
import { interconnectChips } from '../reference/interconnect.js';
import { renderChipComparison } from './chip-comparison.js';
import { renderCollectiveTables } from './collective-table.js';
import { formatSeconds } from '../metrics/units.js';
import { COLLECTIVE_NOTE, describeDevice, describeEvidence, describeTime, describeRate, describeVariant, describeVerification, EVIDENCE_NOTE, GEMM_NOTE } from './describe.js';
import { renderGemmSummary } from './gemm-summary.js';
import { ceilingSection } from './ceiling-section.js';
import { renderTextTable } from './text-table.js';
import { formatShape } from '../metrics/gemm-work.js';

const HEADERS = ['backend', 'executed on', 'shape (MxNxK)', 'timing', 'kernel', 'time', 'f32 rate (95% CI)', 'evidence', 'verified'];

function caseRow(result: GemmCase): string[] {
  const shape = formatShape(result.shape);
  const device = result.executed ? describeDevice(result.executed.device) : '-';
  const kernel = describeVariant(result);
  if (result.outcome !== 'ok') {
    return [result.backend, device, shape, result.timing, kernel, '-', result.outcome.toUpperCase(), '-', describeVerification(result)];
  }
  return [
    result.backend,
    device,
    shape,
    result.timing,
    kernel,
    describeTime(result),
    describeRate(result),
    describeEvidence(result.measurement),
    describeVerification(result),
  ];
}

/** One progress line for a finished case, e.g. for logs while the run goes on. */
export function caseLine(result: CaseResult): string {
  if (result.workload !== 'gemm') {
    if (result.outcome !== 'ok' || !result.metrics) return `${result.id}: ${result.outcome.toUpperCase()}: ${result.reason ?? ''}`;
    const device = result.executed ? describeDevice(result.executed.device) : '-';
    if (result.workload === 'stream') {
      const m = result.metrics;
      return `${result.id}: ${m.GBps.toPrecision(3)} GB/s (read + written) in ${describeTime(result)} on ${device}, #wrong ${result.wrong} (${describeEvidence(result.measurement)})`;
    }
    return (
      `${result.id}: busbw ${result.metrics.busbwGBps.toPrecision(3)} GB/s, algbw ${result.metrics.algbwGBps.toPrecision(3)} GB/s ` +
      `in ${formatSeconds(result.measurement!.medianSeconds)} on ${device}, #wrong ${result.wrong} (${describeEvidence(result.measurement)})`
    );
  }
  const row = caseRow(result);
  const base = `${result.id}: ${row[6]} in ${row[5]} on ${row[1]}, kernel ${row[4]}, verified ${row[8]} (${row[7]})`;
  return result.outcome === 'ok' ? base : `${result.id}: ${result.outcome.toUpperCase()}: ${result.reason ?? ''}`;
}

/** The table, then the reasons of failed and skipped cases, then backend availability. */
/** Context the report sets measured figures beside: the chip table and the link model's alpha. */
export interface ReportContext {
  chips?: ChipTable;
  alphaSeconds?: number;
}

export function renderConsoleReport(run: RunResult, context: ReportContext = {}): string {
  const lines: string[] = [];
  const gemm = run.cases.filter((c): c is GemmCase => c.workload === 'gemm');
  const streams = run.cases.filter((c): c is StreamCase => c.workload === 'stream');
  const collectives = run.cases.filter((c): c is CollectiveCase => c.workload !== 'gemm' && c.workload !== 'stream');
  if (gemm.length > 0) {
    lines.push(renderTextTable(HEADERS, gemm.map(caseRow)));
    lines.push('', GEMM_NOTE);
    const summary = renderGemmSummary(gemm);
    if (summary) lines.push('', summary);
  }
  if (streams.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(renderStreamTable(streams));
  }
  const ceilings = ceilingSection(run);
  if (ceilings) lines.push('', `# ${ceilings.title}, in this run`, renderTextTable(ceilings.table.headers, ceilings.table.rows), '', ...ceilings.notes);
  if (collectives.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(renderCollectiveTables(collectives, copyBandwidthIndex(streams)));
    lines.push(
      '',
      `${COLLECTIVE_NOTE} ` +
        "busbw / copy bw: busbw as a share of the same backend's STREAM copy bandwidth at the same size (gpu.js's copy kernel; " +
        'hand-written copy: the hand-written kernel on the same API and device, what the API moves there). ' +
        'memory: bytes the kernels read plus write (a reduce 3 pieces, a copy 2) over the median time, the figure to set beside ' +
        'copy bandwidth: all R ranks share one memory here, so an all-reduce moves 5(R-1)S and busbw can reach at most 2/(5R) of copy bandwidth.',
    );
    const projection = context.chips
      ? renderRingProjection(collectives, interconnectChips(context.chips), context.alphaSeconds ?? DEFAULT_ALPHA_SECONDS)
      : undefined;
    if (projection) lines.push('', projection);
  }
  const comparison = context.chips ? renderChipComparison(run.cases, context.chips) : undefined;
  if (comparison) lines.push('', comparison);
  if (run.cases.some((c) => c.measurement)) lines.push('', EVIDENCE_NOTE);
  const unsteady = run.cases.filter((c) => c.measurement && c.measurement.driftingForks > 0);
  if (unsteady.length > 0) {
    lines.push('', `Not steady (a fork's timed samples changed level past 5%; their figure mixes two states): ${unsteady.length} case(s):`);
    for (const c of unsteady) lines.push(`  ${c.id}: ${describeEvidence(c.measurement)}`);
  }
  const moved = run.cases.reduce((n, c) => n + (c.measurement?.movedForks ?? 0), 0);
  if (moved > 0) {
    lines.push(
      '',
      `Not flagged: in ${moved} fork(s) the level moved between time slices only, every slice steady and the warm-up done: ` +
        "the machine's speed between the case's turns, which slices and forks average (docs/reproducibility.md).",
    );
  }
  const problems = run.cases.filter((c) => c.outcome !== 'ok');
  if (problems.length > 0) {
    lines.push('', 'Failed or skipped cases:');
    for (const c of problems) lines.push(`  ${c.id}: ${c.outcome}: ${c.reason ?? 'no reason recorded'}`);
  }
  const unavailable = run.backends.filter((b) => !b.available);
  if (unavailable.length > 0) {
    lines.push('', 'Backends not available here:');
    for (const b of unavailable) lines.push(`  ${b.backend}: ${b.reason ?? ''}${b.remedy ? ` (${b.remedy})` : ''}`);
  }
  return lines.join('\n');
}
