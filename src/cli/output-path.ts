/**
 * The result file path: checked before the run starts, so an unwritable
 * path costs nothing and overwrites nothing.
 */
import { accessSync, constants, existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_RESULTS_DIR } from '../config/defaults.js';
import { InputError } from '../errors/input-error.js';

/** results/chipbench-20261129T051500Z.json, relative to the working directory. */
export function defaultOutputPath(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return join(DEFAULT_RESULTS_DIR, `chipbench-${stamp}.json`);
}

/**
 * Verifies that `path` can be written: its folder exists (or, for the
 * default folder only, can be created) and is writable, and the path is not
 * a folder. Returns the absolute path.
 */
export function checkOutputPath(path: string, createFolder: boolean, option = 'output'): string {
  const absolute = resolve(path);
  const folder = dirname(absolute);
  if (createFolder) {
    try {
      mkdirSync(folder, { recursive: true });
    } catch (error) {
      throw new InputError(`--${option}: cannot create folder ${folder} (${(error as NodeJS.ErrnoException).code}); give a writable --${option} path`);
    }
  }
  let folderStat;
  try {
    folderStat = statSync(folder);
  } catch {
    throw new InputError(`--${option}: folder ${folder} does not exist; create it or give another --${option} path`);
  }
  if (!folderStat.isDirectory()) throw new InputError(`--${option}: ${folder} is not a folder; give another --${option} path`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new InputError(`--${option}: folder ${folder} is not writable; give a writable --${option} path`);
  }
  try {
    if (statSync(absolute).isDirectory()) throw new InputError(`--${option}: ${absolute} is a folder; give a file path such as ${join(path, 'result.json')}`);
  } catch (error) {
    if (error instanceof InputError) throw error;
  }
  return absolute;
}

/** The same file, by its real path where it exists (a symlink or ../ must not slip past the check). */
function samePath(a: string, b: string): boolean {
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : resolve(p));
  return real(a) === real(b);
}

/**
 * Refuses an output path that is one of the command's inputs, [what, path] pairs such as ['baseline', 'base.json']:
 * writing there would destroy a file the user gave to be read.
 */
export function refuseOverwritingInputs(outPath: string, option: string, inputs: [string, string][]): void {
  for (const [name, input] of inputs) {
    if (samePath(input, outPath)) throw new InputError(`--${option}: it is the ${name} file (${outPath}); give another path`);
  }
}
