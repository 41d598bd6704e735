/**
 * `chipbench import FILE...`: other tools' outputs (nccl-tests, rccl-tests, hccl_test, mamf-finder, nvbandwidth)
 * read, checked and written as a RunResult, so compare, history, report and export read them like a run. Each file
 * is one run of its tool, one process: a case found in several files gets one fork from each. Every file is read
 * and checked before anything is written; bad input is one line naming the file, the line and the problem, exit 2.
 */
import { existsSync } from 'node:fs';
import type { Argv, ArgumentsCamelCase } from 'yargs';
import { collectEnvironment } from '../env/environment.js';
import { toolVersion } from '../env/package-info.js';
import { InputError } from '../errors/input-error.js';
import { headlineOf } from '../harness/forks.js';
import { restateHeadlines } from '../harness/forks.js';
import { casesOfBlocks } from '../import/import-cases.js';
import { ImportSyntaxError } from '../import/imported-block.js';
import { readImport } from '../import/read-import.js';
import { renderImportSummary } from '../report/import-console.js';
import { writeFileAtomic } from '../results/atomic-write.js';
import { withMeasurement } from '../results/case-figures.js';
import { readInputText } from '../results/read-input-file.js';
import { readRunResult } from '../results/read-result.js';
import { RESULT_SCHEMA_VERSION, RunResultSchema, type CaseResult, type ImportedCase, type ImportOptions, type RunResult, isImportOptions } from '../results/schema.js';
import { consoleWidth } from './console-width.js';
import { chipTableFromArgs, withChipsOption, type ChipsArgs } from './chips-option.js';
import { withChipChecks } from '../import/chip-checks.js';
import { EXIT } from './exit-codes.js';
import { checkOutputPath, refuseOverwritingInputs } from './output-path.js';
import { describeZodError } from '../results/read-result.js';
import { DEFAULT_RESULTS_DIR } from '../config/defaults.js';
import { join } from 'node:path';

export interface ImportArgs extends ChipsArgs {
  files: string[];
  output?: string;
  add?: string;
  ranks?: number;
  collective?: string;
  dtype?: string;
  json?: boolean;
  wide?: boolean;
}

export function importBuilder(y: Argv): Argv<ImportArgs> {
  return withChipsOption(y)
    .positional('files', { type: 'string', array: true, demandOption: true, describe: "outputs of nccl-tests, rccl-tests, hccl_test, mamf-finder or nvbandwidth, as the tool printed them (or as pasted: MPI prefixes and NCCL INFO lines are fine); several runs of one configuration become that case's forks" })
    .option('output', { alias: 'o', type: 'string', describe: 'the result file to write (default results/import-<time>.json)' })
    .option('add', { type: 'string', describe: 'add the imported cases to this result file (an id it already holds gains a fork: another run of the tool)' })
    .option('ranks', { type: 'number', describe: 'ranks of the run, where the output does not print them (hccl_test: mpirun -n N)' })
    .option('collective', { type: 'string', describe: "the collective, where the output does not name it (nccl-tests before 2.17): all_reduce, all_gather, reduce_scatter, alltoall, broadcast, reduce, ..." })
    .option('dtype', { type: 'string', describe: "the data type, where the output does not print it (hccl_test without its mpirun line): fp32, fp16, bf16, int8, ..." })
    .option('json', { type: 'boolean', describe: 'print the written result as JSON instead of the summary' })
    .option('wide', { type: 'boolean', describe: 'print every column in full' })
    .conflicts('output', 'add') as unknown as Argv<ImportArgs>;
}

function importPath(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return join(DEFAULT_RESULTS_DIR, `import-${stamp}.json`);
}

/** Every case of one file, or an InputError naming the file, the line and the problem. */
function importFile(file: string, args: ImportArgs, importedAt: string): { cases: ImportedCase[]; format: string; tool: string; version?: string } {
  const text = readInputText(file, 'the tool output', 'give the file the tool printed (its stdout, or its -J/-x output)');
  try {
    const { format, blocks } = readImport(text);
    const cases = casesOfBlocks(blocks, { file, importedAt, ...(args.ranks !== undefined ? { ranks: args.ranks } : {}), ...(args.collective ? { collective: args.collective } : {}), ...(args.dtype ? { dtype: args.dtype } : {}) });
    const source = blocks[0]!.source;
    return { cases, format, tool: source.tool, ...(source.version !== undefined ? { version: source.version } : {}) };
  } catch (error) {
    if (error instanceof ImportSyntaxError) throw new InputError(`${file}: ${error.message}`);
    throw error;
  }
}

/** Cases of one id from several files (or a file and the result added to) as one case with a fork from each. */
function mergeForks(cases: ImportedCase[]): ImportedCase {
  const failed = cases.find((c) => c.outcome !== 'ok');
  if (failed) return failed;
  const forks = cases.flatMap((c) => c.measurement?.forks ?? []);
  const first = cases[0]!;
  if (forks.length === 0) return first;
  // every run's flags stay with the case (a busbw that does not add up, validation off, above the link): the first
  // run's checks alone would hide what a later run or an --add said of its own figures
  const seen = new Set(first.checks.map((k) => `${k.check}|${k.status}|${k.detail}`));
  const flags = cases.slice(1).flatMap((c) => c.checks.filter((k) => k.status !== 'ok' && !seen.has(`${k.check}|${k.status}|${k.detail}`) && seen.add(`${k.check}|${k.status}|${k.detail}`)));
  return { ...withMeasurement(first, headlineOf(forks)), checks: [...first.checks, ...flags] };
}

function mergeCases(existing: CaseResult[], imported: ImportedCase[]): CaseResult[] {
  const byId = new Map<string, CaseResult[]>();
  for (const c of [...existing, ...imported]) byId.set(c.id, [...(byId.get(c.id) ?? []), c]);
  return [...byId.values()].map((group) => {
    if (group.length === 1) return group[0]!;
    if (group.some((c) => c.workload !== 'imported')) throw new InputError(`case '${group[0]!.id}' is both measured and imported; import into another file`);
    return mergeForks(group as ImportedCase[]);
  });
}

/**
 * Refuses a run given twice (the same file twice, a copy of it, or a file added again with --add): its forks would be
 * copies of one run, with no spread between them, and a gate would take one run for several. A file is a repeat when
 * every timed case in it matches a fork already there, sample for sample.
 */
function refuseRepeatedRuns(read: { cases: ImportedCase[] }[], files: string[], base: RunResult | undefined, basePath: string | undefined): void {
  const seen = new Map<string, string>();
  const key = (id: string, samples: number[]) => `${id} ${JSON.stringify(samples)}`;
  for (const c of base?.cases ?? []) for (const f of c.measurement?.forks ?? []) seen.set(key(c.id, f.samplesSeconds), basePath!);
  read.forEach((r, i) => {
    const keys = r.cases.flatMap((c) => (c.measurement?.forks ?? []).map((f) => key(c.id, f.samplesSeconds)));
    const where = keys.length > 0 && keys.every((k) => seen.has(k)) ? seen.get(keys[0]!) : undefined;
    if (where !== undefined) {
      throw new InputError(`${files[i]}: every figure in it is already in ${where === files[i] ? 'the same file, given before' : where}: the same run twice would count as two runs with no spread between them; give each run once`);
    }
    for (const k of keys) if (!seen.has(k)) seen.set(k, files[i]!);
  });
}

function validated(run: RunResult, path: string): RunResult {
  const parsed = RunResultSchema.safeParse(run);
  if (!parsed.success) throw new InputError(`${path}: the imported figures do not make a valid result (${describeZodError(parsed.error)}); check the input files`);
  return parsed.data;
}

export function importHandler(args: ArgumentsCamelCase<ImportArgs>): number {
  if (args.ranks !== undefined && !(Number.isSafeInteger(args.ranks) && args.ranks >= 1)) throw new InputError(`--ranks: ${args.ranks} is not a positive whole number; give the number of ranks the tool ran, e.g. --ranks 8`);
  const now = new Date();
  const files = args.files.map(String);
  const read = files.map((f) => importFile(f, args, now.toISOString()));
  const base = args.add ? readRunResult(args.add) : undefined;
  refuseRepeatedRuns(read, files, base, args.add);
  const outPath = checkOutputPath(args.add ?? args.output ?? importPath(now), args.output === undefined && args.add === undefined, args.add ? 'add' : 'output');
  refuseOverwritingInputs(outPath, args.add ? 'add' : 'output', files.map((f) => ['input', f]));
  if (!args.add && args.output && existsSync(outPath)) throw new InputError(`--output: ${outPath} exists; give a new path, or --add ${args.output} to add to it`);
  // each figure beside its own chip's peak or link, where its devices name a chip of the table
  const imported = withChipChecks(
    read.flatMap((r) => r.cases),
    chipTableFromArgs(args),
  );
  const cases = restateHeadlines(mergeCases(base?.cases ?? [], imported));
  const fileRecords = read.map((r, i) => ({ path: files[i]!, tool: r.tool, format: r.format, ...(r.version !== undefined ? { version: r.version } : {}) }));
  const options: ImportOptions =
    base && isImportOptions(base.options)
      ? { ...base.options, files: [...base.options.files, ...fileRecords] }
      : { profile: 'import', files: fileRecords, ...(args.ranks !== undefined ? { ranks: args.ranks } : {}) };
  const run: RunResult = validated(
    base
      ? { ...base, schemaVersion: RESULT_SCHEMA_VERSION, ...(isImportOptions(base.options) ? { options } : {}), cases }
      : {
          schemaVersion: RESULT_SCHEMA_VERSION,
          tool: { name: 'chipbench', version: toolVersion() },
          status: 'complete',
          startedAt: now.toISOString(),
          finishedAt: now.toISOString(),
          command: process.argv.slice(2),
          options,
          environment: collectEnvironment(),
          backends: [],
          cases,
        },
    outPath,
  );
  writeFileAtomic(outPath, `${JSON.stringify(run, null, 2)}\n`);
  if (args.json) process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
  else process.stdout.write(`${renderImportSummary(run, imported.map((c) => c.id), outPath, consoleWidth(args.wide === true, process.stdout, process.env))}\n`);
  return imported.some((c) => c.outcome !== 'ok') ? EXIT.failed : EXIT.ok;
}
