/**
 * The base side of an interleaved run (--against DIR): a chipbench checkout, built (comparing two chipbench builds),
 * or a project with chipbench installed (comparing two commits of the project's own suite files). In a project, the
 * base's suite files are the ones at the same paths under DIR, loaded by DIR's own chipbench.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors/input-error.js';
import type { CollectiveJob, GemmJob, PlannedCase, StreamJob } from '../plan/plan.js';
import { fileSha256 } from '../suite/file-hash.js';

export interface BaseBuild {
  /** the base's worker: DIR's build, or the chipbench DIR has installed */
  workerPath: string;
  /** the chipbench package the worker belongs to (its version is recorded) */
  chipbenchRoot: string;
  /** set when DIR is a project: its suite files are the base's */
  projectRoot?: string;
}

const WORKER = ['dist', 'src', 'runner', 'worker.js'];

export function baseBuild(root: string): BaseBuild {
  const own = join(root, ...WORKER);
  if (existsSync(own)) return { workerPath: own, chipbenchRoot: root };
  const installed = join(root, 'node_modules', 'chipbench');
  if (existsSync(join(installed, ...WORKER))) return { workerPath: join(installed, ...WORKER), chipbenchRoot: installed, projectRoot: root };
  throw new InputError(
    `--against: no chipbench in ${root}: neither a built chipbench checkout (${own} is missing) nor a project with chipbench installed; ` +
      "run 'npm ci' there (and 'npm run build' in a chipbench checkout)",
  );
}

/** The project the head runs in: the nearest folder up from the working directory with a package.json. */
function headProjectRoot(cwd = process.cwd()): string {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return cwd;
  }
}

/** A head suite file's place in the base project, or why it has none (outside the head's project). */
function basePathOf(path: string, headRoot: string, projectRoot: string): string | { outside: string } {
  const inProject = relative(headRoot, path);
  if (inProject.startsWith(`..${sep}`) || inProject === '..' || inProject === path) return { outside: `it is outside the project (${headRoot}), so the base has no copy of it` };
  return join(projectRoot, inProject);
}

function sha256Of(path: string): string | undefined {
  return existsSync(path) ? fileSha256(path) : undefined;
}

/**
 * The cases as the base runs them: a suite case loads the file at the same place in the base project (relative to
 * the project's root, wherever the run started inside it), with that file's sha-256; a file the base does not have
 * fails the case there, naming it.
 */
export function rebaseSuiteCases(cases: readonly PlannedCase[], base: BaseBuild | undefined): PlannedCase[] {
  if (!base) return [...cases];
  const { projectRoot } = base;
  const hashes = new Map<string, string | undefined>();
  const headRoot = headProjectRoot();
  return cases.map((c) => {
    if (c.job.kind !== 'kernel') return rebaseBuiltin(c, c.job, base.chipbenchRoot, hashes);
    if (c.job.kind !== 'kernel' || !projectRoot) return c;
    const path = basePathOf(c.job.path, headRoot, projectRoot);
    if (typeof path !== 'string') return { ...c, job: { ...c.job, sha256: 'none', problem: `${c.job.file}: the base cannot run it: ${path.outside}` } };
    if (!hashes.has(path)) hashes.set(path, sha256Of(path));
    const sha256 = hashes.get(path);
    if (sha256 === undefined) return { ...c, job: { ...c.job, path, sha256: 'missing', problem: `${c.job.file} is not in the base (${projectRoot}): the case is new` } };
    return { ...c, job: { ...c.job, path, sha256 } };
  });
}

/**
 * A built-in case as the base runs it: from the base's own compiled built-in suite file, with its sha-256. A base
 * without one (built before the built-in suite became files) runs its own kernels and never reads the source.
 */
function rebaseBuiltin<J extends GemmJob | StreamJob | CollectiveJob>(c: PlannedCase, job: J, chipbenchRoot: string, hashes: Map<string, string | undefined>): PlannedCase {
  const path = join(chipbenchRoot, 'dist', 'bench', 'builtin', basename(job.source.path).replace(/\.ts$/, '.js'));
  if (!hashes.has(path)) hashes.set(path, sha256Of(path));
  const sha256 = hashes.get(path);
  return sha256 === undefined ? c : { ...c, job: { ...job, source: { ...job.source, path, sha256 } } };
}

/** The suite files as the base's result records them: its own copies' sha-256 ('missing' where it has none). */
export function rebaseSuiteRecords<T extends { file: string; sha256: string }>(suites: readonly T[], projectRoot: string | undefined): T[] {
  if (!projectRoot) return [...suites];
  const headRoot = headProjectRoot();
  return suites.map((s) => {
    const path = basePathOf(resolve(process.cwd(), s.file), headRoot, projectRoot);
    return { ...s, sha256: (typeof path === 'string' ? sha256Of(path) : undefined) ?? 'missing' };
  });
}
