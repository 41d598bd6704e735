/**
 * The backend worker: a child process that runs one backend's cases and
 * reports each over IPC as soon as it finishes. Started by spawn-worker.ts;
 * never run by hand.
 */
import { createSession } from '../backends/create-session.js';
import { fallbackReason } from '../backends/fallback.js';
import type { CaseResult } from '../results/schema.js';
import { runCollectiveJob } from '../jobs/run-collective-job.js';
import { runGemmJob } from '../jobs/run-gemm-job.js';
import { runStreamJob } from '../jobs/run-stream-job.js';
import { runKernelJob } from '../jobs/run-kernel-job.js';
import { measure } from '../harness/measure.js';
import { Turns } from '../harness/turns.js';
import { turnSlicedMeasure } from '../harness/turn-slices.js';
import { WORKER_PROTOCOL, type RunnerCommand, type WorkerMessage, type WorkerRequest } from './protocol.js';
import type { Job, JobHooks } from '../plan/plan.js';
import { CommandQueue, slicedMeasure } from './sliced-measure.js';
import { errorLine } from '../errors/error-message.js';

/** Commands that come after the request (interleaved runs only). */
const commands = new CommandQueue();

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) {
      reject(new Error('worker.js must be started by chipbench with an IPC channel'));
      return;
    }
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

async function serve(request: WorkerRequest): Promise<void> {
  let session;
  try {
    session = await createSession(request.backend);
  } catch (error) {
    await send({
      type: 'probe',
      status: { backend: request.backend, available: false, reason: `could not load: ${errorLine(error)}` },
      limits: {},
    });
    await send({ type: 'done' });
    return;
  }
  const probe = await session.probe();
  // One place for every backend: a probe kernel that gpu.js ran elsewhere makes the backend unavailable.
  const executed = probe.status.executed;
  const fallback = executed && probe.status.available ? fallbackReason(request.backend, executed.backend, executed.kernelClass) : null;
  if (fallback) probe.status = { backend: request.backend, available: false, reason: fallback, executed: executed!, replacedBy: executed!.backend };
  await send({ type: 'probe', status: probe.status, limits: probe.limits, protocol: WORKER_PROTOCOL });
  // Cases sampled in turn (time slices) are all open at once; none is disposed before the last is done, because
  // destroying one gpu.js kernel while another lives on the same GL context can stop the survivor rendering.
  const disposals: Array<() => void> = [];
  if (!request.probeOnly && probe.status.available) {
    const turns = !request.sliced && (request.budget.timeSlices ?? 1) > 1 ? new Turns() : undefined;
    const hooks: JobHooks = {
      onCaseStart: (id: string) => send({ type: 'case-start', id }),
      onCaseResult: async (result: CaseResult) => {
        await send({ type: 'case-result', result });
        if (!request.awaitRecorded) return;
        // the runner writes the result file now: no case is timed meanwhile
        const command = await commands.next();
        if (command.type !== 'recorded' || command.id !== result.id) throw new Error(`the runner sent '${command.type}' for ${command.id} while ${result.id} waited to be recorded`);
      },
      measure: request.sliced
        ? slicedMeasure(send, commands)
        : turns
          ? turnSlicedMeasure(turns, (id) => send({ type: 'turn', id }))
          : measure,
      dispose: turns ? (release) => void disposals.push(release) : (release) => release(),
    };
    const runJob = (job: Job) =>
      job.kind === 'gemm'
        ? runGemmJob(request.backend, session, job, request.budget, hooks)
        : job.kind === 'stream'
          ? runStreamJob(request.backend, session, job, request.budget, hooks)
          : job.kind === 'kernel'
            ? runKernelJob(request.backend, session, job, request.budget, hooks)
            : runCollectiveJob(request.backend, session, job, request.budget, hooks);
    if (turns) {
      // every job starts at once and waits for its turn; the turn passes only between slices of samples
      await Promise.all(request.jobs.map((job) => turns.hold(() => runJob(job))));
    } else {
      for (const job of request.jobs) await runJob(job);
    }
  }
  for (const release of disposals) release();
  await session.dispose();
  await send({ type: 'done' });
}

// The runner owns this process's life: a terminal's Ctrl-C or a CI's SIGTERM to the whole process group must not
// end a case behind the runner's back (it would be recorded as a crash); the runner kills workers itself.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
// A suite file's code can throw from a timer or a promise outside any case's await: say so in the line the runner
// keeps of a dead worker (the last of stderr; Node's own report ends with its version banner), then end.
const uncaught = (error: unknown) => {
  process.stderr.write(`chipbench worker: uncaught in a suite file's code or a backend: ${errorLine(error)}\n`);
  process.exit(70);
};
process.on('uncaughtException', uncaught);
process.on('unhandledRejection', uncaught);
// If the runner dies (kill -9), nobody reads our results any more: leave.
let finished = false;
process.on('disconnect', () => process.exit(finished ? 0 : 1));

process.once('message', (request: WorkerRequest) => {
  process.on('message', (command: RunnerCommand) => commands.push(command));
  serve(request)
    .then(() => {
      finished = true;
      process.disconnect?.();
      // Dawn and worker pools can keep handles open; the work is done and reported, so leave now.
      setTimeout(() => process.exit(0), 100).unref();
    })
    .catch((error: unknown) => {
      process.stderr.write(`chipbench worker (${request.backend}): ${(error as Error)?.stack ?? String(error)}\n`);
      process.exit(70);
    });
});
