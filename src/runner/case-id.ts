/**
 * Stable case ids. An id never changes meaning, so runs months apart can be
 * joined on it: workload/backend/precision/shape/timing, e.g.
 * gemm/webasm/f32/m1024-n1024-k1024/resident.
 */
import type { GemmShape } from '../metrics/gemm-work.js';
import type { TimingMode } from '../results/schema.js';

export function shapeLabel(shape: GemmShape): string {
  return `m${shape.m}-n${shape.n}-k${shape.k}`;
}

export function gemmCaseId(backend: string, shape: GemmShape, timing: TimingMode): string {
  return `gemm/${backend}/f32/${shapeLabel(shape)}/${timing}`;
}
