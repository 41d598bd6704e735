/**
 * Collective results as nccl-tests prints them: one block per collective,
 * algorithm, rank count and backend, columns in nccl-tests' order (size,
 * count, type, redop, time, algbw, busbw, #wrong), closing with the average
 * and the peak busbw, each labelled. nccl-tests' "Avg bus bandwidth" is a
 * mean over sizes, not a peak: never set it against a link's speed.
 * Columns of ours follow: busbw and the memory traffic rate, each as a share
 * of the same backend's STREAM copy bandwidth at the same size, gpu.js's
 * copy and the hand-written one (what the API moves on that device).
 */
import type { CollectiveCase } from '../results/schema.js';
import type { CopyBandwidth } from './stream-table.js';
import { describeDevice, describeEvidence } from './describe.js';
import { renderFittedTable } from './fit-width.js';
import { compactEvidence } from './compact-cells.js';

const HEADERS = [
  'size (B)',
  'count (elements)',
  'type',
  'redop',
  'time (us)',
  'algbw (GB/s)',
  'busbw (GB/s)',
  '#wrong',
  'busbw / copy bw',
  'busbw / hand-written copy',
  'memory (GB/s)',
  'memory / copy bw',
  'memory / hand-written copy',
  'evidence',
];

/** 3 significant digits: software renderers move kB/s at small sizes, GPUs hundreds of GB/s. */
const gbps = (value: number) => value.toPrecision(3);

function groupKey(c: CollectiveCase): string {
  return `${c.workload}|${c.algorithm}|${c.ranks}|${c.backend}`;
}

function row(c: CollectiveCase, copy: CopyBandwidth, compact: boolean): string[] {
  const redop = c.workload === 'allgather' ? 'none' : 'sum';
  const wrong = c.wrong === undefined ? '-' : String(c.wrong);
  if (c.outcome !== 'ok' || !c.metrics || !c.measurement) {
    return [String(c.bytes), String(c.elements), 'float', redop, c.outcome.toUpperCase(), '-', '-', wrong, '-', '-', '-', '-', '-', '-'];
  }
  const { gpujs, handWritten } = copy(c.backend, c.bytes);
  const share = (value: number | undefined, of: number | undefined) => (of && value !== undefined ? `${((100 * value) / of).toFixed(1)}%` : '-');
  return [
    String(c.bytes),
    String(c.elements),
    'float',
    redop,
    (c.measurement.medianSeconds * 1e6).toFixed(1),
    gbps(c.metrics.algbwGBps),
    gbps(c.metrics.busbwGBps),
    wrong,
    share(c.metrics.busbwGBps, gpujs),
    share(c.metrics.busbwGBps, handWritten),
    c.metrics.memoryGBps === undefined ? '-' : gbps(c.metrics.memoryGBps),
    share(c.metrics.memoryGBps, gpujs),
    share(c.metrics.memoryGBps, handWritten),
    compact ? compactEvidence(c.measurement) : describeEvidence(c.measurement),
  ];
}

/** Columns a terminal loses first: the count, the shares of the hand-written copy, the memory rate's; then, narrower, the forks, redop, type and algbw. */
const DROP_FIRST = [1, 9, 12, 11, 10, 8, 13, 3, 2, 5];

/**
 * The blocks for every collective case, in the order the cases ran. width: the terminal's columns (Infinity:
 * --wide): the device is then named in the summary, not in each block's title, and the evidence is the forks.
 */
export function renderCollectiveTables(cases: CollectiveCase[], copy: CopyBandwidth = () => ({}), width = Infinity): string {
  const compact = Number.isFinite(width);
  const groups = new Map<string, CollectiveCase[]>();
  for (const c of cases) groups.set(groupKey(c), [...(groups.get(groupKey(c)) ?? []), c]);
  const blocks: string[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const device = group.find((c) => c.executed)?.executed?.device;
    const lines = [
      `# ${first.workload}, ${first.algorithm}, ${first.ranks} ranks, f32, on ${first.backend}${device && !compact ? ` (${describeDevice(device)})` : ''}`,
      renderFittedTable(compact ? [...HEADERS.slice(0, -1), 'forks'] : HEADERS, group.map((c) => row(c, copy, compact)), width, { drop: DROP_FIRST }),
    ];
    const ok = group.filter((c) => c.outcome === 'ok' && c.metrics);
    if (ok.length > 0) {
      const mean = ok.reduce((s, c) => s + c.metrics!.busbwGBps, 0) / ok.length;
      const peak = ok.reduce((best, c) => (c.metrics!.busbwGBps > best.metrics!.busbwGBps ? c : best));
      lines.push(`# average busbw over ${ok.length} size(s), a mean, not a peak: ${gbps(mean)} GB/s`);
      lines.push(`# peak busbw: ${gbps(peak.metrics!.busbwGBps)} GB/s at ${peak.bytes} B`);
    }
    blocks.push(lines.join('\n'));
  }
  return blocks.join('\n\n');
}
