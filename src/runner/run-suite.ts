/**
 * A whole run: probe the backends, refuse sizes that cannot fit, then run
 * each backend's cases in its own workers, writing the RunResult after every
 * case. Nothing here prints; the CLI listens to the events.
 */
import type { HarnessBudget, ProfileName } from '../../bench/profiles.js';
import { PROBE_TIMEOUT_SECONDS } from '../config/defaults.js';
import { toolVersion } from '../env/package-info.js';
import { collectEnvironment } from '../env/environment.js';
import { InputError } from '../input-error.js';
import type { GemmShape } from '../metrics/gemm-work.js';
import { ResultFile } from '../results/result-file.js';
import { RESULT_SCHEMA_VERSION, type BackendStatus, type CaseResult, type RunResult, type TimingMode } from '../results/schema.js';
import { gemmCaseId } from './case-id.js';
import { checkHostMemory, deviceLimitProblem } from './preflight.js';
import { probeBackends } from './probe-backends.js';
import type { GemmJob } from './protocol.js';
import { failedCase, runBackend, unavailableOutcome } from './run-backend.js';
import { RunControl, RunInterrupted } from './run-control.js';
import { WorkerEnvironment } from './worker-environment.js';

export interface SuiteOptions {
  profile: ProfileName;
  /** backends to try, in order */
  backends: string[];
  /** true when the user named the backends: an unavailable one then yields skipped cases and exit code 1 */
  backendsExplicit: boolean;
  workloads: string[];
  timings: TimingMode[];
  shapes: GemmShape[];
  budget: HarnessBudget;
  caseTimeoutSeconds: number;
  seed: number;
  /** where to write the RunResult after every case; undefined writes nothing */
  outputPath: string | undefined;
  command: string[];
}

export interface SuiteEvents {
  /** the backends were probed and every size fits: the run starts now */
  onProbed?(statuses: BackendStatus[]): void;
  onCaseStart?(id: string, index: number, total: number): void;
  onCaseResult?(result: CaseResult, index: number, total: number): void;
}

/** The jobs of one backend: every shape with every timing. */
function jobsFor(options: SuiteOptions): GemmJob[] {
  return options.shapes.map((shape) => ({ shape, seed: options.seed, timings: [...options.timings] }));
}

/** Runs the suite; returns the final RunResult. Throws InputError before writing anything if a size cannot fit. */
export async function runSuite(
  options: SuiteOptions,
  events: SuiteEvents = {},
  control = new RunControl(),
): Promise<RunResult> {
  checkHostMemory(options.shapes);
  const environment = new WorkerEnvironment();
  try {
    const probes = await probeBackends(options.backends, environment, control);
    if (control.stopped) throw new RunInterrupted('stopped while probing the backends; no case ran and no file was written');
    for (const probe of probes) {
      if (!probe.status.available) continue;
      for (const shape of options.shapes) {
        const problem = deviceLimitProblem(shape, probe.limits);
        if (problem) {
          throw new InputError(`--sizes: ${problem} on ${probe.status.backend}; give smaller --sizes or leave ${probe.status.backend} out of --backends`);
        }
      }
    }

    events.onProbed?.(probes.map((p) => p.status));

    const initial: RunResult = {
      schemaVersion: RESULT_SCHEMA_VERSION,
      tool: { name: 'chipbench', version: toolVersion() },
      status: 'running',
      startedAt: new Date().toISOString(),
      command: options.command,
      options: {
        profile: options.profile,
        backends: options.backends,
        workloads: options.workloads,
        timings: options.timings,
        shapes: options.shapes,
        ...options.budget,
        caseTimeoutSeconds: options.caseTimeoutSeconds,
        seed: options.seed,
      },
      environment: collectEnvironment(),
      backends: probes.map((p) => p.status),
      cases: [],
    };
    const file = new ResultFile(options.outputPath, initial);

    // Missing backends are listed, not run, unless the user named them; a replaced backend always yields failed cases.
    const runnable = probes.filter((p) => p.status.available || options.backendsExplicit || p.status.replacedBy);
    const total = runnable.length * options.shapes.length * options.timings.length;
    let index = 0;
    const record = (result: CaseResult) => {
      index++;
      file.addCase(result);
      events.onCaseResult?.(result, index, total);
    };

    for (const probe of runnable) {
      if (control.stopped) break;
      const backend = probe.status.backend;
      const jobs = jobsFor(options);
      if (!probe.status.available) {
        const { outcome, reason } = unavailableOutcome(probe.status);
        for (const job of jobs) {
          for (const timing of job.timings) record(failedCase(backend, { id: gemmCaseId(backend, job.shape, timing), job, timing }, outcome, reason));
        }
        continue;
      }
      const status = await runBackend(
        backend,
        jobs,
        options.budget,
        {
          caseTimeoutSeconds: options.caseTimeoutSeconds,
          probeTimeoutSeconds: PROBE_TIMEOUT_SECONDS,
          env: await environment.forBackend(backend),
          onSpawn: (kill) => control.attach(kill),
        },
        {
          onCaseStart: (id) => events.onCaseStart?.(id, index + 1, total),
          onCaseResult: record,
        },
        () => control.stopped,
      );
      if (status) file.setBackendStatus(status);
    }
    file.finish(control.stopped ? 'incomplete' : 'complete');
    return file.result;
  } finally {
    environment.stop();
  }
}
