/**
 * `chipbench report RESULT.json [--baseline BASE.json] [--out FILE] [--markdown]`:
 * a report people would rather look at. HTML by default, one self-contained
 * file beside the result (RESULT.html); Markdown with --markdown, to stdout
 * or to --out. A viewer, not a gate: it exits 0 whatever the comparison
 * says (`chipbench compare` sets the exit code for CI).
 */
import type { Argv, ArgumentsCamelCase } from 'yargs';
import { compareRuns } from '../compare/compare-runs.js';
import { InputError } from '../errors/input-error.js';
import { loadClaims } from '../reference/claims.js';
import { evaluateClaims } from '../reference/evaluate-claims.js';
import { loadMeasurements } from '../reference/measurements.js';
import { buildReport } from '../report/build-report.js';
import { renderHtmlReport } from '../report/html-report.js';
import { renderMarkdownReport } from '../report/markdown-report.js';
import { writeFileAtomic } from '../results/atomic-write.js';
import { readRunResult } from '../results/read-result.js';
import { chipTableFromArgs, withChipsOption, type ChipsArgs } from './chips-option.js';
import { compareOptionsFromArgs, withCompareOptions, type CompareArgs } from './compare-options.js';
import { EXIT } from './exit-codes.js';
import { checkOutputPath, refuseOverwritingInputs } from './output-path.js';
import { expandResultPaths, readResults } from './result-paths.js';

export interface ReportArgs extends ChipsArgs, CompareArgs {
  result: string;
  baseline?: string;
  out?: string;
  markdown?: boolean;
}

export function reportBuilder(y: Argv): Argv<ReportArgs> {
  return withCompareOptions(withChipsOption(y))
    .positional('result', { type: 'string', demandOption: true, describe: 'a RunResult written by chipbench run' })
    .option('baseline', { type: 'string', describe: 'a RunResult to compare with: the report then shows every verdict, regressions marked' })
    .option('out', {
      alias: 'o',
      type: 'string',
      describe: 'where to write the report [default: HTML beside the result, RESULT.html; with --markdown: stdout]',
    })
    .option('markdown', { type: 'boolean', describe: 'Markdown instead of HTML: the same sections and tables, without the charts' }) as unknown as Argv<ReportArgs>;
}

/** RESULT.json -> RESULT.html, beside it. */
export function defaultReportPath(result: string): string {
  return result.replace(/(\.json)?$/i, '.html');
}

/** Options that mean something for `compare` but not here: refused rather than silently ignored. */
function refuseMeaningless(args: ReportArgs): void {
  if (args.strict) throw new InputError('--strict: a report never sets the exit code; gate with chipbench compare --strict BASE HEAD');
  if (args.history !== undefined && args.baseline === undefined) {
    throw new InputError('--history: it takes part in a comparison only; give --baseline BASE.json too, or drop it');
  }
  if (args.out !== undefined && !args.markdown && /\.(md|markdown)$/i.test(args.out)) {
    throw new InputError(`--out: ${args.out} names a Markdown file but the report is HTML; add --markdown, or name it .html`);
  }
}

export function reportHandler(args: ArgumentsCamelCase<ReportArgs>): number {
  // Every input is read and checked before anything is written.
  refuseMeaningless(args);
  const chips = chipTableFromArgs(args);
  const options = compareOptionsFromArgs(args);
  const run = readRunResult(args.result);
  const out = args.out ?? (args.markdown ? undefined : defaultReportPath(args.result));
  const outPath = out === undefined ? undefined : checkOutputPath(out, false, 'out');
  const historyPaths = expandResultPaths((args.history ?? []).map(String));
  const inputs: [string, string][] = [
    ['result', args.result],
    ...(args.baseline !== undefined ? [['baseline', args.baseline] as [string, string]] : []),
    ...(args.chips ?? []).map((p): [string, string] => ['--chips', String(p)]),
    ...historyPaths.map((p): [string, string] => ['--history', p]),
  ];
  if (outPath) refuseOverwritingInputs(outPath, 'out', inputs);
  const comparison =
    args.baseline === undefined
      ? undefined
      : compareRuns(readRunResult(args.baseline), run, { base: args.baseline, head: args.result }, options, readResults(historyPaths).map((r) => r.run));
  const report = buildReport({ run, source: args.result, chips, claims: evaluateClaims(loadClaims(), chips, { measurements: loadMeasurements() }), ...(comparison ? { comparison } : {}) });
  const text = args.markdown ? renderMarkdownReport(report) : renderHtmlReport(report);
  if (!outPath) {
    process.stdout.write(text);
    return EXIT.ok;
  }
  writeFileAtomic(outPath, text);
  const charts = report.sections.reduce((n, s) => n + (s.figure?.charts.length ?? 0), 0);
  process.stdout.write(`chipbench report: wrote ${outPath} (${args.markdown ? 'Markdown' : `HTML, ${charts} chart(s)`}, ${report.sections.length} sections, ${Buffer.byteLength(text)} bytes)\n`);
  return EXIT.ok;
}
