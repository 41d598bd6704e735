/**
 * A gpu.js kernel function run on the host, thread by thread, the way gpu.js's cpu mode runs it: `this` holds the
 * thread, the constants and the output's size; a 2-D input is read as rows (a[y][x]). The fake backend runs suite
 * kernels with it, so the runner's tests need no gpu.js.
 */
import type { KernelInput, KernelSpec } from '../suite/define.js';

/** The output, flat and row-major (x fastest). */
export function runOnHost(spec: KernelSpec, inputs: readonly KernelInput[]): Float32Array {
  const [x = 1, y = 1, z = 1] = spec.output;
  const args = inputs.map(asNested);
  const out = new Float32Array(x * y * z);
  const self = { thread: { x: 0, y: 0, z: 0 }, constants: { ...spec.constants }, output: { x, y, z } };
  const source = spec.source as unknown as (...a: unknown[]) => number;
  for (let k = 0; k < z; k++) {
    for (let j = 0; j < y; j++) {
      for (let i = 0; i < x; i++) {
        self.thread = { x: i, y: j, z: k };
        out[(k * y + j) * x + i] = source.apply(self, args);
      }
    }
  }
  return out;
}

/** An input as the kernel indexes it: numbers and 1-D arrays as they are, [w, h] as h rows, [w, h, d] as d planes. */
function asNested(input: KernelInput): unknown {
  if (typeof input === 'number' || input instanceof Float32Array) return input;
  const [w = 1, h = 1, d = 1] = input.dims;
  const rows = (offset: number) => Array.from({ length: h }, (_, j) => input.values.subarray(offset + j * w, offset + (j + 1) * w));
  if (input.dims.length <= 1) return input.values;
  if (input.dims.length === 2) return rows(0);
  return Array.from({ length: d }, (_, k) => rows(k * w * h));
}
