/**
 * STREAM-style memory-bandwidth kernels (McCalpin), as gpu.js kernels:
 * copy c = a, triad a = b + s*c. Inputs are small integers and s = 3, so the
 * expected output is exact in f32 and every element is checked.
 */
import type { StreamKernel } from '../../metrics/bandwidth.js';

/** The triad scalar, as in STREAM. */
export const TRIAD_SCALAR = 3;

/** Integer inputs in [-8, 8]: x for copy's source and triad's b, y for triad's c. */
export function streamInputs(elements: number): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(elements);
  const y = new Float32Array(elements);
  for (let i = 0; i < elements; i++) {
    x[i] = ((i * 7) % 17) - 8;
    y[i] = ((i * 5 + 3) % 17) - 8;
  }
  return { x, y };
}

/** Elements of a kernel's output that differ from the exact result. */
export function countStreamWrong(kernel: StreamKernel, x: Float32Array, y: Float32Array, output: ArrayLike<number>): number {
  if (output.length !== x.length) return x.length;
  let wrong = 0;
  for (let i = 0; i < x.length; i++) {
    const expected = kernel === 'copy' ? x[i]! : x[i]! + TRIAD_SCALAR * y[i]!;
    if (output[i] !== expected) wrong++;
  }
  return wrong;
}
