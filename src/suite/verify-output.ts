/**
 * A suite kernel's output checked: laid flat (gpu.js returns a 2-D output as rows, a 3-D one as planes of rows),
 * then set against the case's float64 reference element by element within its stated tolerance, or handed to the
 * case's own check.
 */
import type { CheckResult, HostInput, KernelInput, KernelTolerance } from './define.js';

/** gpu.js's output as flat f32, row-major (x fastest); throws when its length is not the output's. */
export function flattenOutput(output: unknown, expected: number): Float32Array {
  const flat = new Float32Array(expected);
  let at = 0;
  const put = (value: unknown): void => {
    if (typeof value === 'number') {
      if (at < expected) flat[at] = value;
      at++;
      return;
    }
    // a typed array of numbers (a row, a rank's buffer) in one copy rather than element by element
    if (ArrayBuffer.isView(value) && !(value instanceof DataView || value instanceof BigInt64Array || value instanceof BigUint64Array)) {
      const values = value as unknown as ArrayLike<number>;
      if (at + values.length <= expected) flat.set(values, at);
      at += values.length;
      return;
    }
    if (value && typeof (value as ArrayLike<unknown>).length === 'number') {
      const list = value as ArrayLike<unknown>;
      for (let i = 0; i < list.length; i++) put(list[i]);
      return;
    }
    throw new Error(`the kernel returned ${typeof value}, not numbers`);
  };
  put(output);
  if (at !== expected) throw new Error(`the kernel returned ${at} values; its output dimensions make ${expected}`);
  return flat;
}

/** The inputs as a reference or check reads them: numbers, and arrays as their flat f32 values. */
export function hostInputs(inputs: readonly KernelInput[]): HostInput[] {
  return inputs.map((input) => (typeof input === 'number' || input instanceof Float32Array ? input : input.values));
}

/** What verification found, as the case records it. */
export interface OutputCheck {
  wrong: number;
  elements: number;
  /** largest |out - ref| (reference only; null when an element is not finite) */
  maxAbsError?: number | null;
  /** largest |out - ref| / |ref| over elements with ref != 0 (reference only) */
  maxRelError?: number | null;
  /** the first wrong element, for the reason line */
  first?: { index: number; got: number; want: number };
  note?: string;
}

/** Every element against the reference: right when |out - ref| <= absolute + relative * |ref|; NaN is wrong. */
export function checkAgainstReference(out: Float32Array, ref: ArrayLike<number>, tolerance: KernelTolerance): OutputCheck {
  if (ref.length !== out.length) throw new Error(`the reference has ${ref.length} elements; the output has ${out.length}`);
  const relative = tolerance.relative ?? 0;
  const absolute = tolerance.absolute ?? 0;
  let wrong = 0;
  let maxAbs = 0;
  let maxRel = 0;
  let finite = true;
  let first: OutputCheck['first'];
  for (let i = 0; i < out.length; i++) {
    const got = out[i]!;
    const want = ref[i]!;
    const error = got === want ? 0 : Math.abs(got - want);
    if (!Number.isFinite(error)) finite = false;
    else {
      maxAbs = Math.max(maxAbs, error);
      if (want !== 0) maxRel = Math.max(maxRel, error / Math.abs(want));
    }
    // written so that NaN (either side) fails; an infinite reference is met only by the same infinity
    if (got !== want && !(Number.isFinite(want) && error <= absolute + relative * Math.abs(want))) {
      wrong++;
      first ??= { index: i, got, want };
    }
  }
  return { wrong, elements: out.length, maxAbsError: finite ? maxAbs : null, maxRelError: finite ? maxRel : null, ...(first ? { first } : {}) };
}

/** The case's own check, its count made sure to be a whole number. */
export function checkWithCase(out: Float32Array, result: CheckResult): OutputCheck {
  const wrong = result?.wrong;
  if (typeof wrong !== 'number' || !Number.isSafeInteger(wrong) || wrong < 0) throw new Error(`check() returned wrong: ${JSON.stringify(wrong)}, not a count of wrong elements`);
  return { wrong, elements: out.length, ...(typeof result.note === 'string' ? { note: result.note.slice(0, 500) } : {}) };
}
