/**
 * What gpu.js leaves on the table, per backend: gpu.js's best GEMM and STREAM figures beside the hand-written
 * kernels on the same API and device (results/ceiling-gaps.ts), gpu.js as a share of them, and the hand-written
 * kernel as a share of the executing device's own peak (its chip-table entry, or the CPU's estimated FP32 peak,
 * labelled as an estimate). One section for the console, Markdown and HTML alike.
 */
import { gapRate, gapWorkload, runGaps, type CeilingGap } from '../results/ceiling-gaps.js';
import type { CaseResult, GemmCase, RunResult, StreamCase } from '../results/schema.js';
import { formatSi } from '../metrics/units.js';
import { formatShape } from '../metrics/gemm-work.js';
import { bytesLabel, hasCeiling, isCeilingId } from '../results/case-id.js';
import { describeDevice, describeVariant, devicesNote } from './describe.js';
import type { ReportSection } from './report-model.js';

const HEADERS = ['backend', 'workload', 'gpu.js best', 'at', 'hand-written', 'at', 'gpu.js / hand-written', "hand-written's share of the device's peak", 'executed on'];

const rateCell = (c: GemmCase | StreamCase) => (c.workload === 'gemm' ? `${formatSi(gapRate(c), 'FLOP/s')} f32` : `${gapRate(c).toPrecision(3)} GB/s`);
const pointCell = (c: GemmCase | StreamCase) => (c.workload === 'gemm' ? `${formatShape(c.shape)} ${c.timing}, ${describeVariant(c)}` : `${c.kernel}, ${bytesLabel(c.bytes)} arrays`);

/**
 * A case's figure as a share of its device's own peak, with the peak and where it comes from; '-' without one. A CPU
 * estimate is named as one; its derivation is in the chip comparison (chip-comparison.ts).
 */
export function shareOfPeak(c: CaseResult): string {
  const own = c.reference?.ownPeak;
  if (!own) return '-';
  return `${(100 * own.fraction).toPrecision(2)}% of ${formatSi(own.value, own.unit)} (${own.source === 'cpu-estimate' ? 'estimated CPU peak' : own.label})`;
}

/**
 * The row of a gap. Where it has no hand-written figure, the cell says why: its cases failed (`ran` holds
 * backend|workload of every hand-written case in the run), the run had none for it, or the API has no such kernel.
 */
function row(gap: CeilingGap<GemmCase | StreamCase>, ran: Set<string>, deviceColumn: boolean): string[] {
  const { backend, workload, best, ceiling, ofCeiling } = gap;
  const missing = ran.has(`${backend}|${workload}`)
    ? 'failed (see the failed cases)'
    : hasCeiling(backend, best.workload)
      ? 'not in this run'
      : 'none on this API';
  return [
    backend,
    workload,
    rateCell(best),
    pointCell(best),
    ceiling ? rateCell(ceiling) : missing,
    ceiling ? pointCell(ceiling) : '-',
    ofCeiling === undefined ? (ceiling ? 'not at the same point' : '-') : `${(100 * ofCeiling).toPrecision(2)}%`,
    ceiling ? shareOfPeak(ceiling) : '-',
    ...(deviceColumn ? [ceiling?.executed ? describeDevice(ceiling.executed.device) : best.executed ? describeDevice(best.executed.device) : '-'] : []),
  ];
}

/** The section, when the run has a hand-written case; undefined otherwise (a run with --no-ceilings, or an older file). */
export function ceilingSection(run: RunResult): ReportSection | undefined {
  const handWritten = run.cases.filter((c): c is GemmCase | StreamCase => isCeilingId(c.id) && (c.workload === 'gemm' || c.workload === 'stream'));
  if (handWritten.length === 0) return undefined;
  const ran = new Set(handWritten.map((c) => `${c.backend}|${gapWorkload(c)}`));
  const gaps = runGaps(run);
  if (gaps.length === 0) return undefined;
  // each backend's device named once above the table where it can be, not in every row
  const devices = devicesNote(gaps.flatMap((g) => (g.ceiling ? [g.best, g.ceiling] : [g.best])));
  return {
    id: 'ceilings',
    title: 'gpu.js beside hand-written kernels on the same API and device',
    notes: [
      "Per backend and workload: gpu.js's fastest case in this run, and the hand-written kernel (gemm-ceiling/..., stream-ceiling-...) on the same API " +
        '(WebAssembly, WebGL, WebGPU) and device, verified and timed by the same harness. gpu.js / hand-written is given only at the same point (GEMM: shape and ' +
        "timing; STREAM: kernel and array size); the hand-written kernel's share is of the executing device's own peak: its chip-table entry, or for a CPU " +
        'its estimated FP32 peak (STREAM on a CPU has no stated peak). GEMM: f32 FLOP/s, 2MNK over the median time; STREAM: GB/s read plus written.',
      ...(devices ? [devices] : []),
    ],
    table: { headers: devices ? HEADERS.slice(0, -1) : HEADERS, rows: gaps.map((gap) => row(gap, ran, !devices)) },
  };
}
