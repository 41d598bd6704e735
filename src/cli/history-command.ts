/**
 * `chipbench history FILE... | FOLDER`: every case across many runs, with
 * lasting step changes told apart from one noisy run.
 */
import type { Argv, ArgumentsCamelCase } from 'yargs';
import { buildHistory } from '../compare/history.js';
import { InputError } from '../errors/input-error.js';
import { renderHistory } from '../report/history-report.js';
import { compareOptionsFromArgs, withCompareOptions, type CompareArgs } from './compare-options.js';
import { EXIT } from './exit-codes.js';
import { readResults } from './result-paths.js';

export interface HistoryArgs extends CompareArgs {
  files: string[];
  json?: boolean;
}

export function historyBuilder(y: Argv): Argv<HistoryArgs> {
  return withCompareOptions(
    y
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'result files, or folders of them (every *.json inside)' })
      .option('json', { type: 'boolean', describe: 'print the history as JSON' }),
  ) as unknown as Argv<HistoryArgs>;
}

export function historyHandler(args: ArgumentsCamelCase<HistoryArgs>): number {
  const options = compareOptionsFromArgs(args);
  const runs = readResults(args.files.map(String));
  if (runs.length < 2) throw new InputError(`history needs at least 2 result files, got ${runs.length}; give more files or a folder of them`);
  const history = buildHistory(runs, options);
  process.stdout.write(args.json ? `${JSON.stringify(history, null, 2)}\n` : `${renderHistory(history)}\n`);
  return EXIT.ok;
}
