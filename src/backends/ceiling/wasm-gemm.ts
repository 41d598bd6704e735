/**
 * The WebAssembly ceiling of a GEMM: the hand-written SIMD kernel (assembly/gemm.ts) on every core, over one
 * shared WebAssembly memory, timed by the same harness as gpu.js's webasm kernels. Resident: A and packed B sit in
 * the memory before timing and a sample is one call; end-to-end: a sample also copies A and B in, packs B and
 * copies C out, as gpu.js's end-to-end does with its uploads and readback.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../../env/package-info.js';
import type { Device, Executed, TimingMode } from '../../results/schema.js';
import type { GemmOperands } from '../../workloads/gemm/inputs.js';
import type { CeilingGemm } from '../session.js';
import { rowRanges } from './row-split.js';
import { CONTROL, type ThreadData } from './wasm-gemm-control.js';
import { ceilingGemmModule, MICRO_ROWS, PANEL_COLUMNS, type CeilingGemmExports } from './wasm-module.js';

/** The kernel as a case records it. */
export const WASM_CEILING = {
  id: 'wasm-simd-4x8',
  description:
    'hand-written WebAssembly SIMD GEMM (AssemblyScript, f32x4 mul and add, no FMA): B packed in 8-column panels, ' +
    'a 4x8 register-blocked micro-kernel, K in blocks of 256, rows in blocks of 64, the rows split over the threads',
} as const;

const WASM_PAGE_BYTES = 65536;
/** The module addresses memory with i32 offsets, and the control words hold them: 2 GiB at most. */
const MAX_MEMORY_BYTES = 2 ** 31 - WASM_PAGE_BYTES;

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

/** The thread script: beside this file when built, else in the package's dist/ (tests that import src/). */
function threadEntry(): string {
  const sibling = fileURLToPath(new URL('./wasm-gemm-thread.js', import.meta.url));
  return existsSync(sibling) ? sibling : join(packageRoot(), 'dist', 'src', 'backends', 'ceiling', 'wasm-gemm-thread.js');
}

/** Starts `count` threads over the memory and waits until each has instantiated the module. */
async function startThreads(memory: WebAssembly.Memory, control: SharedArrayBuffer, count: number): Promise<Worker[]> {
  const module = ceilingGemmModule();
  const threads = Array.from({ length: count }, (_, thread) => new Worker(threadEntry(), { workerData: { module, memory, control, thread } satisfies ThreadData }));
  await Promise.all(
    threads.map(
      (t) =>
        new Promise<void>((resolve, reject) => {
          t.once('message', () => resolve());
          t.once('error', reject);
        }),
    ),
  );
  return threads;
}

/** Prepares the ceiling for one shape's operands: memory laid out, A and packed B in place, threads started. */
export async function prepareWasmCeilingGemm(ops: GemmOperands, device: Device, threadCount = availableParallelism()): Promise<CeilingGemm> {
  const { m, n, k } = ops.shape;
  const layout = layoutOf(m, n, k);
  if (layout.bytes > MAX_MEMORY_BYTES) throw new Error(`the WebAssembly ceiling needs ${layout.bytes} bytes of memory, more than its ${MAX_MEMORY_BYTES}`);
  const pages = Math.ceil(layout.bytes / WASM_PAGE_BYTES);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const control = new SharedArrayBuffer(4 * (CONTROL.ranges + 2 * threadCount));
  const words = new Int32Array(control);
  words[CONTROL.a] = layout.a;
  words[CONTROL.packed] = layout.packed;
  words[CONTROL.c] = layout.c;
  words[CONTROL.m] = m;
  words[CONTROL.n] = n;
  words[CONTROL.k] = k;
  rowRanges(m, threadCount, MICRO_ROWS).forEach(([start, end], t) => {
    words[CONTROL.ranges + 2 * t] = start;
    words[CONTROL.ranges + 2 * t + 1] = end;
  });
  const host = new WebAssembly.Instance(ceilingGemmModule(), { env: { memory } }).exports as unknown as CeilingGemmExports;
  const threads = await startThreads(memory, control, threadCount);
  const f32 = (offset: number, length: number) => new Float32Array(memory.buffer, offset, length);
  const place = (a: Float32Array) => {
    f32(layout.a, m * k).set(a);
    f32(layout.b, k * n).set(ops.b);
    host.packB(layout.b, layout.packed, k, n);
  };
  /** One call on every thread; the caller blocks on the done counter (a sample's one synchronisation). */
  const compute = () => {
    Atomics.store(words, CONTROL.done, 0);
    Atomics.add(words, CONTROL.call, 1);
    Atomics.notify(words, CONTROL.call);
    for (let done = Atomics.load(words, CONTROL.done); done < threadCount; done = Atomics.load(words, CONTROL.done)) {
      Atomics.wait(words, CONTROL.done, done);
    }
    if (Atomics.load(words, CONTROL.failed)) throw new Error('a thread of the WebAssembly kernel trapped; C is not whole');
  };
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
    runDoubled: (timing) => {
      const doubled = ops.a.map((x) => 2 * x);
      const out = timing === 'end-to-end' ? endToEnd(doubled) : (place(doubled), compute(), readC());
      place(ops.a);
      return out;
    },
    dispose: () => {
      Atomics.store(words, CONTROL.call, -1);
      Atomics.notify(words, CONTROL.call);
      for (const t of threads) void t.terminate();
    },
  };
}
