/**
 * One STREAM kernel of one array size on one backend, as bench/builtin/stream.bench.ts defines it (its gpu.js kernel,
 * inputs, float64 reference and bytes moved), run resident; or the hand-written ceiling on the same API and device,
 * fed the same inputs. One run whose every output element is checked against the reference, then timing. GB/s
 * counts bytes read plus written (STREAM's convention): copy moves 2 arrays, triad 3.
 */
import type { HarnessBudget } from '../config/profiles.js';
import type { BackendSession, CeilingStream, PreparedSuiteKernel } from '../backends/session.js';
import { streamMetrics } from '../results/case-figures.js';
import { caseSkeleton, casesOf, type JobHooks, type StreamJob } from '../plan/plan.js';
import type { StreamCase } from '../results/schema.js';
import { checkAgainstReference, flattenOutput } from '../suite/verify-output.js';
import { caseMaterial, UNSEEDED, type CaseMaterial } from './case-material.js';
import { runExactCase, type PreparedOperation } from './verified-case.js';

/** The kernel on the backend, and how its output is read back after a run. */
type PreparedStreamCase = PreparedOperation & { outputNow(): Promise<unknown> };

export async function runStreamJob(backend: string, session: BackendSession, job: StreamJob, budget: HarnessBudget, hooks: JobHooks): Promise<void> {
  const planned = casesOf(backend, job)[0]!;
  const record = caseSkeleton(backend, planned) as StreamCase;
  let material: CaseMaterial | undefined;
  await runExactCase(
    backend,
    {
      planned,
      record,
      prepare: async () => {
        material = await caseMaterial(job.source, job.bytes, UNSEEDED);
        return job.ceiling ? prepareCeiling(backend, session, job, material, record) : gpujsKernel(await session.prepareSuiteKernel(material.spec, material.inputs, 'resident'));
      },
      prepareFailure: 'could not set up the kernel',
      countWrong: async (prepared) => {
        const { reference, kase, elements } = material!;
        return checkAgainstReference(flattenOutput(await prepared.outputNow(), elements), reference!, kase.tolerance ?? {}).wrong;
      },
      metrics: (m) => streamMetrics(job.movedBytes, m),
    },
    budget,
    hooks,
  );
}

function gpujsKernel(prepared: PreparedSuiteKernel): PreparedStreamCase {
  return { ...prepared, outputNow: () => prepared.output() };
}

/** The hand-written kernel, fed the case's arrays and its triad scalar (constant s), recorded as it is prepared. */
async function prepareCeiling(backend: string, session: BackendSession, job: StreamJob, material: CaseMaterial, record: StreamCase): Promise<PreparedStreamCase> {
  if (!session.prepareCeilingStream) throw new Error(`${backend} has no hand-written STREAM kernel`);
  const [x, y] = material.host.filter((h): h is Float32Array => h instanceof Float32Array);
  const scalar = material.spec.constants?.s ?? 0;
  const ceiling: CeilingStream = await session.prepareCeilingStream(job.kernel, x!, y ?? x!, scalar);
  record.variant = { id: ceiling.ceiling.id, description: ceiling.ceiling.description, choice: 'hand-written' };
  return Object.assign(ceiling, { outputNow: async () => ceiling.readBack() });
}
