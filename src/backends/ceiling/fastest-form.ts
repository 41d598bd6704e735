/**
 * How a hand-written kernel picks its form on a device (WGSL tilings, WebGL layouts): every form that fits is built,
 * run once and checked against the float64 result, then given a short trial (its fastest of a few calls); the fastest
 * verified form is kept, and every candidate recorded with its trial time or why it was not one. The trial only
 * ranks the forms; the case's figure comes from the harness's own sampling of the one kept.
 */
import { errorLine } from '../../errors/error-message.js';
import type { VariantRecord } from '../../results/schema.js';

/** One form of a kernel, as the trial sees it. */
export interface FormTrial<K> {
  name: string;
  /** why the form cannot run on this device, or undefined when it can */
  unfit?: string;
  build(): Promise<K> | K;
  /** runs the kernel once and throws when its output is wrong */
  verify(kernel: K): Promise<void> | void;
  /** one call, ending with the synchronisation a sample ends with */
  call(kernel: K): Promise<void> | void;
  /** frees a form that was built but not kept */
  discard?(kernel: K): void;
}

/** Calls of a verified form's trial: its fastest is its trial time. */
export const TRIAL_CALLS = 2;

/** The fastest verified form and every candidate; throws, naming each form's reason, when none verified. */
export async function fastestForm<K>(forms: readonly FormTrial<K>[], what: string): Promise<{ name: string; kernel: K; candidates: NonNullable<VariantRecord['candidates']> }> {
  const candidates: NonNullable<VariantRecord['candidates']> = [];
  let best: { name: string; kernel: K; seconds: number; form: FormTrial<K> } | undefined;
  for (const form of forms) {
    if (form.unfit) {
      candidates.push({ variant: form.name, outcome: 'failed', reason: form.unfit });
      continue;
    }
    let kernel: K | undefined;
    try {
      kernel = await form.build();
      await form.verify(kernel);
      let seconds = Infinity;
      for (let call = 0; call < TRIAL_CALLS; call++) {
        const t0 = performance.now();
        await form.call(kernel);
        seconds = Math.min(seconds, (performance.now() - t0) / 1000);
      }
      candidates.push({ variant: form.name, outcome: 'ok', trialSeconds: seconds });
      if (!best || seconds < best.seconds) {
        if (best) best.form.discard?.(best.kernel);
        best = { name: form.name, kernel, seconds, form };
      } else {
        form.discard?.(kernel);
      }
    } catch (error) {
      candidates.push({ variant: form.name, outcome: 'failed', reason: errorLine(error) });
      if (kernel !== undefined) form.discard?.(kernel);
    }
  }
  if (!best) throw new Error(`no ${what} verified: ${candidates.map((t) => `${t.variant}: ${t.reason}`).join('; ')}`);
  return { name: best.name, kernel: best.kernel, candidates };
}
