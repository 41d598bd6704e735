/**
 * `chipbench calibrate`: know your runner. Runs the suite several times (or
 * reads runs already made), compares them in order as A/A pairs, and writes
 * the noise file that later comparisons of two separate runs on this machine
 * read with --noise: each case's spread between runs, which the forks of one
 * run cannot show.
 *
 *   chipbench calibrate --runs 5 -o noise.json                # runs the default suite 5 times
 *   chipbench calibrate --runs 5 -- --profile quick --backends cpu,webasm   # options after -- go to each run
 *   chipbench calibrate results/aa/ -o noise.json             # runs already made (same build, this machine)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Argv, ArgumentsCamelCase } from 'yargs';
import { calibrate } from '../compare/calibration.js';
import { InputError } from '../errors/input-error.js';
import { renderCalibration } from '../report/calibration-report.js';
import { writeFileAtomic } from '../results/atomic-write.js';
import { compareOptionsFromArgs, withCompareOptions, type CompareArgs } from './compare-options.js';
import { EXIT } from './exit-codes.js';
import { checkOutputPath } from './output-path.js';
import { readResults } from './result-paths.js';

/** Runs the suite is measured in when no files are given: few enough for a coffee, enough for a spread with 4 degrees of freedom a case. */
export const DEFAULT_CALIBRATION_RUNS = 5;

export interface CalibrateArgs extends CompareArgs {
  files?: string[];
  runs?: number;
  folder: string;
  output: string;
  /** what follows `--`: options for each 'chipbench run' */
  '--'?: (string | number)[];
}

export function calibrateBuilder(y: Argv): Argv<CalibrateArgs> {
  return withCompareOptions(
    y
      .positional('files', { type: 'string', array: true, describe: 'result files of runs already made, or folders of them: the same build on this machine, oldest first' })
      .option('runs', { type: 'number', describe: `run the suite this many times first [default: ${DEFAULT_CALIBRATION_RUNS} when no files are given]` })
      .option('folder', { type: 'string', default: join('results', 'calibrate'), describe: 'where the runs write their result files' })
      .option('output', { alias: 'o', type: 'string', default: 'noise.json', describe: 'the noise file to write' })
      // options after -- are each run's, e.g. -- --profile quick --backends cpu,webasm
      .parserConfiguration({ 'populate--': true })
      .epilog("Options after -- go to each 'chipbench run', e.g. chipbench calibrate --runs 5 -- --profile quick --backends cpu,webasm"),
  ) as unknown as Argv<CalibrateArgs>;
}

/** Runs `chipbench run` `count` times into `folder`, one after another; returns their files. */
function runSuite(count: number, folder: string, runArgs: string[]): string[] {
  mkdirSync(folder, { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return Array.from({ length: count }, (_, i) => {
    const path = join(folder, `calibrate-${stamp}-${String(i + 1).padStart(2, '0')}.json`);
    process.stderr.write(`calibrate: run ${i + 1} of ${count} -> ${path}\n`);
    const child = spawnSync(process.execPath, [process.argv[1]!, 'run', '-q', '-o', path, ...runArgs], { stdio: ['ignore', 'ignore', 'inherit'] });
    // exit 1 (a case failed) still leaves every other case measured; exit 2 is bad input, the same for every run
    if (child.status === EXIT.usage) throw new InputError("options after --: 'chipbench run' refused them (above); give options 'chipbench run' takes");
    if (child.status !== EXIT.ok && child.status !== EXIT.failed) throw new Error(`run ${i + 1} of ${count} ended with ${child.status ?? child.signal}`);
    return path;
  });
}

export function calibrateHandler(args: ArgumentsCamelCase<CalibrateArgs>): number {
  if (args.noise !== undefined || args.history !== undefined) {
    throw new InputError(`--${args.noise !== undefined ? 'noise' : 'history'}: calibrate measures the spread between runs itself; drop it`);
  }
  const options = compareOptionsFromArgs(args);
  const files = (args.files ?? []).map(String);
  if (files.length > 0 && args.runs !== undefined) throw new InputError('--runs: calibrate either runs the suite or reads result files; give one of them');
  const runs = args.runs ?? DEFAULT_CALIBRATION_RUNS;
  if (!Number.isInteger(runs) || runs < 2) throw new InputError(`--runs: '${String(args.runs)}' is too few to see a spread between runs; give an integer of at least 2, e.g. --runs ${DEFAULT_CALIBRATION_RUNS}`);
  const output = checkOutputPath(args.output, false);
  const runArgs = (args['--'] ?? []).map(String);
  if (files.length > 0 && runArgs.length > 0) throw new InputError("options after --: they are for the runs calibrate makes, and it reads result files instead; drop them, or the files");
  if (runArgs.some((a) => /^(-o|--output)(=|$)/.test(a))) throw new InputError("options after --: calibrate names each run's result file itself; leave out -o/--output (use --folder)");
  const paths = files.length > 0 ? files : runSuite(runs, resolve(args.folder), runArgs);
  const calibration = calibrate(readResults(paths), options, new Date());
  writeFileAtomic(output, `${JSON.stringify(calibration.noise, null, 2)}\n`);
  process.stdout.write(`${renderCalibration(calibration, args.output)}\n`);
  return EXIT.ok;
}
