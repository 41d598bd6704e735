/**
 * The WebAssembly ceiling of STREAM copy and triad: the hand-written SIMD kernels (assembly/stream.ts) over one
 * shared WebAssembly memory, on every core for arrays large enough to repay waking the threads, timed by the same
 * harness as gpu.js's webasm STREAM. The inputs sit in the memory before timing; a sample is one call into the
 * preallocated output, as STREAM's is.
 */
import { availableParallelism } from 'node:os';
import type { StreamKernel } from '../../metrics/bandwidth.js';
import type { Device, Executed } from '../../results/schema.js';
import type { CeilingStream } from '../session.js';
import { rowRanges } from './row-split.js';
import { OP } from './wasm-control.js';
import { sharedInstance } from './wasm-module.js';
import { startWasmThreads, type WasmThreads } from './wasm-threads.js';

export const WASM_STREAM_CEILING = {
  id: 'wasm-simd-stream',
  description:
    'hand-written WebAssembly SIMD STREAM kernel (AssemblyScript): four f32x4 loads and stores a step (triad: mul then add), ' +
    'the elements split over the threads in whole cache lines; arrays under 8 MiB on the calling thread alone',
} as const;

/**
 * Arrays smaller than this run on the calling thread alone: waking the threads and waiting for them costs about
 * 50 us here, more than the kernel. Medians on the 2 vCPU Zen 5 VM, 2026-12-02, one thread against two: copy of
 * 1 MiB 21 against 61 us, of 4 MiB 98 against 155 us, of 64 MiB 3.46 against 3.55 ms; triad of 4 MiB 143 against
 * 118 us, of 64 MiB 5.47 against 4.63 ms (docs/ceilings.md).
 */
export const THREADED_MIN_BYTES = 8 * 2 ** 20;

/** Elements a thread's range is a multiple of: 16 f32, one 64-byte cache line, so no two threads write one line. */
const LINE_ELEMENTS = 16;

export async function prepareWasmCeilingStream(
  kernel: StreamKernel,
  x: Float32Array,
  y: Float32Array,
  scalar: number,
  device: Device,
  threadCount = x.byteLength >= THREADED_MIN_BYTES ? availableParallelism() : 1,
): Promise<CeilingStream> {
  const elements = x.length;
  const line = 4 * LINE_ELEMENTS;
  const span = Math.ceil(x.byteLength / line) * line;
  const offsets = { x: line, y: line + span, out: line + (kernel === 'triad' ? 2 : 1) * span };
  const { memory, kernels } = sharedInstance(offsets.out + span, 'the WebAssembly ceiling STREAM');
  const f32 = (offset: number) => new Float32Array(memory.buffer, offset, elements);
  f32(offsets.x).set(x);
  if (kernel === 'triad') f32(offsets.y).set(y);
  const op = kernel === 'copy' ? OP.copy : OP.triad;
  let threads: WasmThreads | undefined;
  if (threadCount > 1) threads = await startWasmThreads(memory, { ...offsets, scalar }, rowRanges(elements, threadCount, LINE_ELEMENTS));
  const alone = () =>
    kernel === 'copy' ? kernels.copyRange(offsets.x, offsets.out, 0, elements) : kernels.triadRange(offsets.x, offsets.y, offsets.out, scalar, 0, elements);
  const executed: Executed = { backend: 'webasm', kernelClass: `hand-written WebAssembly SIMD (${WASM_STREAM_CEILING.id}), ${threadCount} thread(s)`, device };
  return {
    ceiling: WASM_STREAM_CEILING,
    threads: threadCount,
    executed: () => executed,
    timingNote:
      threadCount > 1
        ? `inputs in shared WebAssembly memory before timing; a sample is one call: ${threadCount} threads each compute their range of the output, the caller waits on an atomic counter`
        : 'inputs in WebAssembly memory before timing; a sample is one call of the kernel on the calling thread into the preallocated output',
    run: () => (threads ? threads.call(op) : alone()),
    readBack: () => f32(offsets.out).slice(),
    dispose: () => threads?.dispose(),
  };
}
