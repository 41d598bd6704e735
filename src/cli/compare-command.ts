/**
 * `chipbench compare BASE.json HEAD.json`: every case of two runs, joined by
 * stable id, with a verdict a CI gate can trust. Exit code 1 when a case
 * regressed or newly failed, 0 otherwise, 2 for bad input.
 */
import type { Argv, ArgumentsCamelCase } from 'yargs';
import { compareRuns, gateExitCode, type RunComparison } from '../compare/compare-runs.js';
import { renderComparison, renderComparisonMarkdown } from '../report/compare-report.js';
import { readRunResult } from '../results/read-result.js';
import { compareOptionsFromArgs, withCompareOptions, type CompareArgs } from './compare-options.js';
import { readResults } from './result-paths.js';
import { consoleWidth } from './console-width.js';

export interface CompareCommandArgs extends CompareArgs {
  base: string;
  head: string;
  json?: boolean;
  markdown?: boolean;
  wide?: boolean;
}

export function compareBuilder(y: Argv): Argv<CompareCommandArgs> {
  return withCompareOptions(
    y
      .positional('base', { type: 'string', demandOption: true, describe: 'the RunResult to compare against (e.g. the default branch)' })
      .positional('head', { type: 'string', demandOption: true, describe: 'the RunResult of the change' })
      .option('json', { type: 'boolean', describe: 'print the comparison as JSON' })
      .option('markdown', { type: 'boolean', describe: 'print Markdown, for a pull-request comment or $GITHUB_STEP_SUMMARY' })
      .option('wide', { type: 'boolean', describe: "print every column in full: without it the table fits the terminal (COLUMNS, the terminal's width, or 120 in a pipe)" })
      .conflicts('json', 'markdown'),
  ) as unknown as Argv<CompareCommandArgs>;
}

/** Prints a comparison in the chosen format to `write`; the console form fits `width` columns. */
export function printComparison(comparison: RunComparison, format: { json?: boolean; markdown?: boolean }, write: (text: string) => void, width = Infinity): void {
  if (format.json) write(`${JSON.stringify(comparison, null, 2)}\n`);
  else write(`${format.markdown ? renderComparisonMarkdown(comparison) : renderComparison(comparison, width)}\n`);
}

export function compareHandler(args: ArgumentsCamelCase<CompareCommandArgs>): number {
  const options = compareOptionsFromArgs(args);
  const base = readRunResult(args.base);
  const head = readRunResult(args.head);
  const history = readResults((args.history ?? []).map(String)).map((r) => r.run);
  const comparison = compareRuns(base, head, { base: args.base, head: args.head }, options, history);
  printComparison(comparison, args, (text) => process.stdout.write(text), consoleWidth(args.wide === true, process.stdout, process.env));
  return gateExitCode(comparison);
}
