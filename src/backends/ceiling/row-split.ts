/**
 * How a GEMM's rows are shared among threads: in blocks of the micro-kernel's height, as evenly as whole blocks
 * allow, every row in exactly one range (a thread gets an empty range when there are fewer blocks than threads).
 */

/** [start, end) row ranges, one per thread, in thread order: blocks of `step` rows, thread t taking blocks floor(t*B/T) to floor((t+1)*B/T). */
export function rowRanges(rows: number, threads: number, step: number): Array<[number, number]> {
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`rows must be a whole number, got ${rows}`);
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be at least 1, got ${threads}`);
  const blocks = Math.ceil(rows / step);
  const at = (t: number) => Math.min(rows, step * Math.floor((t * blocks) / threads));
  return Array.from({ length: threads }, (_, t) => [at(t), at(t + 1)] as [number, number]);
}
