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
import type { Workload } from '../config/defaults.js';
import { COLLECTIVE_WORKLOADS } from '../results/schema.js';
import { STREAM_KERNELS } from '../metrics/bandwidth.js';
import type { AllreduceAlgorithm } from '../workloads/allreduce/schedule.js';
import { compareCase, type ComparisonContext } from '../reference/compare-case.js';
import { casesOf, unrunCase, type Job } from './plan.js';
import { checkCollectiveHostMemory, checkHostMemory, collectiveLimitProblem, deviceLimitProblem } from './preflight.js';
import { probeBackends } from './probe-backends.js';
import { runBackend, unavailableOutcome } from './run-backend.js';
import { RunControl, RunInterrupted } from './run-control.js';
import { WorkerEnvironment } from './worker-environment.js';

export interface SuiteOptions {
  profile: ProfileName;
  /** backends to try, in order */
  backends: string[];
  /** true when the user named the backends: an unavailable one then yields skipped cases and exit code 1 */
  backendsExplicit: boolean;
  workloads: Workload[];
  timings: TimingMode[];
  shapes: GemmShape[];
  /** collectives: simulated devices, all-reduce algorithms, and S (bytes per rank) for each size */
  ranks: number;
  algorithms: AllreduceAlgorithm[];
  collectiveBytes: number[];
  budget: HarnessBudget;
  caseTimeoutSeconds: number;
  seed: number;
  /** where to write the RunResult after every case; undefined writes nothing */
  outputPath: string | undefined;
  command: string[];
  /** the chip table every finished case is set beside, in the file as it is written */
  comparison?: ComparisonContext;
}

export interface SuiteEvents {
  /** the backends were probed and every size fits: the run starts now */
  onProbed?(statuses: BackendStatus[]): void;
  onCaseStart?(id: string, index: number, total: number): void;
  onCaseResult?(result: CaseResult, index: number, total: number): void;
}

/** The jobs of one backend: every GEMM shape with every timing, then every collective, algorithm and size. */
export function jobsFor(options: SuiteOptions): Job[] {
  const jobs: Job[] = [];
  if (options.workloads.includes('gemm')) {
    for (const shape of options.shapes) jobs.push({ kind: 'gemm', shape, seed: options.seed, timings: [...options.timings] });
  }
  // STREAM at the collectives' sizes, so every busbw has its backend's copy bandwidth at the same S.
  if (options.workloads.includes('stream')) {
    for (const kernel of STREAM_KERNELS) for (const bytes of options.collectiveBytes) jobs.push({ kind: 'stream', kernel, bytes });
  }
  for (const collective of COLLECTIVE_WORKLOADS) {
    if (!options.workloads.includes(collective)) continue;
    const algorithms = collective === 'allreduce' ? options.algorithms : ['ring'];
    for (const algorithm of algorithms) {
      for (const bytes of options.collectiveBytes) jobs.push({ kind: 'collective', collective, algorithm, ranks: options.ranks, bytes });
    }
  }
  return jobs;
}

/** Collectives and STREAM both run over the byte sweep (STREAM arrays are sized like the rank buffers). */
const usesByteSweep = (options: SuiteOptions) => options.workloads.some((w) => w !== 'gemm');

/** Runs the suite; returns the final RunResult. Throws InputError before writing anything if a size cannot fit. */
export async function runSuite(
  options: SuiteOptions,
  events: SuiteEvents = {},
  control = new RunControl(),
): Promise<RunResult> {
  if (options.workloads.includes('gemm')) checkHostMemory(options.shapes);
  if (usesByteSweep(options)) checkCollectiveHostMemory(options.ranks, options.collectiveBytes);
  const environment = new WorkerEnvironment();
  try {
    const probes = await probeBackends(options.backends, environment, control);
    if (control.stopped) throw new RunInterrupted('stopped while probing the backends; no case ran and no file was written');
    for (const probe of probes) {
      if (!probe.status.available) continue;
      const backend = probe.status.backend;
      for (const shape of options.workloads.includes('gemm') ? options.shapes : []) {
        const problem = deviceLimitProblem(shape, probe.limits);
        if (problem) throw new InputError(`--sizes: ${problem} on ${backend}; give smaller --sizes or leave ${backend} out of --backends`);
      }
      for (const bytes of usesByteSweep(options) ? options.collectiveBytes : []) {
        const problem = collectiveLimitProblem(bytes, probe.limits);
        if (problem) throw new InputError(`--max-bytes: ${problem} on ${backend}; give a smaller --max-bytes or leave ${backend} out of --backends`);
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
        ranks: options.ranks,
        algorithms: options.algorithms,
        collectiveBytes: options.collectiveBytes,
        ...options.budget,
        caseTimeoutSeconds: options.caseTimeoutSeconds,
        seed: options.seed,
      },
      environment: collectEnvironment(),
      backends: probes.map((p) => p.status),
      ...(options.comparison
        ? {
            reference: {
              chipTables: options.comparison.table.files,
              alphaSeconds: options.comparison.alphaSeconds,
              ...(options.comparison.cpuPeak ? { cpuPeak: options.comparison.cpuPeak } : {}),
            },
          }
        : {}),
      cases: [],
    };
    const file = new ResultFile(options.outputPath, initial);

    // Missing backends are listed, not run, unless the user named them; a replaced backend always yields failed cases.
    const runnable = probes.filter((p) => p.status.available || options.backendsExplicit || p.status.replacedBy);
    const planned = jobsFor(options);
    const total = runnable.length * planned.reduce((n, job) => n + casesOf('', job).length, 0);
    let index = 0;
    const record = (measured: CaseResult) => {
      index++;
      const reference = options.comparison ? compareCase(measured, options.comparison) : undefined;
      const result = reference ? { ...measured, reference } : measured;
      file.addCase(result);
      events.onCaseResult?.(result, index, total);
    };

    for (const probe of runnable) {
      if (control.stopped) break;
      const backend = probe.status.backend;
      const jobs = jobsFor(options);
      if (!probe.status.available) {
        const { outcome, reason } = unavailableOutcome(probe.status);
        for (const job of jobs) for (const c of casesOf(backend, job)) record(unrunCase(backend, c, outcome, reason));
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
