/**
 * The base side of an interleaved run (--against DIR): a chipbench checkout, built (comparing two chipbench builds),
 * or a project with chipbench installed (comparing two commits of the project's own suite files). In a project, the
 * base's suite files are the ones at the same paths under DIR, loaded by DIR's own chipbench.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { InputError } from '../errors/input-error.js';
import type { PlannedCase } from '../plan/plan.js';

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

/**
 * The cases as the base runs them: a suite case loads the file at the same path under the base project, with that
 * file's sha-256; a file the base does not have fails the case there, naming it.
 */
export function rebaseSuiteCases(cases: readonly PlannedCase[], projectRoot: string | undefined): PlannedCase[] {
  if (!projectRoot) return [...cases];
  const hashes = new Map<string, string | undefined>();
  return cases.map((c) => {
    if (c.job.kind !== 'kernel' || isAbsolute(c.job.file)) return c;
    const path = join(projectRoot, c.job.file);
    if (!hashes.has(path)) hashes.set(path, existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : undefined);
    const sha256 = hashes.get(path);
    if (sha256 === undefined) return { ...c, job: { ...c.job, path, sha256: 'missing', problem: `${c.job.file} is not in the base (${projectRoot}): the case is new` } };
    return { ...c, job: { ...c.job, path, sha256 } };
  });
}
