/**
 * The autotuner's choices, kept between runs in gemm-variants.json under the user's cache directory
 * (choice-cache.ts). A choice is keyed by backend, device, gpu.js version, the variants' fingerprint, shape and
 * timing mode, so another device, a gpu.js upgrade or a changed set of kernels finds nothing and tunes again.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { formatShape, type GemmShape } from '../metrics/gemm-work.js';
import { cachePath, loadChoice, saveChoice } from './choice-cache.js';
import type { TimingMode } from '../results/schema.js';
import { GEMM_VARIANT_IDS, GEMM_VARIANTS, type GemmVariantId } from '../workloads/gemm/variants.js';

export const VARIANT_CACHE_FILE = 'gemm-variants.json';

export function defaultVariantCachePath(env: NodeJS.ProcessEnv = process.env): string {
  return cachePath(VARIANT_CACHE_FILE, env);
}

export interface VariantKey {
  backend: string;
  /** the device that really ran, by name */
  device: string;
  gpujs: string;
  /** variantsFingerprint of the kernels tuned among */
  kernels: string;
  shape: GemmShape;
  timing: TimingMode;
}

/**
 * A fingerprint of the variants a run has: the engine's table (layouts) and the kernels' source as the suite file
 * gives them (bench/builtin/gemm.bench.ts). A choice made among other variants (an older chipbench, a kernel
 * rewritten since) is not reused: the new set is tuned.
 */
export function variantsFingerprint(sources: Readonly<Record<GemmVariantId, (...args: never[]) => unknown>>): string {
  return createHash('sha256')
    .update(JSON.stringify(GEMM_VARIANTS))
    .update(GEMM_VARIANT_IDS.map((id) => `${id}:${String(sources[id])}`).join('\n'))
    .digest('hex')
    .slice(0, 12);
}

export function variantCacheKey(k: VariantKey): string {
  return `${k.backend}|${k.device}|gpu.js ${k.gpujs}|variants ${k.kernels}|${formatShape(k.shape)}|${k.timing}`;
}

const EntrySchema = z.object({
  variant: z.enum(GEMM_VARIANT_IDS),
  /** the fastest trial call when it was chosen, seconds */
  trialSeconds: z.number().finite().nonnegative(),
  tunedAt: z.string().max(100),
});
export type VariantCacheEntry = z.infer<typeof EntrySchema>;

export function loadVariantChoice(path: string, key: VariantKey): VariantCacheEntry | undefined {
  return loadChoice(path, variantCacheKey(key), EntrySchema);
}

/** Records a choice; false when the cache could not be written. */
export function saveVariantChoice(path: string, key: VariantKey, variant: GemmVariantId, trialSeconds: number, now = new Date()): boolean {
  return saveChoice(path, variantCacheKey(key), { variant, trialSeconds, tunedAt: now.toISOString() });
}
