/**
 * The re-check call of a hand-written GEMM (GemmKernel.runDoubled): A doubled and placed outside any timed region,
 * one call of the timing mode, C read back, then the case's own A put back for whatever runs next. Doubling is
 * exact in binary floating point, so the right answer is 2C to the bit.
 */
import type { TimingMode } from '../../results/schema.js';

/** How a kernel places A, computes and reads C, and runs the whole end-to-end call from a given A. */
export interface DoubledSteps {
  place(a: Float32Array): void;
  compute(): Promise<void> | void;
  read(): Promise<Float32Array> | Float32Array;
  endToEnd(a: Float32Array): Promise<Float32Array> | Float32Array;
}

export async function runWithADoubled(a: Float32Array, timing: TimingMode, steps: DoubledSteps): Promise<Float32Array> {
  const doubled = a.map((x) => 2 * x);
  let out: Float32Array;
  if (timing === 'end-to-end') {
    out = await steps.endToEnd(doubled);
  } else {
    steps.place(doubled);
    await steps.compute();
    out = await steps.read();
  }
  steps.place(a);
  return out;
}
