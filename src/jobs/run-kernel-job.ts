/**
 * One size of a suite file's case on one backend: load the case (in this worker, never in the runner), make its
 * seeded inputs and its float64 reference, compile the kernel, check one call's every element, time it, then
 * check one more call after timing. A case that fails any step is recorded failed with the step and the file in
 * its reason; the worker goes on with the next case.
 */
import type { HarnessBudget } from '../config/profiles.js';
import { fallbackReason } from '../backends/fallback.js';
import { residentUnfit } from '../backends/gpujs-suite-kernel.js';
import type { BackendSession, PreparedSuiteKernel } from '../backends/session.js';
import { errorReason } from '../errors/error-message.js';
import { caseSkeleton, casesOf, type JobHooks, type KernelJob } from '../plan/plan.js';
import { kernelMetrics } from '../results/case-figures.js';
import type { KernelCase } from '../results/schema.js';
import { checkAgainstReference, checkWithCase, flattenOutput, type OutputCheck } from '../suite/verify-output.js';
import { caseMaterial, named, type CaseMaterial } from './case-material.js';

export async function runKernelJob(backend: string, session: BackendSession, job: KernelJob, budget: HarnessBudget, hooks: JobHooks): Promise<void> {
  const planned = casesOf(backend, job)[0]!;
  const record = caseSkeleton(backend, planned) as KernelCase;
  const started = Date.now();
  const where = `${job.file}, case ${job.name} at ${job.size.label}`;
  const finish = (patch: Partial<KernelCase>) => hooks.onCaseResult({ ...record, ...patch, wallSeconds: (Date.now() - started) / 1000 });
  await hooks.onCaseStart(planned.id);
  if (job.problem) return finish({ reason: job.problem });

  let material: CaseMaterial;
  try {
    material = await caseMaterial(job, job.size.size, job.seed);
  } catch (error) {
    return finish({ reason: `${where}: ${errorReason(error)}` });
  }
  const unfit = job.timing === 'resident' ? residentUnfit(material.inputs) : undefined;
  if (unfit) return finish({ reason: `${where}: ${unfit}` });
  let prepared: PreparedSuiteKernel;
  try {
    prepared = await session.prepareSuiteKernel(material.spec, material.inputs, job.timing);
  } catch (error) {
    return finish({ reason: `${where}: the kernel did not compile or run on ${backend}: ${errorReason(error)}` });
  }
  try {
    record.timingNote = prepared.timingNote;
    const before = await verifiedCall(backend, prepared, material, record).catch((error: unknown) => `failed before timing: ${errorReason(error)}`);
    if (typeof before === 'string') return await finish({ reason: `${where}: ${before}` });
    record.verification = verificationOf(material, before);
    if (before.wrong > 0) return await finish({ reason: `${where}: verification failed: ${wrongLine(before)}; the case was not timed` });
    let patch: Partial<KernelCase>;
    try {
      const measurement = await hooks.measure(planned.id, () => prepared.run(), budget);
      const after = await verifiedCall(backend, prepared, material, record);
      if (typeof after === 'string') return await finish({ reason: `${where}: after timing: ${after}` });
      record.verification = { ...record.verification, wrongAfter: after.wrong };
      if (after.wrong > 0) return await finish({ reason: `${where}: one more call after timing was wrong: ${wrongLine(after)}; the figure is discarded` });
      patch = { outcome: 'ok', measurement, metrics: kernelMetrics(job.size.work, measurement) };
    } catch (error) {
      patch = { reason: `${where}: failed while being timed: ${errorReason(error)}` };
    }
    await finish(patch);
  } finally {
    hooks.dispose(() => prepared.dispose());
  }
}

/** One call, what ran it (a fallback is a string: the case fails), and its output checked. */
async function verifiedCall(backend: string, prepared: PreparedSuiteKernel, material: CaseMaterial, record: KernelCase): Promise<OutputCheck | string> {
  await prepared.run();
  const output = flattenOutput(await prepared.output(), material.elements);
  record.executed = prepared.executed();
  const fallback = fallbackReason(backend, record.executed.backend, record.executed.kernelClass);
  if (fallback) return fallback;
  if (material.reference) return checkAgainstReference(output, material.reference, material.kase.tolerance ?? {});
  return checkWithCase(output, named('check', () => material.kase.check!(output, material.host, material.size)));
}

function verificationOf(material: CaseMaterial, check: OutputCheck): NonNullable<KernelCase['verification']> {
  const { wrong, elements, maxAbsError, maxRelError, note } = check;
  return {
    method: material.reference ? 'reference' : 'check',
    ...(material.reference ? { tolerance: { ...material.kase.tolerance } } : {}),
    elements,
    wrong,
    ...(maxAbsError !== undefined ? { maxAbsError } : {}),
    ...(maxRelError !== undefined ? { maxRelError } : {}),
    ...(note ? { note } : {}),
  };
}

function wrongLine(check: OutputCheck): string {
  const first = check.first ? ` (first at element ${check.first.index}: ${check.first.got} against ${check.first.want})` : '';
  return `#wrong ${check.wrong} of ${check.elements}${first}${check.note ? `; ${check.note}` : ''}`;
}
