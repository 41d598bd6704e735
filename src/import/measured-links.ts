/**
 * Imported all-reduce runs as the link bandwidth claim 2's step model is fed with: the busbw a chip's GPUs reached
 * at the run's largest size (where the time is bandwidth, not latency), in one host (the NVLink domain: across hosts
 * the network bounds busbw). nccl-tests' busbw of a ring all-reduce is the per-direction bandwidth the ring saw, so
 * it stands where the datasheet's per-direction figure stood. A run flagged above the wire rate (in-network reduction,
 * NVLS or SHARP) is shown and not used: its busbw no longer maps to the link.
 */
import { basename } from 'node:path';
import type { ChipTable } from '../reference/chips.js';
import type { InterconnectChip } from '../reference/interconnect.js';
import { bytesLabel } from '../results/case-id.js';
import type { ImportedCase, RunResult } from '../results/schema.js';
import { chipOfCase } from './chip-checks.js';

export interface MeasuredLink {
  chipId: string;
  /** busbw at the largest size, GB/s (1e9 B/s) */
  busbwGBps: number;
  /** what was measured, for the table: 'nccl-tests 2.18.3 all_reduce f32, 8 ranks on 1 host, 8GiB out-of-place (file)' */
  what: string;
  /** false: above the link's rate (in-network reduction); shown, not fed to the model */
  usable: boolean;
  why?: string;
}

function largestOf(run: ImportedCase[]): ImportedCase {
  return run.reduce((a, c) => (c.collective!.bytes > a.collective!.bytes ? c : a));
}

/** Each chip's measured link from imported all-reduce runs in one host: the run with the most ranks, then the highest busbw. */
export function measuredLinks(results: { label: string; run: RunResult }[], table: ChipTable): MeasuredLink[] {
  const runs = new Map<string, ImportedCase[]>();
  for (const { label, run } of results) {
    for (const c of run.cases) {
      if (c.workload !== 'imported' || c.kind !== 'collective' || c.operation !== 'all_reduce' || c.outcome !== 'ok' || !c.metrics || c.metrics.name !== 'busbw' || !c.collective) continue;
      if (c.source.hosts.length > 1) continue;
      const key = [label, c.source.file, c.precision, c.source.ranks].join('|');
      runs.set(key, [...(runs.get(key) ?? []), c]);
    }
  }
  const best = new Map<string, MeasuredLink & { ranks: number }>();
  for (const run of runs.values()) {
    const top = largestOf(run);
    const chipId = chipOfCase(top, table);
    if (!chipId) continue;
    const ranks = top.source.ranks ?? 0;
    const link = top.checks.find((k) => k.check === 'link');
    const s = top.source;
    const candidate = {
      chipId,
      ranks,
      busbwGBps: top.metrics!.value,
      what: `${s.tool}${s.version ? ` ${s.version}` : ''} all_reduce ${top.precision}, ${ranks} ranks on ${s.hosts.length || '?'} host, ${bytesLabel(top.collective!.bytes)} out-of-place (${basename(s.file)})`,
      usable: link?.status !== 'flag',
      ...(link?.status === 'flag' ? { why: link.detail } : {}),
    };
    const have = best.get(chipId);
    if (!have || candidate.ranks > have.ranks || (candidate.ranks === have.ranks && candidate.busbwGBps > have.busbwGBps)) best.set(chipId, candidate);
  }
  return [...best.values()].map(({ ranks: _ranks, ...link }) => link);
}

/** The datasheet's link with its bandwidth replaced by a measured busbw (per direction), named as measured. */
export function asMeasuredInterconnect(datasheet: InterconnectChip, measured: MeasuredLink): InterconnectChip {
  return { ...datasheet, chip: `${datasheet.chip} (measured)`, GBps: measured.busbwGBps, convention: 'per-direction', source: measured.what };
}
