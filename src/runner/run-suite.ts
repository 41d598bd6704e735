/**
 * A whole run: probe the backends, refuse sizes that cannot fit, then run
 * each backend's cases in its own workers, writing the RunResult after every
 * case. Nothing here prints; the CLI listens to the events.
 */
import type { HarnessBudget, ProfileName } from '../../bench/profiles.js';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_SAMPLES_PER_CASE, PROBE_TIMEOUT_SECONDS } from '../config/defaults.js';
import { toolVersion } from '../env/package-info.js';
import { collectEnvironment } from '../env/environment.js';
import { InputError } from '../input-error.js';
import { selectorMatchedNothing } from '../backends/webgpu-adapters.js';
import type { GemmShape } from '../metrics/gemm-work.js';
import { ResultFile } from '../results/result-file.js';
import { RESULT_SCHEMA_VERSION, type BackendStatus, type CaseResult, type RunResult, type TimingMode } from '../results/schema.js';
import type { Workload } from '../config/defaults.js';
import { COLLECTIVE_WORKLOADS } from '../results/schema.js';
import { STREAM_KERNELS } from '../metrics/bandwidth.js';
import type { AllreduceAlgorithm } from '../workloads/allreduce/schedule.js';
import { compareCase, type ComparisonContext } from '../reference/compare-case.js';
import { casesOf, jobsOf, unrunCase, type Job } from './plan.js';
import { compareRuns, type CompareOptions } from '../compare/compare-runs.js';
import { ForkLedger } from './fork-ledger.js';
import { checkCollectiveHostMemory, checkHostMemory, collectiveLimitProblem, deviceLimitProblem } from './preflight.js';
import { probeBackends, type ProbeOutcome } from './probe-backends.js';
import { runBackendInterleaved, type Side } from './interleave.js';
import { WORKER_PROTOCOL } from './protocol.js';
import type { WorkerWatch } from './spawn-worker.js';
import { runBackend, unavailableOutcome } from './run-backend.js';
import { RunControl, RunInterrupted } from './run-control.js';
import { WorkerEnvironment } from './worker-environment.js';
import type { GemmVariantId } from '../workloads/gemm/variants.js';

export interface SuiteOptions {
  profile: ProfileName;
  /** backends to try, in order */
  backends: string[];
  /** true when the user named the backends: an unavailable one then yields skipped cases and exit code 1 */
  backendsExplicit: boolean;
  workloads: Workload[];
  timings: TimingMode[];
  shapes: GemmShape[];
  /** the tuned GEMM cases' variant: 'auto' (tuned, cached) or one forced; 'naive' runs no tuned case (the naive kernel is always run) */
  variant?: GemmVariantId | 'auto';
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
  /** worker processes each case is measured in, one after another over the whole run */
  forks: number;
  /** --webgpu-adapter: which WebGPU adapter the webgpu cases run on; undefined takes the default (see webgpu-adapters.ts) */
  webgpuAdapter?: string;
  /** interleave every case with another build's (the base), slice by slice: see interleave.ts */
  against?: AgainstOptions;
}

export interface AgainstOptions {
  /** the base build's package root (a chipbench checkout with node_modules and dist/) */
  root: string;
  /** where to write the base side's RunResult; undefined writes nothing */
  outputPath: string | undefined;
  /** slices per side of every case */
  slices: number;
  /** fork pairs a case may get at most: past the run's forks, pairs are added to the cases still inconclusive */
  maxForks: number;
  /** no fork pair is added once the run has taken this many seconds */
  maxSeconds?: number;
  /** the comparison that decides which cases are still inconclusive (and, at the end, the verdicts) */
  compare: CompareOptions;
}

/**
 * How many times an adaptive interleaved run may look at its comparison: once after the run's forks, then once
 * after each added fork pair. compare splits alpha over them (Bonferroni), since stopping when a case is decided
 * and going on otherwise would, with one alpha per look, raise the chance of a wrong verdict with every look.
 */
export function looksOf(forks: number, maxForks: number): number {
  return Math.max(1, maxForks - forks + 1);
}

/** The ids of the cases a comparison of the two sides leaves inconclusive. */
function undecidedCases(base: RunResult, head: RunResult, options: CompareOptions): Set<string> {
  const comparison = compareRuns(base, head, { base: 'base', head: 'head' }, options);
  return new Set(comparison.cases.filter((c) => c.verdict === 'inconclusive').map((c) => c.id));
}

export interface SuiteEvents {
  /** the backends were probed and every size fits: the run starts now */
  onProbed?(statuses: BackendStatus[]): void;
  onCaseStart?(id: string, index: number, total: number): void;
  onCaseResult?(result: CaseResult, index: number, total: number): void;
}

/** What a run returns: the run, and in an interleaved run the base side's run too. */
export interface SuiteOutcome {
  head: RunResult;
  base?: RunResult;
}

/** The jobs of one backend: every GEMM shape with every timing, then every collective, algorithm and size. */
export function jobsFor(options: SuiteOptions): Job[] {
  const jobs: Job[] = [];
  if (options.workloads.includes('gemm')) {
    const variant = options.variant ?? 'naive';
    // The tuned case shows what the device computes at best: resident timing, the one without transfers, when it
    // is asked for (end-to-end adds the same upload and readback to every variant); else the timings asked for.
    const tunedTimings = variant === 'naive' ? [] : options.timings.includes('resident') ? ['resident' as const] : [...options.timings];
    for (const shape of options.shapes) {
      jobs.push({ kind: 'gemm', shape, seed: options.seed, timings: [...options.timings], tunedTimings: [...tunedTimings], variant });
    }
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

/** A --webgpu-adapter that names no adapter here is bad input, not a missing backend: one line, exit 2. */
function refuseUnmatchedAdapter(probes: ProbeOutcome[]): void {
  for (const probe of probes) {
    const choice = probe.status.webgpuAdapters?.choice;
    if (choice && selectorMatchedNothing(choice)) {
      throw new InputError(`${choice.reason}; run 'chipbench backends' to list them, and pass an index, a Dawn backend or part of a name`);
    }
  }
}

/** The limits check of every probe: throws InputError for a size that cannot fit on an available backend. */
function refuseSizesThatCannotFit(options: SuiteOptions, probes: ProbeOutcome[]): void {
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
}

/** The base build's worker; refused unless it is built and speaks the interleaving protocol. */
function baseWorkerPath(against: AgainstOptions): string {
  const path = join(against.root, 'dist', 'src', 'runner', 'worker.js');
  if (!existsSync(path)) {
    throw new InputError(`--against: no built chipbench in ${against.root} (${path} is missing); run 'npm ci && npm run build' there`);
  }
  return path;
}

function checkBaseProtocol(against: AgainstOptions, probes: ProbeOutcome[]): void {
  const old = probes.find((p) => p.status.available && (p.protocol ?? 1) < WORKER_PROTOCOL);
  if (old) {
    throw new InputError(
      `--against: the chipbench in ${against.root} cannot interleave (worker protocol ${old.protocol ?? 1}, need ${WORKER_PROTOCOL}); ` +
        'give a base built from a commit of this chipbench or later, or compare two separate runs with --baseline',
    );
  }
}

/** Runs the suite; returns the final RunResult(s). Throws InputError before writing anything if a size cannot fit. */
export async function runSuite(
  options: SuiteOptions,
  events: SuiteEvents = {},
  control = new RunControl(),
): Promise<SuiteOutcome> {
  if (options.workloads.includes('gemm')) checkHostMemory(options.shapes);
  if (usesByteSweep(options)) checkCollectiveHostMemory(options.ranks, options.collectiveBytes);
  const against = options.against;
  const basePath = against ? baseWorkerPath(against) : undefined;
  const environment = new WorkerEnvironment(process.env, options.webgpuAdapter);
  const runStarted = Date.now();
  try {
    const probes = await probeBackends(options.backends, environment, control);
    const baseProbes = against ? await probeBackends(options.backends, environment, control, basePath) : undefined;
    if (control.stopped) throw new RunInterrupted('stopped while probing the backends; no case ran and no file was written');
    refuseUnmatchedAdapter([...probes, ...(baseProbes ?? [])]);
    environment.pinWebgpuAdapter(probes.find((p) => p.status.backend === 'webgpu' && p.status.available)?.status);
    refuseSizesThatCannotFit(options, [...probes, ...(baseProbes ?? [])]);
    if (against && baseProbes) checkBaseProtocol(against, baseProbes);

    events.onProbed?.(probes.map((p) => p.status));

    const interleaveId = against ? `${new Date().toISOString()}-${randomUUID().slice(0, 8)}` : undefined;
    const initial = (side: Side, sideProbes: ProbeOutcome[]): RunResult => ({
      schemaVersion: RESULT_SCHEMA_VERSION,
      tool: { name: 'chipbench', version: toolVersion(side === 'base' ? against!.root : undefined) },
      status: 'running',
      startedAt: new Date().toISOString(),
      command: options.command,
      options: {
        profile: options.profile,
        backends: options.backends,
        workloads: options.workloads,
        timings: options.timings,
        shapes: options.shapes,
        ...(options.variant ? { gemmVariant: options.variant } : {}),
        ranks: options.ranks,
        algorithms: options.algorithms,
        collectiveBytes: options.collectiveBytes,
        ...options.budget,
        forks: options.forks,
        ...(options.webgpuAdapter !== undefined ? { webgpuAdapter: options.webgpuAdapter } : {}),
        caseTimeoutSeconds: options.caseTimeoutSeconds,
        seed: options.seed,
      },
      environment: collectEnvironment(side === 'base' ? against!.root : undefined),
      backends: sideProbes.map((p) => p.status),
      ...(options.comparison
        ? {
            reference: {
              chipTables: options.comparison.table.files,
              alphaSeconds: options.comparison.alphaSeconds,
              ...(options.comparison.cpuPeak ? { cpuPeak: options.comparison.cpuPeak } : {}),
            },
          }
        : {}),
      ...(against ? { interleave: { id: interleaveId!, side, base: against.root, slices: against.slices, looks: looksOf(options.forks, against.maxForks) } } : {}),
      cases: [],
    });
    const file = new ResultFile(options.outputPath, initial('head', probes));
    const baseFile = against && baseProbes ? new ResultFile(against.outputPath, initial('base', baseProbes)) : undefined;

    // Missing backends are listed, not run, unless the user named them; a replaced backend always yields failed cases.
    const runnable = (list: ProbeOutcome[]) => list.filter((p) => p.status.available || options.backendsExplicit || p.status.replacedBy);
    const planned = jobsFor(options);
    const backendsToRun = [...new Set([...runnable(probes), ...runnable(baseProbes ?? [])].map((p) => p.status.backend))];
    const planOrder = backendsToRun.flatMap((backend) => planned.flatMap((job) => casesOf(backend, job).map((c) => c.id)));
    file.keepInOrder(planOrder);
    baseFile?.keepInOrder(planOrder);
    const forks = options.forks;
    // progress counts forks of cases: a case that failed or was skipped counts for all the forks it will not run
    let total = backendsToRun.length * planned.reduce((n, job) => n + casesOf('', job).length, 0) * forks;
    let index = 0;
    const withReference = (measured: CaseResult) => {
      const reference = options.comparison ? compareCase(measured, options.comparison) : undefined;
      return reference ? { ...measured, reference } : measured;
    };
    const headForks = new ForkLedger(forks);
    const baseForks = new ForkLedger(forks);
    const record = (measured: CaseResult, unrun = false) => {
      const merged = unrun ? headForks.unrun(measured) : headForks.add(measured);
      if (!merged) return;
      index += merged.outcome === 'ok' ? 1 : 1 + headForks.forksLeft(measured.id);
      const result = withReference(merged);
      file.putCase(result);
      events.onCaseResult?.(result, index, total);
    };
    const recordBase = (measured: CaseResult, unrun = false) => {
      const merged = unrun ? baseForks.unrun(measured) : baseForks.add(measured);
      if (merged) baseFile!.putCase(withReference(merged));
    };
    const watchFor = async (backend: string): Promise<WorkerWatch> => ({
      caseTimeoutSeconds: options.caseTimeoutSeconds,
      probeTimeoutSeconds: PROBE_TIMEOUT_SECONDS,
      env: await environment.forBackend(backend),
      onSpawn: (kill) => control.attach(kill),
    });
    /** A backend one side cannot run: its cases are recorded as skipped or failed, unrun, once. */
    const recordUnrun = (status: BackendStatus, into: (result: CaseResult, unrun: boolean) => void) => {
      const { outcome, reason } = unavailableOutcome(status);
      for (const job of planned) for (const c of casesOf(status.backend, job)) into(unrunCase(status.backend, c, outcome, reason), true);
    };

    /** One fork pair of `jobs` on `backend`: a worker of each build, sampling every case slice by slice side by side. */
    const interleavedRound = async (backend: string, jobs: Job[], fork: number) => {
      const headProbe = probes.find((p) => p.status.backend === backend)!;
      const baseProbe = baseProbes!.find((p) => p.status.backend === backend)!;
      if (!headProbe.status.available && !baseProbe.status.available) return;
      const watch = await watchFor(backend);
      const statuses = await runBackendInterleaved(
        backend,
        // later forks run each side's tuned kernels as its first fork chose them: a re-tune must not change the kernel
        (side) => (side === 'head' ? headForks : baseForks).pinned(backend, jobs),
        options.budget,
        {
          slices: against!.slices,
          timeBudgetMs: options.budget.timeBudgetMs,
          maxSamples: MAX_SAMPLES_PER_CASE,
          minSamples: options.budget.minSamples,
          // each fork's coin for who goes first is its own
          seed: `${interleaveId!}/fork${fork}`,
        },
        {
          head: headProbe.status.available
            ? { watch, onCaseStart: (id) => events.onCaseStart?.(id, index + 1, total), onCaseResult: record }
            : undefined,
          base: baseProbe.status.available ? { watch: { ...watch, workerPath: basePath! }, onCaseResult: recordBase } : undefined,
        },
        () => control.stopped,
      );
      if (statuses.head) file.setBackendStatus(statuses.head);
      if (statuses.base) baseFile!.setBackendStatus(statuses.base);
    };

    // Fork-major: every backend's cases in one worker each, then again in fresh workers, so a case's forks are
    // spread over the whole run and a slow spell of the machine falls on one fork, not on all of a case's.
    for (let fork = 0; fork < forks && !control.stopped; fork++) {
      for (const backend of backendsToRun) {
        if (control.stopped) break;
        const headProbe = probes.find((p) => p.status.backend === backend)!;
        if (!baseFile || !baseProbes) {
          if (!headProbe.status.available) {
            if (fork === 0) recordUnrun(headProbe.status, record);
            continue;
          }
          // later forks measure only the cases still ok, with the kernel variant the first fork chose
          const jobs = fork === 0 ? planned : headForks.jobsStillOk(backend, planned);
          if (jobs.length === 0) continue;
          const status = await runBackend(
            backend,
            jobs,
            options.budget,
            await watchFor(backend),
            { onCaseStart: (id) => events.onCaseStart?.(id, index + 1, total), onCaseResult: record },
            () => control.stopped,
          );
          if (status) file.setBackendStatus(status);
          continue;
        }
        const baseProbe = baseProbes.find((p) => p.status.backend === backend)!;
        if (fork === 0 && (!headProbe.status.available || !baseProbe.status.available)) {
          // one side cannot run it: the other runs it alone, and compare reports the pair as failed or new
          if (!headProbe.status.available) recordUnrun(headProbe.status, record);
          if (!baseProbe.status.available) recordUnrun(baseProbe.status, recordBase);
        }
        await interleavedRound(backend, planned, fork);
      }
    }

    // Adaptive: while cases are still inconclusive, add fork pairs of those cases only, until they are decided or
    // the budget (--max-forks, --max-time) runs out (as Chromium's Pinpoint asks for more repeats).
    for (let fork = forks; baseFile && against && fork < against.maxForks && !control.stopped; fork++) {
      if (against.maxSeconds !== undefined && (Date.now() - runStarted) / 1e3 >= against.maxSeconds) break;
      const open = undecidedCases(baseFile.result, file.result, against.compare);
      if (open.size === 0) break;
      total += open.size;
      for (const backend of backendsToRun) {
        if (control.stopped) break;
        const cases = planned.flatMap((job) => casesOf(backend, job)).filter((c) => open.has(c.id));
        if (cases.length > 0) await interleavedRound(backend, jobsOf(cases), fork);
      }
    }
    const final = control.stopped ? 'incomplete' : 'complete';
    file.finish(final);
    baseFile?.finish(final);
    return { head: file.result, ...(baseFile ? { base: baseFile.result } : {}) };
  } finally {
    environment.stop();
  }
}
