/**
 * A suite file of a kernel of one's own: row-wise softmax in gpu.js, verified against float64, swept over two
 * sizes. Run it with `npx chipbench run --suite docs/examples/softmax.bench.ts` (or put it under ./bench).
 */
import { defineSuite, kernelCase, type HostInput, type KernelThis } from 'chipbench';

type Size = { rows: number; cols: number };

/**
 * One output element per thread. Each thread recomputes its row's max and sum (cols reads each): simple and
 * correct, and the reason this kernel moves far less than the backend's STREAM copy bandwidth.
 */
function softmaxRows(this: KernelThis<{ cols: number }>, x: number[][]): number {
  const row = this.thread.y;
  let max = -3.4e38;
  for (let i = 0; i < this.constants.cols; i++) max = Math.max(max, x[row]![i]!);
  let sum = 0;
  for (let i = 0; i < this.constants.cols; i++) sum += Math.exp(x[row]![i]! - max);
  return Math.exp(x[row]![this.thread.x]! - max) / sum;
}

/** The same softmax in float64, row by row: what every f32 element is checked against. */
function softmaxReference([x]: readonly HostInput[], { rows, cols }: Size): Float64Array {
  const values = x as Float32Array;
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, values[r * cols + c]!);
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp(values[r * cols + c]! - max);
    for (let c = 0; c < cols; c++) out[r * cols + c] = Math.exp(values[r * cols + c]! - max) / sum;
  }
  return out;
}

export default defineSuite({
  name: 'softmax',
  cases: [
    kernelCase<Size>({
      name: 'rows',
      sizes: [
        { rows: 64, cols: 128 },
        { rows: 256, cols: 256 },
      ],
      kernel: ({ rows, cols }) => ({ source: softmaxRows, output: [cols, rows], constants: { cols } }),
      // logits in [-4, 4): exp spans about 3000x, enough to show a wrong max or sum
      inputs: ({ rows, cols }, random) => [{ values: random.uniform(rows * cols, -4, 4), dims: [cols, rows] }],
      reference: softmaxReference,
      // f32 exp and a sum of up to 256 terms: within 1.3e-6 relative on every backend here (cpu, webasm, headlessgl, webgpu)
      tolerance: { relative: 1e-5, absolute: 1e-8 },
      // the useful work, not the redundant per-thread recomputation: max, subtract, exp, add, divide per element;
      // x read once and the output written once, 4 bytes each
      work: ({ rows, cols }) => ({ flops: 5 * rows * cols, bytes: 8 * rows * cols }),
      headline: 'bytes',
    }),
  ],
});
