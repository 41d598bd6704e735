/**
 * The console view of a RunResult: the summary first (console-summary.ts), then the detailed tables: GEMM (one
 * row per case: backend, shape, timing, kernel, time, f32 rate with its 95% interval, forks, verification), the
 * GEMM gain, STREAM, gpu.js beside the hand-written kernels, the collectives, the chips, and what was not steady
 * or failed. Every line fits the width (the terminal's columns, 120 when it is not a terminal): the device is
 * named once per backend in the summary, cells take their short forms (compact-cells.ts) and tables leave out
 * their least needed columns, saying which. Width Infinity (--wide) prints every column in full.
 */
import type { CaseResult, CollectiveCase, GemmCase, RunResult, StreamCase } from '../results/schema.js';
import { isCollective } from '../results/schema.js';
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
import { cutLine, renderFittedTable, wrapText } from './fit-width.js';
import { formatShape } from '../metrics/gemm-work.js';
import { COMPACT_LEGEND, compactEvidence, compactFigure, compactKernel, compactTime, compactVerified } from './compact-cells.js';
import { renderClosingLines, renderConsoleSummary } from './console-summary.js';
import { summariseRun } from './run-summary.js';
import { caseHeadline } from '../results/case-facts.js';

const HEADERS = ['backend', 'executed on', 'shape (MxNxK)', 'timing', 'kernel', 'time', 'f32 rate (95% CI)', 'evidence', 'verified'];
const COMPACT_HEADERS = ['backend', 'shape (MxNxK)', 'timing', 'kernel', 'time', 'f32 rate (95% CI)', 'forks', 'verified'];

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

const compactRow = (c: GemmCase) => [c.backend, formatShape(c.shape), c.timing, compactKernel(c), compactTime(c), compactFigure(c), compactEvidence(c.measurement), compactVerified(c)];

/** One progress line for a finished case, e.g. for logs while the run goes on. */
export function caseLine(result: CaseResult): string {
  if (result.workload !== 'gemm') {
    if (result.outcome !== 'ok' || !result.metrics) return `${result.id}: ${result.outcome.toUpperCase()}: ${result.reason ?? ''}`;
    if (result.workload === 'imported') return `${result.id}: ${result.metrics.name} ${result.metrics.value.toPrecision(4)} ${result.metrics.unit} (${result.source.tool})`;
    const device = result.executed ? describeDevice(result.executed.device) : '-';
    if (result.workload === 'kernel') {
      const headline = caseHeadline(result);
      return `${result.id}: ${headline ? `${headline.value.toPrecision(4)} ${headline.unitLabel}` : '-'} in ${describeTime(result)} on ${device}, #wrong ${result.verification?.wrong ?? '-'} (${describeEvidence(result.measurement)})`;
    }
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

/** Context the report sets measured figures beside, and how it is laid out. */
export interface ReportContext {
  chips?: ChipTable;
  alphaSeconds?: number;
  /** columns every line must fit in; Infinity (the default, and --wide) prints every column in full */
  width?: number;
  /** the comparison with the base in one line, for the summary, when the run has one */
  verdict?: string;
}

function gemmPart(gemm: GemmCase[], width: number): string[] {
  const compact = Number.isFinite(width);
  const table = compact
    ? renderFittedTable(COMPACT_HEADERS, gemm.map(compactRow), width, { drop: [7, 6, 4], shrink: [3] })
    : renderTextTable(HEADERS, gemm.map(caseRow));
  const summary = renderGemmSummary(gemm, width);
  return [table, '', wrapText(GEMM_NOTE, width), ...(summary ? ['', summary] : [])];
}

function collectivePart(collectives: CollectiveCase[], streams: StreamCase[], context: ReportContext, width: number): string[] {
  const lines = [renderCollectiveTables(collectives, copyBandwidthIndex(streams), width)];
  lines.push(
    '',
    wrapText(
      `${COLLECTIVE_NOTE} ` +
        "busbw / copy bw: busbw as a share of the same backend's STREAM copy bandwidth at the same size (gpu.js's copy kernel; " +
        'hand-written copy: the hand-written kernel on the same API and device, what the API moves there). ' +
        'memory: bytes the kernels read plus write (a reduce 3 pieces, a copy 2) over the median time, the figure to set beside ' +
        'copy bandwidth: all R ranks share one memory here, so an all-reduce moves 5(R-1)S and busbw can reach at most 2/(5R) of copy bandwidth.',
      width,
    ),
  );
  const projection = context.chips
    ? renderRingProjection(collectives, interconnectChips(context.chips), context.alphaSeconds ?? DEFAULT_ALPHA_SECONDS, width)
    : undefined;
  if (projection) lines.push('', projection);
  return lines;
}

/** What was not steady, what moved with the machine, what failed and which backends were missing. */
function closingPart(run: RunResult, width: number): string[] {
  const lines: string[] = [];
  const unsteady = run.cases.filter((c) => c.measurement && c.measurement.driftingForks > 0);
  if (unsteady.length > 0) {
    lines.push('', wrapText(`Not steady (a fork's timed samples changed level past 5%; their figure mixes two states): ${unsteady.length} case(s):`, width));
    for (const c of unsteady) lines.push(cutLine(`  ${c.id}: ${describeEvidence(c.measurement)}`, width));
  }
  const moved = run.cases.reduce((n, c) => n + (c.measurement?.movedForks ?? 0), 0);
  if (moved > 0) {
    const text =
      `Not flagged: in ${moved} fork(s) the level moved between time slices only, every slice steady and the warm-up done: ` +
      "the machine's speed between the case's turns, which slices and forks average (docs/reproducibility.md).";
    lines.push('', wrapText(text, width));
  }
  const problems = run.cases.filter((c) => c.outcome !== 'ok');
  if (problems.length > 0) {
    lines.push('', 'Failed or skipped cases:');
    for (const c of problems) lines.push(wrapText(`  ${c.id}: ${c.outcome}: ${c.reason ?? 'no reason recorded'}`, width));
  }
  const unavailable = run.backends.filter((b) => !b.available);
  if (unavailable.length > 0) {
    lines.push('', 'Backends not available here:');
    for (const b of unavailable) lines.push(wrapText(`  ${b.backend}: ${b.reason ?? ''}${b.remedy ? ` (${b.remedy})` : ''}`, width));
  }
  return lines;
}

export function renderConsoleReport(run: RunResult, context: ReportContext = {}): string {
  const width = context.width ?? Infinity;
  const summary = summariseRun(run, { ...(context.chips ? { chips: context.chips } : {}), ...(context.verdict ? { verdict: context.verdict } : {}) });
  const lines: string[] = [renderConsoleSummary(summary, width), '', '# Details'];
  if (Number.isFinite(width)) lines.push(wrapText(COMPACT_LEGEND, width));
  const gemm = run.cases.filter((c): c is GemmCase => c.workload === 'gemm');
  const streams = run.cases.filter((c): c is StreamCase => c.workload === 'stream');
  const collectives = run.cases.filter(isCollective);
  if (gemm.length > 0) lines.push('', ...gemmPart(gemm, width));
  if (streams.length > 0) lines.push('', renderStreamTable(streams, width));
  const ceilings = ceilingSection(run);
  if (ceilings) {
    const fit = { drop: [8, 5, 7, 3], shrink: [3] };
    lines.push('', cutLine(`# ${ceilings.title}, in this run`, width), renderFittedTable(ceilings.table.headers, ceilings.table.rows, width, fit), '', wrapText(ceilings.notes.join('\n'), width));
  }
  if (collectives.length > 0) lines.push('', ...collectivePart(collectives, streams, context, width));
  const comparison = context.chips ? renderChipComparison(run.cases, context.chips, width) : undefined;
  if (comparison) lines.push('', comparison);
  if (run.cases.some((c) => c.measurement)) lines.push('', wrapText(EVIDENCE_NOTE, width));
  lines.push(...closingPart(run, width));
  lines.push('', renderClosingLines(summary, width));
  return lines.join('\n');
}
