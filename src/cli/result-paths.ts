/** Result files named on the command line, folders expanded: shared by history and --history. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors/input-error.js';
import { readRunResult } from '../results/read-result.js';
import type { RunResult } from '../results/schema.js';

/** The files named, with each folder replaced by the *.json files in it. */
export function expandResultPaths(paths: string[]): string[] {
  return paths.flatMap((p) => {
    let isFolder = false;
    try {
      isFolder = statSync(p).isDirectory();
    } catch {
      return [p]; // readRunResult names the missing file
    }
    if (!isFolder) return [p];
    const files = readdirSync(p).filter((f) => f.endsWith('.json')).sort().map((f) => join(p, f));
    if (files.length === 0) throw new InputError(`${p}: no .json result files in this folder; give result files written by 'chipbench run'`);
    return files;
  });
}

/** Every result of `paths` (files or folders), read and validated. */
export function readResults(paths: string[]): { label: string; run: RunResult }[] {
  return expandResultPaths(paths).map((path) => ({ label: path, run: readRunResult(path) }));
}
