/** The words the runner and the threads of the hand-written WebAssembly GEMM share (Int32Array indices). */
export const CONTROL = {
  /** incremented for every call (the threads wait on it); -1 ends the threads */
  call: 0,
  /** threads finished with the current call */
  done: 1,
  /** set by a thread whose call trapped: the caller fails the call rather than trust a part of C */
  failed: 8,
  /** byte offsets of A, packed B and C in the shared memory */
  a: 2,
  packed: 3,
  c: 4,
  m: 5,
  n: 6,
  k: 7,
  /** then [start, end) rows per thread */
  ranges: 9,
} as const;

/** What each thread is started with. */
export interface ThreadData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  thread: number;
}
