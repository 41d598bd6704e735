/**
 * The answer first: what a newcomer came to ask, per backend and the device that really ran it, before any
 * detailed table. For each: gpu.js's best f32 GEMM beside the hand-written kernel on the same API (the ceiling)
 * and gpu.js's share of it; the best STREAM bandwidth, likewise; the all-reduce's peak busbw; and the nearest
 * chip of the chip table at the same precision (f32 against FP32 non-tensor peaks, bandwidth against memory
 * bandwidth). Then the run's verdict against its base, where it has one, and its failures. One model for the
 * console (console-summary.ts), Markdown and HTML (summarySection).
 */
import { gapRate, gemmGaps, streamGaps, type CeilingGap } from '../results/ceiling-gaps.js';
import type { CaseResult, CollectiveCase, GemmCase, KernelCase, RunResult, StreamCase } from '../results/schema.js';
import { kernelName } from './kernel-section.js';
import { isCollective, isImported } from '../results/schema.js';
import { importedSummaryLines } from './imported-sections.js';
import type { ChipTable } from '../reference/chips.js';
import { formatDuration, formatSi } from '../metrics/units.js';
import { formatShape } from '../metrics/gemm-work.js';
import { bytesLabel, hasCeiling } from '../results/case-id.js';
import { describeDevice, describeHeadline, describeShare as percent } from './describe.js';
import type { ReportSection } from './report-model.js';

/** What the summary's figures are, said once under its title. */
export const SUMMARY_NOTE =
  "f32; ±: 95% interval; hand-written: on the same API; vs chips: the nearest chip's FP32 non-tensor peak or memory.";

/** The note of a file of imported figures: no f32 and no ceiling, each at the precision its tool names. */
const IMPORTED_NOTE = "imported: each figure at the precision its tool names; busbw is nccl-tests'; vs chips: the figure's own chip, at that precision.";

/** One answer: 'GEMM', then its text. */
export interface SummaryLine {
  label: string;
  text: string;
  /** the figure the line leads with, '6.68 GFLOP/s ±4.1%', for a shorter restatement (console-summary.ts) */
  figure?: string;
}

export interface BackendSummary {
  backend: string;
  /** the device that really ran the backend's cases, as describeDevice names it */
  device: string;
  lines: SummaryLine[];
}

export interface RunSummary {
  /** '94 cases on 4 backends, 0 failed; profile standard; 2m04s' */
  overview: string;
  /** what the figures are: SUMMARY_NOTE for a run; for a file of imported figures, IMPORTED_NOTE */
  note: string;
  backends: BackendSummary[];
  /** 'headlessgl: no DISPLAY ...' for each backend that did not run */
  unavailable: string[];
  /** the comparison's counts and what they mean for the gate, when the run has a base */
  verdict?: string;
  /** the failed and skipped cases, by id with the reason */
  failures: string[];
}


/** A gap's hand-written side: its rate and gpu.js's share, or why there is none. */
function ceilingText(gap: CeilingGap<GemmCase | StreamCase>, unit: string, rate: (c: GemmCase | StreamCase) => string): string {
  if (!gap.ceiling) return hasCeiling(gap.backend, gap.best.workload === 'gemm' ? 'gemm' : 'stream') ? 'hand-written: did not run' : 'no hand-written kernel on this API';
  const share = gap.ofCeiling === undefined ? 'not at the same point' : `gpu.js ${percent(gap.ofCeiling)} of it`;
  return `hand-written ${rate(gap.ceiling)}${unit}: ${share}`;
}

/** gpu.js's best GEMM of a backend beside its ceiling, and its best STREAM (copy or triad) beside its ceiling. */
function bestGaps(gemm: GemmCase[], streams: StreamCase[]): { gemm?: CeilingGap<GemmCase>; stream?: CeilingGap<StreamCase> } {
  const gemmGap = gemmGaps(gemm)[0];
  const streamGap = streamGaps(streams).reduce<CeilingGap<StreamCase> | undefined>((a, b) => (!a || gapRate(b.best) > gapRate(a.best) ? b : a), undefined);
  return { ...(gemmGap ? { gemm: gemmGap } : {}), ...(streamGap ? { stream: streamGap } : {}) };
}

function gemmLine(gap: CeilingGap<GemmCase> | undefined): SummaryLine | undefined {
  if (!gap) return undefined;
  const best = gap.best;
  const kernel = best.variant?.id ?? 'naive';
  const figure = describeHeadline(best);
  const text = `${figure} gpu.js ${kernel}, ${formatShape(best.shape)} ${best.timing}; ${ceilingText(gap, '', (c) => formatSi(gapRate(c), 'FLOP/s'))}`;
  return { label: 'GEMM f32', text, figure };
}

function streamLine(gap: CeilingGap<StreamCase> | undefined): SummaryLine | undefined {
  if (!gap) return undefined;
  const best = gap.best;
  const text = `${describeHeadline(best)} gpu.js ${best.kernel}, ${bytesLabel(best.bytes)}; ${ceilingText(gap, ' GB/s', (c) => gapRate(c).toPrecision(3))}`;
  return { label: 'STREAM f32', text };
}

function allReduceLine(cases: CollectiveCase[]): SummaryLine | undefined {
  const ok = cases.filter((c) => c.workload === 'allreduce' && c.outcome === 'ok' && c.metrics);
  if (ok.length === 0) return undefined;
  const best = ok.reduce((a, b) => (b.metrics!.busbwGBps > a.metrics!.busbwGBps ? b : a));
  const text = `busbw ${describeHeadline(best)}, algbw ${best.metrics!.algbwGBps.toPrecision(3)} GB/s (${best.algorithm}, ${best.ranks} ranks in one process, ${bytesLabel(best.bytes)})`;
  return { label: 'all-reduce', text };
}

/** The chip of the table whose figure lies nearest the case's (the largest share), at the case's precision. */
function nearestChip(c: CaseResult | undefined, chips: ChipTable | undefined, what: string): string | undefined {
  const compared = c?.reference?.chips.filter((x) => x.fraction && x.reference) ?? [];
  if (compared.length === 0) return undefined;
  const nearest = compared.reduce((a, b) => (b.fraction!.low > a.fraction!.low ? b : a));
  const name = chips?.chips.find((chip) => chip.id === nearest.chip)?.name ?? nearest.chip;
  const unit = c!.reference!.measured.unit;
  return `${percent(nearest.fraction!.low)} of ${name} ${what} (${formatSi(nearest.reference!.low, unit)})`;
}

/** gpu.js's best figures (never a hand-written kernel's: gaps' best is gpu.js's) beside the nearest chips. */
function chipsLine(gaps: ReturnType<typeof bestGaps>, chips: ChipTable | undefined): SummaryLine | undefined {
  const parts = [nearestChip(gaps.gemm?.best, chips, 'FP32'), nearestChip(gaps.stream?.best, chips, 'memory')];
  const text = [parts[0] && `GEMM ${parts[0]}`, parts[1] && `STREAM ${parts[1]}`].filter(Boolean).join('; ');
  return text ? { label: 'vs chips', text } : undefined;
}

/** The suite kernels shown per backend before the rest are counted: a summary stays a screenful. */
const MAX_KERNEL_LINES = 6;

/** Each suite case's figure at its largest size (the last of its sweep that ran), one line a case. */
function kernelLines(cases: KernelCase[]): SummaryLine[] {
  const byCase = new Map<string, KernelCase>();
  for (const c of cases) if (c.outcome === 'ok' && c.metrics) byCase.set(kernelName(c), c);
  const lines = [...byCase].map(([name, c]) => ({ label: name, text: `${describeHeadline(c)} at ${c.size.label}` }));
  if (lines.length <= MAX_KERNEL_LINES) return lines;
  return [...lines.slice(0, MAX_KERNEL_LINES), { label: 'suite kernels', text: `${lines.length - MAX_KERNEL_LINES} more in the details` }];
}

function backendSummary(backend: string, run: RunResult, chips: ChipTable | undefined): BackendSummary {
  const cases = run.cases.filter((c) => c.backend === backend);
  const gaps = bestGaps(
    cases.filter((c): c is GemmCase => c.workload === 'gemm'),
    cases.filter((c): c is StreamCase => c.workload === 'stream'),
  );
  const collectives = cases.filter(isCollective);
  const executed = cases.find((c) => c.executed)?.executed;
  const lines = [gemmLine(gaps.gemm), streamLine(gaps.stream), allReduceLine(collectives), chipsLine(gaps, chips), ...kernelLines(cases.filter((c): c is KernelCase => c.workload === 'kernel'))].filter(
    (l): l is SummaryLine => l !== undefined,
  );
  const failed = cases.filter((c) => c.outcome !== 'ok').length;
  if (lines.length === 0) lines.push({ label: 'no figure', text: failed > 0 ? `all ${failed} case(s) failed or were skipped` : 'no case ran' });
  return { backend, device: executed ? describeDevice(executed.device) : 'device unknown (no case ran)', lines };
}

export interface SummaryInputs {
  chips?: ChipTable;
  /** the comparison's one-line counts and exit, when the run has a base */
  verdict?: string;
}


export function summariseRun(run: RunResult, inputs: SummaryInputs = {}): RunSummary {
  const ran = run.backends.filter((b) => b.available).map((b) => b.backend);
  const problems = run.cases.filter((c) => c.outcome !== 'ok');
  const seconds = run.finishedAt ? (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000 : undefined;
  const overview = [
    run.backends.length === 0 && run.cases.length > 0
      ? `${run.cases.length} imported cases, ${problems.length} failed`
      : `${run.cases.length} cases on ${ran.length} backend${ran.length === 1 ? '' : 's'}, ${problems.length} failed or skipped`,
    `profile ${run.options.profile}`,
    ...(seconds !== undefined && Number.isFinite(seconds) ? [formatDuration(seconds * 1000)] : []),
    ...(run.status !== 'complete' ? [`${run.status}: not every planned case ran`] : []),
  ].join('; ');
  const imported = run.cases.filter(isImported);
  const tools = [...new Set(imported.map((c) => c.backend))];
  const importedSummaries = tools.map((tool): BackendSummary => {
    const own = imported.filter((c) => c.backend === tool);
    const lines = importedSummaryLines(own);
    const devices = [...new Set(own.flatMap((c) => (c.executed ? [c.executed.device.name] : [])))].join(', ');
    return { backend: `${tool} (imported)`, device: devices || 'devices not printed', lines: lines.length > 0 ? lines : [{ label: 'no figure', text: `all ${own.length} case(s) failed` }] };
  });
  return {
    overview,
    note: run.backends.length === 0 && imported.length > 0 ? IMPORTED_NOTE : SUMMARY_NOTE,
    backends: [...ran.map((b) => backendSummary(b, run, inputs.chips)), ...importedSummaries],
    unavailable: run.backends.filter((b) => !b.available).map((b) => `${b.backend}: ${b.reason ?? 'unavailable'}`),
    ...(inputs.verdict ? { verdict: inputs.verdict } : {}),
    failures: problems.map((c) => `${c.id}: ${c.outcome}: ${c.reason ?? 'no reason recorded'}`),
  };
}

/** The summary as the first section of a report: one row per backend, the device named once. */
export function summarySection(summary: RunSummary): ReportSection {
  const labels = [...new Set(summary.backends.flatMap((b) => b.lines.map((l) => l.label)))];
  const rows = summary.backends.map((b) => [`${b.backend} on ${b.device}`, ...labels.map((label) => b.lines.find((l) => l.label === label)?.text ?? '-')]);
  const notes = [
    `${summary.overview}. ${summary.note}`,
    ...(summary.verdict ? [`Against the base: ${summary.verdict}`] : []),
    ...(summary.unavailable.length > 0 ? [`Not available here: ${summary.unavailable.join('; ')}.`] : []),
    ...(summary.failures.length > 0 ? [`Failed or skipped: ${summary.failures.slice(0, 3).join('; ')}${summary.failures.length > 3 ? `; and ${summary.failures.length - 3} more (see "Failed or skipped cases")` : ''}.`] : []),
  ];
  return { id: 'summary', title: 'Summary', notes, table: { headers: ['backend and device', ...labels], rows } };
}
