/**
 * The measured figures of a run as report sections, each a figure with the
 * table of every number it draws (and of the cases it cannot draw: failed
 * ones, by their reason); a figure is a chart per backend where a backend
 * has several lines (chart-figure.ts):
 * - GEMM: f32 FLOP/s against the work of one call, 2MNK, one line per
 *   timing mode, the tuned kernel's apart from the naive one's;
 * - each collective: busbw against the bytes per rank S, one line per
 *   algorithm (the plot nccl-tests users draw), log-log;
 * - STREAM: bytes read plus written per second against the array size.
 * Each backend's device is named once, above its table.
 */
import { bytesPerSecond, flopsPerSecond, formatSeconds, formatSi } from '../metrics/units.js';
import type { CaseResult, CollectiveCase, GemmCase, StreamCase } from '../results/schema.js';
import { bytesLabel, isCeilingId, isTunedGemmId } from '../results/case-id.js';
import { COLLECTIVE_NOTE, describeDevice, devicesNote, describeEvidence, describeTime, describeRate, describeVariant, describeVerification, describeWithInterval, EVIDENCE_NOTE, GEMM_NOTE } from './describe.js';
import type { ReportSection, RowMark } from './report-model.js';
import { siTick, type LogAxis } from './svg-chart.js';
import { lineFigure } from './chart-figure.js';
import { formatShape, gemmFlop } from '../metrics/gemm-work.js';

const BYTES_AXIS = (title: string): LogAxis => ({ title, base: 2, tick: bytesLabel });
const RATE_AXIS = (title: string): LogAxis => ({ title, base: 10, tick: siTick });

const deviceCell = (c: CaseResult) => (c.executed ? describeDevice(c.executed.device) : '-');
const markOf = (c: CaseResult): RowMark | undefined => (c.outcome === 'ok' ? undefined : 'bad');
const failedCell = (c: CaseResult) => `${c.outcome.toUpperCase()}${c.reason ? `: ${c.reason}` : ''}`;

/**
 * Where the cases ran: each backend's device named once in a note above the table, or, where a backend ran on more
 * than one, an 'executed on' column.
 */
function devices(cases: CaseResult[]): { notes: string[]; header: string[]; cell: (c: CaseResult) => string[] } {
  const note = devicesNote(cases);
  return note ? { notes: [note], header: [], cell: () => [] } : { notes: [], header: ['executed on'], cell: (c) => [deviceCell(c)] };
}

/** The indexes of these headers: the table's long, secondary columns. */
const columnsOf = (headers: string[], names: string[]) => names.map((n) => headers.indexOf(n));

export function gemmSection(cases: GemmCase[]): ReportSection | undefined {
  if (cases.length === 0) return undefined;
  const figure = lineFigure({
    id: 'gemm',
    title: 'f32 GEMM throughput',
    x: RATE_AXIS('work of one call, 2·M·N·K (FLOP, log scale)'),
    y: RATE_AXIS('f32 throughput, median (FLOP/s, log scale)'),
    cases,
    line: (c) => `${c.timing}${isTunedGemmId(c.id) ? ', tuned' : isCeilingId(c.id) ? ', hand-written' : ''}`,
    point: (c) =>
      c.outcome === 'ok' && c.metrics && c.measurement
        ? {
            x: c.metrics.flop,
            y: flopsPerSecond(c.metrics.medianTflops),
            note: `${formatShape(c.shape)}, ${formatSi(flopsPerSecond(c.metrics.medianTflops), 'FLOP/s')} f32, median ${formatSeconds(c.measurement.medianSeconds)}, kernel ${describeVariant(c)}, on ${deviceCell(c)}`,
          }
        : undefined,
  });
  const device = devices(cases);
  const headers = ['backend', 'timing', 'kernel', 'shape (MxNxK)', 'work (FLOP)', ...device.header, 'time', 'f32 rate (95% CI)', 'evidence', 'verified'];
  return {
    id: 'gemm',
    title: 'GEMM, f32: throughput against size',
    notes: [
      GEMM_NOTE,
      EVIDENCE_NOTE,
      'Resident: operands stay on the device, one synchronisation per sample; end-to-end: upload, compute and readback in every sample.',
      ...device.notes,
    ],
    ...(figure ? { figure } : {}),
    table: {
      headers,
      rows: cases.map((c) => [
        c.backend,
        c.timing,
        describeVariant(c),
        formatShape(c.shape),
        siTick(gemmFlop(c.shape)),
        ...device.cell(c),
        describeTime(c),
        c.outcome === 'ok' ? describeRate(c) : failedCell(c),
        describeEvidence(c.measurement),
        describeVerification(c),
      ]),
      marks: cases.map(markOf),
      detailColumns: columnsOf(headers, ['evidence', 'verified']),
    },
  };
}

const COLLECTIVE_NAMES: Record<string, string> = { allreduce: 'All-reduce', reducescatter: 'Reduce-scatter', allgather: 'All-gather' };

/** One section per collective that ran (all-reduce, reduce-scatter, all-gather), in that order. */
export function collectiveSections(cases: CollectiveCase[]): ReportSection[] {
  const workloads = [...new Set(cases.map((c) => c.workload))];
  return workloads.map((workload) => {
    const own = cases.filter((c) => c.workload === workload);
    const name = COLLECTIVE_NAMES[workload] ?? workload;
    const ranks = [...new Set(own.map((c) => c.ranks))].join(', ');
    const timings = new Set(own.map((c) => c.timing));
    const figure = lineFigure({
      id: workload,
      title: `${name} busbw, ${ranks} ranks, f32`,
      x: BYTES_AXIS('message size S (bytes per rank, log scale)'),
      y: RATE_AXIS('busbw, median (B/s, log scale)'),
      cases: own,
      line: (c) => `${c.algorithm}${timings.size > 1 ? ` (${c.timing})` : ''}`,
      point: (c) =>
        c.outcome === 'ok' && c.metrics && c.measurement
          ? {
              x: c.bytes,
              y: bytesPerSecond(c.metrics.busbwGBps),
              note: `S = ${bytesLabel(c.bytes)}, busbw ${c.metrics.busbwGBps.toPrecision(3)} GB/s, algbw ${c.metrics.algbwGBps.toPrecision(3)} GB/s, on ${deviceCell(c)}`,
            }
          : undefined,
    });
    const device = devices(own);
    const headers = ['backend', 'algorithm', 'ranks', 'S (bytes per rank)', ...device.header, 'time', 'algbw (GB/s)', 'busbw (GB/s, 95% CI)', '#wrong', 'evidence'];
    return {
      id: workload,
      title: `${name}, f32, ${ranks} ranks: bus bandwidth against message size`,
      notes: [
        COLLECTIVE_NOTE,
        'All ranks are simulated on one device and share its memory: busbw here measures the kernels and the memory, not an interconnect.',
        ...device.notes,
      ],
      ...(figure ? { figure } : {}),
      table: {
        headers,
        rows: own.map((c) => [
          c.backend,
          c.algorithm,
          String(c.ranks),
          bytesLabel(c.bytes),
          ...device.cell(c),
          c.outcome === 'ok' && c.measurement ? formatSeconds(c.measurement.medianSeconds) : '-',
          c.outcome === 'ok' && c.metrics ? c.metrics.algbwGBps.toPrecision(3) : '-',
          c.outcome === 'ok' && c.metrics
            ? describeWithInterval(c.metrics.busbwGBps, c.metrics.busbwCi, c.measurement)
            : failedCell(c),
          c.wrong === undefined ? '-' : String(c.wrong),
          describeEvidence(c.measurement),
        ]),
        marks: own.map(markOf),
        detailColumns: columnsOf(headers, ['evidence']),
      },
    };
  });
}

export function streamSection(cases: StreamCase[]): ReportSection | undefined {
  if (cases.length === 0) return undefined;
  const kernelLabel = (c: StreamCase) => (isCeilingId(c.id) ? `${c.kernel} (hand-written)` : c.kernel);
  const figure = lineFigure({
    id: 'stream',
    title: 'STREAM bandwidth, f32',
    x: BYTES_AXIS('array size (bytes, log scale)'),
    y: RATE_AXIS('read + written, median (B/s, log scale)'),
    cases,
    line: kernelLabel,
    point: (c) =>
      c.outcome === 'ok' && c.metrics
        ? { x: c.bytes, y: bytesPerSecond(c.metrics.GBps), note: `array ${bytesLabel(c.bytes)}, ${c.metrics.GBps.toPrecision(3)} GB/s read plus written, on ${deviceCell(c)}` }
        : undefined,
  });
  const device = devices(cases);
  const headers = ['backend', 'kernel', 'array (bytes)', ...device.header, 'time', 'GB/s (read + written, 95% CI)', '#wrong', 'evidence'];
  return {
    id: 'stream',
    title: 'Memory bandwidth (STREAM), f32: against array size',
    notes: [
      'STREAM kernels, copy (c = a) and triad (a = b + 3c): bytes read plus written by one call over the median time; 1 GB/s = 1e9 B/s. ' +
        "gpu.js's kernels, and (hand-written) the kernels written by hand on the same API and device (stream-ceiling-... cases).",
      ...device.notes,
    ],
    ...(figure ? { figure } : {}),
    table: {
      headers,
      rows: cases.map((c) => [
        c.backend,
        kernelLabel(c),
        bytesLabel(c.bytes),
        ...device.cell(c),
        describeTime(c),
        c.outcome === 'ok' && c.metrics ? describeWithInterval(c.metrics.GBps, c.metrics.GBpsCi, c.measurement) : failedCell(c),
        c.wrong === undefined ? '-' : String(c.wrong),
        describeEvidence(c.measurement),
      ]),
      marks: cases.map(markOf),
      detailColumns: columnsOf(headers, ['evidence']),
    },
  };
}
