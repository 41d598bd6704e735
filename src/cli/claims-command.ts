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

export interface ClaimsCommandArgs extends ChipsArgs {
  json: boolean;
}

export function claimsBuilder(y: Argv): Argv<ClaimsCommandArgs> {
  return withChipsOption(
    y.option('json', { type: 'boolean', default: false, describe: 'print every claim, check and verdict as JSON' }),
  ) as unknown as Argv<ClaimsCommandArgs>;
}

export function claimsHandler(args: ArgumentsCamelCase<ClaimsCommandArgs>): number {
  const results = evaluateClaims(loadClaims(), chipTableFromArgs(args), { measurements: loadMeasurements() });
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
    process.stdout.write(`${renderClaims(results)}\n`);
  }
  return EXIT.ok;
}
