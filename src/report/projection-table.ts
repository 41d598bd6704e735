/**
 * Ring all-reduce projected onto the article's chips under the alpha-beta
 * model, beside what this machine measured for the same S and R. A figure
 * whose direction convention its source does not state is shown as a range:
 * read as a bidirectional total (slower) and as per direction (faster).
 */
import { perDirectionGBps, ringAllreduceSeconds } from '../metrics/alpha-beta.js';
import { formatSeconds } from '../metrics/units.js';
import type { InterconnectChip } from '../reference/interconnect.js';
import type { CollectiveCase } from '../results/schema.js';
import { renderFittedTable, wrapText } from './fit-width.js';

/** width: the terminal's columns; the chip column is shortened to fit (Infinity: --wide). */
export function renderRingProjection(cases: CollectiveCase[], chips: InterconnectChip[], alphaSeconds: number, width = Infinity): string | undefined {
  const rings = cases.filter((c) => c.workload === 'allreduce' && c.algorithm === 'ring' && c.outcome === 'ok' && c.measurement);
  if (rings.length === 0) return undefined;
  const ranks = rings[0]!.ranks;
  const sizes = [...new Set(rings.map((c) => c.bytes))].sort((a, b) => a - b);
  const headers = ['chip (link, as stated)', 'per direction', ...sizes.map((s) => `S = ${s} B`)];
  const rows = chips.map((chip) => {
    const [asTotal, asPerDirection] = perDirectionGBps(chip.GBps, chip.convention);
    const cell = (bytes: number) => {
      const slow = ringAllreduceSeconds(ranks, bytes, alphaSeconds, asTotal);
      if (asTotal === asPerDirection) return formatSeconds(slow);
      return `${formatSeconds(ringAllreduceSeconds(ranks, bytes, alphaSeconds, asPerDirection))} to ${formatSeconds(slow)}`;
    };
    const direction = asTotal === asPerDirection ? `${asTotal} GB/s` : `${asTotal} or ${asPerDirection} GB/s (unstated)`;
    return [`${chip.chip} (${chip.link}, ${chip.GBps} GB/s ${chip.convention})`, direction, ...sizes.map(cell)];
  });
  const backends = [...new Set(rings.map((c) => c.backend))];
  for (const backend of backends) {
    const byBytes = new Map(rings.filter((c) => c.backend === backend).map((c) => [c.bytes, c]));
    rows.push([
      `measured here: ${backend}, ring, ${ranks} ranks in one process`,
      '-',
      ...sizes.map((s) => (byBytes.has(s) ? formatSeconds(byBytes.get(s)!.measurement!.medianSeconds) : '-')),
    ]);
  }
  return [
    wrapText(
    `# ring all-reduce of S bytes on ${ranks} ranks: alpha-beta model t = 2(R-1) alpha + 2(R-1)/R S / B, alpha ${alphaSeconds * 1e6} µs (an assumption), ` +
      'B = per-direction link bandwidth (NVLink figures are bidirectional totals); spec figures, not measurements. Sources: the chip table (chipbench chips).',
      width,
    ),
    renderFittedTable(headers, rows, width, { shrink: [0] }),
  ].join('\n');
}
