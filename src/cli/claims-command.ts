/**
 * `chipbench claims`: each of the article's quantitative claims
 * (reference-data/claims.json) evaluated against the chip table, with its
 * arithmetic and a verdict: holds, partly, does not hold, not checkable;
 * where public measurements exist (reference-data/measurements.json), a
 * second verdict from them.
 */
import type { Argv, ArgumentsCamelCase } from 'yargs';
import { loadClaims } from '../reference/claims.js';
import { evaluateClaims } from '../reference/evaluate-claims.js';
import { loadMeasurements } from '../reference/measurements.js';
import { renderClaims } from '../report/claims-report.js';
import { chipTableFromArgs, withChipsOption, type ChipsArgs } from './chips-option.js';
import { EXIT } from './exit-codes.js';
import { consoleWidth } from './console-width.js';
import { measuredFiguresOf } from '../import/measured-figures.js';
import { readResults } from './result-paths.js';

export interface ClaimsCommandArgs extends ChipsArgs {
  json: boolean;
  measured?: string[];
}

export function claimsBuilder(y: Argv): Argv<ClaimsCommandArgs> {
  return withChipsOption(
    y
      .option('json', { type: 'boolean', default: false, describe: 'print every claim, check and verdict as JSON' })
      .option('measured', {
        type: 'string',
        array: true,
        describe: "result files written by 'chipbench import' (your cluster's mamf-finder or nccl-tests): their figures join the public measurements as sources of the measured verdicts",
      }),
  ) as unknown as Argv<ClaimsCommandArgs>;
}

export function claimsHandler(args: ArgumentsCamelCase<ClaimsCommandArgs>): number {
  const table = chipTableFromArgs(args);
  const yours = (args.measured ?? []).length > 0 ? measuredFiguresOf(readResults((args.measured ?? []).map(String)), table) : undefined;
  const results = evaluateClaims(loadClaims(), table, { measurements: loadMeasurements(), ...(yours ? { extraMeasured: yours } : {}) });
  if (args.json) {
    const plain = results.map((r) => ({
      id: r.claim.id,
      number: r.claim.number,
      text: r.claim.text,
      verdict: r.verdict,
      figures: r.figures,
      ...(r.articleArithmetic ? { articleArithmetic: r.articleArithmetic } : {}),
      interpretation: r.claim.interpretation,
      checks: r.checks,
      ...(r.measured ? { measured: r.measured } : {}),
    }));
    process.stdout.write(`${JSON.stringify(plain, null, 2)}\n`);
  } else {
    process.stdout.write(`${renderClaims(results, consoleWidth(false, process.stdout, process.env))}\n`);
  }
  return EXIT.ok;
}
