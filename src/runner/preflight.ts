/**
 * Memory preflight: refuse a size before anything is allocated, naming the
 * limit it would break and the fix. Host memory is checked for every
 * backend (operands, the float64 reference and output copies); device
 * limits come from each backend's probe.
 */
import { freemem } from 'node:os';
import { InputError } from '../errors/input-error.js';
import { formatShape, type GemmShape } from '../metrics/gemm-work.js';
import type { DeviceLimits } from '../backends/session.js';

const GiB = 1024 ** 3;

function gib(bytes: number): string {
  return `${(bytes / GiB).toFixed(2)} GiB`;
}

/**
 * Host bytes a GEMM case needs at its peak in one worker: A and B in f32
 * (and gpu.js's copy of them), the float64 reference and its normalising
 * sums (16 bytes per element of C), and up to four f32 copies of C
 * (end-to-end output, resident readback, flattened copy, gpu.js's own).
 */
export function hostBytesForGemm(shape: GemmShape): number {
  const { m, n, k } = shape;
  return 8 * (m * k + k * n) + 16 * m * n + 16 * m * n;
}

/** Throws InputError when a shape cannot fit in the host memory available now. */
export function checkHostMemory(shapes: GemmShape[], availableBytes = freemem()): void {
  for (const shape of shapes) {
    const need = hostBytesForGemm(shape);
    if (need > availableBytes) {
      throw new InputError(
        `--sizes: ${formatShape(shape)} needs about ${gib(need)} of host memory but ${gib(availableBytes)} is available; give smaller --sizes`,
      );
    }
  }
}

/**
 * Host bytes a collective needs at its peak in one worker: the R input
 * buffers, their copy on the backend and the read-back copy (3RS), plus the
 * pieces one run creates before they are freed at its end (at most 2RS:
 * ring all-reduce writes 2(R-1) chunks of S/R per rank).
 */
export function hostBytesForCollective(ranks: number, bytes: number): number {
  return 5 * ranks * bytes;
}

/** Throws InputError when a collective cannot fit in the host memory available now. */
export function checkCollectiveHostMemory(ranks: number, sizes: number[], availableBytes = freemem()): void {
  for (const bytes of sizes) {
    const need = hostBytesForCollective(ranks, bytes);
    if (need > availableBytes) {
      throw new InputError(
        `--max-bytes: ${ranks} ranks of ${bytes} bytes need about ${gib(need)} of host memory but ${gib(availableBytes)} is available; give a smaller --max-bytes or fewer --ranks`,
      );
    }
  }
}

/** The reason a collective's largest piece (a whole rank buffer, for direct) does not fit a backend's limits, or null. */
export function collectiveLimitProblem(bytes: number, limits: DeviceLimits): string | null {
  const elements = bytes / 4;
  if (limits.maxTextureSize !== undefined && Math.ceil(Math.sqrt(elements)) > limits.maxTextureSize) {
    return `a ${bytes}-byte buffer needs a texture side of ${Math.ceil(Math.sqrt(elements))} but ${limits.source ?? 'the device'} is ${limits.maxTextureSize}`;
  }
  if (limits.maxBufferBytes !== undefined && bytes > limits.maxBufferBytes) {
    return `a ${gib(bytes)} rank buffer exceeds ${limits.source ?? 'the device'}'s ${gib(limits.maxBufferBytes)}`;
  }
  if (limits.maxTotalBytes !== undefined && 3 * bytes > limits.maxTotalBytes) {
    return `a reduction over ${gib(bytes)} buffers needs ${gib(3 * bytes)} but ${limits.source ?? 'the device'} holds ${gib(limits.maxTotalBytes)}`;
  }
  return null;
}

/** The reason a shape does not fit a backend's device limits, or null when it fits. */
export function deviceLimitProblem(shape: GemmShape, limits: DeviceLimits): string | null {
  const { m, n, k } = shape;
  const bytes = { A: 4 * m * k, B: 4 * k * n, C: 4 * m * n };
  if (limits.maxTextureSize !== undefined) {
    const side = Math.max(m, n, k);
    if (side > limits.maxTextureSize) {
      return `${formatShape(shape)} needs a texture side of ${side} but ${limits.source ?? 'the device'} is ${limits.maxTextureSize}`;
    }
  }
  if (limits.maxBufferBytes !== undefined) {
    for (const [name, size] of Object.entries(bytes)) {
      if (size > limits.maxBufferBytes) {
        return `${formatShape(shape)} needs a ${gib(size)} buffer for ${name} but ${limits.source ?? 'the device'} allows ${gib(limits.maxBufferBytes)}`;
      }
    }
  }
  if (limits.maxTotalBytes !== undefined) {
    const total = bytes.A + bytes.B + bytes.C;
    if (total > limits.maxTotalBytes) {
      return `${formatShape(shape)} needs ${gib(total)} for A, B and C together but ${limits.source ?? 'the device'} holds ${gib(limits.maxTotalBytes)}`;
    }
  }
  return null;
}
