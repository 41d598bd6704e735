/**
 * `chipbench chips`: the chip table (reference-data/chips.json plus any
 * --chips file) in the terminal, as Markdown, or as JSON, with the
 * precision and unit in every column header and the source of every value;
 * then, apart and labelled as measured, the public measured figures
 * (reference-data/measurements.json), each against its own chip's peak.
 */
import type { Argv, ArgumentsCamelCase } from 'yargs';
import { loadMeasurements } from '../reference/measurements.js';
import { renderChipTable, renderMeasuredFigures } from '../report/chip-table.js';
import { chipTableFromArgs, withChipsOption, type ChipsArgs } from './chips-option.js';
import { consoleWidth } from './console-width.js';
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
  const measured = loadMeasurements();
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ ...table, measured }, null, 2)}\n`);
    return EXIT.ok;
  }
  const format = args.markdown ? 'markdown' : 'text';
  const width = consoleWidth(false, process.stdout, process.env);
  process.stdout.write(`${renderChipTable(table, format)}\n\n${renderMeasuredFigures(table, measured, format, width)}\n`);
  return EXIT.ok;
}
