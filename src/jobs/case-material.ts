/**
 * A suite case made ready for one size, before anything runs on a backend: the case loaded from its file (in the
 * worker), its kernel spec, its seeded inputs and its float64 reference. Any throw names the case's function.
 */
import { errorReason } from '../errors/error-message.js';
import type { HostInput, KernelCase as SuiteCase, KernelInput, KernelSpec, SuiteSize } from '../suite/define.js';
import { suiteCase } from '../suite/load-suite.js';
import { seededRandom } from '../suite/seeded-random.js';
import { hostInputs } from '../suite/verify-output.js';

/**
 * The seed handed to a built-in case whose inputs are not random (STREAM's and the collectives' small integers, exact
 * in f32): their jobs carry no seed, and the inputs do not read it.
 */
export const UNSEEDED = 0;

/** What the case's own functions made for this size, before anything ran on the backend. */
export interface CaseMaterial {
  kase: SuiteCase;
  spec: KernelSpec;
  inputs: KernelInput[];
  host: HostInput[];
  elements: number;
  /** the size as the suite gave it, handed back to its functions */
  size: never;
  /** the float64 reference, made once (absent with a check) */
  reference?: ArrayLike<number>;
}

/** The case loaded from its file and its functions called for this size; any throw names the function. */
export async function caseMaterial(source: { path: string; name: string; sha256: string }, suiteSize: SuiteSize, seed: number): Promise<CaseMaterial> {
  const kase = await suiteCase(source.path, source.name, source.sha256);
  const size = suiteSize as never;
  const spec = named('kernel', () => kase.kernel(size));
  if (typeof spec?.source !== 'function') throw new Error('kernel() returned no source function');
  const output = spec.output;
  if (!Array.isArray(output) || output.length < 1 || output.length > 3 || !output.every((d) => Number.isSafeInteger(d) && d > 0)) {
    throw new Error(`kernel().output ${JSON.stringify(output)} is not 1 to 3 positive whole dimensions`);
  }
  const inputs = named('inputs', () => kase.inputs(size, seededRandom(seed)));
  if (!Array.isArray(inputs)) throw new Error('inputs() did not return a list of the kernel arguments');
  const host = hostInputs(inputs);
  const elements = output.reduce((a, b) => a * b, 1);
  const reference = kase.reference ? named('reference', () => kase.reference!(host, size)) : undefined;
  if (kase.reference && (typeof reference !== 'object' || reference === null || typeof reference.length !== 'number')) {
    throw new Error(`reference() returned ${typeof reference}, not the output's values (a Float64Array or a list of numbers)`);
  }
  return { kase, spec, inputs, host, elements, size, ...(reference ? { reference } : {}) };
}

export function named<T>(fn: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw new Error(`${fn}() threw: ${errorReason(error)}`);
  }
}
