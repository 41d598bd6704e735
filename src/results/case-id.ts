/**
 * Stable case ids. An id never changes meaning, so runs months apart can be
 * joined on it:
 * - GEMM: gemm/<backend>/f32/m<M>-n<N>-k<K>/<timing>, e.g. gemm/webasm/f32/m1024-n1024-k1024/resident: the naive
 *   README kernel; gemm-tuned/<backend>/...: the variant the autotuner picked, named in the case;
 *   gemm-ceiling/<backend>/...: the hand-written kernel on the backend's API and device, not gpu.js
 * - collectives: <collective>-<algorithm>/<backend>/f32/r<R>-<size>, e.g. allreduce-ring/webgpu/f32/r8-64MiB
 * - memory bandwidth: stream-<kernel>/<backend>/f32/<array size>, e.g. stream-copy/webasm/f32/64MiB: gpu.js's
 *   STREAM kernel; stream-ceiling-<kernel>/<backend>/...: the hand-written kernel on the backend's API and device
 * - a suite file's kernel: <suite>.<case>/<backend>/f32/<size>/<timing>, e.g.
 *   softmax.rows/webgpu/f32/rows256-cols1024/end-to-end (docs/suites.md); the '.' keeps them apart from the built-ins
 */
import type { GemmShape } from '../metrics/gemm-work.js';
import type { TimingMode } from './schema.js';

export function shapeLabel(shape: GemmShape): string {
  return `m${shape.m}-n${shape.n}-k${shape.k}`;
}

/** Which kernel a GEMM case runs: the naive README kernel, the tuned gpu.js variant, or the hand-written ceiling. */
export type GemmCaseKind = 'naive' | 'tuned' | 'ceiling';

const GEMM_ID_FAMILY: Record<GemmCaseKind, string> = { naive: 'gemm', tuned: 'gemm-tuned', ceiling: 'gemm-ceiling' };

/** The case id of a GEMM kernel kind at a shape and timing. */
export function gemmCaseId(backend: string, shape: GemmShape, timing: TimingMode, kind: GemmCaseKind = 'naive'): string {
  return `${GEMM_ID_FAMILY[kind]}/${backend}/f32/${shapeLabel(shape)}/${timing}`;
}

/** Whether an id is a tuned GEMM case's (gemmCaseId with `tuned`). */
export function isTunedGemmId(id: string): boolean {
  return id.startsWith('gemm-tuned/');
}

/** Whether an id is a hand-written ceiling case's (GEMM or STREAM), not gpu.js's. */
export function isCeilingId(id: string): boolean {
  return id.startsWith('gemm-ceiling/') || id.startsWith('stream-ceiling-');
}

/**
 * The backends with a hand-written kernel of a workload on the same API and device (gemm-ceiling/... and
 * stream-ceiling-... cases): WebAssembly and WebGPU both; WebGL a GEMM only (the STREAM ceilings are asked of
 * WebAssembly and WebGPU, where copy bandwidth sets the collectives' busbw in context).
 */
const CEILING_BACKENDS: Record<'gemm' | 'stream', readonly string[]> = { gemm: ['webasm', 'headlessgl', 'webgpu'], stream: ['webasm', 'webgpu'] };

export function hasCeiling(backend: string, workload: 'gemm' | 'stream'): boolean {
  return CEILING_BACKENDS[workload].includes(backend);
}

/** Bytes in the largest binary unit that divides them exactly: 4096 -> 4KiB, 67108864 -> 64MiB, 1000 -> 1000B. */
export function bytesLabel(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}B`;
}

/** The case id of a STREAM kernel at an array size: gpu.js's, or the hand-written ceiling's. */
export function streamCaseId(kernel: string, backend: string, bytes: number, ceiling = false): string {
  return `stream-${ceiling ? 'ceiling-' : ''}${kernel}/${backend}/f32/${bytesLabel(bytes)}`;
}

export function collectiveCaseId(collective: string, algorithm: string, backend: string, ranks: number, bytes: number): string {
  return `${collective}-${algorithm}/${backend}/f32/r${ranks}-${bytesLabel(bytes)}`;
}

/** The case id of a suite file's kernel at one size (timed end to end: inputs uploaded, output read back). */
export function kernelCaseId(suite: string, name: string, backend: string, sizeLabel: string, timing: 'end-to-end' | 'resident' = 'end-to-end'): string {
  return `${suite}.${name}/${backend}/f32/${sizeLabel}/${timing}`;
}
