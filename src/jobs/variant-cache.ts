/**
 * The autotuner's choices, kept between runs in one JSON file under the
 * user's cache directory ($CHIPBENCH_CACHE_DIR, else $XDG_CACHE_HOME/chipbench,
 * else ~/.cache/chipbench): gemm-variants.json. A choice is keyed by backend,
 * device, gpu.js version, the variants' fingerprint, shape and timing mode, so
 * another device, a gpu.js upgrade or a changed set of kernels finds nothing
 * and tunes again. The file is a cache: one that is
 * missing, unreadable or of another format is ignored (and replaced on the
 * next save), never an error; it is written atomically (two runs saving at
 * once can lose one choice, which costs a re-tune, never a wrong result).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { formatShape, type GemmShape } from '../metrics/gemm-work.js';
import { writeFileAtomic } from '../results/atomic-write.js';
import type { TimingMode } from '../results/schema.js';
import * as kernels from '../backends/gpujs-kernels.js';
import { GEMM_VARIANT_IDS, GEMM_VARIANTS, type GemmVariantId } from '../workloads/gemm/variants.js';

export const VARIANT_CACHE_FILE = 'gemm-variants.json';

export function defaultVariantCachePath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.CHIPBENCH_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'chipbench');
  return join(dir, VARIANT_CACHE_FILE);
}

export interface VariantKey {
  backend: string;
  /** the device that really ran, by name */
  device: string;
  gpujs: string;
  shape: GemmShape;
  timing: TimingMode;
}

/**
 * A fingerprint of the variants this build has: their table and their kernels' source. A choice made among
 * other variants (an older chipbench, a kernel rewritten since) is not reused: the new set is tuned.
 */
export const VARIANTS_FINGERPRINT = createHash('sha256')
  .update(JSON.stringify(GEMM_VARIANTS))
  .update(
    Object.entries(kernels)
      .filter(([name]) => name.startsWith('gemm'))
      .map(([name, source]) => `${name}:${String(source)}`)
      .join('\n'),
  )
  .digest('hex')
  .slice(0, 12);

export function variantCacheKey(k: VariantKey): string {
  return `${k.backend}|${k.device}|gpu.js ${k.gpujs}|variants ${VARIANTS_FINGERPRINT}|${formatShape(k.shape)}|${k.timing}`;
}

const EntrySchema = z.object({
  variant: z.enum(GEMM_VARIANT_IDS),
  /** the fastest trial call when it was chosen, seconds */
  trialSeconds: z.number().finite().nonnegative(),
  tunedAt: z.string().max(100),
});
export type VariantCacheEntry = z.infer<typeof EntrySchema>;

/**
 * Entries are checked one by one when read: an entry this build does not understand (a variant another chipbench
 * version has, sharing the cache) is skipped and kept, never a reason to drop the others.
 */
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

export function loadVariantChoice(path: string, key: VariantKey): VariantCacheEntry | undefined {
  const entry = EntrySchema.safeParse(readCache(path).choices[variantCacheKey(key)]);
  return entry.success ? entry.data : undefined;
}

/** Records a choice; a cache that cannot be written (read-only home) costs a re-tune next time, not the run. */
export function saveVariantChoice(path: string, key: VariantKey, variant: GemmVariantId, trialSeconds: number, now = new Date()): boolean {
  try {
    const cache = readCache(path);
    cache.choices[variantCacheKey(key)] = { variant, trialSeconds, tunedAt: now.toISOString() };
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic(path, `${JSON.stringify(cache, null, 2)}\n`);
    return true;
  } catch {
    return false;
  }
}
