/**
 * What a backend offers the worker: a probe, and GEMM kernels prepared for
 * one shape with its operands. Implemented once for gpu.js (all four modes)
 * and once as a fake for tests of the runner.
 */
import type { BackendStatus, Executed, TimingMode, VariantRecord } from '../results/schema.js';
import type { StreamKernel } from '../metrics/bandwidth.js';
import type { Schedule } from '../workloads/allreduce/schedule.js';
import type { GemmOperands } from '../workloads/gemm/inputs.js';
import type { GemmVariant, GemmVariantId } from '../workloads/gemm/variants.js';
import type { KernelInput, KernelSpec, KernelTiming } from '../suite/define.js';

/** Limits a backend reports at probe time, used to refuse sizes before allocating. */
export interface DeviceLimits {
  /** largest f32 buffer (bytes) the backend can bind to a kernel, if it has such a limit */
  maxBufferBytes?: number;
  /** largest texture side in texels (WebGL MAX_TEXTURE_SIZE) */
  maxTextureSize?: number;
  /** largest sum of A, B and C bytes the backend can hold at once (WebAssembly's 32-bit memory) */
  maxTotalBytes?: number;
  /** short name of the limit, for messages */
  source?: string;
}

/** A GEMM result as a backend returns it: flat row-major, or one Float32Array per row. */
export type GemmOutput = Float32Array | ArrayLike<ArrayLike<number>>;

/** A GEMM kernel prepared for one shape with its operands, gpu.js's or hand-written: what a GEMM case runs. */
export interface GemmKernel {
  /** An output of endToEnd() or readResident() as the real M x N result, row-major (outside timed regions only). */
  toRowMajor(output: GemmOutput): Float32Array;
  /**
   * What really executed the kernel of a timing mode, read from gpu.js
   * after it ran (valid after the first call of that mode).
   */
  executed(timing: TimingMode): Executed;
  /** What the timed region of each mode contains, in words, recorded with the case. */
  readonly timingNotes: Record<TimingMode, string>;
  /** Upload A and B, compute, read C back to host memory. */
  endToEnd(): Promise<GemmOutput> | GemmOutput;
  /** Compute C from operands already on the device into a device-resident output, then wait for it once; no upload, no readback. */
  resident(): Promise<void> | void;
  /** Reads back the output of the last resident() call (outside any timed region), for verification. */
  readResident(): Promise<GemmOutput> | GemmOutput;
  /**
   * Reads of C this prepared GEMM has made so far (readResident calls; a backend that reads C elsewhere counts those
   * too). The job compares it before and after timing resident samples: a read inside the timed region fails the
   * case, since resident must not move C. gpu.js reading C back by itself is caught apart: on a device, a resident
   * call must return a device handle.
   */
  readbacks(): number;
  /**
   * One more call of a timing mode with A doubled (laid out, and on a device uploaded, outside any timed region),
   * C read back. Doubling is exact in binary floating point, so every product and partial sum doubles exactly and
   * the right answer is 2C to the bit of the first one. A kernel that stopped computing but left an earlier correct
   * C in its output buffer (seen on headlessgl: a kernel whose context lost another kernel returned without
   * rendering) returns C, not 2C. Called after the timed samples, never inside them.
   */
  runDoubled(timing: TimingMode): Promise<GemmOutput> | GemmOutput;
  /**
   * The kernel's own time on the device for a few resident calls, in seconds (WebGPU timestamp-query), called after
   * the timed samples; absent where the device cannot time itself.
   */
  deviceTimes?(): Promise<number[]>;
  dispose(): void;
}

/** A gpu.js GEMM kernel. */
export interface PreparedGemm extends GemmKernel {
  /** the kernel variant this was prepared with */
  readonly variant: GemmVariant;
}

/**
 * A hand-written GEMM on the same API and device as the backend's gpu.js kernels: the ceiling a gpu.js figure is
 * set beside (gemm-ceiling/... cases).
 */
export interface CeilingGemm extends GemmKernel {
  /** the kernel as the case records it; candidates: the forms tried on this device, when it picked among several */
  readonly ceiling: { readonly id: string; readonly description: string; readonly candidates?: VariantRecord['candidates'] };
  /** threads the kernel runs on (WebAssembly), or 1 */
  readonly threads: number;
}

/** A collective schedule with the rank buffers on the backend, ready to run again and again from the same inputs. */
export interface PreparedCollective {
  /** What really executed the collective's kernels (valid after the first run). */
  executed(): Executed;
  /** What the timed region contains, in words. */
  readonly timingNote: string;
  /** One whole collective from the initial buffers, ending with one synchronisation. */
  run(): Promise<void> | void;
  /** Every rank's buffer after the last run (outside any timed region), for verification. */
  readBack(): Promise<Float32Array[]> | Float32Array[];
  dispose(): void;
}

/** A STREAM kernel with its inputs on the backend: the hand-written ceiling's form. */
export interface PreparedStream {
  executed(): Executed;
  readonly timingNote: string;
  /** One kernel call into a device-resident output, then one synchronisation. */
  run(): Promise<void> | void;
  /** The output of the last run (outside any timed region). */
  readBack(): Promise<ArrayLike<number>> | ArrayLike<number>;
  dispose(): void;
}

/** A hand-written STREAM kernel on the same API and device as the backend's gpu.js kernels (stream-ceiling-... cases). */
export interface CeilingStream extends PreparedStream {
  /** the kernel as the case records it */
  readonly ceiling: { readonly id: string; readonly description: string };
  /** threads the kernel runs on (WebAssembly), or 1 */
  readonly threads: number;
  /** the kernel's own time on the device for a few calls, in seconds, called after timing; absent where it cannot time itself */
  deviceTimes?(): Promise<number[]>;
}

/**
 * A suite file's kernel compiled for one size, with its inputs (docs/suites.md): end to end, a call passes host
 * arrays and reads its output back; resident, the inputs were put on the backend once and a call writes a reused
 * output there, then synchronises.
 */
export interface PreparedSuiteKernel {
  executed(): Executed;
  readonly timingNote: string;
  /** one call, as the timing says */
  run(): Promise<void>;
  /** the output of the last call in host memory (flat or nested rows), read outside any timed region */
  output(): Promise<unknown>;
  dispose(): void;
}

/** A GEMM variant's gpu.js kernel function. */
export type GemmSource = (...args: never[]) => unknown;

export interface ProbeResult {
  status: BackendStatus;
  limits: DeviceLimits;
}

export interface BackendSession {
  /** Whether the backend works here, what device it runs on, and its limits. */
  probe(): Promise<ProbeResult>;
  /**
   * Compiles a variant's kernel (its gpu.js source, from bench/builtin/gemm.bench.ts) for one shape with its operands
   * laid out and padded for the variant.
   */
  prepareGemm(ops: GemmOperands, variant: GemmVariantId, source: GemmSource): Promise<PreparedGemm>;
  /** Puts the rank buffers on the backend for the schedule; each reduce transfer runs `reduce`'s source over its piece. */
  prepareCollective(schedule: Schedule, buffers: Float32Array[], reduce: KernelSpec): Promise<PreparedCollective>;
  /**
   * The hand-written GEMM on this backend's API and device, for backends that have one (hasCeiling in results/case-id.ts). `isRight`
   * checks a C against the float64 result, for a kernel that picks among forms by trying them; `pinned` names the
   * form an earlier fork chose, tried alone.
   */
  prepareCeilingGemm?(ops: GemmOperands, isRight: (c: Float32Array) => boolean, pinned?: string): Promise<CeilingGemm>;
  /** The hand-written STREAM kernel on this backend's API and device, for backends that have one (hasCeiling in results/case-id.ts). */
  prepareCeilingStream?(kernel: StreamKernel, x: Float32Array, y: Float32Array, scalar: number): Promise<CeilingStream>;
  /**
   * A suite file's kernel (source, output, constants, settings) with its inputs, compiled on this backend and called
   * once (a compile failure fails the preparing, not the check), timed as `timing` says.
   */
  prepareSuiteKernel(spec: KernelSpec, inputs: readonly KernelInput[], timing: KernelTiming): Promise<PreparedSuiteKernel>;
  dispose(): Promise<void> | void;
}
