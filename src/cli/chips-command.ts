/**
 * `chipbench chips`: the chip table (reference-data/chips.json plus any
 * --chips file) in the terminal, as Markdown, or as JSON, with the
 * precision and unit in every column header and the source of every value.
 */
import type { Argv, ArgumentsCamelCase } from 'yargs';
import { renderChipTable } from '../report/chip-table.js';
import { chipTableFromArgs, withChipsOption, type ChipsArgs } from './chips-option.js';
import { EXIT } from './exit-codes.js';

export interface ChipsCommandArgs extends ChipsArgs {
  json?: boolean;
  markdown?: boolean;
}

export function chipsBuilder(y: Argv): Argv<ChipsCommandArgs> {
  return withChipsOption(
    y
      .option('json', { type: 'boolean', describe: 'print the validated table, every value with its sources, as JSON' })
      .option('markdown', { type: 'boolean', describe: 'print the table as Markdown' })
      // no defaults: yargs counts a defaulted option as given, and would then always report the conflict
      .conflicts('json', 'markdown'),
  ) as unknown as Argv<ChipsCommandArgs>;
}

export function chipsHandler(args: ArgumentsCamelCase<ChipsCommandArgs>): number {
  const table = chipTableFromArgs(args);
  if (args.json) process.stdout.write(`${JSON.stringify(table, null, 2)}\n`);
  else process.stdout.write(`${renderChipTable(table, args.markdown ? 'markdown' : 'text')}\n`);
  return EXIT.ok;
}
