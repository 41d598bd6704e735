/**
 * Sets one finished case beside every chip of the chip table, at the same
 * precision and in the same unit:
 * - GEMM: measured f32 FLOP/s against each chip's FP32 non-tensor peak;
 * - STREAM: GB/s read plus written against memory bandwidth;
 * - collectives: busbw against the link's per-direction bandwidth (nccl-tests
 *   compares busbw with that), a range where the direction is not stated.
 * Each chip also gets the case's roofline time there (roofline.ts). The
 * executing device's own ceiling is added when it is known: its chip-table
 * entry when the device name identifies one, else for a CPU an estimated
 * peak, labelled as an estimate.
 */
import { perDirectionGBps } from '../metrics/alpha-beta.js';
import { isCollective, type CaseResult, type ChipComparison, type MeasuredCase, type ReferenceComparison } from '../results/schema.js';
import { chipForDevice, type Chip, type ChipTable, type PeakPrecision } from './chips.js';
import { statedFigure, type Quantity } from './quantity.js';
import { collectiveWork, gemmWork, rooflineSeconds, streamWork, type ChipRates, type Work } from './roofline.js';
import { formatShape } from '../metrics/gemm-work.js';
import { BYTES_PER_TB, bytesPerSecond, flopsPerSecond } from '../metrics/units.js';

/**
 * The one peak each measured precision may be compared with. f32 work runs
 * on FP32 (non-tensor) units; TF32 and FP16 tensor peaks are other
 * arithmetic, so they are never a denominator for an f32 rate.
 */
export const PEAK_FOR_PRECISION: Record<MeasuredCase['precision'], PeakPrecision> = { f32: 'fp32' };

export interface ComparisonContext {
  table: ChipTable;
  /** alpha of the link model, seconds */
  alphaSeconds: number;
  /** the host CPU's estimated f32 peak, FLOP/s, with its label */
  cpuPeak?: { flopsPerSecond: number; label: string };
}

type Against = ReferenceComparison['against'];

interface Measured {
  what: string;
  value: number;
  unit: 'FLOP/s' | 'B/s';
  against: Against;
  work: Work;
  /** for the device's own ceiling: what to compare with its chip figure of `against` (collectives: memory traffic vs memory bandwidth) */
  own?: { what: string; value: number; against: Against };
}

const known = (value: number | null | undefined): number | undefined => (value === null || value === undefined || value <= 0 ? undefined : value);

/** A chip's figure for a compared quantity in base units (FLOP/s, B/s), as [low, high]; undefined when unknown. */
export function chipFigure(chip: Chip, against: Against, precision: MeasuredCase['precision']): { low: number; high: number } | undefined {
  const stated = known(statedFigure(chip, quantityOf(against, precision)).value);
  if (!stated) return undefined;
  // peaks are TFLOP/s and memory bandwidth TB/s; links are GB/s as stated, per direction from their convention
  if (against !== 'interconnect') {
    const base = against === 'fp32' ? flopsPerSecond(stated) : stated * BYTES_PER_TB;
    return { low: base, high: base };
  }
  const [asTotal, asPerDirection] = perDirectionGBps(stated, chip.interconnect.convention);
  return { low: bytesPerSecond(asTotal), high: bytesPerSecond(asPerDirection) };
}

/** The chip-table quantity a comparison reads: the peak at the case's precision, or memory or link bandwidth. */
function quantityOf(against: Against, precision: MeasuredCase['precision']): Quantity {
  return against === 'fp32' ? PEAK_FOR_PRECISION[precision] : against;
}

/** The figure of an ok case that a chip table can be set against; undefined for cases without one. */
function measuredOf(c: CaseResult, alphaSeconds: number): Measured | undefined {
  // a suite kernel's work is the user's statement, with no roofline of its own: it is not set beside the chips
  if (c.outcome !== 'ok' || !c.measurement || c.workload === 'imported' || c.workload === 'kernel') return undefined;
  if (c.workload === 'gemm' && c.metrics) {
    return { what: `f32 GEMM ${formatShape(c.shape)} FLOP/s`, value: flopsPerSecond(c.metrics.medianTflops), unit: 'FLOP/s', against: 'fp32', work: gemmWork(c.shape) };
  }
  if (c.workload === 'stream' && c.metrics) {
    return {
      what: `STREAM ${c.kernel} bytes read plus written per second`,
      value: bytesPerSecond(c.metrics.GBps),
      unit: 'B/s',
      against: 'memory-bandwidth',
      work: streamWork(c.kernel, c.metrics.bytesMoved),
    };
  }
  // a collective from a file written before memory traffic was recorded has no memory term: no projection without it
  if (isCollective(c) && c.metrics?.memoryBytes !== undefined && c.metrics.memoryGBps !== undefined) {
    return {
      what: `${c.workload} busbw`,
      value: bytesPerSecond(c.metrics.busbwGBps),
      unit: 'B/s',
      against: 'interconnect',
      work: collectiveWork(c.workload, c.ranks, c.bytes, c.metrics.memoryBytes, alphaSeconds),
      own: { what: `${c.workload} memory traffic (read plus written) per second, all ranks in one memory`, value: bytesPerSecond(c.metrics.memoryGBps), against: 'memory-bandwidth' },
    };
  }
  return undefined;
}

function ratesOf(chip: Chip, precision: MeasuredCase['precision']): { low: ChipRates; high: ChipRates } {
  const flops = chipFigure(chip, 'fp32', precision)?.low;
  const memory = chipFigure(chip, 'memory-bandwidth', precision)?.low;
  const link = chipFigure(chip, 'interconnect', precision);
  return {
    low: { flopsPerSecond: flops, memoryBytesPerSecond: memory, linkBytesPerSecond: link?.low },
    high: { flopsPerSecond: flops, memoryBytesPerSecond: memory, linkBytesPerSecond: link?.high },
  };
}

function compareChip(chip: Chip, measured: Measured, precision: MeasuredCase['precision']): ChipComparison {
  const reference = chipFigure(chip, measured.against, precision) ?? null;
  const rates = ratesOf(chip, precision);
  // the slower reading of an unstated link direction gives the longer time
  const slow = rooflineSeconds(measured.work, rates.low);
  const fast = rooflineSeconds(measured.work, rates.high);
  return {
    chip: chip.id,
    reference,
    confidence: statedFigure(chip, quantityOf(measured.against, precision)).confidence,
    fraction: reference ? { low: measured.value / reference.high, high: measured.value / reference.low } : null,
    projectedSeconds: slow && fast ? { low: fast.seconds, high: slow.seconds } : null,
    bound: slow?.bound ?? null,
  };
}

function ownPeakOf(c: MeasuredCase, measured: Measured, context: ComparisonContext): ReferenceComparison['ownPeak'] {
  const device = c.executed?.device;
  if (!device) return undefined;
  const chip = chipForDevice(context.table, device.name);
  const own = measured.own ?? { what: measured.what, value: measured.value, against: measured.against };
  if (chip) {
    const figure = chipFigure(chip, own.against, c.precision);
    if (!figure || figure.low !== figure.high) return undefined;
    return {
      source: chip.id,
      what: own.what,
      value: figure.low,
      unit: measured.unit,
      fraction: own.value / figure.low,
      label: `${chip.name}, ${own.against === 'fp32' ? 'FP32 non-tensor peak' : own.against} from the chip table`,
    };
  }
  if (device.executesOn === 'cpu' && own.against === 'fp32' && context.cpuPeak) {
    return {
      source: 'cpu-estimate',
      what: own.what,
      value: context.cpuPeak.flopsPerSecond,
      unit: 'FLOP/s',
      fraction: own.value / context.cpuPeak.flopsPerSecond,
      label: context.cpuPeak.label,
    };
  }
  return undefined;
}

/** The case beside every chip, or undefined when the case has no figure to compare (failed, skipped). */
export function compareWithChips(c: CaseResult, context: ComparisonContext): ReferenceComparison | undefined {
  // an imported figure is set beside the chips by its own check (src/import/), at its own precision
  if (c.workload === 'imported') return undefined;
  const measured = measuredOf(c, context.alphaSeconds);
  if (!measured) return undefined;
  const ownPeak = ownPeakOf(c, measured, context);
  return {
    measured: { what: measured.what, value: measured.value, unit: measured.unit },
    against: measured.against,
    ...(ownPeak ? { ownPeak } : {}),
    chips: context.table.chips.map((chip) => compareChip(chip, measured, c.precision)),
  };
}
