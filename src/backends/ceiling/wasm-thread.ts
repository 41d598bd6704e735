/**
 * One thread of the hand-written WebAssembly kernels: instantiates the module over the shared memory, then waits on
 * the control words for a call, computes its range of the output and says it is done. Started by wasm-threads.ts;
 * never run by hand. The control layout is CONTROL in wasm-control.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CONTROL, OP, type ThreadData } from './wasm-control.js';
import type { CeilingExports } from './wasm-module.js';

const { module, memory, control, thread } = workerData as ThreadData;
const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as CeilingExports;
const words = new Int32Array(control);
const scalar = new Float32Array(control, 4 * CONTROL.m, 1);

/** This thread's share of the current call. */
function compute(): void {
  const start = words[CONTROL.ranges + 2 * thread]!;
  const end = words[CONTROL.ranges + 2 * thread + 1]!;
  const [x, y, out] = [words[CONTROL.x]!, words[CONTROL.y]!, words[CONTROL.out]!];
  const op = words[CONTROL.op];
  if (op === OP.gemm) kernels.gemmRows(x, y, out, words[CONTROL.m]!, words[CONTROL.n]!, words[CONTROL.k]!, start, end);
  else if (op === OP.copy) kernels.copyRange(x, out, start, end);
  else if (op === OP.triad) kernels.triadRange(x, y, out, scalar[0]!, start, end);
  else throw new Error(`unknown operation ${op}`);
}

let call = 0;
parentPort?.postMessage('ready');
for (;;) {
  Atomics.wait(words, CONTROL.call, call);
  call = Atomics.load(words, CONTROL.call);
  if (call < 0) break; // disposed
  try {
    compute();
  } catch {
    // a trap (out of bounds, say): counted as done, so the caller wakes, and flagged, so it fails the call
    Atomics.store(words, CONTROL.failed, 1);
  }
  Atomics.add(words, CONTROL.done, 1);
  Atomics.notify(words, CONTROL.done);
}
