#!/usr/bin/env node
/**
 * chipbench: measures GEMM, collectives and memory bandwidth through gpu.js
 * on every backend this machine has, verified and normalised, saves a
 * versioned RunResult, sets it beside the article's chips, and compares
 * runs. Only this layer touches stdout, stderr and exit codes.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { toolVersion } from '../env/package-info.js';
import { InputError } from '../errors/input-error.js';
import { backendsBuilder, backendsHandler } from './backends-command.js';
import { EXIT } from './exit-codes.js';
import { chipsBuilder, chipsHandler } from './chips-command.js';
import { claimsBuilder, claimsHandler } from './claims-command.js';
import { calibrateBuilder, calibrateHandler } from './calibrate-command.js';
import { compareBuilder, compareHandler } from './compare-command.js';
import { exportBuilder, exportHandler } from './export-command.js';
import { historyBuilder, historyHandler } from './history-command.js';
import { importBuilder, importHandler } from './import-command.js';
import { claimBuilder, claimHandler } from './interconnect-claim-command.js';
import { reportBuilder, reportHandler } from './report-command.js';
import { runHandler } from './run-command.js';
import { listHandler } from './list-command.js';
import { runBuilder } from './run-options.js';

/** Options that may be given more than once (declared `array: true`), and the positional list of `history`. */
const REPEATABLE = new Set(['chips', 'history', 'workload-threshold', 'files', 'measured', 'suite', 'filter']);

/**
 * yargs turns an option given twice into a list, which code expecting one value cannot read (`--backends cpu
 * --backends webasm` crashed run) and which would otherwise keep only one of them silently. Refused as bad input.
 */
function rejectRepeatedOptions(argv: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(argv)) {
    // the long kebab-case name only: yargs also stores camelCase and alias copies of the same value
    if (key === '_' || key === '--' || key.length === 1 || /[A-Z]/.test(key) || REPEATABLE.has(key) || !Array.isArray(value)) continue;
    throw new InputError(`--${key}: given ${value.length} times; give it once (a list goes in one value, e.g. --backends cpu,webasm)`);
  }
}

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const parser = yargs(argv)
    .scriptName('chipbench')
    .usage('$0 <command> [options]')
    .command('run', 'run the benchmark suite (what `npm run bench` calls)', runBuilder, async (args) => {
      exitCode = await runHandler(args);
    })
    .command('list', 'the case ids a run with these options would make, one a line (built-in and suite files), without running them', runBuilder, async (args) => {
      exitCode = await listHandler(args);
    })
    .command('backends', 'list gpu.js backends: available or not, device, reason and remedy', backendsBuilder, async (args) => {
      exitCode = await backendsHandler(args);
    })
    .command('chips', "the article's chip table: peaks per precision, memory, interconnect, every value with its source", chipsBuilder, (args) => {
      exitCode = chipsHandler(args);
    })
    .command('claims', "the article's quantitative claims checked against the chip table, with the arithmetic and a verdict", claimsBuilder, (args) => {
      exitCode = claimsHandler(args);
    })
    .command('compare <base> <head>', 'compare two result files case by case: verdicts with statistics; exit 1 on a regression', compareBuilder, (args) => {
      exitCode = compareHandler(args);
    })
    .command('history <files..>', 'every case across many result files (or a folder): lasting step changes apart from one noisy run', historyBuilder, (args) => {
      exitCode = historyHandler(args);
    })
    .command('import <files..>', "other tools' outputs (nccl-tests, rccl-tests, hccl_test, mamf-finder, nvbandwidth) checked and written as a result file that compare, history, report and export read", importBuilder, (args) => {
      exitCode = importHandler(args);
    })
    .command('report <result>', 'a report of a result file: self-contained HTML with charts, or Markdown; with --baseline, the comparison', reportBuilder, (args) => {
      exitCode = reportHandler(args);
    })
    .command('export <file>', 'a result file as github-action-benchmark (customBiggerIsBetter) or Bencher (BMF) JSON', exportBuilder, (args) => {
      exitCode = exportHandler(args);
    })
    .command('calibrate [files..]', 'know your runner: run the suite several times (or read runs), count A/A false alarms, write the noise file compare --noise reads', calibrateBuilder, (args) => {
      exitCode = calibrateHandler(args);
    })
    .command('interconnect-claim', "the article's claim 2: how much longer a training step takes with NVLink cut to 400 GB/s", claimBuilder, (args) => {
      exitCode = claimHandler(args);
    })
    // after validation: a misspelled option given twice is an unknown argument first
    .middleware(rejectRepeatedOptions, false)
    .demandCommand(1, 'give a command: run, list, report, compare, history, import, calibrate, export, backends, chips, claims or interconnect-claim')
    .strict()
    .recommendCommands()
    .version(toolVersion())
    .help()
    .wrap(Math.min(120, process.stdout.columns || 100))
    .fail((message, error) => {
      // yargs validation (unknown option, missing command) has a message; errors from handlers pass through.
      // yargs writes some messages over several lines ("Invalid values:\n  Argument: ..."): one line, as every error here
      throw error ?? new InputError(message.replace(/\s*\n\s*/g, ' '));
    });
  try {
    await parser.parseAsync();
  } catch (error) {
    if (error instanceof InputError) {
      // one line always: a message can quote text from a file (V8's JSON errors quote the text around the fault)
      process.stderr.write(`chipbench: ${oneLine(error.message)}\n`);
      return EXIT.usage;
    }
    const code = (error as NodeJS.ErrnoException)?.code;
    // A system error (errno codes: ENOSPC, EACCES, EIO; not Node's ERR_* codes of programming errors, which keep their
    // stack): one line; results written so far are intact (atomic writes).
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      process.stderr.write(`chipbench: ${oneLine((error as Error).message)}\n`);
    } else {
      process.stderr.write(`chipbench: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    }
    return EXIT.failed;
  }
  return exitCode;
}

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`chipbench: internal error: ${String(error)}\n`);
    process.exitCode = EXIT.failed;
  },
);

/** A message on one line, at most 1000 characters: line breaks become spaces, the rest is cut with an ellipsis. */
function oneLine(message: string): string {
  const flat = message.replace(/\s*[\r\n]+\s*/g, ' ');
  return flat.length > 1000 ? `${flat.slice(0, 999)}…` : flat;
}
