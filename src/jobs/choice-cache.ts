/**
 * chipbench's caches between runs: JSON files under the user's cache directory ($CHIPBENCH_CACHE_DIR, else
 * $XDG_CACHE_HOME/chipbench, else ~/.cache/chipbench), each a record of choices by key. A file is a cache: one that
 * is missing, unreadable or of another format is ignored (and replaced on the next save), never an error; entries
 * are checked one by one when read, so one this build does not understand is skipped and kept; the file is written
 * atomically (two runs saving at once can lose one choice, which costs a new trial, never a wrong result).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../results/atomic-write.js';

/** The path of a cache file in the user's cache directory. */
export function cachePath(file: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.CHIPBENCH_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'chipbench');
  return join(dir, file);
}

const CacheSchema = z.object({ schemaVersion: z.literal(1), choices: z.record(z.string().max(2000), z.unknown()) });
type CacheFile = z.infer<typeof CacheSchema>;

function readCache(path: string): CacheFile {
  try {
    const parsed = CacheSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // missing or not JSON: a cache starts empty
  }
  return { schemaVersion: 1, choices: {} };
}

/** The entry at `key`, when there is one this build understands. */
export function loadChoice<T>(path: string, key: string, schema: z.ZodType<T>): T | undefined {
  const entry = schema.safeParse(readCache(path).choices[key]);
  return entry.success ? entry.data : undefined;
}

/** Records an entry; a cache that cannot be written (read-only home) costs a new trial next time, not the run. */
export function saveChoice(path: string, key: string, entry: unknown): boolean {
  try {
    const cache = readCache(path);
    cache.choices[key] = entry;
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic(path, `${JSON.stringify(cache, null, 2)}\n`);
    return true;
  } catch {
    return false;
  }
}
