/**
 * Collectives as explicit schedules: every chunk move and every reduction
 * is a Transfer, grouped into the Steps in which they happen at the same
 * time (R ranks exchanging in parallel, as on a real interconnect). Nothing
 * computes the final sum in one go; an executor must carry out every
 * transfer of every step.
 *
 * Chunks: a buffer of N elements is split into R contiguous chunks of
 * floor(N/R) or floor(N/R)+1 elements (the first N mod R chunks are one
 * longer). Uneven chunks, never padding: no byte is moved that the user did
 * not ask for, and busbw stays S-based as in nccl-tests.
 */
import type { Collective } from '../../metrics/bandwidth.js';

export const ALLREDUCE_ALGORITHMS = ['ring', 'halving-doubling', 'direct'] as const;
export type AllreduceAlgorithm = (typeof ALLREDUCE_ALGORITHMS)[number];

/** One message: elements [start, end) of rank `from` go to rank `to`, which adds them ('reduce') or stores them ('copy'). */
export interface Transfer {
  from: number;
  to: number;
  start: number;
  end: number;
  op: 'reduce' | 'copy';
}

/** Transfers that happen at the same time: each reads its source as it was before the step. */
export interface Step {
  label: string;
  transfers: Transfer[];
}

export interface Schedule {
  collective: Collective;
  algorithm: string;
  ranks: number;
  elements: number;
  steps: Step[];
}

/** Element range [start, end) of chunk i of R over N elements (uneven chunks, see the module comment). */
export function chunkRange(elements: number, ranks: number, chunk: number): { start: number; end: number } {
  const base = Math.floor(elements / ranks);
  const extra = elements % ranks;
  const start = chunk * base + Math.min(chunk, extra);
  return { start, end: start + base + (chunk < extra ? 1 : 0) };
}

const mod = (a: number, n: number) => ((a % n) + n) % n;

function checkShape(ranks: number, elements: number): void {
  if (!Number.isInteger(ranks) || ranks < 2) throw new RangeError(`a collective needs at least 2 ranks, got ${ranks}`);
  if (!Number.isInteger(elements) || elements < 1) throw new RangeError(`a buffer needs at least 1 element, got ${elements}`);
}

/**
 * Ring reduce-scatter, R-1 steps: at step s rank r sends chunk (r-s-1) mod R
 * to rank r+1, which adds it to its own copy. Afterwards rank r holds chunk r
 * reduced over all ranks.
 */
function ringReduceScatterSteps(ranks: number, elements: number): Step[] {
  const steps: Step[] = [];
  for (let s = 0; s < ranks - 1; s++) {
    const transfers = Array.from({ length: ranks }, (_, r) => {
      const { start, end } = chunkRange(elements, ranks, mod(r - s - 1, ranks));
      return { from: r, to: mod(r + 1, ranks), start, end, op: 'reduce' as const };
    });
    steps.push({ label: `reduce-scatter ${s + 1}/${ranks - 1}`, transfers });
  }
  return steps;
}

/**
 * Ring all-gather, R-1 steps, starting from rank r owning chunk r: at step s
 * rank r sends chunk (r-s) mod R to rank r+1, which stores it.
 */
function ringAllGatherSteps(ranks: number, elements: number): Step[] {
  const steps: Step[] = [];
  for (let s = 0; s < ranks - 1; s++) {
    const transfers = Array.from({ length: ranks }, (_, r) => {
      const { start, end } = chunkRange(elements, ranks, mod(r - s, ranks));
      return { from: r, to: mod(r + 1, ranks), start, end, op: 'copy' as const };
    });
    steps.push({ label: `all-gather ${s + 1}/${ranks - 1}`, transfers });
  }
  return steps;
}

/**
 * Recursive halving (reduce-scatter) then recursive doubling (all-gather),
 * Rabenseifner's algorithm (Thakur, Rabenseifner & Gropp, "Optimization of
 * Collective Communication Operations in MPICH", IJHPCA 2005). With R not a
 * power of two, the R - P ranks above the largest power of two P first fold
 * their buffers into ranks 0..R-P-1 and get the result back at the end.
 */
function halvingDoublingSteps(ranks: number, elements: number): Step[] {
  let p = 1;
  while (p * 2 <= ranks) p *= 2;
  const extra = ranks - p;
  const steps: Step[] = [];
  if (extra > 0) {
    steps.push({
      label: `fold ${extra} rank(s) into the lower ${p}`,
      transfers: Array.from({ length: extra }, (_, i) => ({ from: p + i, to: i, start: 0, end: elements, op: 'reduce' as const })),
    });
  }
  const owned = Array.from({ length: p }, () => ({ start: 0, end: elements }));
  const history: { distance: number; before: { start: number; end: number }[] }[] = [];
  for (let d = p / 2; d >= 1; d /= 2) {
    history.push({ distance: d, before: owned.map((o) => ({ ...o })) });
    const transfers: Transfer[] = [];
    for (let r = 0; r < p; r++) {
      const { start, end } = owned[r]!;
      const mid = start + Math.floor((end - start) / 2);
      const keepLow = (r & d) === 0;
      const partner = r ^ d;
      transfers.push(keepLow ? { from: r, to: partner, start: mid, end, op: 'reduce' } : { from: r, to: partner, start, end: mid, op: 'reduce' });
    }
    for (let r = 0; r < p; r++) {
      const { start, end } = owned[r]!;
      const mid = start + Math.floor((end - start) / 2);
      owned[r] = (r & d) === 0 ? { start, end: mid } : { start: mid, end };
    }
    steps.push({ label: `halving, distance ${d}`, transfers });
  }
  for (const { distance, before } of history.reverse()) {
    const transfers: Transfer[] = [];
    for (let r = 0; r < p; r++) {
      const { start, end } = owned[r]!;
      transfers.push({ from: r, to: r ^ distance, start, end, op: 'copy' });
    }
    for (let r = 0; r < p; r++) owned[r] = before[r]!;
    steps.push({ label: `doubling, distance ${distance}`, transfers });
  }
  if (extra > 0) {
    steps.push({
      label: `return the result to the ${extra} folded rank(s)`,
      transfers: Array.from({ length: extra }, (_, i) => ({ from: i, to: p + i, start: 0, end: elements, op: 'copy' as const })),
    });
  }
  return steps;
}

/** Direct: every rank sends its whole buffer to rank 0, which reduces them; rank 0 then sends the sum to every rank. */
function directSteps(ranks: number, elements: number): Step[] {
  const others = Array.from({ length: ranks - 1 }, (_, i) => i + 1);
  return [
    { label: 'reduce to rank 0', transfers: others.map((r) => ({ from: r, to: 0, start: 0, end: elements, op: 'reduce' as const })) },
    { label: 'broadcast from rank 0', transfers: others.map((r) => ({ from: 0, to: r, start: 0, end: elements, op: 'copy' as const })) },
  ];
}

/** The schedule of an all-reduce of `elements` values on `ranks` ranks with the given algorithm. */
export function allreduceSchedule(algorithm: AllreduceAlgorithm, ranks: number, elements: number): Schedule {
  checkShape(ranks, elements);
  const steps =
    algorithm === 'ring'
      ? [...ringReduceScatterSteps(ranks, elements), ...ringAllGatherSteps(ranks, elements)]
      : algorithm === 'halving-doubling'
        ? halvingDoublingSteps(ranks, elements)
        : directSteps(ranks, elements);
  return { collective: 'allreduce', algorithm, ranks, elements, steps };
}

/** Ring reduce-scatter: rank r ends with chunk r reduced over all ranks. */
export function reduceScatterSchedule(ranks: number, elements: number): Schedule {
  checkShape(ranks, elements);
  return { collective: 'reducescatter', algorithm: 'ring', ranks, elements, steps: ringReduceScatterSteps(ranks, elements) };
}

/** Ring all-gather: rank r starts with chunk r; every rank ends with every chunk. */
export function allGatherSchedule(ranks: number, elements: number): Schedule {
  checkShape(ranks, elements);
  return { collective: 'allgather', algorithm: 'ring', ranks, elements, steps: ringAllGatherSteps(ranks, elements) };
}

/**
 * Bytes of memory a schedule's kernels read plus write when every rank
 * lives in one memory, counted as STREAM counts (McCalpin): a reduce reads
 * the receiver's and the sender's piece and writes the sum (3 pieces), a
 * copy reads one and writes one (2). Every all-reduce algorithm here moves
 * 5(R-1)S in total, while busbw credits 2(R-1)/R S: on one shared memory,
 * busbw can reach at most 2/(5R) of the copy bandwidth (5% at R = 8).
 */
export function memoryTrafficBytes(schedule: Schedule): number {
  let elements = 0;
  for (const step of schedule.steps) for (const t of step.transfers) elements += (t.op === 'reduce' ? 3 : 2) * (t.end - t.start);
  return elements * 4;
}
