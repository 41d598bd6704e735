/**
 * The suite file API: what a `*.bench.ts` (or `.js`, `.mjs`, `.mts`) file under a project's `bench/` exports, and
 * the one function it calls. Users import it as `import { defineSuite } from 'chipbench'`. This module imports
 * nothing: a suite file loads it in every worker, and in a project it may be another copy of chipbench than the one
 * that runs (the mark below, a plain property, is recognised across copies).
 *
 * Names follow vitest's and tinybench's: a suite (vitest's describe) has named cases (bench), each swept over sizes.
 */

/** gpu.js's `this` inside a kernel: the thread's position, the constants and the output's dimensions. */
export interface KernelThis<C extends Record<string, number> = Record<string, number>> {
  thread: { x: number; y: number; z: number };
  constants: C;
  output: { x: number; y: number; z: number };
}

/** One size of a sweep: a number (labelled n<value>) or named dimensions (labelled rows256-cols1024, in key order). */
export type SuiteSize = number | Readonly<Record<string, number>>;

/**
 * An argument of the kernel, as the case's `inputs` makes it: a number (passed as it is), a 1-D array, or a flat
 * row-major array with gpu.js's dimensions ([width] or [width, height] or [width, height, depth], as gpu.js's
 * `input()` takes them; width varies fastest).
 */
export type KernelInput = number | Float32Array | { readonly values: Float32Array; readonly dims: readonly number[] };

/** The gpu.js kernel of one size: its source function, output dimensions, constants and the settings it needs. */
export interface KernelSpec {
  /** a `function (...) { ... this.thread.x ... }`, as gpu.js's createKernel takes it (not an arrow function) */
  source: (...args: never[]) => number;
  /** gpu.js's output: [width], [width, height] or [width, height, depth] */
  output: readonly number[];
  /** gpu.js's constants, read as this.constants.name in the kernel */
  constants?: Readonly<Record<string, number>>;
  /**
   * the kernel settings it needs, passed to createKernel as they are. chipbench sets precision 'single' (f32), the
   * output and the constants itself, and names the precision f32 in every figure.
   */
  settings?: Readonly<{ loopMaxIterations?: number; tactic?: 'speed' | 'balance' | 'precision'; fixIntegerDivisionAccuracy?: boolean; argumentTypes?: Readonly<Record<string, string>> }>;
}

/** Seeded values for the inputs: the same for a seed on every machine and in every run (mulberry32). */
export interface SeededRandom {
  /** the next value, uniform in [0, 1) */
  next(): number;
  /** `length` f32 values uniform in [low, high), by default [-1, 1) */
  uniform(length: number, low?: number, high?: number): Float32Array;
}

/** The work of one call at one size, so its figure is a rate: FLOP/s from flops, GB/s from bytes read plus written. */
export interface KernelWork {
  /** floating-point operations of one call (an add, a multiply, an exp each count one) */
  flops?: number;
  /** bytes one call reads plus writes, at least once each (STREAM's counting) */
  bytes?: number;
}

/** When an output element is right: |out - ref| <= absolute + relative * |ref|. */
export interface KernelTolerance {
  relative?: number;
  absolute?: number;
}

/** What a check of the output found: wrong elements (0 when right), and the largest error in words or figures. */
export interface CheckResult {
  wrong: number;
  /** e.g. 'max row sum error 2e-7' */
  note?: string;
  /** the largest error as the check measures it, and the bound it accepted (the built-in GEMM records both) */
  maxError?: number;
  bound?: number;
}

/** The input values as a reference or check receives them: numbers as they are, arrays as flat f32 values. */
export type HostInput = number | Float32Array;

/**
 * What a run was asked to sweep, for a case whose sizes follow the run's options rather than a list of its own:
 * the profile's name (or the one given with --profile), the byte sweep (-b, -e, -f: the built-in STREAM and
 * collectives' S), the collectives' ranks (--ranks) and the GEMM shapes (--sizes).
 */
export interface SuiteRun {
  profile: string;
  /** bytes of one buffer, smallest first */
  bytes: readonly number[];
  /** --ranks: the simulated ranks of the built-in collectives */
  ranks: number;
  shapes: readonly { m: number; n: number; k: number }[];
}

/**
 * How one call is timed. 'end-to-end' (the default): the inputs passed as host arrays, the kernel, the output read
 * back to host memory, as a user's code pays. 'resident': the array inputs put on the backend once, before timing;
 * each call writes one reused output that stays there, and ends with one synchronisation (STREAM's way): what the
 * kernel alone costs. Resident takes 1-D and 2-D array inputs.
 */
export type KernelTiming = 'end-to-end' | 'resident';

/** One named case of a suite: a gpu.js kernel at each size of a sweep, verified, with its work. */
export interface KernelCase<S extends SuiteSize = SuiteSize> {
  /** the case's name: lowercase letters, digits and '-', e.g. 'softmax-rows'; its ids are <suite>.<name>/<backend>/f32/<size>/<timing> */
  name: string;
  /** the sweep: a list, or a function of what the run was asked to sweep (its profile, --sizes, -b/-e/-f) */
  sizes: readonly S[] | ((run: SuiteRun) => readonly S[]);
  /** 'end-to-end' by default */
  timing?: KernelTiming;
  kernel(size: S): KernelSpec;
  /** the kernel's arguments, from the seeded generator */
  inputs(size: S, random: SeededRandom): KernelInput[];
  /** the right output in float64, flat and row-major (x fastest), from the same inputs; needs `tolerance` */
  reference?(inputs: readonly HostInput[], size: S): ArrayLike<number>;
  tolerance?: KernelTolerance;
  /** instead of a reference: checks the output (flat, row-major) and counts wrong elements */
  check?(output: Float32Array, inputs: readonly HostInput[], size: S): CheckResult;
  work(size: S): KernelWork;
  /** which rate is the case's headline when the work gives both; flops by default */
  headline?: 'flops' | 'bytes';
}

/** What a suite file's default export is: defineSuite's result. */
export interface Suite {
  /** lowercase letters, digits and '-', e.g. 'softmax' */
  readonly name: string;
  readonly cases: readonly KernelCase<never>[];
  /** marks a suite across copies of chipbench (a project's and the runner's) */
  readonly chipbenchSuite: 1;
}

/** The one call of a suite file: `export default defineSuite({ name, cases: [...] })`. Checked when the file is listed. */
export function defineSuite(definition: { name: string; cases: readonly KernelCase<never>[] }): Suite {
  return Object.freeze({ name: definition.name, cases: definition.cases, chipbenchSuite: 1 as const });
}

/** Helps type a case's sizes: `kernelCase({ sizes: [{ rows: 4, cols: 8 }], kernel: ({ rows, cols }) => ... })`. */
export function kernelCase<S extends SuiteSize>(definition: KernelCase<S>): KernelCase<never> {
  return definition as unknown as KernelCase<never>;
}
