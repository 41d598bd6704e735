/** The --chips option, shared by every command that reads the chip table. */
import type { Argv } from 'yargs';
import { loadChipTable, type ChipTable } from '../reference/chips.js';

export interface ChipsArgs {
  chips?: string[];
}

export function withChipsOption<T>(y: Argv<T>): Argv<T & ChipsArgs> {
  return y.option('chips', {
    type: 'string',
    array: true,
    describe: 'a JSON file of more chips in the format of reference-data/chips.json (repeatable); validated like the shipped table',
  }) as unknown as Argv<T & ChipsArgs>;
}

/** The shipped table plus the --chips files; a broken file is bad input naming the file, the JSON path and the fix. */
export function chipTableFromArgs(args: ChipsArgs): ChipTable {
  return loadChipTable((args.chips ?? []).map(String));
}
