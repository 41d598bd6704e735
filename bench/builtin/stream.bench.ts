/**
 * STREAM (McCalpin) as chipbench measures it on every backend: copy c = a and triad a = b + s*c, gpu.js kernels
 * over f32 arrays, timed resident (inputs put on the backend once, a reused output left there), at the run's byte
 * sweep (-b/-e/-f, the collectives' S), so every busbw has its backend's copy bandwidth at the same size beside it.
 * The hand-written kernels on the same APIs (stream-ceiling-..., src/backends/ceiling/) are fed these cases' arrays.
 *
 * The inputs are small integers and s = 3, so the right output is exact in f32 and every element must equal the
 * reference (tolerance 0). GB/s counts bytes read plus written once each, STREAM's convention: copy moves 2 arrays,
 * triad 3. Each case is bound to the built-in STREAM workload, so its ids and records stay those of every earlier
 * run: stream-copy/<backend>/f32/64KiB.
 */
import { defineSuite, type KernelThis } from '../../src/suite/index.js';
import { builtinCase } from '../../src/suite/builtin.js';

/** The triad scalar, as in STREAM. */
const TRIAD_SCALAR = 3;
const F32_BYTES = 4;

/** Integers in [-8, 8]: x is copy's source and triad's b; y is triad's c. */
export function streamArrays(elements: number): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(elements);
  const y = new Float32Array(elements);
  for (let i = 0; i < elements; i++) {
    x[i] = ((i * 7) % 17) - 8;
    y[i] = ((i * 5 + 3) % 17) - 8;
  }
  return { x, y };
}

/* eslint-disable -- gpu.js transpiles these function bodies; `this` is gpu.js's kernel context. */
function copy(this: KernelThis, a: number[]): number {
  return a[this.thread.x]!;
}

function triad(this: KernelThis<{ s: number }>, b: number[], c: number[]): number {
  return b[this.thread.x]! + this.constants.s * c[this.thread.x]!;
}
/* eslint-enable */

/** Sizes are bytes of one array: the run's byte sweep. */
const sweep = (run: { bytes: readonly number[] }) => run.bytes;

export default defineSuite({
  name: 'stream',
  cases: [
    builtinCase(
      { workload: 'stream', kernel: 'copy' },
      {
        name: 'copy',
        timing: 'resident',
        sizes: sweep,
        kernel: (bytes: number) => ({ source: copy, output: [bytes / F32_BYTES], settings: { tactic: 'precision' } }),
        inputs: (bytes: number) => [streamArrays(bytes / F32_BYTES).x],
        reference: ([a]) => a as Float32Array,
        tolerance: { absolute: 0 },
        work: (bytes: number) => ({ bytes: 2 * bytes }),
      },
    ),
    builtinCase(
      { workload: 'stream', kernel: 'triad' },
      {
        name: 'triad',
        timing: 'resident',
        sizes: sweep,
        kernel: (bytes: number) => ({ source: triad, output: [bytes / F32_BYTES], constants: { s: TRIAD_SCALAR }, settings: { tactic: 'precision' } }),
        inputs: (bytes: number) => {
          const { x, y } = streamArrays(bytes / F32_BYTES);
          return [x, y];
        },
        reference: ([b, c]) => Float64Array.from(b as Float32Array, (v, i) => v + TRIAD_SCALAR * (c as Float32Array)[i]!),
        tolerance: { absolute: 0 },
        work: (bytes: number) => ({ bytes: 3 * bytes }),
      },
    ),
  ],
});
