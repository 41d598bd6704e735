/**
 * The WebAssembly ceiling of a GEMM: the hand-written SIMD kernel (assembly/gemm.ts) on every core, over one
 * shared WebAssembly memory, timed by the same harness as gpu.js's webasm kernels. Resident: A and packed B sit in
 * the memory before timing and a sample is one call; end-to-end: a sample also copies A and B in, packs B and
 * copies C out, as gpu.js's end-to-end does with its uploads and readback.
 */
import { availableParallelism } from 'node:os';
import type { Device, Executed, TimingMode } from '../../results/schema.js';
import type { GemmOperands } from '../../workloads/gemm/inputs.js';
import type { CeilingGemm } from '../session.js';
import { rowRanges } from './row-split.js';
import { OP } from './wasm-control.js';
import { MICRO_ROWS, PANEL_COLUMNS, sharedInstance } from './wasm-module.js';
import { startWasmThreads } from './wasm-threads.js';
import { runWithADoubled } from './doubled-a.js';

/** The kernel as a case records it. */
export const WASM_CEILING = {
  id: 'wasm-simd-4x8',
  description:
    'hand-written WebAssembly SIMD GEMM (AssemblyScript, f32x4 mul and add, no FMA): B packed in 8-column panels, ' +
    'a 4x8 register-blocked micro-kernel, K in blocks of 256, rows in blocks of 64, the rows split over the threads',
} as const;

/** Byte offsets of the operands in the shared memory, each 16-byte aligned. */
interface Layout {
  a: number;
  b: number;
  packed: number;
  c: number;
  bytes: number;
}

function layoutOf(m: number, n: number, k: number): Layout {
  const align = (x: number) => Math.ceil(x / 16) * 16;
  const a = 64;
  const b = align(a + 4 * m * k);
  const packed = align(b + 4 * k * n);
  const c = align(packed + 4 * k * Math.ceil(n / PANEL_COLUMNS) * PANEL_COLUMNS);
  return { a, b, packed, c, bytes: c + 4 * m * n };
}

/** Prepares the ceiling for one shape's operands: memory laid out, A and packed B in place, threads started. */
export async function prepareWasmCeilingGemm(ops: GemmOperands, device: Device, threadCount = availableParallelism()): Promise<CeilingGemm> {
  const { m, n, k } = ops.shape;
  const layout = layoutOf(m, n, k);
  const { memory, kernels: host } = sharedInstance(layout.bytes, 'the WebAssembly ceiling GEMM');
  const threads = await startWasmThreads(memory, { x: layout.a, y: layout.packed, out: layout.c, m, n, k }, rowRanges(m, threadCount, MICRO_ROWS));
  const f32 = (offset: number, length: number) => new Float32Array(memory.buffer, offset, length);
  const place = (a: Float32Array) => {
    f32(layout.a, m * k).set(a);
    f32(layout.b, k * n).set(ops.b);
    host.packB(layout.b, layout.packed, k, n);
  };
  /** One call on every thread; the caller blocks until all are done (a sample's one synchronisation). */
  const compute = () => threads.call(OP.gemm);
  const readC = () => f32(layout.c, m * n).slice();
  place(ops.a);
  let readbacks = 0;
  const executed: Executed = { backend: 'webasm', kernelClass: `hand-written WebAssembly SIMD (${WASM_CEILING.id}), ${threadCount} thread(s)`, device };
  const endToEnd = (a: Float32Array) => {
    place(a);
    compute();
    return readC();
  };
  return {
    ceiling: WASM_CEILING,
    threads: threadCount,
    timingNotes: {
      resident: `A and B packed in shared WebAssembly memory before timing; a sample is one call: ${threadCount} thread(s) compute their rows of C, the caller waits on an atomic counter`,
      'end-to-end': `a sample copies A and B into WebAssembly memory, packs B, computes on ${threadCount} thread(s) and copies C out`,
    } satisfies Record<TimingMode, string>,
    toRowMajor: (output) => output as Float32Array,
    executed: () => executed,
    endToEnd: () => endToEnd(ops.a),
    resident: compute,
    readResident: () => {
      readbacks++;
      return readC();
    },
    readbacks: () => readbacks,
    runDoubled: (timing) => runWithADoubled(ops.a, timing, { place, compute, read: readC, endToEnd }),
    dispose: () => threads.dispose(),
  };
}
