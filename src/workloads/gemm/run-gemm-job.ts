/**
 * One GEMM shape on one backend, in each requested timing mode: compile,
 * verify the output against the float64 reference, and only then time it.
 * A case whose backend was silently replaced, or whose output is wrong, is
 * recorded as an error with its figures and is never timed.
 */
import type { HarnessBudget } from '../../../bench/profiles.js';
import { fallbackReason } from '../../backends/fallback.js';
import { flattenOutput, type BackendSession, type GemmOutput, type PreparedGemm } from '../../backends/session.js';
import { gemmFlop } from '../../metrics/gemm-work.js';
import { tflopsPerSecond } from '../../metrics/units.js';
import { caseSkeleton, casesOf, type GemmJob, type JobHooks } from '../../runner/plan.js';
import type { CaseResult, Executed, GemmCase, Verification } from '../../results/schema.js';
import { errorMessage } from '../error-message.js';
import { makeGemmOperands } from './inputs.js';
import { referenceGemm, verifyGemm } from './verify.js';

function toRecord(v: ReturnType<typeof verifyGemm>): Verification {
  return {
    passed: v.passed,
    maxRelError: Number.isFinite(v.maxRelError) ? v.maxRelError : null,
    bound: v.bound,
    checkedElements: v.checkedElements,
    wrongElements: v.wrongElements,
  };
}


/** Runs one job; every timing in it yields exactly one CaseResult through hooks. */
export async function runGemmJob(
  backend: string,
  session: BackendSession,
  job: GemmJob,
  budget: HarnessBudget,
  hooks: JobHooks,
): Promise<void> {
  const { shape, seed } = job;
  const flop = gemmFlop(shape);
  let prepared: PreparedGemm | undefined;
  let reference: ReturnType<typeof referenceGemm> | undefined;
  let prepareError: string | undefined;

  for (const planned of casesOf(backend, job)) {
    const { id, timing } = planned;
    const started = Date.now();
    const base = caseSkeleton(backend, planned) as GemmCase;
    const finish = async (patch: Partial<GemmCase>) => {
      await hooks.onCaseResult({ ...base, ...patch, wallSeconds: (Date.now() - started) / 1000 });
    };
    await hooks.onCaseStart(id);

    if (!prepared && prepareError === undefined) {
      try {
        const ops = makeGemmOperands(shape, seed);
        reference = referenceGemm(ops);
        prepared = await session.prepareGemm(ops);
      } catch (error) {
        prepareError = `could not compile or set up the kernel: ${errorMessage(error)}`;
      }
    }
    if (!prepared || !reference) {
      await finish({ reason: prepareError ?? 'kernel not prepared' });
      continue;
    }
    base.timingNote = prepared.timingNotes[timing];

    let executed: Executed | undefined;
    try {
      const output: GemmOutput =
        timing === 'end-to-end' ? await prepared.endToEnd() : (await prepared.resident(), await prepared.readResident());
      executed = prepared.executed(timing);
      base.executed = executed;
      const fallback = fallbackReason(backend, executed.backend, executed.kernelClass);
      if (fallback) {
        await finish({ reason: fallback });
        continue;
      }
      const verification = verifyGemm(flattenOutput(output, shape.m, shape.n), reference, shape.k);
      base.verification = toRecord(verification);
      if (!verification.passed) {
        const err = Number.isFinite(verification.maxRelError) ? verification.maxRelError.toExponential(2) : 'not finite';
        await finish({
          reason:
            `verification failed: ${verification.wrongElements} of ${verification.checkedElements} elements wrong, ` +
            `max normalised error ${err} > bound ${verification.bound.toExponential(2)}; the case was not timed`,
        });
        continue;
      }
    } catch (error) {
      await finish({ reason: `the kernel failed before timing: ${errorMessage(error)}` });
      continue;
    }

    let measured: Pick<GemmCase, 'measurement' | 'metrics'>;
    try {
      const run = timing === 'end-to-end' ? () => prepared!.endToEnd() : () => prepared!.resident();
      const measurement = await hooks.measure(id, async () => {
        await run();
      }, budget);
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
  prepared?.dispose();
}
