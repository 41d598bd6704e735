/**
 * The quantities a chip table states, by one name each, with their units:
 * the peaks at each precision, memory, interconnect, cores and TDP. A
 * comparison between chips always names one quantity, so it can never
 * divide an FP8 figure by a BF16 one.
 */
import { PEAK_LABELS, PEAK_PRECISIONS, type Chip, type Figure, type PeakPrecision } from './chips.js';

export const QUANTITIES = [...PEAK_PRECISIONS, 'memory-bandwidth', 'memory-size', 'interconnect', 'cores', 'tdp'] as const;
export type Quantity = (typeof QUANTITIES)[number];

export function isPeakPrecision(quantity: Quantity): quantity is PeakPrecision {
  return (PEAK_PRECISIONS as readonly string[]).includes(quantity);
}

/** The figure a chip states for a quantity. */
export function statedFigure(chip: Chip, quantity: Quantity): Figure {
  if (isPeakPrecision(quantity)) return chip.peaks[quantity];
  switch (quantity) {
    case 'memory-bandwidth':
      return chip.memory.bandwidthTBps;
    case 'memory-size':
      return chip.memory.sizeGB;
    case 'interconnect':
      return chip.interconnect.GBps;
    case 'cores':
      return chip.cores.count;
    case 'tdp':
      return chip.tdpW;
  }
}

/** The quantity's name with its unit, as a column header says it. */
export function quantityLabel(quantity: Quantity): string {
  if (isPeakPrecision(quantity)) return PEAK_LABELS[quantity];
  return {
    'memory-bandwidth': 'memory bandwidth (TB/s)',
    'memory-size': 'memory (GB)',
    interconnect: 'interconnect (GB/s, as stated)',
    cores: 'cores',
    tdp: 'TDP (W)',
  }[quantity];
}

/** Up to 4 significant digits, no trailing zeros: 494.7, 0.864, 1979. */
export function formatValue(value: number): string {
  return String(Number(value.toPrecision(4)));
}
