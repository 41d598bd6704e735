/**
 * `chipbench run` (what `npm run bench` calls): resolve options against the
 * profile, run the suite, print progress and the table, set the exit code.
 * The options are declared in run-options.ts and resolved in resolve-run-options.ts.
 */
import type { ArgumentsCamelCase } from 'yargs';
import { InputError } from '../errors/input-error.js';
import type { RunResult } from '../results/schema.js';
import { renderConsoleReport } from '../report/console-report.js';
import { colourAllowed, progressMode, RunProgress } from './progress.js';
import { DEFAULT_ALPHA_SECONDS } from '../metrics/alpha-beta.js';
import { hostCpuPeak } from '../env/cpu-peak.js';
import { chipTableFromArgs } from './chips-option.js';
import { compareOptionsFromArgs } from './compare-options.js';
import { printComparison } from './compare-command.js';
import { compareRuns, gateExitCode, type CompareOptions, type RunComparison } from '../compare/compare-runs.js';
import { comparisonSummary } from '../report/compare-report.js';
import { cutLine, wrapText } from '../report/fit-width.js';
import { consoleWidth } from './console-width.js';
import { readRunResult } from '../results/read-result.js';
import { expandResultPaths, readResults } from './result-paths.js';
import { RunControl, RunInterrupted } from '../runner/run-control.js';
import { runSuite, type SuiteEvents, type SuiteOptions } from '../runner/run-suite.js';
import type { ChipTable } from '../reference/chips.js';
import { refuseOverwritingInputs } from './output-path.js';
import { EXIT } from './exit-codes.js';
import { lockOutput } from '../results/output-lock.js';
import { resolveRunOptions } from './resolve-run-options.js';
import type { RunArgs } from './run-options.js';
import { suiteSelection } from './suite-option.js';

/** A run this one is compared with when it ends: the --baseline file, or the base side of an interleaved run. */
interface ComparedBase {
  path: string;
  run: RunResult;
  history: RunResult[];
  options: CompareOptions;
}

/** What the run reads before it starts. */
interface RunInputs {
  table: ChipTable;
  /** with --baseline or --against: the options of the comparison when the run ends */
  compareOptions: CompareOptions | undefined;
  historyPaths: string[];
  baseline: ComparedBase | undefined;
}

type Print = (line: string) => void;

/** 0 when every case that ran is ok and nothing asked for was skipped; 1 otherwise. */
export function runExitCode(result: RunResult): number {
  return result.cases.every((c) => c.outcome === 'ok') ? EXIT.ok : EXIT.failed;
}

export async function runHandler(args: ArgumentsCamelCase<RunArgs>): Promise<number> {
  const inputs = readRunInputs(args);
  const selection = suiteSelection(args);
  // the suite files are loaded in a child process, before anything runs: a file that is not a suite is bad input
  const resolved = await resolveRunOptions(args, process.argv.slice(1), selection);
  const outputs = refuseOverwritingRunInputs(args, resolved, inputs.historyPaths);
  if (inputs.baseline) refuseDisjointBaseline(inputs.baseline, resolved);
  const options = withComparisonContext(resolved, inputs.table);
  const { progress, log, logCut, out, width } = runConsole(args);
  const releaseLocks = lockOutputs(outputs);
  process.once('exit', releaseLocks); // also on an internal error that unwinds past the finally below
  const signals = stopOnSignals(progress);
  try {
    const { head: result, base: interleavedBase } = await runSuite(options, suiteEvents(options, progress, log, logCut), signals.control);
    progress.stop();
    const signal = signals.received();
    // a stopped run is not compared: its cases are a part of the plan
    const compared = signal ? undefined : compareWithBase(result, interleavedBase, options, inputs);
    printRun(result, options, { table: inputs.table, out, json: args.json, width, ...(compared ? { verdict: compared.verdict } : {}) });
    if (signal) return signal === 'SIGINT' ? EXIT.sigint : EXIT.sigterm;
    if (compared) printBase(compared, out, width);
    return compared?.code ?? runExitCode(result);
  } catch (error) {
    if (!(error instanceof RunInterrupted)) throw error;
    progress.notice(`chipbench: ${error.message}`);
    return signals.received() === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
  } finally {
    releaseLocks();
    process.off('exit', releaseLocks);
    progress.stop();
    signals.off();
  }
}

/** The chip table, the comparison options and the baseline with its history, read before the run. */
function readRunInputs(args: RunArgs): RunInputs {
  // Read (and validate) the chip table before running, so a broken table is bad input, not a failure after the run.
  const table = chipTableFromArgs(args);
  // The baseline and the comparison options are read before running: a bad file is bad input, not a failure after the run.
  // Both --baseline and --against compare when the run ends, with the same options.
  const compareOptions = args.baseline !== undefined || args.against !== undefined ? compareOptionsFromArgs(args) : undefined;
  const historyPaths = expandResultPaths((args.history ?? []).map(String));
  const baseline =
    args.baseline === undefined
      ? undefined
      : {
          path: args.baseline,
          run: readRunResult(args.baseline),
          history: readResults(historyPaths).map((r) => r.run),
          options: compareOptions!,
        };
  return { table, compareOptions, historyPaths, baseline };
}

/** The files this run writes, each with the option that named it; refused where one is a file the run reads. */
function refuseOverwritingRunInputs(args: RunArgs, resolved: SuiteOptions, historyPaths: string[]): [string, string][] {
  // the result files are rewritten after every case: never onto a file this run was given to read
  const inputs: [string, string][] = [
    ...(args.baseline !== undefined ? [['baseline', args.baseline] as [string, string]] : []),
    ...historyPaths.map((p): [string, string] => ['--history', p]),
    ...(args.chips ?? []).map((p): [string, string] => ['--chips', String(p)]),
  ];
  // the files this run writes, each with the option that named it
  const outputs = [
    [resolved.outputPath, 'output'],
    [resolved.against?.outputPath, 'against-output'],
  ].filter((o): o is [string, string] => o[0] !== undefined);
  for (const [path, option] of outputs) refuseOverwritingInputs(path, option, inputs);
  return outputs;
}

/** A --baseline that can be compared with this run: one case of the plan at least. */
function refuseDisjointBaseline(baseline: ComparedBase, resolved: SuiteOptions): void {
  // a baseline that shares no case with this run would fail only after the whole run: say so now
  const planned = new Set(resolved.plan.ids(resolved.backends));
  if (!baseline.run.cases.some((c) => planned.has(c.id))) {
    throw new InputError(`--baseline: ${baseline.path} shares no case with this run; give a result of the same suite (same --profile, --workloads, --sizes and backends)`);
  }
}

/** The options with what every finished case is set beside: the chip table and this host's CPU peak. */
function withComparisonContext(resolved: SuiteOptions, table: ChipTable): SuiteOptions {
  const cpu = hostCpuPeak();
  return {
    ...resolved,
    comparison: {
      table,
      alphaSeconds: DEFAULT_ALPHA_SECONDS,
      ...(cpu ? { cpuPeak: { flopsPerSecond: cpu.flopsPerSecond, label: cpu.label } } : {}),
    },
  };
}

/** The progress on stderr, where the report goes, and the columns both are laid out for. */
function runConsole(args: RunArgs): { progress: RunProgress; log: Print; logCut: Print; out: Print; width: number } {
  // with --json the report goes to stderr too, quiet or not: stdout holds only the JSON
  const reportStream = args.json ? process.stderr : process.stdout;
  const width = consoleWidth(args.wide, reportStream, process.env);
  const progress = new RunProgress(progressMode(args.quiet, process.stderr, process.env), process.stderr, {
    colour: colourAllowed(process.stderr, process.env),
    verbose: args.verbose,
    width,
  });
  const log = (line: string) => progress.log(wrapText(line, width));
  // a line whose end matters least, cut to one line (the adapter's reason: the whole of it is in the result file)
  const logCut = (line: string) => progress.log(cutLine(line, width));
  const out = (line: string) => reportStream.write(`${line}\n`);
  return { progress, log, logCut, out, width };
}

/** Locks every result file; returns what releases them all. */
function lockOutputs(outputs: [string, string][]): () => void {
  // One writer per result file: a second run on the same --output (or --against-output) is refused while this one lives.
  const unlock: (() => void)[] = [];
  const releaseLocks = () => {
    for (const release of unlock) release();
  };
  try {
    for (const [path, option] of outputs) unlock.push(lockOutput(path, option));
  } catch (error) {
    releaseLocks(); // the base's lock refused: give back the head's
    throw error;
  }
  return releaseLocks;
}

/** SIGINT and SIGTERM stop the run through its control; `received` says which came, `off` removes the handlers. */
function stopOnSignals(progress: RunProgress): { control: RunControl; received: () => NodeJS.Signals | undefined; off: () => void } {
  const control = new RunControl();
  let signal: NodeJS.Signals | undefined;
  const onSignal = (s: NodeJS.Signals) => {
    signal = s;
    progress.notice(`chipbench: ${s} received: stopping; the result file keeps every finished case`);
    control.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    control,
    received: () => signal,
    off: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** The run's events on the console: the probed backends, then each case as it starts and ends. */
function suiteEvents(options: SuiteOptions, progress: RunProgress, log: Print, choice: Print): SuiteEvents {
  return {
    onProbed: (statuses) => {
      log(`chipbench run: profile ${options.profile}, writing ${options.outputPath}`);
      // the devices are named in the summary when the run ends; here, what runs and what cannot
      const available = statuses.filter((s) => s.available).map((s) => s.backend);
      log(`  available: ${available.length > 0 ? available.join(', ') : 'none'}`);
      for (const s of statuses) {
        if (!s.available) log(`  ${s.backend}: unavailable: ${s.reason}${s.remedy ? ` (${s.remedy})` : ''}`);
        // which WebGPU adapter, and why: the default is a choice too, and a GPU runner must see it was not a software one
        else if (s.webgpuAdapters) choice(`  webgpu ${s.webgpuAdapters.choice.reason}`);
      }
    },
    onCaseStart: (id, i, total) => progress.caseStarted(id, i, total),
    onCaseResult: (r, i, total) => progress.caseFinished(r, i, total),
  };
}

interface PrintedRun {
  table: ChipTable;
  out: Print;
  json: boolean;
  width: number;
  /** the comparison with the base in one line, for the summary */
  verdict?: string;
}

/** The report (the summary first), the result file's path and, with --json, the RunResult on stdout. */
function printRun(result: RunResult, options: SuiteOptions, { table, out, json, width, verdict }: PrintedRun): void {
  out('');
  out(renderConsoleReport(result, { chips: table, width, ...(verdict ? { verdict } : {}) }));
  out(wrapText(`\nResult file: ${options.outputPath}${result.status === 'incomplete' ? ' (incomplete: interrupted)' : ''}`, width));
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

/** A finished run set beside its base: the comparison, its verdict in one line, and the run's exit code. */
interface ComparedRun {
  comparison: RunComparison;
  verdict: string;
  code: number;
  /** the base's result file, said when it was written by this run (--against) */
  interleavedBasePath?: string;
}

/** After a run that was not stopped: the comparison with the base, when there is one. */
function compareWithBase(result: RunResult, interleavedBase: RunResult | undefined, options: SuiteOptions, inputs: RunInputs): ComparedRun | undefined {
  const base = interleavedBase
    ? { path: options.against!.outputPath ?? 'base', run: interleavedBase, history: [], options: inputs.compareOptions! }
    : inputs.baseline;
  if (!base) return undefined;
  const comparison = compareRuns(base.run, result, { base: base.path, head: options.outputPath ?? 'this run' }, base.options, base.history);
  // the base's own failures are not this build's: compare lists them, and only head's outcome sets the run's code
  const runCode = runExitCode(result);
  const gate = gateExitCode(comparison);
  const code = runCode !== EXIT.ok ? runCode : gate;
  const verdict =
    `${comparisonSummary(comparison)} (base ${base.path}${interleavedBase ? ', interleaved' : ''}): ` +
    (code === EXIT.ok ? 'the gate passes' : gate !== EXIT.ok ? `the gate fails (exit ${code})` : `exit ${code}: a case of this run failed`);
  return { comparison, verdict, code, ...(interleavedBase ? { interleavedBasePath: `${options.against!.outputPath} (${options.against!.root}, interleaved)` } : {}) };
}

/** The base's result file, when this run wrote it, and the comparison's table. */
function printBase(compared: ComparedRun, out: Print, width: number): void {
  if (compared.interleavedBasePath) out(wrapText(`Base result file: ${compared.interleavedBasePath}`, width));
  out('');
  printComparison(compared.comparison, {}, (text) => out(text.trimEnd()), width);
}
