/**
 * The forms the hand-written GEMMs picked on a device (a WGSL tiling, a WebGL layout), kept between runs in
 * ceiling-forms.json under the user's cache directory (choice-cache.ts), as the autotuner's gpu.js variants are:
 * the next run verifies the cached form and measures it, so consecutive runs compare one kernel with itself rather
 * than whichever form won a short trial that time. Keyed by backend, device, the forms' fingerprint and shape.
 */
import { z } from 'zod';
import { formatShape, type GemmShape } from '../metrics/gemm-work.js';
import { cachePath, loadChoice, saveChoice } from './choice-cache.js';

export const CEILING_FORM_CACHE_FILE = 'ceiling-forms.json';

export interface CeilingFormKey {
  backend: string;
  /** the device that really ran, by name */
  device: string;
  /** ceilingFormsFingerprint(backend) */
  fingerprint: string;
  shape: GemmShape;
}

const EntrySchema = z.object({
  form: z.string().max(100),
  /** the form's trial time when it was chosen, seconds */
  trialSeconds: z.number().finite().nonnegative(),
  chosenAt: z.string().max(100),
});
export type CeilingFormEntry = z.infer<typeof EntrySchema>;

const keyOf = (k: CeilingFormKey) => `${k.backend}|${k.device}|forms ${k.fingerprint}|${formatShape(k.shape)}`;

export function defaultCeilingFormCachePath(env: NodeJS.ProcessEnv = process.env): string {
  return cachePath(CEILING_FORM_CACHE_FILE, env);
}

export function loadCeilingForm(path: string, key: CeilingFormKey): CeilingFormEntry | undefined {
  return loadChoice(path, keyOf(key), EntrySchema);
}

export function saveCeilingForm(path: string, key: CeilingFormKey, form: string, trialSeconds: number, now = new Date()): boolean {
  return saveChoice(path, keyOf(key), { form, trialSeconds, chosenAt: now.toISOString() });
}
