/**
 * The collectives chipbench measures on every backend: all-reduce (ring, halving-doubling, direct), reduce-scatter
 * and all-gather (ring) over R simulated ranks in one device's memory, at the run's byte sweep (-b/-e/-f: S, the
 * bytes of each rank's buffer) and rank count (--ranks). The schedule of transfers is the engine's
 * (src/workloads/allreduce/schedule.ts); each reduce transfer runs this file's gpu.js kernel over its piece, each
 * copy transfer a gpu.js copy, all on device-resident buffers with one synchronisation at the end (resident timing).
 *
 * The inputs are small integers (-8..8), so every sum over up to 2^20 ranks is an integer below 2^24 and exact in
 * f32: a correct collective gives exactly the expected value, and any difference is a wrong element (#wrong in
 * nccl-tests), never rounding. algbw is S over the time and busbw algbw times nccl-tests' factor (2(R-1)/R for
 * all-reduce, (R-1)/R for the others). Each case is bound to its built-in workload, so its ids and records stay
 * those of every earlier run: allreduce-ring/<backend>/f32/r8-64KiB.
 */
import { defineSuite, type CheckResult, type HostInput, type KernelInput, type KernelThis } from '../../src/suite/index.js';
import { builtinCase, type CollectiveBinding } from '../../src/suite/builtin.js';
import { chunkRange } from '../../src/workloads/allreduce/schedule.js';

const F32_BYTES = 4;

/** A size: the ranks and S, the bytes of each rank's buffer. */
type CollectiveSize = { ranks: number; bytes: number };

/** Element i of rank r: an integer in [-8, 8], deterministic and different across ranks. */
export function rankValue(rank: number, index: number): number {
  return ((rank * 131 + index * 7 + ((index * index) % 13)) % 17) - 8;
}

/** The initial buffers: for all-gather only chunk r of rank r is meaningful, the rest is NaN so a missed copy shows. */
export function rankBuffers(collective: CollectiveBinding['collective'], ranks: number, elements: number): Float32Array[] {
  return Array.from({ length: ranks }, (_, r) => {
    const buffer = new Float32Array(elements);
    if (collective === 'allgather') {
      buffer.fill(NaN);
      const { start, end } = chunkRange(elements, ranks, r);
      for (let i = start; i < end; i++) buffer[i] = rankValue(r, i);
    } else {
      for (let i = 0; i < elements; i++) buffer[i] = rankValue(r, i);
    }
    return buffer;
  });
}

/**
 * The wrong elements of the final state, over every element every rank must hold (nccl-tests' #wrong):
 * all-reduce: every element of every rank equals the sum over ranks; reduce-scatter: chunk r of rank r equals the
 * sum over ranks; all-gather: chunk c of every rank equals rank c's input chunk c.
 */
export function countWrong(collective: CollectiveBinding['collective'], ranks: number, elements: number, buffers: readonly ArrayLike<number>[]): number {
  const sum = (i: number) => {
    let s = 0;
    for (let r = 0; r < ranks; r++) s += rankValue(r, i);
    return s;
  };
  let wrong = 0;
  for (let r = 0; r < ranks; r++) {
    const buffer = buffers[r]!;
    if (collective === 'reducescatter') {
      const { start, end } = chunkRange(elements, ranks, r);
      for (let i = start; i < end; i++) if (buffer[i] !== sum(i)) wrong++;
    } else if (collective === 'allgather') {
      for (let c = 0; c < ranks; c++) {
        const { start, end } = chunkRange(elements, ranks, c);
        for (let i = start; i < end; i++) if (buffer[i] !== rankValue(c, i)) wrong++;
      }
    } else {
      for (let i = 0; i < elements; i++) if (buffer[i] !== sum(i)) wrong++;
    }
  }
  return wrong;
}

/* eslint-disable -- gpu.js transpiles this function body; `this` is gpu.js's kernel context. */
/** A reduce transfer over one piece: out[i] = a[i] + b[i], the receiver's piece plus the sender's. */
function addPieces(this: KernelThis, a: number[], b: number[]): number {
  return a[this.thread.x]! + b[this.thread.x]!;
}
/* eslint-enable */

/** One collective and algorithm as a case: its name is the id's first part, allreduce-ring. */
function collectiveCase(binding: CollectiveBinding) {
  const { collective } = binding;
  return builtinCase<CollectiveSize>(binding, {
    name: `${collective}-${binding.algorithm}`,
    timing: 'resident',
    sizes: (run) => run.bytes.map((bytes): CollectiveSize => ({ ranks: run.ranks, bytes })),
    // the reduction; the engine compiles it once per piece length the schedule cuts the buffers into
    kernel: ({ bytes }: CollectiveSize) => ({ source: addPieces, output: [bytes / F32_BYTES] }),
    // every rank's buffer, rank after rank: [elements, ranks]
    inputs: ({ ranks, bytes }: CollectiveSize): KernelInput[] => {
      const elements = bytes / F32_BYTES;
      const values = new Float32Array(ranks * elements);
      rankBuffers(collective, ranks, elements).forEach((buffer, r) => values.set(buffer, r * elements));
      return [{ values, dims: [elements, ranks] }];
    },
    // the final state of every rank, rank after rank
    check: (output: Float32Array, _inputs: readonly HostInput[], { ranks, bytes }: CollectiveSize): CheckResult => {
      const elements = bytes / F32_BYTES;
      const buffers = Array.from({ length: ranks }, (_, r) => output.subarray(r * elements, (r + 1) * elements));
      return { wrong: countWrong(collective, ranks, elements, buffers), note: 'integer inputs: every right element is exact' };
    },
    // S, as nccl-tests' algbw counts it; busbw follows from the collective and the ranks
    work: ({ bytes }: CollectiveSize) => ({ bytes }),
  });
}

export default defineSuite({
  name: 'collectives',
  cases: [
    collectiveCase({ workload: 'collective', collective: 'allreduce', algorithm: 'ring' }),
    collectiveCase({ workload: 'collective', collective: 'allreduce', algorithm: 'halving-doubling' }),
    collectiveCase({ workload: 'collective', collective: 'allreduce', algorithm: 'direct' }),
    collectiveCase({ workload: 'collective', collective: 'reducescatter', algorithm: 'ring' }),
    collectiveCase({ workload: 'collective', collective: 'allgather', algorithm: 'ring' }),
  ],
});
