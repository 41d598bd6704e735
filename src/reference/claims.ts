/**
 * The article's figures and quantitative claims (reference-data/claims.json),
 * validated on load. The article's figures live here, as its claims, never in
 * the chip table; each claim lists the figures it rests on and the checks
 * that test it against the chip table.
 *
 * Check kinds:
 * - figure: an article figure against one or more chips' value of one
 *   quantity (several chips: variants; the figure holds within their range);
 * - ratio / reduction: numerator / denominator (or 1 minus it) of ONE
 *   quantity on two chips, against an expected range. A check names one
 *   quantity, so it cannot divide figures of different precisions;
 * - step-model: the training-step model of `chipbench interconnect-claim`;
 * - not-checkable: the table cannot test it, and why.
 *
 * A claim may also carry `articleArithmetic` (the article's own sum, shown
 * first: 320 / 148 = 2.16x) and `measuredChecks`, judged from measured
 * figures (reference-data/measurements.json, plus a user's own):
 * - measured-ratio: a measured figure of one chip over another's, one
 *   quantity at one precision (bf16 matmul over bf16 matmul), against an
 *   expected range; each chip may be a list of variants (Ascend 910B1..B4);
 * - measured-figure: the measured figures beside an article figure, shown
 *   for information (the article's 148 is a peak, not a measurement).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../env/package-info.js';
import { InputError } from '../errors/input-error.js';
import { describeZodError } from '../results/read-result.js';
import { MEASURED_PRECISIONS, MEASURED_QUANTITIES } from './measurements.js';
import { QUANTITIES } from './quantity.js';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an id: lower case letters, digits and dashes');
const quantity = z.enum(QUANTITIES);
/** primary checks decide the verdict; context checks are shown beside it */
const role = z.enum(['primary', 'context']).default('primary');

export const ArticleFigureSchema = z
  .object({
    id,
    value: z.number().finite(),
    unit: z.string().min(1).max(100),
    /** "600 GB/s or higher": the figure is a lower bound */
    atLeast: z.literal(true).optional(),
    /** the article's words, in English (shared/ARTICLE.md) */
    quote: z.string().min(1).max(1000),
  })
  .strict();
export type ArticleFigure = z.infer<typeof ArticleFigureSchema>;

const expectRange = z
  .object({ low: z.number().finite().optional(), high: z.number().finite().optional() })
  .strict()
  .refine((e) => e.low !== undefined || e.high !== undefined, 'give low, high or both')
  .refine((e) => e.low === undefined || e.high === undefined || e.low <= e.high, 'low must not exceed high');

const ratioFields = {
  label: z.string().min(1).max(200),
  numerator: id,
  denominator: id,
  quantity,
  expect: expectRange,
  /** the granularity the article states the figure at (0.01: whole percents); the ratio is rounded to it before comparing */
  statedTo: z.number().positive().max(1).optional(),
  role,
};

export const CheckSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('figure'),
      label: z.string().min(1).max(200),
      figure: id,
      against: z.array(id).min(1).max(20),
      quantity,
      /** relative tolerance for a match with one value */
      tolerance: z.number().nonnegative().max(1).default(0.02),
      role,
    })
    .strict(),
  z.object({ kind: z.literal('ratio'), ...ratioFields }).strict(),
  z.object({ kind: z.literal('reduction'), ...ratioFields }).strict(),
  z
    .object({ kind: z.literal('step-model'), label: z.string().min(1).max(200), cut: id, original: id, low: id, high: id, role })
    .strict(),
  z.object({ kind: z.literal('not-checkable'), label: z.string().min(1).max(200), reason: z.string().min(1).max(1000) }).strict(),
]);
export type Check = z.infer<typeof CheckSchema>;

const chipIds = z.array(id).min(1).max(20);

export const MeasuredCheckSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('measured-ratio'),
      label: z.string().min(1).max(200),
      numerator: chipIds,
      denominator: chipIds,
      quantity: z.enum(MEASURED_QUANTITIES),
      precision: z.enum(MEASURED_PRECISIONS),
      expect: expectRange,
      statedTo: z.number().positive().max(1).optional(),
      role,
    })
    .strict(),
  z
    .object({
      kind: z.literal('measured-figure'),
      label: z.string().min(1).max(200),
      figure: id,
      chips: chipIds,
      quantity: z.enum(MEASURED_QUANTITIES),
      precision: z.enum(MEASURED_PRECISIONS),
    })
    .strict(),
]);
export type MeasuredCheck = z.infer<typeof MeasuredCheckSchema>;

/** The article's own arithmetic, before any table: a ratio of two of its figures, or a range it states. */
const ArticleArithmeticSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ratio'), numerator: id, denominator: id, says: z.string().min(1).max(500) }).strict(),
  z.object({ kind: z.literal('range'), low: id, high: id, says: z.string().min(1).max(500) }).strict(),
]);


export const ClaimSchema = z
  .object({
    id,
    /** the claim's number in shared/ARTICLE.md */
    number: z.number().int().positive(),
    text: z.string().min(1).max(2000),
    figures: z.array(id).max(20),
    /** how the claim's words are read as arithmetic: every choice stated */
    interpretation: z.string().min(1).max(2000),
    checks: z.array(CheckSchema).min(1).max(20),
    articleArithmetic: ArticleArithmeticSchema.optional(),
    measuredChecks: z.array(MeasuredCheckSchema).max(20).optional(),
  })
  .strict();
export type Claim = z.infer<typeof ClaimSchema>;

export const ClaimsFileSchema = z
  .object({
    schemaVersion: z.literal(1),
    article: z.object({ title: z.string().max(500), published: z.string().max(50), file: z.string().max(500), digest: z.string().max(500) }).strict(),
    description: z.string().max(5000).optional(),
    figures: z.array(ArticleFigureSchema),
    claims: z.array(ClaimSchema).min(1),
  })
  .strict();
export type ClaimsFile = z.infer<typeof ClaimsFileSchema>;

export function shippedClaimsPath(): string {
  return join(packageRoot(), 'reference-data', 'claims.json');
}

/** Figure ids every check and claim refers to, with where. */
function figureReferences(file: ClaimsFile): { ref: string; at: string }[] {
  return file.claims.flatMap((claim, i) => [
    ...claim.figures.map((ref, j) => ({ ref, at: `$.claims[${i}].figures[${j}]` })),
    ...claim.checks.flatMap((check, j) => {
      const at = `$.claims[${i}].checks[${j}]`;
      if (check.kind === 'figure') return [{ ref: check.figure, at: `${at}.figure` }];
      if (check.kind === 'step-model') return [{ ref: check.low, at: `${at}.low` }, { ref: check.high, at: `${at}.high` }];
      return [];
    }),
    ...(claim.measuredChecks ?? []).flatMap((check, j) => (check.kind === 'measured-figure' ? [{ ref: check.figure, at: `$.claims[${i}].measuredChecks[${j}].figure` }] : [])),
    ...(claim.articleArithmetic
      ? claim.articleArithmetic.kind === 'ratio'
        ? [claim.articleArithmetic.numerator, claim.articleArithmetic.denominator]
        : [claim.articleArithmetic.low, claim.articleArithmetic.high]
      : []
    ).map((ref) => ({ ref, at: `$.claims[${i}].articleArithmetic` })),
  ]);
}

/** Reads and validates the claims file; errors name the file, the JSON path and the fix. Chip ids are checked when claims are evaluated. */
export function loadClaims(path = shippedClaimsPath()): ClaimsFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`${path}: cannot read it as JSON (${(error as Error).message}); restore it from the chipbench package`);
  }
  const parsed = ClaimsFileSchema.safeParse(data);
  if (!parsed.success) throw new InputError(`${path}: not a valid claims file at ${describeZodError(parsed.error)}; fix that field`);
  const file = parsed.data;
  const known = new Set(file.figures.map((f) => f.id));
  const dangling = figureReferences(file).find((r) => !known.has(r.ref));
  if (dangling) throw new InputError(`${path}: ${dangling.at} names figure '${dangling.ref}', which $.figures does not define; add it there`);
  return file;
}

export function figureById(file: ClaimsFile, figureId: string): ArticleFigure {
  const figure = file.figures.find((f) => f.id === figureId);
  if (!figure) throw new InputError(`no article figure '${figureId}' in the claims file`);
  return figure;
}
