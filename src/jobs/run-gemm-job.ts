/**
 * One GEMM shape on one backend: the naive README kernel in each requested
 * timing mode (the reference peer, always measured), then the tuned cases:
 * the variant --variant forces, or the one the autotuner picks (or an
 * earlier run picked: verified like every case, and tuned again if it fails). Every case compiles, verifies its
 * output against the float64 result, and only then is timed. A case whose
 * backend was silently replaced, or whose output is wrong, is recorded as an
 * error with its figures and is never timed.
 */
import { ceilingFormsFingerprint } from '../backends/ceiling/forms-fingerprint.js';
import { defaultCeilingFormCachePath, loadCeilingForm, saveCeilingForm } from './ceiling-form-cache.js';
import { deviceTimeOf } from './device-time.js';
import type { HarnessBudget } from '../config/profiles.js';
import { fallbackReason } from '../backends/fallback.js';
import type { BackendSession, CeilingGemm, GemmKernel, GemmOutput, PreparedGemm } from '../backends/session.js';
import { AUTOTUNE_TRIAL_CALLS, AUTOTUNE_TRIAL_MS } from '../config/defaults.js';
import { dependencyVersion } from '../env/package-info.js';
import { caseSkeleton, casesOf, type GemmJob, type JobHooks, type PlannedCase } from '../plan/plan.js';
import type { Executed, GemmCase, TimingMode, Verification, VariantRecord } from '../results/schema.js';
import { gemmMetrics } from '../results/case-figures.js';
import { errorLine, errorReason } from '../errors/error-message.js';
import { autotune } from '../workloads/gemm/autotune.js';
import type { GemmOperands } from '../workloads/gemm/inputs.js';
import { defaultVariantCachePath, loadVariantChoice, saveVariantChoice, variantsFingerprint, type VariantKey } from './variant-cache.js';
import { GEMM_VARIANT_IDS, GEMM_VARIANTS, variantUnfit, type GemmVariantId } from '../workloads/gemm/variants.js';
import type { CheckResult, HostInput } from '../suite/define.js';
import { gemmVariantSources } from '../suite/builtin.js';
import { caseMaterial, named, type CaseMaterial } from './case-material.js';
import { checkWithCase } from '../suite/verify-output.js';

type ChosenVariant = VariantRecord & { id: GemmVariantId };

/** A C (row-major M x N) judged by the suite file's check: the GEMM verification record. */
type VerifyC = (c: Float32Array) => Verification;

/** The suite file's check of C for these operands, as the case records it. */
function verifierOf(material: CaseMaterial, host: readonly HostInput[]): VerifyC {
  return (c) => {
    const result: CheckResult = named('check', () => material.kase.check!(c, host, material.size));
    const { wrong } = checkWithCase(c, result);
    const maxError = result.maxError ?? Infinity;
    return { passed: wrong === 0, maxRelError: Number.isFinite(maxError) ? maxError : null, bound: result.bound ?? 0, checkedElements: c.length, wrongElements: wrong };
  };
}

/** One call of a timing mode, its output read back (outside any timed region). */
async function callOnce(prepared: GemmKernel, timing: TimingMode): Promise<GemmOutput> {
  return timing === 'end-to-end' ? await prepared.endToEnd() : (await prepared.resident(), await prepared.readResident());
}

type Checked = { executed: Executed; verification?: Verification; problem?: string };

/** Runs a prepared variant once and checks what ran and what it computed: the gate before any timing. */
async function check(backend: string, prepared: GemmKernel, timing: TimingMode, verify: VerifyC): Promise<Checked> {
  const output = await callOnce(prepared, timing);
  const executed = prepared.executed(timing);
  const fallback = fallbackReason(backend, executed.backend, executed.kernelClass);
  if (fallback) return { executed, problem: fallback };
  const verification = verify(prepared.toRowMajor(output));
  if (verification.passed) return { executed, verification };
  const err = verification.maxRelError !== null ? verification.maxRelError.toExponential(2) : 'not finite';
  return {
    executed,
    verification,
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
  const run = new GemmJobRun(backend, session, job, budget, hooks, env);
  for (const planned of casesOf(backend, job)) await run.runCase(planned);
  run.dispose();
}

/** The naive cases' kernel: the README's, always measured beside the tuned ones. */
const NAIVE: ChosenVariant = { id: 'naive', description: GEMM_VARIANTS.naive.description, choice: 'reference' };

/** The device name of a key when the naive kernel has not run in that timing mode: nothing is looked up or saved under it. */
const UNKNOWN_DEVICE = 'unknown device';

/** A case being run: its record so far, and how to hand it over with its wall time. */
interface OpenCase {
  planned: PlannedCase;
  record: GemmCase;
  finish(patch: Partial<GemmCase>): Promise<void>;
}

/**
 * The state of one GEMM job in a worker: the operands and their float64 result (made once, for the first case),
 * every kernel variant prepared so far (kept until the job ends, see chooseVariant), and the tuned choice per timing.
 * Each case goes through the steps: choose the variant, prepare it, verify, measure and re-check.
 */
class GemmJobRun {
  /** the suite file's case at this shape: its operands, its check, and the check of 2C for A doubled */
  private inputs: Promise<{ ops: GemmOperands; verify: VerifyC; verifyDoubled: VerifyC; sources: Record<GemmVariantId, (...args: never[]) => unknown> }> | undefined;
  private readonly prepared = new Map<GemmVariantId, PreparedGemm>();
  private readonly prepareErrors = new Map<GemmVariantId, string>();
  private readonly tuned = new Map<TimingMode, ChosenVariant>();
  /** the hand-written ceiling, prepared by the job's first ceiling case (a failure fails every ceiling case) */
  private ceiling: Promise<CeilingGemm> | undefined;
  /** how the ceiling's form was chosen, for kernels with several forms */
  private ceilingChosenBy: VariantRecord['chosenBy'];
  /** a cached form that no longer verified, recorded among the candidates of the trial that replaced it */
  private ceilingCacheFailure: NonNullable<VariantRecord['candidates']>[number] | undefined;
  constructor(
    private readonly backend: string,
    private readonly session: BackendSession,
    private readonly job: GemmJob,
    private readonly budget: HarnessBudget,
    private readonly hooks: JobHooks,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** One planned case, to exactly one CaseResult. */
  async runCase(planned: PlannedCase): Promise<void> {
    const started = Date.now();
    const record = caseSkeleton(this.backend, planned) as GemmCase;
    const open: OpenCase = {
      planned,
      record,
      finish: async (patch) => {
        await this.hooks.onCaseResult({ ...record, ...patch, wallSeconds: (Date.now() - started) / 1000 });
      },
    };
    await this.hooks.onCaseStart(planned.id);
    let verified: GemmKernel | undefined;
    try {
      verified = await this.verifiedKernel(open);
    } catch (error) {
      await open.finish({ reason: errorReason(error) });
      return;
    }
    if (verified) await this.measureAndRecheck(open, verified);
  }

  /** Frees every prepared variant, when the hooks say (at once, or after the worker's last case sampled in turn). */
  dispose(): void {
    const ceiling = this.ceiling;
    this.hooks.dispose(() => {
      for (const p of this.prepared.values()) p.dispose();
      void ceiling?.then((c) => c.dispose(), () => undefined);
    });
  }

  /**
   * The case loaded from bench/builtin/gemm.bench.ts (once a job): its seeded A and B, its check (made once: the file
   * keeps the float64 C of each A), the same check for A doubled, and every variant's kernel.
   */
  private operands() {
    this.inputs ??= (async () => {
      const material = await caseMaterial(this.job.source, { ...this.job.shape }, this.job.seed);
      const [a, b] = material.host;
      if (!(a instanceof Float32Array) || !(b instanceof Float32Array)) throw new Error('inputs() did not give A and B as arrays');
      const ops: GemmOperands = { shape: this.job.shape, seed: this.job.seed, a, b };
      const doubledA = a.map((x) => 2 * x);
      const sources = { naive: material.spec.source, ...gemmVariantSources(material.kase) };
      return { ops, verify: verifierOf(material, material.host), verifyDoubled: verifierOf(material, [doubledA, b]), sources };
    })();
    return this.inputs;
  }

  /**
   * The case's kernel, verified: its variant chosen, prepared, run once and checked. Undefined when the case failed
   * (already finished with the reason); a cached choice that fails is tuned again, once.
   */
  private async verifiedKernel(open: OpenCase): Promise<GemmKernel | undefined> {
    if (open.planned.ceiling) return this.verifiedCeiling(open);
    const { timing } = open.planned;
    const { record } = open;
    const { verify } = await this.operands();
    let variant = open.planned.tuned ? await this.chooseVariant(timing) : NAIVE;
    for (;;) {
      record.variant = variant;
      let current: PreparedGemm | undefined;
      let checked: Partial<Checked>;
      try {
        current = await this.prepare(variant.id);
        record.timingNote = current.timingNotes[timing];
        checked = await check(this.backend, current, timing, verify).catch((error: unknown) => ({
          problem: `the kernel failed before timing: ${errorReason(error)}`,
        }));
      } catch (error) {
        // a variant that will not compile or set up: a cached choice is tuned again below, anything else fails
        if (variant.choice !== 'cached') throw error;
        checked = { problem: errorReason(error) };
      }
      if (checked.executed) record.executed = checked.executed;
      if (checked.verification) record.verification = checked.verification;
      else delete record.verification;
      if (!checked.problem) return current;
      // a cached choice that no longer verifies (a new driver, say) is tuned again, once
      if (variant.choice === 'cached') {
        variant = await this.chooseVariant(timing, true);
        continue;
      }
      await open.finish({ reason: checked.verification ? `${checked.problem}; the case was not timed` : checked.problem });
      return undefined;
    }
  }

  /** The hand-written ceiling, prepared once per job and checked like a gpu.js kernel; undefined when the case failed. */
  private async verifiedCeiling(open: OpenCase): Promise<GemmKernel | undefined> {
    const { timing } = open.planned;
    const { record } = open;
    const { verify } = await this.operands();
    this.ceiling ??= this.prepareCeiling(timing);
    const ceiling = await this.ceiling;
    const { id, description, candidates } = ceiling.ceiling;
    const tried = [...(this.ceilingCacheFailure ? [this.ceilingCacheFailure] : []), ...(candidates ?? [])];
    record.variant = { id, description, choice: 'hand-written', ...(this.ceilingChosenBy ? { chosenBy: this.ceilingChosenBy } : {}), ...(tried.length > 0 ? { candidates: tried } : {}) };
    record.timingNote = ceiling.timingNotes[timing];
    const checked: Partial<Checked> = await check(this.backend, ceiling, timing, verify).catch((error: unknown) => ({
      problem: `the kernel failed before timing: ${errorReason(error)}`,
    }));
    if (checked.executed) record.executed = checked.executed;
    if (checked.verification) record.verification = checked.verification;
    if (!checked.problem) return ceiling;
    await open.finish({ reason: checked.verification ? `${checked.problem}; the case was not timed` : checked.problem });
    return undefined;
  }

  /**
   * The hand-written kernel, in the form the first fork chose, else the form an earlier run cached for this device
   * (verified again; one that no longer verifies is tried again among all), else the fastest of a trial, cached.
   */
  private async prepareCeiling(timing: TimingMode): Promise<CeilingGemm> {
    const session = this.session;
    if (!session.prepareCeilingGemm) throw new Error(`${this.backend} has no hand-written GEMM`);
    const { ops, verify } = await this.operands();
    const prepare = (form?: string) => session.prepareCeilingGemm!(ops, (c) => verify(c).passed, form);
    const fingerprint = ceilingFormsFingerprint(this.backend);
    try {
      if (!fingerprint) return await prepare(); // one form: nothing to choose or cache
      if (this.job.ceilingVariant) {
        this.ceilingChosenBy = 'first-fork';
        return await prepare(this.job.ceilingVariant);
      }
      const device = this.deviceName(timing);
      const key = device === UNKNOWN_DEVICE ? undefined : { backend: this.backend, device, fingerprint, shape: this.job.shape };
      const path = defaultCeilingFormCachePath(this.env);
      const cached = key ? loadCeilingForm(path, key) : undefined;
      if (cached) {
        try {
          const kernel = await prepare(cached.form);
          this.ceilingChosenBy = 'cache';
          return kernel;
        } catch (error) {
          // the cached form no longer verifies here (a new driver, say): every form is tried again below, and the
          // case says why the cached one was not used
          this.ceilingCacheFailure = { variant: cached.form, outcome: 'failed', reason: `the cached choice failed: ${errorLine(error)}` };
        }
      }
      const kernel = await prepare();
      this.ceilingChosenBy = 'trial';
      const chosen = kernel.ceiling.candidates?.find((c) => c.variant === kernel.ceiling.id);
      if (key && chosen?.trialSeconds !== undefined) saveCeilingForm(path, key, kernel.ceiling.id, chosen.trialSeconds);
      return kernel;
    } catch (error) {
      throw new Error(`could not set up the hand-written kernel: ${errorReason(error)}`);
    }
  }

  /** The device the naive kernel ran on in a timing mode, by name; UNKNOWN_DEVICE before it has run there. */
  private deviceName(timing: TimingMode): string {
    try {
      return this.prepared.get('naive')?.executed(timing).device.name ?? UNKNOWN_DEVICE;
    } catch {
      return UNKNOWN_DEVICE; // the naive case did not get as far as running
    }
  }

  /**
   * Times the verified kernel with the hooks' sampler, then proves the timed calls computed: no readback inside a
   * resident timed region, and one more call with A doubled must return 2C.
   */
  private async measureAndRecheck(open: OpenCase, verified: GemmKernel): Promise<void> {
    const { id, timing } = open.planned;
    let measured: Pick<GemmCase, 'measurement' | 'metrics' | 'deviceTime'>;
    try {
      const run = timing === 'end-to-end' ? () => verified.endToEnd() : () => verified.resident();
      const readsBefore = verified.readbacks();
      const measurement = await this.hooks.measure(id, async () => {
        await run();
      }, this.budget);
      const reads = verified.readbacks() - readsBefore;
      if (timing === 'resident' && reads > 0) {
        await open.finish({ reason: `${reads} readback(s) of C happened inside the resident timed region, which must hold none; no figure is reported` });
        return;
      }
      const recheck = (await this.operands()).verifyDoubled(verified.toRowMajor(await verified.runDoubled(timing)));
      open.record.verification = { ...open.record.verification!, recheckedAfterTiming: recheck.passed };
      if (!recheck.passed) {
        await open.finish({
          reason:
            `after timing, one more call with A doubled did not return 2C (${recheck.wrongElements} of ${recheck.checkedElements} elements wrong): ` +
            'the kernel may have stopped computing and left an earlier C in its output, so the timed calls cannot be trusted; no figure is reported',
        });
        return;
      }
      const deviceTime = timing === 'resident' ? await deviceTimeOf(verified.deviceTimes?.bind(verified)) : undefined;
      measured = { measurement, metrics: gemmMetrics(this.job.flops, measurement), ...(deviceTime ? { deviceTime } : {}) };
    } catch (error) {
      await open.finish({ reason: `the kernel failed while being timed: ${errorReason(error)}` });
      return;
    }
    await open.finish({ outcome: 'ok', ...measured });
  }

  /** A variant prepared once per job; one that failed to prepare fails again with the same reason, without retrying. */
  private async prepare(variant: GemmVariantId): Promise<PreparedGemm> {
    const have = this.prepared.get(variant);
    if (have) return have;
    const failed = this.prepareErrors.get(variant);
    if (failed) throw new Error(failed);
    try {
      const { ops, sources } = await this.operands();
      const p = await this.session.prepareGemm(ops, variant, sources[variant]);
      this.prepared.set(variant, p);
      return p;
    } catch (error) {
      this.prepareErrors.set(variant, `could not compile or set up the ${variant} kernel: ${errorReason(error)}`);
      throw new Error(this.prepareErrors.get(variant));
    }
  }

  /** The autotuner's trial of a variant: verified once, then the fastest of a few calls. */
  private async trial(variant: GemmVariantId, timing: TimingMode) {
    const p = await this.prepare(variant);
    const checked = await check(this.backend, p, timing, (await this.operands()).verify);
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
  }

  private remember(timing: TimingMode, id: GemmVariantId, choice: VariantRecord['choice'], extra: Pick<VariantRecord, 'candidates'> = {}): ChosenVariant {
    const r: ChosenVariant = { ...extra, id, description: GEMM_VARIANTS[id].description, choice };
    this.tuned.set(timing, r);
    return r;
  }

  /**
   * The tuned cases' variant for a timing mode: forced, cached (the case verifies it like any other; if it fails,
   * the case tunes again with `retune`), or tuned now and cached.
   */
  private async chooseVariant(timing: TimingMode, retune = false): Promise<ChosenVariant> {
    const have = this.tuned.get(timing);
    if (have && !retune) return have;
    const { shape, variant } = this.job;
    if (variant && variant !== 'auto') return this.remember(timing, variant, 'forced');
    const device = this.deviceName(timing);
    const kernels = variantsFingerprint((await this.operands()).sources);
    const key: VariantKey = { backend: this.backend, device, gpujs: dependencyVersion('gpu.js'), kernels, shape, timing };
    const cachePath = defaultVariantCachePath(this.env);
    // with the device unknown (the naive case never ran here), nothing is looked up or saved under it
    const cached = retune || device === UNKNOWN_DEVICE ? undefined : loadVariantChoice(cachePath, key);
    if (cached && !variantUnfit(shape, GEMM_VARIANTS[cached.variant])) return this.remember(timing, cached.variant, 'cached');
    const chosen = await this.tune(timing);
    if (device !== UNKNOWN_DEVICE) saveVariantChoice(cachePath, key, chosen.id, chosen.trialSeconds);
    // The losers stay prepared until the job ends. Disposing them here was tried: on headlessgl, destroying one
    // gpu.js kernel while another lives on the same context made the survivor's calls return without rendering
    // (t22 at 64^3: 815 us a call before, 61 us after, its stale output still verifying), measured here.
    return this.remember(timing, chosen.id, 'autotuned', { candidates: chosen.candidates });
  }

  /** Every variant that fits the shape, tried by the autotuner; throws when none verifies. */
  private async tune(timing: TimingMode): Promise<{ id: GemmVariantId; trialSeconds: number; candidates: NonNullable<VariantRecord['candidates']> }> {
    const { shape } = this.job;
    const candidates = GEMM_VARIANT_IDS.filter((id) => !variantUnfit(shape, GEMM_VARIANTS[id]));
    const result = await autotune(candidates, (id) => this.trial(id, timing));
    const unfit = GEMM_VARIANT_IDS.filter((id) => !candidates.includes(id)).map((id) => ({
      variant: id,
      outcome: 'failed' as const,
      reason: variantUnfit(shape, GEMM_VARIANTS[id])!,
    }));
    const all = [...result.candidates, ...unfit];
    if (!result.chosen) throw new Error(`no variant verified: ${all.map((c) => `${c.variant}: ${c.reason}`).join('; ')}`);
    const best = result.candidates.find((c) => c.variant === result.chosen)!;
    return { id: result.chosen, trialSeconds: best.trialSeconds!, candidates: all };
  }
}
