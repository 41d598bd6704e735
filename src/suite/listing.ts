/**
 * What a suite file declares, as plain data the runner plans with: its cases, each size's label and work, and what
 * is wrong with a case. Made in a child process (runner/list-worker.ts), since listing runs the user's code (sizes,
 * work); the runner never loads a suite file itself.
 */
import type { KernelCase, KernelTiming, KernelWork, Suite, SuiteRun, SuiteSize } from './define.js';
import { bindingOf, type BuiltinBinding } from './builtin.js';
import { shown, sizeLabel } from './size-label.js';

/** One size of a case, as the plan carries it to the worker. */
export interface KernelSizeListing {
  label: string;
  /** the size as the suite gave it (a number or named dimensions), handed back to the case's functions */
  size: SuiteSize;
  work: KernelWork;
  headline: 'flops' | 'bytes';
}

export interface KernelCaseListing {
  /** the case's name in its suite; for a file that did not load, 'load' */
  name: string;
  sizes: KernelSizeListing[];
  timing: KernelTiming;
  /** a case of chipbench's own suite files bound to a built-in workload (suite/builtin.ts) */
  builtin?: BuiltinBinding;
  /** why the case cannot run, in one line; its one case is recorded failed with it */
  problem?: string;
}

export interface SuiteListing {
  /** the file as given or found, relative to the working directory where it is inside it */
  file: string;
  /** the file's absolute path, which the worker loads */
  path: string;
  /** the suite's name; for a file that did not load, its file name's stem */
  suite: string;
  /** sha-256 of the file's bytes, recorded with the run: which version of the suite ran */
  sha256: string;
  cases: KernelCaseListing[];
  /** one of chipbench's own suite files (bench/builtin/) */
  builtin?: true;
}

/** What a listing needs besides the module: the run's sweep (for sizes given as a function) and whose file it is. */
export interface ListContext {
  run: SuiteRun;
  /** chipbench's own file: its cases' built-in bindings are honoured */
  builtin?: boolean;
}

/** A file whose default export is not a suite (exit 2: it is not a suite file at all). */
export class NotASuite extends Error {
  override name = 'NotASuite';
}

const NAME = /^[a-z0-9][a-z0-9-]{0,59}$/;

/** The listing of a loaded suite file's module, or NotASuite. */
export function listSuite(file: string, path: string, sha256: string, module: unknown, context: ListContext): SuiteListing {
  const suite = (module as { default?: unknown } | null)?.default as Partial<Suite> | undefined;
  if (typeof suite !== 'object' || suite === null || suite.chipbenchSuite !== 1) {
    throw new NotASuite(`${file} is not a chipbench suite: its default export is not defineSuite(...); write export default defineSuite({ name, cases: [...] }) (docs/suites.md)`);
  }
  if (typeof suite.name !== 'string' || !NAME.test(suite.name)) {
    throw new NotASuite(`${file}: the suite name ${shown(suite.name)} is not lowercase letters, digits and '-' (at most 60); it begins every case id`);
  }
  if (!Array.isArray(suite.cases) || suite.cases.length === 0) throw new NotASuite(`${file}: suite ${suite.name} has no cases; give cases: [{ name, sizes, kernel, inputs, reference, tolerance, work }]`);
  const cases = (suite.cases as unknown[]).map((c, i) => listCase(c, i, context));
  return { file, path, suite: suite.name, sha256, cases: markDuplicates(cases), ...(context.builtin ? { builtin: true as const } : {}) };
}

/**
 * A file that threw while loading: one failed case, its suite named after the file's path (bench/x/k.bench.ts ->
 * x-k), so that two broken files of one name stay two cases.
 */
export function unloadedSuite(file: string, path: string, sha256: string, problem: string): SuiteListing {
  const slug = file.replace(/^bench\//, '').replace(/\.bench\.[cm]?[jt]s$|\.[cm]?[jt]s$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const suite = slug.slice(-60).replace(/^-+/, '') || 'suite';
  return { file, path, suite, sha256, cases: [{ name: 'load', sizes: [placeholderSize('file')], timing: 'end-to-end', problem: `${file} did not load: ${cut(problem)}` }] };
}

/** A message cut to one readable line: a user's error can be long. */
function cut(text: string, max = 1000): string {
  const line = text.replace(/\s*\n\s*/g, ' ');
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}

function listCase(raw: unknown, index: number, context: ListContext): KernelCaseListing {
  const c = raw as Partial<KernelCase>;
  const given = typeof c?.name === 'string' ? c.name : `case-${index + 1}`;
  // a name that cannot be an id becomes the case's place in the list, so it cannot meet a good case's name
  const name = NAME.test(given) ? given : `case-${index + 1}`;
  const timing: KernelTiming = c?.timing === 'resident' ? 'resident' : 'end-to-end';
  const failed = (problem: string): KernelCaseListing => ({ name, sizes: [placeholderSize('sizes')], timing, problem });
  const problem = caseProblem(c, given);
  if (problem) return failed(problem);
  const binding = context.builtin ? bindingOf(c) : undefined;
  if (typeof binding === 'string') return failed(`case ${name}: ${binding}`);
  const swept = sweepOf(c as KernelCase, name, context.run);
  if (typeof swept === 'string') return failed(swept);
  const sizes: KernelSizeListing[] = [];
  for (const size of swept) {
    const labelled = sizeLabel(size);
    if ('problem' in labelled) return failed(`case ${name}: ${labelled.problem}`);
    if (sizes.some((s) => s.label === labelled.label)) return failed(`case ${name}: size ${labelled.label} is given twice`);
    const work = workOf(c as KernelCase, size, name, labelled.label);
    if (typeof work === 'string') return failed(work);
    const headline = c.headline ?? (work.flops !== undefined ? 'flops' : 'bytes');
    if (work[headline] === undefined) return failed(`case ${name}: headline '${headline}' but work(${labelled.label}) gives no ${headline}`);
    sizes.push({ label: labelled.label, size: size as SuiteSize, work, headline });
  }
  return { name, sizes, timing, ...(binding ? { builtin: binding } : {}) };
}

/** The case's sizes: its list, or its function of the run's sweep called (a throw or a non-list is the case's problem). */
function sweepOf(c: KernelCase, name: string, run: SuiteRun): readonly unknown[] | string {
  if (typeof c.sizes !== 'function') return c.sizes;
  let swept: unknown;
  try {
    swept = c.sizes(run);
  } catch (error) {
    return `case ${name}: sizes() threw: ${cut(String((error as Error)?.message ?? error), 300)}`;
  }
  return Array.isArray(swept) && swept.length > 0 ? swept : `case ${name}: sizes() returned ${shown(swept)}, not a non-empty list of sizes`;
}

/** What makes a case impossible to run, before its sizes are looked at. */
function caseProblem(c: Partial<KernelCase>, given: string): string | undefined {
  if (typeof c !== 'object' || c === null) return `case ${given}: not an object; give { name, sizes, kernel, inputs, reference, tolerance, work }`;
  if (!NAME.test(given)) return `case name ${shown(given)} is not lowercase letters, digits and '-' (at most 60)`;
  for (const fn of ['kernel', 'inputs', 'work'] as const) if (typeof c[fn] !== 'function') return `case ${given}: ${fn} is not a function of the size`;
  if (typeof c.sizes !== 'function' && (!Array.isArray(c.sizes) || c.sizes.length === 0)) {
    return `case ${given}: sizes is not a non-empty list or a function of the run; give e.g. sizes: [256, 1024]`;
  }
  if (c.timing !== undefined && c.timing !== 'end-to-end' && c.timing !== 'resident') return `case ${given}: timing ${shown(c.timing)} is not 'end-to-end' or 'resident'`;
  if (c.reference !== undefined && c.check !== undefined) return `case ${given}: both a reference and a check; give one, so it is clear what verified the kernel`;
  if (c.reference === undefined && c.check === undefined) return `case ${given}: no reference and no check; chipbench times only a kernel it can verify (give reference with tolerance, or check)`;
  if (c.reference !== undefined && typeof c.reference !== 'function') return `case ${given}: reference is not a function of the inputs and size`;
  if (c.check !== undefined && typeof c.check !== 'function') return `case ${given}: check is not a function of the output, inputs and size`;
  if (c.reference !== undefined) {
    const t = c.tolerance;
    if (!t || (t.relative === undefined && t.absolute === undefined)) return `case ${given}: a reference needs a stated tolerance, e.g. tolerance: { relative: 1e-5, absolute: 1e-6 }`;
    for (const key of ['relative', 'absolute'] as const) {
      const v = t[key];
      if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) return `case ${given}: tolerance.${key} ${shown(v)} is not a finite number >= 0`;
    }
  }
  if (c.headline !== undefined && c.headline !== 'flops' && c.headline !== 'bytes') return `case ${given}: headline must be 'flops' or 'bytes'`;
  return undefined;
}

function workOf(c: KernelCase, size: unknown, name: string, label: string): KernelWork | string {
  let work: KernelWork;
  try {
    work = c.work(size as never);
  } catch (error) {
    return `case ${name}: work(${label}) threw: ${cut(String((error as Error)?.message ?? error), 300)}`;
  }
  const out: KernelWork = {};
  for (const key of ['flops', 'bytes'] as const) {
    const v = work?.[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return `case ${name}: work(${label}).${key} ${shown(v)} is not a positive number`;
    out[key] = v;
  }
  if (out.flops === undefined && out.bytes === undefined) return `case ${name}: work(${label}) gives neither flops nor bytes; its figure would have no unit`;
  return out;
}

function placeholderSize(label: string): KernelSizeListing {
  return { label, size: 1, work: {}, headline: 'flops' };
}

/** A case name given twice in one suite: one failed case in their place, naming the clash. */
function markDuplicates(cases: KernelCaseListing[]): KernelCaseListing[] {
  const counts = new Map<string, number>();
  for (const c of cases) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
  const seen = new Set<string>();
  return cases.flatMap((c) => {
    const count = counts.get(c.name) ?? 0;
    if (count < 2) return [c];
    if (seen.has(c.name)) return [];
    seen.add(c.name);
    return [{ name: c.name, sizes: [placeholderSize('duplicate')], timing: c.timing, problem: `duplicate id: case ${c.name} is defined ${count} times in this suite; give each case its own name` }];
  });
}
