/**
 * One GEMM shape on one backend: the naive README kernel in each requested
 * timing mode (the reference peer, always measured), then the tuned cases:
 * the variant --variant forces, or the one the autotuner picks (or an
 * earlier run picked: verified like every case, and tuned again if it fails). Every case compiles, verifies its
 * output against the float64 reference, and only then is timed. A case whose
 * backend was silently replaced, or whose output is wrong, is recorded as an
 * error with its figures and is never timed.
 */
import type { HarnessBudget } from '../../../bench/profiles.js';
import { fallbackReason } from '../../backends/fallback.js';
import type { BackendSession, GemmOutput, PreparedGemm } from '../../backends/session.js';
import { AUTOTUNE_TRIAL_CALLS, AUTOTUNE_TRIAL_MS } from '../../config/defaults.js';
import { dependencyVersion } from '../../env/package-info.js';
import { gemmFlop } from '../../metrics/gemm-work.js';
import { tflopsPerSecond } from '../../metrics/units.js';
import { caseSkeleton, casesOf, type GemmJob, type JobHooks } from '../../runner/plan.js';
import type { Executed, GemmCase, TimingMode, Verification, VariantRecord } from '../../results/schema.js';
import { errorMessage } from '../error-message.js';
import { autotune } from './autotune.js';
import { makeGemmOperands, type GemmOperands } from './inputs.js';
import { defaultVariantCachePath, loadVariantChoice, saveVariantChoice, type VariantKey } from './variant-cache.js';
import { GEMM_VARIANT_IDS, GEMM_VARIANTS, variantUnfit, type GemmVariantId } from './variants.js';
import { referenceGemm, verifyGemm } from './verify.js';

type Reference = ReturnType<typeof referenceGemm>;

/** The reference for A doubled: 2C, and the sums of absolute products doubled, so the normalised error and its bound are unchanged. */
function doubled(reference: Reference): Reference {
  return { c: reference.c.map((x) => 2 * x), absSum: reference.absSum.map((x) => 2 * x) };
}
type ChosenVariant = VariantRecord & { id: GemmVariantId };

function toRecord(v: ReturnType<typeof verifyGemm>): Verification {
  return {
    passed: v.passed,
    maxRelError: Number.isFinite(v.maxRelError) ? v.maxRelError : null,
    bound: v.bound,
    checkedElements: v.checkedElements,
    wrongElements: v.wrongElements,
  };
}

/** One call of a timing mode, its output read back (outside any timed region). */
async function callOnce(prepared: PreparedGemm, timing: TimingMode): Promise<GemmOutput> {
  return timing === 'end-to-end' ? await prepared.endToEnd() : (await prepared.resident(), await prepared.readResident());
}

type Checked = { executed: Executed; verification?: Verification; problem?: string };

/** Runs a prepared variant once and checks what ran and what it computed: the gate before any timing. */
async function check(backend: string, prepared: PreparedGemm, timing: TimingMode, reference: Reference, k: number): Promise<Checked> {
  const output = await callOnce(prepared, timing);
  const executed = prepared.executed(timing);
  const fallback = fallbackReason(backend, executed.backend, executed.kernelClass);
  if (fallback) return { executed, problem: fallback };
  const verification = verifyGemm(prepared.toRowMajor(output), reference, k);
  if (verification.passed) return { executed, verification: toRecord(verification) };
  const err = Number.isFinite(verification.maxRelError) ? verification.maxRelError.toExponential(2) : 'not finite';
  return {
    executed,
    verification: toRecord(verification),
    problem:
      `verification failed: ${verification.wrongElements} of ${verification.checkedElements} elements wrong, ` +
      `max normalised error ${err} > bound ${verification.bound.toExponential(2)}`,
  };
}

/** Runs one job; every case in it yields exactly one CaseResult through hooks. */
export async function runGemmJob(
  backend: string,
  session: BackendSession,
  job: GemmJob,
  budget: HarnessBudget,
  hooks: JobHooks,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const { shape, seed } = job;
  const flop = gemmFlop(shape);
  let inputs: { ops: GemmOperands; reference: Reference } | undefined;
  const prepared = new Map<GemmVariantId, PreparedGemm>();
  const prepareErrors = new Map<GemmVariantId, string>();
  const tuned = new Map<TimingMode, ChosenVariant>();

  const prepare = async (variant: GemmVariantId): Promise<PreparedGemm> => {
    const have = prepared.get(variant);
    if (have) return have;
    const failed = prepareErrors.get(variant);
    if (failed) throw new Error(failed);
    try {
      const p = await session.prepareGemm(inputs!.ops, variant);
      prepared.set(variant, p);
      return p;
    } catch (error) {
      prepareErrors.set(variant, `could not compile or set up the ${variant} kernel: ${errorMessage(error)}`);
      throw new Error(prepareErrors.get(variant));
    }
  };

  /** The autotuner's trial of a variant: verified once, then the fastest of a few calls. */
  const trial = async (variant: GemmVariantId, timing: TimingMode) => {
    const p = await prepare(variant);
    const checked = await check(backend, p, timing, inputs!.reference, shape.k);
    if (checked.problem) return { ok: false as const, reason: checked.problem };
    let fastest = Infinity;
    const started = performance.now();
    for (let calls = 0; calls < AUTOTUNE_TRIAL_CALLS || performance.now() - started < AUTOTUNE_TRIAL_MS; calls++) {
      const t0 = performance.now();
      if (timing === 'end-to-end') await p.endToEnd();
      else await p.resident();
      fastest = Math.min(fastest, (performance.now() - t0) / 1000);
    }
    return { ok: true as const, seconds: fastest };
  };

  /**
   * The tuned cases' variant for a timing mode: forced, cached (the case verifies it like any other; if it fails,
   * the case tunes again with `retune`), or tuned now and cached.
   */
  const chooseVariant = async (timing: TimingMode, retune = false): Promise<ChosenVariant> => {
    const have = tuned.get(timing);
    if (have && !retune) return have;
    const record = (id: GemmVariantId, choice: VariantRecord['choice'], extra: Pick<VariantRecord, 'candidates'> = {}): ChosenVariant => {
      const r: ChosenVariant = { ...extra, id, description: GEMM_VARIANTS[id].description, choice };
      tuned.set(timing, r);
      return r;
    };
    if (job.variant && job.variant !== 'auto') return record(job.variant, 'forced');
    let device = 'unknown device';
    try {
      device = prepared.get('naive')?.executed(timing).device.name ?? device;
    } catch {
      // the naive case did not get as far as running: the key says so
    }
    const key: VariantKey = { backend, device, gpujs: dependencyVersion('gpu.js'), shape, timing };
    const cachePath = defaultVariantCachePath(env);
    // with the device unknown (the naive case never ran here), nothing is looked up or saved under it
    const cached = retune || device === 'unknown device' ? undefined : loadVariantChoice(cachePath, key);
    if (cached && !variantUnfit(shape, GEMM_VARIANTS[cached.variant])) return record(cached.variant, 'cached');
    const candidates = GEMM_VARIANT_IDS.filter((id) => !variantUnfit(shape, GEMM_VARIANTS[id]));
    const result = await autotune(candidates, (id) => trial(id, timing));
    const unfit = GEMM_VARIANT_IDS.filter((id) => !candidates.includes(id)).map((id) => ({
      variant: id,
      outcome: 'failed' as const,
      reason: variantUnfit(shape, GEMM_VARIANTS[id])!,
    }));
    const all = [...result.candidates, ...unfit];
    if (!result.chosen) throw new Error(`no variant verified: ${all.map((c) => `${c.variant}: ${c.reason}`).join('; ')}`);
    const best = result.candidates.find((c) => c.variant === result.chosen)!;
    if (device !== 'unknown device') saveVariantChoice(cachePath, key, result.chosen, best.trialSeconds!);
    // The losers stay prepared until the job ends. Disposing them here was tried: on headlessgl, destroying one
    // gpu.js kernel while another lives on the same context made the survivor's calls return without rendering
    // (t22 at 64^3: 815 us a call before, 61 us after, its stale output still verifying), measured here.
    return record(result.chosen, 'autotuned', { candidates: all });
  };

  for (const planned of casesOf(backend, job)) {
    const { id, timing } = planned;
    const started = Date.now();
    const base = caseSkeleton(backend, planned) as GemmCase;
    const finish = async (patch: Partial<GemmCase>) => {
      await hooks.onCaseResult({ ...base, ...patch, wallSeconds: (Date.now() - started) / 1000 });
    };
    await hooks.onCaseStart(id);

    let current: PreparedGemm | undefined;
    try {
      if (!inputs) {
        const ops = makeGemmOperands(shape, seed);
        inputs = { ops, reference: referenceGemm(ops) };
      }
      let variant: VariantRecord & { id: GemmVariantId } = planned.tuned
        ? await chooseVariant(timing)
        : { id: 'naive', description: GEMM_VARIANTS.naive.description, choice: 'reference' };
      for (;;) {
        base.variant = variant;
        let checked: { executed?: Executed; verification?: Verification; problem?: string };
        try {
          current = await prepare(variant.id);
          base.timingNote = current.timingNotes[timing];
          checked = await check(backend, current, timing, inputs.reference, shape.k).catch((error: unknown) => ({
            problem: `the kernel failed before timing: ${errorMessage(error)}`,
          }));
        } catch (error) {
          // a variant that will not compile or set up: a cached choice is tuned again below, anything else fails
          if (variant.choice !== 'cached') throw error;
          checked = { problem: errorMessage(error) };
        }
        if (checked.executed) base.executed = checked.executed;
        if (checked.verification) base.verification = checked.verification;
        else delete base.verification;
        if (!checked.problem) break;
        // a cached choice that no longer verifies (a new driver, say) is tuned again, once
        if (variant.choice === 'cached') {
          variant = await chooseVariant(timing, true);
          continue;
        }
        await finish({ reason: checked.verification ? `${checked.problem}; the case was not timed` : checked.problem });
        current = undefined;
        break;
      }
    } catch (error) {
      await finish({ reason: errorMessage(error) });
      continue;
    }
    if (!current) continue;
    const verified = current;

    let measured: Pick<GemmCase, 'measurement' | 'metrics'>;
    try {
      const run = timing === 'end-to-end' ? () => verified.endToEnd() : () => verified.resident();
      const readsBefore = verified.readbacks();
      const measurement = await hooks.measure(id, async () => {
        await run();
      }, budget);
      const reads = verified.readbacks() - readsBefore;
      if (timing === 'resident' && reads > 0) {
        await finish({ reason: `${reads} readback(s) of C happened inside the resident timed region, which must hold none; no figure is reported` });
        continue;
      }
      const recheck = verifyGemm(verified.toRowMajor(await verified.runDoubled(timing)), doubled(inputs.reference), shape.k);
      base.verification = { ...base.verification!, recheckedAfterTiming: recheck.passed };
      if (!recheck.passed) {
        await finish({
          reason:
            `after timing, one more call with A doubled did not return 2C (${recheck.wrongElements} of ${recheck.checkedElements} elements wrong): ` +
            'the kernel may have stopped computing and left an earlier C in its output, so the timed calls cannot be trusted; no figure is reported',
        });
        continue;
      }
      measured = {
        measurement,
        metrics: {
          flop,
          medianTflops: tflopsPerSecond(flop, measurement.medianSeconds),
          tflopsCi: {
            low: tflopsPerSecond(flop, measurement.medianCi.highSeconds),
            high: tflopsPerSecond(flop, measurement.medianCi.lowSeconds),
          },
        },
      };
    } catch (error) {
      await finish({ reason: `the kernel failed while being timed: ${errorMessage(error)}` });
      continue;
    }
    await finish({ outcome: 'ok', ...measured });
  }
  hooks.dispose(() => {
    for (const p of prepared.values()) p.dispose();
  });
}
