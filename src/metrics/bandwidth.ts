/**
 * Bandwidth figures, as NVIDIA's nccl-tests defines them (doc/PERFORMANCE.md)
 * and STREAM counts them. 1 GB/s = 1e9 bytes per second.
 *
 * - algbw = S / t: S is the size of one rank's buffer in bytes, t the time of
 *   the whole collective.
 * - busbw = algbw * factor. The factor makes the figure comparable with the
 *   per-direction bandwidth of the slowest link, whatever the rank count:
 *   2(n-1)/n for all-reduce, (n-1)/n for reduce-scatter and all-gather.
 *   It depends on the collective, not on the algorithm that implements it.
 * - STREAM (McCalpin): bytes moved = bytes read + bytes written. copy
 *   (c = a) moves 2 arrays, triad (a = b + s*c) moves 3.
 */

import { BYTES_PER_GB } from './units.js';

export { BYTES_PER_GB };

export const COLLECTIVES = ['allreduce', 'reducescatter', 'allgather'] as const;
export type Collective = (typeof COLLECTIVES)[number];

/** algbw in GB/s: bytes of one rank's buffer over the collective's time (nccl-tests). */
export function algbwGBps(bytes: number, seconds: number): number {
  if (!(seconds > 0)) throw new RangeError(`duration must be positive, got ${seconds} s`);
  return bytes / seconds / BYTES_PER_GB;
}

/** The bus bandwidth factor of a collective on n ranks (nccl-tests doc/PERFORMANCE.md). */
export function busbwFactor(collective: Collective, ranks: number): number {
  if (!Number.isInteger(ranks) || ranks < 1) throw new RangeError(`ranks must be a positive integer, got ${ranks}`);
  const base = (ranks - 1) / ranks;
  return collective === 'allreduce' ? 2 * base : base;
}

/** busbw in GB/s = algbw * factor. */
export function busbwGBps(collective: Collective, ranks: number, bytes: number, seconds: number): number {
  return algbwGBps(bytes, seconds) * busbwFactor(collective, ranks);
}

/**
 * nccl-tests' busbw factor for its collectives by their binary's name (all_reduce_perf -> all_reduce; src/*.cu,
 * doc/PERFORMANCE.md): 2(n-1)/n for all-reduce; (n-1)/n for all-gather, reduce-scatter, all-to-all, gather,
 * scatter and hypercube; 1 for broadcast, reduce and send/receive. undefined for a name it does not print.
 */
export function ncclTestsBusbwFactor(collective: string, ranks: number): number | undefined {
  if (!Number.isInteger(ranks) || ranks < 1) throw new RangeError(`ranks must be a positive integer, got ${ranks}`);
  const base = (ranks - 1) / ranks;
  if (collective === 'all_reduce') return 2 * base;
  if (['all_gather', 'reduce_scatter', 'alltoall', 'gather', 'scatter', 'hypercube'].includes(collective)) return base;
  if (['broadcast', 'reduce', 'sendrecv'].includes(collective)) return 1;
  return undefined;
}

export const STREAM_KERNELS = ['copy', 'triad'] as const;
export type StreamKernel = (typeof STREAM_KERNELS)[number];

/** Bytes a STREAM kernel moves over arrays of `elements` f32 values: reads plus writes. */
export function streamBytes(kernel: StreamKernel, elements: number): number {
  const arrays = kernel === 'copy' ? 2 : 3;
  return arrays * 4 * elements;
}

/** Memory bandwidth in GB/s of a STREAM kernel run. */
export function streamGBps(kernel: StreamKernel, elements: number, seconds: number): number {
  if (!(seconds > 0)) throw new RangeError(`duration must be positive, got ${seconds} s`);
  return streamBytes(kernel, elements) / seconds / BYTES_PER_GB;
}
