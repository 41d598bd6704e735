/**
 * A whole run: probe the backends, refuse sizes that cannot fit, then run
 * each backend's cases in its own workers, writing the RunResult after every
 * case. Nothing here prints; the CLI listens to the events.
 */
import type { HarnessBudget, ProfileName } from '../config/profiles.js';
import { randomUUID } from 'node:crypto';
import { MAX_SAMPLES_PER_CASE, PROBE_TIMEOUT_SECONDS } from '../config/defaults.js';
import { toolVersion } from '../env/package-info.js';
import { baseBuild, rebaseSuiteCases, rebaseSuiteRecords, type BaseBuild } from './base-build.js';
import { collectEnvironment } from '../env/environment.js';
import { InputError } from '../errors/input-error.js';
import { selectorMatchedNothing } from '../backends/webgpu-adapters.js';
import type { GemmShape } from '../metrics/gemm-work.js';
import { ResultFile } from '../results/result-file.js';
import { RESULT_SCHEMA_VERSION, type BackendStatus, type CaseResult, type RunResult, type TimingMode } from '../results/schema.js';
import type { Workload } from '../config/defaults.js';
import type { AllreduceAlgorithm } from '../workloads/allreduce/schedule.js';
import { compareWithChips, type ComparisonContext } from '../reference/compare-case.js';
import { unrunCase, type PlannedCase, type RunPlan } from '../plan/plan.js';
import { compareRuns, type CompareOptions } from '../compare/compare-runs.js';
import { ForkLedger } from './fork-ledger.js';
import { checkCollectiveHostMemory, checkHostMemory, collectiveLimitProblem, deviceLimitProblem } from './preflight.js';
import { probeBackends, type ProbeOutcome } from './probe-backends.js';
import { runBackendInterleaved } from './interleave.js';
import { planRound, roundCandidates } from './adaptive-rounds.js';
import { restateHeadlines } from '../harness/forks.js';
import type { Side } from './slice-coordinator.js';
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
  /** the cases of the run, built once from the options below (cli/resolve-run-options.ts) */
  plan: RunPlan;
  workloads: Workload[];
  timings: TimingMode[];
  shapes: GemmShape[];
  /** the tuned GEMM cases' variant: 'auto' (tuned, cached) or one forced; 'naive' runs no tuned case (the naive kernel is always run) */
  variant?: GemmVariantId | 'auto';
  /** the hand-written GEMM beside gpu.js, on backends that have one */
  ceilings: boolean;
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
  /** --pin-cpu: the CPU every worker runs on (cpu-pin.ts); undefined: unpinned */
  pinCpu?: number;
  /** whether the built-in workloads run (a project's suite files may run alone) */
  builtin?: boolean;
  /** the suite files the plan's kernel cases come from, recorded with the run */
  suites?: { name: string; file: string; sha256: string }[];
  /** --filter as given */
  filters?: string[];
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
  /** added fork pairs are planned to end within this many seconds from the run's start; undefined: no limit */
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


/** A --webgpu-adapter that names no adapter here is bad input, not a missing backend: one line, exit 2. */
function refuseUnmatchedAdapter(probes: ProbeOutcome[]): void {
  for (const probe of probes) {
    const choice = probe.status.webgpuAdapters?.choice;
    if (choice && selectorMatchedNothing(choice)) {
      throw new InputError(`${choice.reason}; run 'chipbench backends' to list them, and pass an index, a Dawn backend or part of a name`);
    }
  }
}

/** The limits check of every probe: throws InputError for a size of the plan that cannot fit on an available backend. */
function refuseSizesThatCannotFit(plan: RunPlan, probes: ProbeOutcome[]): void {
  for (const probe of probes) {
    if (!probe.status.available) continue;
    const backend = probe.status.backend;
    for (const shape of plan.gemmShapes) {
      const problem = deviceLimitProblem(shape, probe.limits);
      if (problem) throw new InputError(`--sizes: ${problem} on ${backend}; give smaller --sizes or leave ${backend} out of --backends`);
    }
    for (const bytes of plan.bufferBytes) {
      const problem = collectiveLimitProblem(bytes, probe.limits);
      if (problem) throw new InputError(`--max-bytes: ${problem} on ${backend}; give a smaller --max-bytes or leave ${backend} out of --backends`);
    }
  }
}

/** The base build's worker; refused unless it is built and speaks the interleaving protocol. */
function checkBaseProtocol(against: AgainstOptions, probes: ProbeOutcome[], plan: RunPlan, backends: readonly string[]): void {
  // suite kernels came with protocol 5; a run of the built-in suite alone (after --filter) interleaves with a base of protocol 4
  const needed = backends.some((b) => plan.cases(b).some((c) => c.job.kind === 'kernel')) ? WORKER_PROTOCOL : 4;
  const old = probes.find((p) => p.status.available && (p.protocol ?? 1) < needed);
  if (old) {
    throw new InputError(
      `--against: the chipbench in ${against.root} cannot interleave (worker protocol ${old.protocol ?? 1}, need ${needed}${needed > 4 ? ': suite files' : ''}); ` +
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
  const plan = options.plan;
  checkHostMemory(plan.gemmShapes);
  checkCollectiveHostMemory(options.ranks, plan.bufferBytes);
  const base = options.against ? baseBuild(options.against.root) : undefined;
  const basePath = base?.workerPath;
  const environment = new WorkerEnvironment(process.env, options.webgpuAdapter);
  const runStarted = Date.now();
  try {
    const probed = await probeSides(options, environment, control, basePath);
    events.onProbed?.(probed.head.map((p) => p.status));
    const run = new SuiteRun(options, probed, { environment, control, events, runStarted, ...(base ? { base } : {}) });
    await run.forkRounds();
    await run.adaptiveRounds();
    return run.finish();
  } finally {
    environment.stop();
  }
}

/** Each side's probes; the base's only in an interleaved run. */
interface Probed {
  head: ProbeOutcome[];
  base?: ProbeOutcome[];
}

/**
 * Probes every backend on each side, then refuses what cannot run before anything is written: an adapter selector
 * that matches nothing, a size past a device's limits, a base that cannot interleave. Pins the WebGPU adapter the
 * probe took for every later worker.
 */
async function probeSides(options: SuiteOptions, environment: WorkerEnvironment, control: RunControl, basePath: string | undefined): Promise<Probed> {
  const against = options.against;
  const head = await probeBackends(options.backends, environment, control);
  const base = against ? await probeBackends(options.backends, environment, control, basePath) : undefined;
  if (control.stopped) throw new RunInterrupted('stopped while probing the backends; no case ran and no file was written');
  refuseUnmatchedAdapter([...head, ...(base ?? [])]);
  environment.pinWebgpuAdapter(head.find((p) => p.status.backend === 'webgpu' && p.status.available)?.status);
  refuseSizesThatCannotFit(options.plan, [...head, ...(base ?? [])]);
  if (against && base) checkBaseProtocol(against, base, options.plan, options.backends);
  return { head, ...(base ? { base } : {}) };
}

/** The RunResult a side's file starts as: options, environment and probes, no case yet. */
function initialResult(options: SuiteOptions, side: Side, probes: ProbeOutcome[], interleaveId: string | undefined, base?: BaseBuild): RunResult {
  const against = options.against;
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'chipbench', version: toolVersion(side === 'base' ? base!.chipbenchRoot : undefined) },
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
      ceilings: options.ceilings,
      ranks: options.ranks,
      algorithms: options.algorithms,
      collectiveBytes: options.collectiveBytes,
      ...options.budget,
      forks: options.forks,
      ...(options.webgpuAdapter !== undefined ? { webgpuAdapter: options.webgpuAdapter } : {}),
      ...(options.pinCpu !== undefined ? { pinCpu: options.pinCpu } : {}),
      caseTimeoutSeconds: options.caseTimeoutSeconds,
      seed: options.seed,
      ...(options.builtin !== undefined ? { builtin: options.builtin } : {}),
      ...(options.suites ? { suites: side === 'base' ? rebaseSuiteRecords(options.suites, base!.projectRoot) : options.suites } : {}),
      ...(options.filters ? { filters: options.filters } : {}),
    },
    environment: side === 'base' ? collectEnvironment(against!.root, base!.chipbenchRoot) : collectEnvironment(),
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
    ...(against && interleaveId
      ? { interleave: { id: interleaveId, side, base: against.root, slices: against.slices, looks: looksOf(options.forks, against.maxForks) } }
      : {}),
    cases: [],
  };
}

/** What a run shares with its rounds beside the options and probes. */
interface SuiteContext {
  environment: WorkerEnvironment;
  control: RunControl;
  events: SuiteEvents;
  /** Date.now() when the run began (before probing): --max-time counts from here */
  runStarted: number;
  /** the base build's worker, in an interleaved run */
  base?: BaseBuild;
}

/**
 * A run after its probes: each side's result file and fork ledger, and the rounds that fill them. Fork-major: every
 * backend's cases in one worker each, then again in fresh workers, so a case's forks are spread over the whole run
 * and a slow spell of the machine falls on one fork, not on all of a case's.
 */
class SuiteRun {
  private readonly plan: RunPlan;
  private readonly file: ResultFile;
  private readonly baseFile: ResultFile | undefined;
  private readonly backendsToRun: string[];
  private readonly interleaveId: string | undefined;
  private readonly headForks: ForkLedger;
  private readonly baseForks: ForkLedger;
  /** progress counts forks of cases: a case that failed or was skipped counts for all the forks it will not run */
  private total: number;
  private index = 0;

  constructor(
    private readonly options: SuiteOptions,
    private readonly probed: Probed,
    private readonly context: SuiteContext,
  ) {
    const { against } = options;
    this.plan = options.plan;
    this.interleaveId = against ? `${new Date().toISOString()}-${randomUUID().slice(0, 8)}` : undefined;
    this.file = new ResultFile(options.outputPath, initialResult(options, 'head', probed.head, this.interleaveId), restateHeadlines);
    this.baseFile = against && probed.base ? new ResultFile(against.outputPath, initialResult(options, 'base', probed.base, this.interleaveId, context.base), restateHeadlines) : undefined;
    // Missing backends are listed, not run, unless the user named them; a replaced backend always yields failed cases.
    const runnable = (list: ProbeOutcome[]) => list.filter((p) => p.status.available || options.backendsExplicit || p.status.replacedBy);
    this.backendsToRun = [...new Set([...runnable(probed.head), ...runnable(probed.base ?? [])].map((p) => p.status.backend))];
    const planOrder = this.plan.ids(this.backendsToRun);
    this.file.keepInOrder(planOrder);
    this.baseFile?.keepInOrder(planOrder);
    this.total = this.plan.caseCount(this.backendsToRun) * options.forks;
    this.headForks = new ForkLedger(options.forks);
    this.baseForks = new ForkLedger(options.forks);
  }

  /** Every backend in every one of the run's forks: alone, or interleaved with the base. */
  async forkRounds(): Promise<void> {
    const { control } = this.context;
    for (let fork = 0; fork < this.options.forks && !control.stopped; fork++) {
      const before = this.caseSecondsSoFar();
      await this.timedRound(async () => {
        for (const backend of this.backendsToRun) {
          if (control.stopped) break;
          if (this.baseFile) await this.interleavedFork(backend, fork);
          else await this.soloFork(backend, fork);
        }
      }, () => this.caseSecondsSoFar() - before);
    }
  }

  /**
   * Adaptive: while cases are still inconclusive, add fork pairs of those more pairs could decide, the cheapest gain
   * first, until they are decided or the budget (--max-forks, --max-time) runs out (adaptive-rounds.ts).
   */
  async adaptiveRounds(): Promise<void> {
    const { against } = this.options;
    const { control, runStarted } = this.context;
    for (let fork = this.options.forks; this.baseFile && against && fork < against.maxForks && !control.stopped; fork++) {
      const comparison = compareRuns(this.baseFile.result, this.file.result, { base: 'base', head: 'head' }, against.compare);
      const candidates = roundCandidates(comparison.cases, new Map(this.file.result.cases.map((c) => [c.id, c])), against.maxForks);
      const secondsLeft = against.maxSeconds === undefined ? undefined : against.maxSeconds - (Date.now() - runStarted) / 1e3 - this.roundOverheadSeconds;
      const open = planRound(candidates, secondsLeft);
      if (open.size === 0) break;
      this.total += open.size;
      const expected = candidates.filter((c) => open.has(c.id)).reduce((a, c) => a + c.seconds, 0);
      await this.timedRound(async () => {
        for (const backend of this.backendsToRun) {
          if (control.stopped) break;
          const cases = this.plan.cases(backend).filter((c) => open.has(c.id));
          if (cases.length > 0) await this.interleavedRound(backend, cases, fork);
        }
      }, () => expected);
    }
  }

  /**
   * What a round costs beyond its cases' own time (workers starting, probing, the comparison), in seconds: measured on
   * each interleaved round, so the next round is planned with it.
   */
  private roundOverheadSeconds = 0;

  /** Runs a round and keeps what it took beyond its cases' own time (`caseSeconds`, asked once the round is done). */
  private async timedRound(round: () => Promise<void>, caseSeconds: () => number): Promise<void> {
    const started = Date.now();
    await round();
    this.roundOverheadSeconds = Math.max(0, (Date.now() - started) / 1e3 - caseSeconds());
  }

  /** The head cases' wall time so far, in seconds. */
  private caseSecondsSoFar(): number {
    return this.file.result.cases.reduce((a, c) => a + c.wallSeconds, 0);
  }

  finish(): SuiteOutcome {
    const final = this.context.control.stopped ? 'incomplete' : 'complete';
    this.file.finish(final);
    this.baseFile?.finish(final);
    return { head: this.file.result, ...(this.baseFile ? { base: this.baseFile.result } : {}) };
  }

  private headProbe(backend: string): ProbeOutcome {
    return this.probed.head.find((p) => p.status.backend === backend)!;
  }

  private baseProbe(backend: string): ProbeOutcome {
    return this.probed.base!.find((p) => p.status.backend === backend)!;
  }

  /** One fork of a backend's cases in one worker; later forks measure only the cases still ok, with the first fork's kernels. */
  private async soloFork(backend: string, fork: number): Promise<void> {
    const headProbe = this.headProbe(backend);
    if (!headProbe.status.available) {
      if (fork === 0) this.recordUnrun(headProbe.status, this.record);
      return;
    }
    const cases = fork === 0 ? this.plan.cases(backend) : this.headForks.pinned(this.headForks.stillOk(this.plan.cases(backend)));
    if (cases.length === 0) return;
    const status = await runBackend(
      backend,
      cases,
      this.options.budget,
      await this.watchFor(backend),
      { onCaseStart: (id) => this.context.events.onCaseStart?.(id, this.index + 1, this.total), onCaseResult: this.record },
      () => this.context.control.stopped,
    );
    if (status) this.file.setBackendStatus(status);
  }

  private async interleavedFork(backend: string, fork: number): Promise<void> {
    const headProbe = this.headProbe(backend);
    const baseProbe = this.baseProbe(backend);
    if (fork === 0 && (!headProbe.status.available || !baseProbe.status.available)) {
      // one side cannot run it: the other runs it alone, and compare reports the pair as failed or new
      if (!headProbe.status.available) this.recordUnrun(headProbe.status, this.record);
      if (!baseProbe.status.available) this.recordUnrun(baseProbe.status, this.recordBase);
    }
    await this.interleavedRound(backend, this.plan.cases(backend), fork);
  }

  /** One fork pair of `cases` on `backend`: a worker of each build, sampling every case slice by slice side by side. */
  private async interleavedRound(backend: string, cases: readonly PlannedCase[], fork: number): Promise<void> {
    const against = this.options.against!;
    const { events, control, base } = this.context;
    const headProbe = this.headProbe(backend);
    const baseProbe = this.baseProbe(backend);
    if (!headProbe.status.available && !baseProbe.status.available) return;
    const watch = await this.watchFor(backend);
    const budget = this.options.budget;
    const statuses = await runBackendInterleaved(
      backend,
      // later forks run each side's tuned kernels as its first fork chose them: a re-tune must not change the kernel
      (side) => (side === 'head' ? this.headForks.pinned(cases) : rebaseSuiteCases(this.baseForks.pinned(cases), base)),
      budget,
      {
        slices: against.slices,
        timeBudgetMs: budget.timeBudgetMs,
        maxSamples: MAX_SAMPLES_PER_CASE,
        minSamples: budget.minSamples,
        // each fork's coin for who goes first is its own
        seed: `${this.interleaveId!}/fork${fork}`,
      },
      {
        head: headProbe.status.available
          ? { watch, onCaseStart: (id) => events.onCaseStart?.(id, this.index + 1, this.total), onCaseResult: this.record }
          : undefined,
        base: baseProbe.status.available ? { watch: { ...watch, workerPath: base!.workerPath }, onCaseResult: this.recordBase } : undefined,
      },
      () => control.stopped,
    );
    if (statuses.head) this.file.setBackendStatus(statuses.head);
    if (statuses.base) this.baseFile!.setBackendStatus(statuses.base);
  }

  private async watchFor(backend: string): Promise<WorkerWatch> {
    return {
      caseTimeoutSeconds: this.options.caseTimeoutSeconds,
      probeTimeoutSeconds: PROBE_TIMEOUT_SECONDS,
      ...(this.options.pinCpu !== undefined ? { pinCpu: this.options.pinCpu } : {}),
      env: await this.context.environment.forBackend(backend),
      onSpawn: (kill) => this.context.control.attach(kill),
    };
  }

  private withReference(measured: CaseResult): CaseResult {
    const reference = this.options.comparison ? compareWithChips(measured, this.options.comparison) : undefined;
    return reference ? { ...measured, reference } : measured;
  }

  /** A head fork's result (or an unrun case): merged with the case's earlier forks, written, reported. */
  private readonly record = (measured: CaseResult, unrun = false): void => {
    const merged = unrun ? this.headForks.unrun(measured) : this.headForks.add(measured);
    if (!merged) return;
    this.index += merged.outcome === 'ok' ? 1 : 1 + this.headForks.forksLeft(measured.id);
    const result = this.file.putCase(this.withReference(merged));
    this.context.events.onCaseResult?.(result, this.index, this.total);
  };

  private readonly recordBase = (measured: CaseResult, unrun = false): void => {
    const merged = unrun ? this.baseForks.unrun(measured) : this.baseForks.add(measured);
    if (merged) this.baseFile!.putCase(this.withReference(merged));
  };

  /** A backend one side cannot run: its cases are recorded as skipped or failed, unrun, once. */
  private recordUnrun(status: BackendStatus, into: (result: CaseResult, unrun: boolean) => void): void {
    const { outcome, reason } = unavailableOutcome(status);
    for (const c of this.plan.cases(status.backend)) into(unrunCase(status.backend, c, outcome, reason), true);
  }
}
