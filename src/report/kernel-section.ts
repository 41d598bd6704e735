/**
 * The suite files' kernels (docs/suites.md) as a report section: each case's rate against the work of one call,
 * one line per suite case, and the table of every size with its verification. The work is the suite's statement,
 * so its unit says so; the figures are f32 (gpu.js single precision) and timed end to end.
 */
import { bytesPerSecond, flopsPerSecond, formatSi } from '../metrics/units.js';
import type { KernelCase } from '../results/schema.js';
import { caseHeadline } from '../results/case-facts.js';
import { describeEvidence, describeHeadline, describeTime, devicesNote, describeDevice } from './describe.js';
import type { ReportSection } from './report-model.js';
import { siTick, type LogAxis } from './svg-chart.js';
import { lineFigure } from './chart-figure.js';

const AXIS = (title: string): LogAxis => ({ title, base: 10, tick: siTick });

/** 'softmax.rows': the suite and case, as the ids begin. */
export const kernelName = (c: KernelCase) => `${c.suite.name}.${c.suite.case}`;

/** How the output was checked, short: 'max rel err 1.3e-6 (tol 1e-5)', 'check: ...', or the wrong count. */
export function describeKernelVerification(c: KernelCase): string {
  const v = c.verification;
  if (!v) return '-';
  if (v.wrong > 0 || (v.wrongAfter ?? 0) > 0) return `NO: #wrong ${v.wrong}${v.wrongAfter ? `, ${v.wrongAfter} after timing` : ''} of ${v.elements}`;
  if (v.method === 'check') return `yes, by the suite's check${v.note ? `: ${v.note}` : ''}`;
  const tol = [v.tolerance?.relative !== undefined ? `rel ${v.tolerance.relative}` : '', v.tolerance?.absolute !== undefined ? `abs ${v.tolerance.absolute}` : ''].filter(Boolean).join(', ');
  const err = v.maxRelError === null || v.maxRelError === undefined ? 'error not finite' : `max rel err ${v.maxRelError.toPrecision(2)}`;
  return `yes, ${v.elements} elements: ${err} (tolerance ${tol})`;
}

/** The rate that is not the headline, when the suite states both kinds of work: '8.97 MFLOP/s (f32)', or '-'. */
function otherRate(c: KernelCase): string {
  const m = c.metrics;
  if (c.outcome !== 'ok' || !m) return '-';
  if (c.headline === 'bytes' && m.medianTflops !== undefined) return `${formatSi(flopsPerSecond(m.medianTflops), 'FLOP/s')} (f32)`;
  if (c.headline === 'flops' && m.GBps !== undefined) return `${m.GBps.toPrecision(3)} GB/s`;
  return '-';
}

export function kernelSection(cases: KernelCase[]): ReportSection | undefined {
  if (cases.length === 0) return undefined;
  const byFlops = cases.every((c) => c.headline === 'flops');
  const figure = lineFigure({
    id: 'kernels',
    title: `Suite kernels, ${byFlops ? 'f32 FLOP/s' : 'rate'}`,
    x: AXIS(`work of one call (${byFlops ? 'FLOP' : 'FLOP or bytes, as each case states'}, log scale)`),
    y: AXIS(`median rate (${byFlops ? 'FLOP/s' : 'FLOP/s or B/s'}, log scale)`),
    cases,
    line: kernelName,
    point: (c) => {
      const h = caseHeadline(c);
      if (!h) return undefined;
      const work = c.headline === 'flops' ? c.work.flops! : c.work.bytes!;
      const y = h.unit === 'GFLOP/s' ? flopsPerSecond(h.value / 1e3) : bytesPerSecond(h.value);
      return { x: work, y, note: `${kernelName(c)} ${c.size.label}: ${formatSi(y, h.unit === 'GFLOP/s' ? 'FLOP/s' : 'B/s')} on ${c.executed ? describeDevice(c.executed.device) : '-'}` };
    },
  });
  const note = devicesNote(cases);
  return {
    id: 'kernels',
    title: 'Suite kernels: your gpu.js kernels, f32, timed end to end',
    notes: [
      'Kernels of the suite files the run loaded (docs/suites.md), each size verified against its float64 reference within its stated tolerance (or by its own check) before timing and once more after. ' +
        "A call passes the inputs as host arrays and reads the output back (gpu.js's default). The rate is the work the suite states (FLOP, or bytes read plus written) over the median time.",
      ...[...new Set(cases.map((c) => `${c.suite.name}: ${c.suite.file}, sha-256 ${c.suite.sha256.slice(0, 12)}`))],
      ...(note ? [note] : []),
    ],
    ...(figure ? { figure } : {}),
    table: {
      headers: ['backend', 'case', 'size', 'time', 'rate (95% CI)', 'other rate', 'verified', 'evidence'],
      rows: cases.map((c) => [
        c.backend,
        kernelName(c),
        c.size.label,
        describeTime(c),
        c.outcome === 'ok' ? describeHeadline(c) : `${c.outcome.toUpperCase()}${c.reason ? `: ${c.reason}` : ''}`,
        otherRate(c),
        describeKernelVerification(c),
        describeEvidence(c.measurement),
      ]),
      marks: cases.map((c) => (c.outcome === 'ok' ? undefined : 'bad')),
      detailColumns: [6, 7],
    },
  };
}
