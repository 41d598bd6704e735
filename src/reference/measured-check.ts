/**
 * A measured figure against its own chip's peak at the precision it ran at:
 * bf16 and fp16 against the FP16/BF16 tensor peak, tf32 against TF32 tensor,
 * fp32 against the FP32 non-tensor peak and nothing else, all-reduce busbw
 * against the link's per-direction bandwidth. A figure above its peak is
 * flagged, never reported as a share over 100%: an "fp32" figure between the
 * FP32 non-tensor and the TF32 tensor peak is TF32 tensor cores under an f32
 * label (PyTorch's allow_tf32), and busbw above the wire rate is in-network
 * reduction (NVLS, SHARP), which nccl-tests' maintainers say no longer maps
 * to link bandwidth.
 *
 * Also: the chip a device name as tools print it identifies ('NVIDIA H100
 * 80GB HBM3', 'NVIDIA A800-SXM4-80GB', 'Ascend910B3'), for the import of
 * users' own matmul and collective results.
 */
import { perDirectionGBps } from '../metrics/alpha-beta.js';
import { BYTES_PER_GB, FLOP_PER_TFLOP } from '../metrics/units.js';
import { chipById, chipForDevice, PEAK_LABELS, type Chip, type ChipTable, type PeakPrecision } from './chips.js';
import type { MeasuredFigure, MeasuredPrecision } from './measurements.js';
import { formatValue } from './quantity.js';

/** The one peak each measured precision is set against. fp32 is the non-tensor rate: a TF32 or FP16 tensor peak never stands in. */
export const PEAK_OF_PRECISION: Record<MeasuredPrecision, PeakPrecision> = {
  fp64: 'fp64',
  fp32: 'fp32',
  tf32: 'tf32-tensor',
  fp16: 'fp16-tensor',
  bf16: 'fp16-tensor',
  fp8: 'fp8-tensor',
  int8: 'int8-tensor',
};

/** What a figure is set against: a compute precision (the value in FLOP/s, OP/s for int8) or all-reduce busbw (B/s). */
export type PeakBasis = MeasuredPrecision | 'allreduce-busbw';

export interface PeakCheck {
  /** the peak, in the input's units (FLOP/s or B/s); undefined when the table does not know it or the chip lacks the format */
  peak?: number;
  /** the low end, when the peak is a range (a link whose source does not state the direction) */
  peakLow?: number;
  /** what the peak is, with its unit */
  peakLabel: string;
  /** value / peak; undefined when the figure is not compared */
  fraction?: number;
  /** above-peak: above its precision's peak; mislabelled: its source's label is known to be wrong */
  flag?: 'above-peak' | 'mislabelled';
  /** whether the figure may be used at its stated precision */
  comparable: boolean;
  /** the comparison, or why there is none, in words with units */
  note: string;
}

/** A measured figure as printed: as given, up to 6 significant digits (403.74, 141.86, 478.87). */
export function formatMeasured(value: number): string {
  return String(Number(value.toPrecision(6)));
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

function computeCheck(chip: Chip, precision: MeasuredPrecision, value: number): PeakCheck {
  const key = PEAK_OF_PRECISION[precision];
  const unit = precision === 'int8' ? 'TOPS' : 'TFLOP/s';
  const given = `${formatMeasured(value / FLOP_PER_TFLOP)} ${unit} ${precision}`;
  const peakLabel = `${chip.name} ${PEAK_LABELS[key]}`;
  const figure = chip.peaks[key];
  if (figure.value === null) {
    const why = figure.absent ? `${chip.name} does not have ${PEAK_LABELS[key].replace(/ \(.*\)$/, '')}` : `${chip.name}'s ${PEAK_LABELS[key].replace(/ \(.*\)$/, '')} peak is unknown`;
    return { peakLabel, comparable: false, note: `${given}: ${why}; not compared` };
  }
  const peak = figure.value * FLOP_PER_TFLOP;
  const peakText = `${formatValue(figure.value)} ${unit}`;
  if (value > peak * (1 + 1e-9)) {
    if (precision === 'fp32') {
      const tf32 = chip.peaks['tf32-tensor'].value;
      const tensor =
        tf32 !== null && value <= tf32 * FLOP_PER_TFLOP * (1 + 1e-9)
          ? 'likely TF32 tensor cores under an f32 label'
          : tf32 !== null
            ? `also above the TF32 tensor peak (${formatValue(tf32)} TFLOP/s): the label, the FLOP count or the device is wrong`
            : 'the TF32 tensor peak is unknown: the label, the FLOP count or the device is wrong';
      return { peak, peakLabel, flag: 'above-peak', comparable: false, note: `${given} is above the FP32 non-tensor peak (${peakText}): ${tensor}; not compared as f32` };
    }
    return {
      peak,
      peakLabel,
      flag: 'above-peak',
      comparable: false,
      note: `${given} is above ${chip.name}'s ${PEAK_LABELS[key].replace(/ \(.*\)$/, '')} peak (${peakText}, ${figure.confidence}): the precision, the FLOP count or the device is wrong; not compared`,
    };
  }
  const fraction = value / peak;
  return { peak, peakLabel, fraction, comparable: true, note: `${given} is ${percent(fraction)} of ${chip.name}'s ${PEAK_LABELS[key].replace(/ \(.*\)$/, '')} peak (${peakText}, ${figure.confidence})` };
}

function busbwCheck(chip: Chip, bytesPerSecond: number): PeakCheck {
  const gbps = bytesPerSecond / BYTES_PER_GB;
  const given = `${formatMeasured(gbps)} GB/s all-reduce busbw`;
  const peakLabel = `${chip.name} ${chip.interconnect.link}, per direction (GB/s)`;
  const stated = chip.interconnect.GBps.value;
  if (stated === null || stated <= 0) return { peakLabel, comparable: false, note: `${given}: ${chip.name}'s interconnect bandwidth is unknown; not compared` };
  const [low, high] = perDirectionGBps(stated, chip.interconnect.convention);
  const range = low === high ? `${formatValue(high)} GB/s per direction` : `${formatValue(low)} to ${formatValue(high)} GB/s per direction (the source does not state the direction)`;
  const base = { peak: high * BYTES_PER_GB, ...(low !== high ? { peakLow: low * BYTES_PER_GB } : {}), peakLabel };
  if (gbps > high * (1 + 1e-9)) {
    return {
      ...base,
      flag: 'above-peak',
      comparable: false,
      note: `${given} is above ${chip.name}'s ${chip.interconnect.link} at ${range}: in-network reduction (NVLS, SHARP) lifts busbw past the wire rate, and then it no longer measures the link; not compared`,
    };
  }
  const fraction = gbps / high;
  const share = low === high ? percent(fraction) : `${percent(fraction)} to ${percent(gbps / low)}`;
  return { ...base, fraction, comparable: true, note: `${given} is ${share} of ${chip.name}'s ${chip.interconnect.link} at ${range}` };
}

/**
 * A measured figure against `chip`'s peak at `precision`: the value in FLOP/s
 * for a compute precision (OP/s for int8), in B/s for all-reduce busbw.
 */
export function checkAgainstPeak(chip: Chip, precision: PeakBasis, valueFlopsOrBps: number): PeakCheck {
  return precision === 'allreduce-busbw' ? busbwCheck(chip, valueFlopsOrBps) : computeCheck(chip, precision, valueFlopsOrBps);
}

/** A figure of the measurements file (or a user's) against its chip's peak; a figure marked mislabelled is never comparable at its label. */
export function checkMeasuredFigure(table: ChipTable, figure: MeasuredFigure): PeakCheck {
  const chip = chipById(table, figure.chip);
  const check =
    figure.quantity === 'allreduce-busbw'
      ? checkAgainstPeak(chip, 'allreduce-busbw', figure.value * BYTES_PER_GB)
      : checkAgainstPeak(chip, figure.precision, figure.value * FLOP_PER_TFLOP);
  if (!figure.mislabelled) return check;
  return { ...check, fraction: undefined, comparable: false, flag: check.flag ?? 'mislabelled', note: `${check.note}; its source's label is wrong: ${figure.mislabelled.note}` };
}

/**
 * The id of the chip a device name identifies, as nvidia-smi, PyTorch,
 * nccl-tests or npu-smi print it: the chip table's deviceNames found as
 * whole words, the longest winning; a PCIe device never matches an SXM chip.
 * Undefined when no chip matches (a chip the table lacks, or a name too
 * vague to tell the variant, such as 'Ascend910B').
 */
export function chipIdForDevice(table: ChipTable, deviceName: string): string | undefined {
  return chipForDevice(table, deviceName)?.id;
}
