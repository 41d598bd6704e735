/**
 * `chipbench export FILE --format github-action-benchmark|bencher`: a
 * RunResult in the JSON that github-action-benchmark (customBiggerIsBetter)
 * or Bencher (BMF) reads, to stdout or to --output (written atomically).
 */
import type { Argv, ArgumentsCamelCase } from 'yargs';
import { EXPORT_FORMATS, exportRun, type ExportFormat } from '../export/exports.js';
import { writeFileAtomic } from '../results/atomic-write.js';
import { readRunResult } from '../results/read-result.js';
import { EXIT } from './exit-codes.js';
import { checkOutputPath } from './output-path.js';

export interface ExportArgs {
  file: string;
  format: ExportFormat;
  output?: string;
}

export function exportBuilder(y: Argv): Argv<ExportArgs> {
  return y
    .positional('file', { type: 'string', demandOption: true, describe: 'a RunResult written by chipbench run' })
    .option('format', { choices: EXPORT_FORMATS, demandOption: true, describe: 'github-action-benchmark (customBiggerIsBetter) or bencher (Bencher Metric Format)' })
    .option('output', { alias: 'o', type: 'string', describe: 'write here instead of stdout' }) as unknown as Argv<ExportArgs>;
}

export function exportHandler(args: ArgumentsCamelCase<ExportArgs>): number {
  const run = readRunResult(args.file);
  const text = `${JSON.stringify(exportRun(run, args.format), null, 2)}\n`;
  if (args.output) {
    writeFileAtomic(checkOutputPath(args.output, false), text);
  } else {
    process.stdout.write(text);
  }
  return EXIT.ok;
}
