/**
 * The words the runner and the threads of the hand-written WebAssembly kernels share (Int32Array indices of the
 * control SharedArrayBuffer), and the operations a call can ask for.
 */
export const CONTROL = {
  /** incremented for every call (the threads wait on it); -1 ends the threads */
  call: 0,
  /** threads finished with the current call */
  done: 1,
  /** set by a thread whose call trapped: the caller fails the call rather than trust a part of the output */
  failed: 2,
  /** the operation of the current call (OP) */
  op: 3,
  /** byte offsets in the shared memory: GEMM: A, packed B, C; STREAM: x, y, out */
  x: 4,
  y: 5,
  out: 6,
  /** GEMM: M, N, K; STREAM: the triad's scalar's bits in m (f32), n and k unused */
  m: 7,
  n: 8,
  k: 9,
  /** then [start, end) per thread: rows of C (GEMM) or elements (STREAM) */
  ranges: 10,
} as const;

/** What a call computes on each thread's range. */
export const OP = { gemm: 0, copy: 1, triad: 2 } as const;
export type WasmOp = (typeof OP)[keyof typeof OP];

/** What each thread is started with. */
export interface ThreadData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  thread: number;
}
