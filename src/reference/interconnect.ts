/**
 * Interconnect figures as the collective projections and the claim-2 step
 * model use them, taken from the chip table (reference-data/chips.json):
 * each keeps its direction convention, sources and confidence. Chips whose
 * interconnect figure is unknown are left out, never given a guessed one.
 */
import type { LinkConvention } from '../metrics/alpha-beta.js';
import { InputError } from '../errors/input-error.js';
import { chipById, type ChipTable, type Confidence } from './chips.js';

export interface InterconnectChip {
  id: string;
  /** the chip's name, as tables print it */
  chip: string;
  link: string;
  /** the figure as the source states it, GB/s (1e9 B/s) */
  GBps: number;
  convention: LinkConvention;
  /** the titles of the figure's sources */
  source: string;
  confidence: Confidence;
}

/** A chip's interconnect figure, or undefined when the table does not know it. */
export function interconnectOf(table: ChipTable, id: string): InterconnectChip | undefined {
  const chip = chipById(table, id);
  const figure = chip.interconnect.GBps;
  if (figure.value === null || figure.value <= 0) return undefined;
  return {
    id: chip.id,
    chip: chip.name,
    link: chip.interconnect.link,
    GBps: figure.value,
    convention: chip.interconnect.convention,
    source: figure.sources.map((key) => table.sources[key]?.title ?? key).join('; '),
    confidence: figure.confidence,
  };
}

/** Every chip with a known interconnect figure, in table order. */
export function interconnectChips(table: ChipTable): InterconnectChip[] {
  return table.chips.flatMap((c) => interconnectOf(table, c.id) ?? []);
}

/** A chip's interconnect figure, or an error saying it is unknown. */
export function requireInterconnect(table: ChipTable, id: string): InterconnectChip {
  const link = interconnectOf(table, id);
  if (!link) throw new InputError(`the chip table does not know ${id}'s interconnect bandwidth; add it to the chip's interconnect.GBps`);
  return link;
}
