/**
 * One thread of the hand-written WebAssembly GEMM: instantiates the module over the shared memory, then waits on
 * the control words for a call, computes its rows of C and says it is done. Started by wasm-gemm.ts; never run by
 * hand. The control layout is CONTROL in wasm-gemm-control.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CONTROL, type ThreadData } from './wasm-gemm-control.js';
import type { CeilingGemmExports } from './wasm-module.js';

const { module, memory, control, thread } = workerData as ThreadData;
const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as CeilingGemmExports;
const words = new Int32Array(control);
let call = 0;
parentPort?.postMessage('ready');
for (;;) {
  Atomics.wait(words, CONTROL.call, call);
  call = Atomics.load(words, CONTROL.call);
  if (call < 0) break; // disposed
  const start = words[CONTROL.ranges + 2 * thread]!;
  const end = words[CONTROL.ranges + 2 * thread + 1]!;
  try {
    gemm.gemmRows(words[CONTROL.a]!, words[CONTROL.packed]!, words[CONTROL.c]!, words[CONTROL.m]!, words[CONTROL.n]!, words[CONTROL.k]!, start, end);
  } catch {
    // a trap (out of bounds, say): counted as done, so the caller wakes, and flagged, so it fails the call
    Atomics.store(words, CONTROL.failed, 1);
  }
  Atomics.add(words, CONTROL.done, 1);
  Atomics.notify(words, CONTROL.done);
}
