/**
 * --suite and --filter: which suite files a run loads and whether the built-in suite runs. Without --suite, a
 * project's own suite files (*.bench.ts, .mts, .js, .mjs under ./bench) run when there are any, else the built-in
 * suite; --workloads given, or --suite builtin, adds the built-in suite. Only paths are looked at here: the files
 * are loaded by the list worker (runner/list-suites.ts), never in this process.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors/input-error.js';
import type { SuiteFile } from '../runner/list-suites.js';
import { builtinSourceDir } from '../runner/builtin-suites.js';

export interface SuiteSelection {
  files: SuiteFile[];
  /** whether the built-in workloads run */
  builtin: boolean;
  /** --filter as given, and compiled */
  filterSources: string[];
  filters: RegExp[];
}

const SUITE_FILE = /\.bench\.(?:[cm]?js|[cm]?ts)$/;

export function suiteSelection(args: { suite?: string[] | undefined; filter?: string[] | undefined; workloads?: string | undefined }, cwd = process.cwd()): SuiteSelection {
  const given = (args.suite ?? []).flatMap((s) => String(s).split(',')).map((s) => s.trim()).filter((s) => s !== '');
  if (args.suite !== undefined && given.length === 0) throw new InputError("--suite: give a suite file, a folder of *.bench.ts files, or 'builtin'");
  const paths = given.filter((s) => s !== 'builtin');
  const files = args.suite === undefined ? projectSuiteFiles(cwd) : paths.flatMap((p) => filesOf(p, cwd));
  const builtin = args.workloads !== undefined || given.includes('builtin') || (args.suite === undefined && files.length === 0);
  const filterSources = (args.filter ?? []).map(String);
  return { files: unique(files), builtin, filterSources, filters: filterSources.map(compileFilter) };
}

/** The project's suite files: every *.bench.* file under ./bench, sorted, none when there is no bench folder. */
function projectSuiteFiles(cwd: string): SuiteFile[] {
  const bench = join(cwd, 'bench');
  return existsSync(bench) && statSync(bench).isDirectory() ? walk(bench, builtinSourceDir()).map((path) => asSuiteFile(path, cwd)) : [];
}

function filesOf(given: string, cwd: string): SuiteFile[] {
  const path = resolve(cwd, given);
  if (!existsSync(path)) throw new InputError(`--suite: ${given} does not exist; give a suite file, a folder of *.bench.ts files, or 'builtin'`);
  if (!statSync(path).isDirectory()) return [asSuiteFile(path, cwd)];
  const found = walk(path, builtinSourceDir());
  if (found.length === 0) throw new InputError(`--suite: ${given} holds no suite file (*.bench.ts, .mts, .js or .mjs); name the file itself, or add one`);
  return found.map((p) => asSuiteFile(p, cwd));
}

/**
 * Suite files under a folder, depth first in name order; node_modules, hidden folders and chipbench's own built-in
 * suite (in chipbench's checkout: it runs as the built-in suite, with its own ids) are skipped.
 */
function walk(dir: string, builtinDir: string): string[] {
  if (resolve(dir) === builtinDir) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') return [];
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return walk(path, builtinDir);
      return entry.isFile() && SUITE_FILE.test(entry.name) ? [path] : [];
    });
}

/** The file as runs record it: relative to the working directory, with '/', where it lies inside it. */
function asSuiteFile(path: string, cwd: string): SuiteFile {
  const rel = relative(cwd, path);
  const outside = rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  const file = outside ? path : rel.split(sep).join('/');
  return { file, path };
}

function unique(files: SuiteFile[]): SuiteFile[] {
  const seen = new Set<string>();
  return files.filter((f) => !seen.has(f.path) && seen.add(f.path) !== undefined);
}

function compileFilter(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (error) {
    throw new InputError(`--filter: '${source}' is not a regular expression (${(error as Error).message}); give e.g. --filter 'softmax' or --filter '^gemm/webgpu/'`);
  }
}
