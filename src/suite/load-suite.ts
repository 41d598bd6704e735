/**
 * Loads a suite file: JavaScript with Node's own import, TypeScript through jiti (Node 20 cannot strip types; jiti
 * transpiles without a type check, as vitest and tsx do, and needs no native binary). Called in child processes
 * only: the list worker and the backend workers, never the runner that owns the result file.
 */
import { pathToFileURL } from 'node:url';
import { createJiti } from 'jiti';
import type { KernelCase, Suite } from './define.js';

const TYPESCRIPT = /\.[cm]?ts$/;

/** The file's module namespace, loaded afresh. */
export async function importSuiteFile(path: string): Promise<unknown> {
  if (!TYPESCRIPT.test(path)) return import(pathToFileURL(path).href);
  // no cache on disk: a project's files change between commits, and a stale transpile would time old code
  const jiti = createJiti(pathToFileURL(path).href, { fsCache: false, moduleCache: false });
  return jiti.import(path);
}

const loaded = new Map<string, Promise<Suite>>();

/** The suite of a file the list worker accepted, loaded once per process, and its case by name. */
export async function suiteCase(path: string, name: string): Promise<KernelCase> {
  let suite = loaded.get(path);
  if (!suite) {
    suite = importSuiteFile(path).then((module) => (module as { default: Suite }).default);
    loaded.set(path, suite);
  }
  const found = (await suite).cases.find((c) => (c as { name?: unknown }).name === name);
  if (!found) throw new Error(`${path} no longer defines case ${name}: the file changed after it was listed`);
  return found as unknown as KernelCase;
}
