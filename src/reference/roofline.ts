/**
 * Roofline projections: how long a case would take on a chip, from its
 * spec figures alone. A case needs `flops` arithmetic, `memoryBytes` of
 * memory traffic and `linkBytes` over the interconnect; on a chip with peak
 * P (FLOP/s), memory bandwidth M (B/s) and link bandwidth L (B/s, per
 * direction), the time is at least
 *   t = max(flops / P, memoryBytes / M, linkTime)
 * (Williams, Waterman & Patterson, "Roofline", CACM 2009, extended by the
 * link term). It is a lower bound that spec sheets promise, not a
 * prediction: real kernels reach a fraction of each peak.
 *
 * The peak is always the one at the case's precision: f32 work is set
 * against FP32 non-tensor peaks, never FP16 or TF32 tensor peaks.
 */
import { ringAllreduceSeconds } from '../metrics/alpha-beta.js';
import { gemmFlop, gemmOperandBytes, type GemmShape } from '../metrics/gemm-work.js';
import { BYTES_PER_GB } from '../metrics/units.js';

/** What one case asks of a machine. */
export interface Work {
  flops: number;
  memoryBytes: number;
  /** link time for the chip's per-direction bandwidth (B/s); absent when nothing crosses a link */
  linkSeconds?: (perDirectionBytesPerSecond: number) => number;
}

/** A chip's figures in base units; undefined where the table does not know them. */
export interface ChipRates {
  /** FLOP/s at the case's precision */
  flopsPerSecond?: number;
  /** B/s */
  memoryBytesPerSecond?: number;
  /** per-direction link B/s */
  linkBytesPerSecond?: number;
}

export type Bound = 'compute' | 'memory' | 'link';

/**
 * max(flops / P, memoryBytes / M, link time), and which term bounds it.
 * Undefined when a term the work needs has no figure: a projection without
 * its bottleneck would be too fast, so none is made.
 */
export function rooflineSeconds(work: Work, chip: ChipRates): { seconds: number; bound: Bound } | undefined {
  const terms: { seconds: number; bound: Bound }[] = [];
  if (work.flops > 0) {
    if (!chip.flopsPerSecond) return undefined;
    terms.push({ seconds: work.flops / chip.flopsPerSecond, bound: 'compute' });
  }
  if (work.memoryBytes > 0) {
    if (!chip.memoryBytesPerSecond) return undefined;
    terms.push({ seconds: work.memoryBytes / chip.memoryBytesPerSecond, bound: 'memory' });
  }
  if (work.linkSeconds) {
    if (!chip.linkBytesPerSecond) return undefined;
    terms.push({ seconds: work.linkSeconds(chip.linkBytesPerSecond), bound: 'link' });
  }
  if (terms.length === 0) return undefined;
  return terms.reduce((a, b) => (b.seconds > a.seconds ? b : a));
}

/** f32 GEMM C = A B, A M x K, B K x N: 2MNK FLOP; memory at least A and B read once and C written once, 4(MK + KN + MN) bytes. */
export function gemmWork(shape: GemmShape): Work {
  return { flops: gemmFlop(shape), memoryBytes: gemmOperandBytes(shape) };
}

/** STREAM copy or triad over `bytesMoved` (read plus written); triad does 2 FLOP per element (multiply and add). */
export function streamWork(kernel: 'copy' | 'triad', bytesMoved: number): Work {
  const elements = bytesMoved / (kernel === 'copy' ? 8 : 12);
  return { flops: kernel === 'copy' ? 0 : 2 * elements, memoryBytes: bytesMoved };
}

/**
 * A collective of S bytes per rank on R chips, one rank per chip, seen from
 * one chip (all run in parallel): its share of the reductions, its share of
 * the memory traffic (5(R-1)S / R for all-reduce, counted as
 * memoryTrafficBytes counts it), and the ring's alpha-beta link time
 * (2(R-1) steps for all-reduce, R-1 for reduce-scatter and all-gather),
 * whatever algorithm ran here: the ring moves the fewest bytes per link
 * (bandwidth-optimal), though halving-doubling takes fewer latency steps.
 */
export function collectiveWork(
  collective: 'allreduce' | 'reducescatter' | 'allgather',
  ranks: number,
  bytes: number,
  memoryBytesAllRanks: number,
  alphaSeconds: number,
): Work {
  const elements = bytes / 4;
  const reduces = collective !== 'allgather';
  const share = (ranks - 1) / ranks;
  return {
    flops: reduces ? share * elements : 0,
    memoryBytes: memoryBytesAllRanks / ranks,
    linkSeconds: (perDirection) =>
      collective === 'allreduce'
        ? ringAllreduceSeconds(ranks, bytes, alphaSeconds, perDirection / BYTES_PER_GB)
        : (ranks - 1) * alphaSeconds + (share * bytes) / perDirection,
  };
}
