/**
 * Loads a suite file: JavaScript with Node's own import, TypeScript through jiti (Node 20 cannot strip types; jiti
 * transpiles without a type check, as vitest and tsx do, and needs no native binary). Called in child processes
 * only: the list worker and the backend workers, never the runner that owns the result file.
 */
import { pathToFileURL } from 'node:url';
import { createJiti } from 'jiti';
import type { KernelCase, Suite } from './define.js';
import { fileSha256 } from './file-hash.js';

const TYPESCRIPT = /\.[cm]?ts$/;

/** The file's module namespace, loaded afresh. */
export async function importSuiteFile(path: string): Promise<unknown> {
  if (!TYPESCRIPT.test(path)) return import(pathToFileURL(path).href);
  // no cache on disk: a project's files change between commits, and a stale transpile would time old code
  const jiti = createJiti(pathToFileURL(path).href, { fsCache: false, moduleCache: false });
  return jiti.import(path);
}

const loaded = new Map<string, Promise<Suite>>();

/**
 * The case of a suite file the list worker accepted, loaded once per process. The file's bytes must still be the
 * ones listed (their sha-256 is in the job and the result): a file edited during a run would time other code under
 * the listed hash. Modules the file imports are not hashed.
 */
export async function suiteCase(path: string, name: string, sha256: string): Promise<KernelCase> {
  let suite = loaded.get(path);
  if (!suite) {
    const now = fileSha256(path);
    if (now !== sha256) throw new Error(`the file changed after it was listed (sha-256 ${now.slice(0, 12)}, listed ${sha256.slice(0, 12)}); run again`);
    suite = importSuiteFile(path).then((module) => (module as { default: Suite }).default);
    loaded.set(path, suite);
  }
  const found = (await suite).cases.find((c) => (c as { name?: unknown }).name === name);
  if (!found) throw new Error(`it defines no case ${name} (a case new in the other side of an interleaved run, or the file changed after it was listed)`);
  return found as unknown as KernelCase;
}
