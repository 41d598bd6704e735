/**
 * Memory bandwidth per backend (STREAM copy and triad), GB/s counted as
 * bytes read plus written, and the lookup that sets each collective's busbw
 * beside its backend's own copy bandwidth at the same size.
 */
import type { StreamCase } from '../results/schema.js';
import { describeDevice, describeEvidence } from './describe.js';
import { renderTextTable } from './text-table.js';

const HEADERS = ['backend', 'executed on', 'kernel', 'array (B)', 'time (us)', 'GB/s (read + written)', '#wrong', 'evidence'];

export function renderStreamTable(cases: StreamCase[]): string {
  const rows = cases.map((c) => [
    c.backend,
    c.executed ? describeDevice(c.executed.device) : '-',
    c.kernel,
    String(c.bytes),
    c.outcome === 'ok' && c.measurement ? (c.measurement.medianSeconds * 1e6).toFixed(1) : c.outcome.toUpperCase(),
    c.metrics ? c.metrics.GBps.toPrecision(3) : '-',
    c.wrong === undefined ? '-' : String(c.wrong),
    describeEvidence(c.measurement),
  ]);
  return ['# memory bandwidth, STREAM kernels (copy: c = a; triad: a = b + 3c), f32', renderTextTable(HEADERS, rows)].join('\n');
}

/** Copy bandwidth in GB/s by backend and array size, from the cases that passed. */
export function copyBandwidthIndex(cases: StreamCase[]): (backend: string, bytes: number) => number | undefined {
  const index = new Map<string, number>();
  for (const c of cases) if (c.kernel === 'copy' && c.outcome === 'ok' && c.metrics) index.set(`${c.backend}|${c.bytes}`, c.metrics.GBps);
  return (backend, bytes) => index.get(`${backend}|${bytes}`);
}
