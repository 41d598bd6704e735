/**
 * Reading a file the user named (a result, a chip table) as text: the size is
 * checked before anything is read, and every failure is one InputError that
 * names the file, the problem and, through `fix`, what to give instead.
 */
import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../errors/input-error.js';

/**
 * The largest result or chip file chipbench reads. Its own files stay far below (a quick-profile run with
 * interleaved samples is about 5 MB); a larger one is refused before it is read, not parsed into memory.
 */
const MAX_INPUT_FILE_BYTES = 256 * 1024 * 1024;

const MiB = 1024 * 1024;

/** Why a file could not be read, in words: `no such file` rather than ENOENT. */
function readProblem(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a folder';
    case 'EACCES':
      return 'permission denied';
    default:
      return error.code ?? error.message;
  }
}

/** The text of `path`, or an InputError `${path}: cannot read ${what} (problem); ${fix}`. */
export function readInputText(path: string, what: string, fix: string): string {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    if (stat.size > MAX_INPUT_FILE_BYTES) {
      throw new InputError(`${path}: cannot read ${what} (${(stat.size / MiB).toFixed(0)} MiB, more than the ${MAX_INPUT_FILE_BYTES / MiB} MiB chipbench reads); ${fix}`);
    }
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${path}: cannot read ${what} (${readProblem(error as NodeJS.ErrnoException)}); ${fix}`);
  }
}

/**
 * Refuses parsed JSON whose `schemaVersion` is newer than `supported`, with 'upgrade chipbench': checked before the
 * schema, whose error for it ("expected 1") would not say that. Older or missing versions are the schema's to judge, and
 * so is a file without `listField` (the array a file of this kind holds: `cases`, `chips`).
 */
export function refuseNewerSchema(data: unknown, supported: number, path: string, listField: string): void {
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  // another kind of chipbench file (a result given as a chip table) has its own versions: the schema says what it is
  const sameKind = Array.isArray((data as Record<string, unknown> | null)?.[listField]);
  if (sameKind && typeof version === 'number' && version > supported) {
    throw new InputError(`${path}: schemaVersion ${version} is newer than this chipbench understands (${supported}); upgrade chipbench`);
  }
}
