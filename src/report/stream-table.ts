/**
 * Memory bandwidth per backend (STREAM copy and triad, gpu.js's kernels and
 * the hand-written ones), GB/s counted as bytes read plus written, and the
 * lookup that sets each collective's busbw beside its backend's own copy
 * bandwidth at the same size: gpu.js's copy and the hand-written one.
 */
import type { StreamCase } from '../results/schema.js';
import { isCeilingId } from '../results/case-id.js';
import { describeDevice, describeEvidence } from './describe.js';
import { renderTextTable } from './text-table.js';
import { renderFittedTable } from './fit-width.js';
import { compactEvidence } from './compact-cells.js';

const HEADERS = ['backend', 'executed on', 'kernel', 'array (B)', 'time (us)', 'GB/s (read + written)', '#wrong', 'evidence'];

const TITLE = '# memory bandwidth, STREAM kernels (copy: c = a; triad: a = b + 3c), f32';

/** width: the terminal's columns (Infinity: --wide, every column in full). */
export function renderStreamTable(cases: StreamCase[], width = Infinity): string {
  if (Number.isFinite(width)) return [TITLE, renderFittedTable(COMPACT_HEADERS, cases.map(compactRow), width, { drop: [6, 5, 3] })].join('\n');
  const rows = cases.map((c) => [
    c.backend,
    c.executed ? describeDevice(c.executed.device) : '-',
    isCeilingId(c.id) ? `${c.kernel} (hand-written)` : c.kernel,
    String(c.bytes),
    c.outcome === 'ok' && c.measurement ? (c.measurement.medianSeconds * 1e6).toFixed(1) : c.outcome.toUpperCase(),
    c.metrics ? c.metrics.GBps.toPrecision(3) : '-',
    c.wrong === undefined ? '-' : String(c.wrong),
    describeEvidence(c.measurement),
  ]);
  return [TITLE, renderTextTable(HEADERS, rows)].join('\n');
}

const COMPACT_HEADERS = ['backend', 'kernel', 'array (B)', 'time (us)', 'GB/s (read + written)', '#wrong', 'forks'];

/** A row without the device (named once in the summary) and with the forks alone for evidence. */
function compactRow(c: StreamCase): string[] {
  return [
    c.backend,
    isCeilingId(c.id) ? `${c.kernel} (hand)` : c.kernel,
    String(c.bytes),
    c.outcome === 'ok' && c.measurement ? (c.measurement.medianSeconds * 1e6).toFixed(1) : c.outcome.toUpperCase(),
    c.metrics ? c.metrics.GBps.toPrecision(3) : '-',
    c.wrong === undefined ? '-' : String(c.wrong),
    compactEvidence(c.measurement),
  ];
}

/** Copy bandwidth in GB/s of a backend at an array size: gpu.js's STREAM copy and the hand-written one, where they passed. */
export type CopyBandwidth = (backend: string, bytes: number) => { gpujs?: number; handWritten?: number };

/** The copy bandwidth of the cases that passed, by backend and array size. */
export function copyBandwidthIndex(cases: StreamCase[]): CopyBandwidth {
  const index = new Map<string, { gpujs?: number; handWritten?: number }>();
  for (const c of cases) {
    if (c.kernel !== 'copy' || c.outcome !== 'ok' || !c.metrics) continue;
    const key = `${c.backend}|${c.bytes}`;
    index.set(key, { ...index.get(key), [isCeilingId(c.id) ? 'handWritten' : 'gpujs']: c.metrics.GBps });
  }
  return (backend, bytes) => index.get(`${backend}|${bytes}`) ?? {};
}
