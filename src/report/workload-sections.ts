/**
 * The measured figures of a run as report sections, each a chart with the
 * table of every number it draws (and of the cases it cannot draw: failed
 * ones, by their reason):
 * - GEMM: f32 FLOP/s against the work of one call, 2MNK, one line per
 *   backend and timing mode, the tuned kernel's apart from the naive one's;
 * - each collective: busbw against the bytes per rank S, one line per
 *   backend and algorithm (the plot nccl-tests users draw), log-log;
 * - STREAM: bytes read plus written per second against the array size.
 */
import { bytesPerSecond, flopsPerSecond, formatSeconds, formatSi } from '../metrics/units.js';
import type { CaseResult, CollectiveCase, GemmCase, StreamCase } from '../results/schema.js';
import { bytesLabel, isCeilingId, isTunedGemmId } from '../results/case-id.js';
import { COLLECTIVE_NOTE, describeDevice, describeEvidence, describeTime, describeRate, describeVariant, describeVerification, describeWithInterval, EVIDENCE_NOTE, GEMM_NOTE } from './describe.js';
import type { ReportSection, RowMark } from './report-model.js';
import { drawable, siTick, type ChartSeries, type LogAxis } from './svg-chart.js';
import { formatShape, gemmFlop } from '../metrics/gemm-work.js';

const BYTES_AXIS = (title: string): LogAxis => ({ title, base: 2, tick: bytesLabel });
const RATE_AXIS = (title: string): LogAxis => ({ title, base: 10, tick: siTick });

const deviceCell = (c: CaseResult) => (c.executed ? describeDevice(c.executed.device) : '-');
const markOf = (c: CaseResult): RowMark | undefined => (c.outcome === 'ok' ? undefined : 'bad');
const failedCell = (c: CaseResult) => `${c.outcome.toUpperCase()}${c.reason ? `: ${c.reason}` : ''}`;

/** A section's chart, when it has a series to draw (a run whose cases all failed has none: its table says why). */
function lineChartOf(id: string, title: string, x: LogAxis, y: LogAxis, series: ChartSeries[]): Pick<ReportSection, 'chart'> {
  return series.length > 0 ? { chart: { kind: 'line', id, title, x, y, series } } : {};
}

/**
 * Groups points into series by a name, in the order the names first appear. A point a log axis cannot show (a
 * rate of 0, or one that overflows to Infinity once scaled, which a result file may hold) is left to the table; with no point left there is no chart.
 */
function seriesOf<T>(items: T[], name: (item: T) => string, point: (item: T) => ChartSeries['points'][number] | undefined): ChartSeries[] {
  const byName = new Map<string, ChartSeries>();
  for (const item of items) {
    const p = point(item);
    if (!p || !drawable(p.x) || !drawable(p.y)) continue;
    const key = name(item);
    if (!byName.has(key)) byName.set(key, { name: key, points: [] });
    byName.get(key)!.points.push(p);
  }
  return [...byName.values()];
}

export function gemmSection(cases: GemmCase[]): ReportSection | undefined {
  if (cases.length === 0) return undefined;
  const series = seriesOf(
    cases,
    (c) => `${c.backend} (${c.timing}${isTunedGemmId(c.id) ? ', tuned' : isCeilingId(c.id) ? ', hand-written' : ''})`,
    (c) =>
      c.outcome === 'ok' && c.metrics && c.measurement
        ? {
            x: c.metrics.flop,
            y: flopsPerSecond(c.metrics.medianTflops),
            note: `${formatShape(c.shape)}, ${formatSi(flopsPerSecond(c.metrics.medianTflops), 'FLOP/s')} f32, median ${formatSeconds(c.measurement.medianSeconds)}, kernel ${describeVariant(c)}, on ${deviceCell(c)}`,
          }
        : undefined,
  );
  return {
    id: 'gemm',
    title: 'GEMM, f32: throughput against size',
    notes: [
      GEMM_NOTE,
      EVIDENCE_NOTE,
      'Resident: operands stay on the device, one synchronisation per sample; end-to-end: upload, compute and readback in every sample.',
    ],
    ...lineChartOf(
      'gemm',
      'f32 GEMM throughput by backend',
      RATE_AXIS('work of one call, 2·M·N·K (FLOP, log scale)'),
      RATE_AXIS('f32 throughput, median (FLOP/s, log scale)'),
      series,
    ),
    table: {
      headers: ['backend', 'timing', 'kernel', 'shape (MxNxK)', 'work (FLOP)', 'executed on', 'time', 'f32 rate (95% CI)', 'evidence', 'verified'],
      rows: cases.map((c) => [
        c.backend,
        c.timing,
        describeVariant(c),
        formatShape(c.shape),
        siTick(gemmFlop(c.shape)),
        deviceCell(c),
        describeTime(c),
        c.outcome === 'ok' ? describeRate(c) : failedCell(c),
        describeEvidence(c.measurement),
        describeVerification(c),
      ]),
      marks: cases.map(markOf),
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
    const series = seriesOf(
      own,
      (c) => `${c.backend} ${c.algorithm}${timings.size > 1 ? ` (${c.timing})` : ''}`,
      (c) =>
        c.outcome === 'ok' && c.metrics && c.measurement
          ? {
              x: c.bytes,
              y: bytesPerSecond(c.metrics.busbwGBps),
              note: `S = ${bytesLabel(c.bytes)}, busbw ${c.metrics.busbwGBps.toPrecision(3)} GB/s, algbw ${c.metrics.algbwGBps.toPrecision(3)} GB/s, on ${deviceCell(c)}`,
            }
          : undefined,
    );
    return {
      id: workload,
      title: `${name}, f32, ${ranks} ranks: bus bandwidth against message size`,
      notes: [
        COLLECTIVE_NOTE,
        'All ranks are simulated on one device and share its memory: busbw here measures the kernels and the memory, not an interconnect.',
      ],
      ...lineChartOf(
        workload,
        `${name} busbw by backend and algorithm, ${ranks} ranks, f32`,
        BYTES_AXIS('message size S (bytes per rank, log scale)'),
        RATE_AXIS('busbw, median (B/s, log scale)'),
        series,
      ),
      table: {
        headers: ['backend', 'algorithm', 'ranks', 'S (bytes per rank)', 'executed on', 'time', 'algbw (GB/s)', 'busbw (GB/s, 95% CI)', '#wrong', 'evidence'],
        rows: own.map((c) => [
          c.backend,
          c.algorithm,
          String(c.ranks),
          bytesLabel(c.bytes),
          deviceCell(c),
          c.outcome === 'ok' && c.measurement ? formatSeconds(c.measurement.medianSeconds) : '-',
          c.outcome === 'ok' && c.metrics ? c.metrics.algbwGBps.toPrecision(3) : '-',
          c.outcome === 'ok' && c.metrics
            ? describeWithInterval(c.metrics.busbwGBps, c.metrics.busbwCi, c.measurement)
            : failedCell(c),
          c.wrong === undefined ? '-' : String(c.wrong),
          describeEvidence(c.measurement),
        ]),
        marks: own.map(markOf),
      },
    };
  });
}

export function streamSection(cases: StreamCase[]): ReportSection | undefined {
  if (cases.length === 0) return undefined;
  const kernelLabel = (c: StreamCase) => (isCeilingId(c.id) ? `${c.kernel} (hand-written)` : c.kernel);
  const series = seriesOf(
    cases,
    (c) => `${c.backend} ${kernelLabel(c)}`,
    (c) =>
      c.outcome === 'ok' && c.metrics
        ? { x: c.bytes, y: bytesPerSecond(c.metrics.GBps), note: `array ${bytesLabel(c.bytes)}, ${c.metrics.GBps.toPrecision(3)} GB/s read plus written, on ${deviceCell(c)}` }
        : undefined,
  );
  return {
    id: 'stream',
    title: 'Memory bandwidth (STREAM), f32: against array size',
    notes: [
      'STREAM kernels, copy (c = a) and triad (a = b + 3c): bytes read plus written by one call over the median time; 1 GB/s = 1e9 B/s. ' +
        "gpu.js's kernels, and (hand-written) the kernels written by hand on the same API and device (stream-ceiling-... cases).",
    ],
    ...lineChartOf(
      'stream',
      'STREAM bandwidth by backend and kernel, f32',
      BYTES_AXIS('array size (bytes, log scale)'),
      RATE_AXIS('read + written, median (B/s, log scale)'),
      series,
    ),
    table: {
      headers: ['backend', 'kernel', 'array (bytes)', 'executed on', 'time', 'GB/s (read + written, 95% CI)', '#wrong', 'evidence'],
      rows: cases.map((c) => [
        c.backend,
        kernelLabel(c),
        bytesLabel(c.bytes),
        deviceCell(c),
        describeTime(c),
        c.outcome === 'ok' && c.metrics ? describeWithInterval(c.metrics.GBps, c.metrics.GBpsCi, c.measurement) : failedCell(c),
        c.wrong === undefined ? '-' : String(c.wrong),
        describeEvidence(c.measurement),
      ]),
      marks: cases.map(markOf),
    },
  };
}
