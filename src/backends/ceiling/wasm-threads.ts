/**
 * The threads of the hand-written WebAssembly kernels: worker threads over one shared memory, woken for a call by
 * an atomic counter, each computing its own range (wasm-thread.ts). The caller blocks on the done counter, so a
 * call is one synchronisation, as a gpu.js resident sample waits once.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../../env/package-info.js';
import { CONTROL, type ThreadData, type WasmOp } from './wasm-control.js';
import { ceilingModule } from './wasm-module.js';

/** Operand offsets and sizes a call's threads read (CONTROL's x, y, out, m, n, k), set once per prepared kernel. */
export interface ThreadOperands {
  x: number;
  y: number;
  out: number;
  m?: number;
  n?: number;
  k?: number;
  /** the triad's scalar, stored as f32 bits in m */
  scalar?: number;
}

export interface WasmThreads {
  readonly count: number;
  /**
   * Runs `op` on every thread over its range and returns when all are done; throws when one trapped. The caller
   * blocks its event loop while it waits, so a thread that dies outright is not seen here: the case's watchdog
   * (--case-timeout) ends the worker process.
   */
  call(op: WasmOp): void;
  dispose(): void;
}

/** The thread script: beside this file when built, else in the package's dist/ (tests that import src/). */
function threadEntry(): string {
  const sibling = fileURLToPath(new URL('./wasm-thread.js', import.meta.url));
  return existsSync(sibling) ? sibling : join(packageRoot(), 'dist', 'src', 'backends', 'ceiling', 'wasm-thread.js');
}

/** Starts one thread per range over the memory, with the operands and [start, end) ranges, once each has instantiated the module. */
export async function startWasmThreads(memory: WebAssembly.Memory, operands: ThreadOperands, ranges: ReadonlyArray<readonly [number, number]>): Promise<WasmThreads> {
  const count = ranges.length;
  const control = new SharedArrayBuffer(4 * (CONTROL.ranges + 2 * count));
  const words = new Int32Array(control);
  words[CONTROL.x] = operands.x;
  words[CONTROL.y] = operands.y;
  words[CONTROL.out] = operands.out;
  words[CONTROL.m] = operands.m ?? 0;
  words[CONTROL.n] = operands.n ?? 0;
  words[CONTROL.k] = operands.k ?? 0;
  if (operands.scalar !== undefined) new Float32Array(control, 4 * CONTROL.m, 1)[0] = operands.scalar;
  ranges.forEach(([start, end], t) => {
    words[CONTROL.ranges + 2 * t] = start;
    words[CONTROL.ranges + 2 * t + 1] = end;
  });
  const module = ceilingModule();
  const threads = Array.from({ length: count }, (_, thread) => new Worker(threadEntry(), { workerData: { module, memory, control, thread } satisfies ThreadData }));
  const stop = () => {
    Atomics.store(words, CONTROL.call, -1);
    Atomics.notify(words, CONTROL.call);
    for (const t of threads) void t.terminate();
  };
  try {
    await Promise.all(
      threads.map(
        (t) =>
          new Promise<void>((resolve, reject) => {
            t.once('message', () => resolve());
            t.once('error', reject);
          }),
      ),
    );
  } catch (error) {
    stop(); // the threads that did start would otherwise wait for a call forever and keep the process alive
    throw error;
  }
  return {
    count,
    call: (op) => {
      words[CONTROL.op] = op;
      Atomics.store(words, CONTROL.done, 0);
      Atomics.add(words, CONTROL.call, 1);
      Atomics.notify(words, CONTROL.call);
      for (let done = Atomics.load(words, CONTROL.done); done < count; done = Atomics.load(words, CONTROL.done)) {
        Atomics.wait(words, CONTROL.done, done);
      }
      if (Atomics.load(words, CONTROL.failed)) throw new Error('a thread of the WebAssembly kernel trapped; the output is not whole');
    },
    dispose: stop,
  };
}
