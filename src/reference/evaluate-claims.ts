/**
 * Evaluates the article's claims (claims.json) against the chip table: each
 * check gives its arithmetic in words and whether it holds; a claim's
 * verdict comes from its primary checks only:
 * - holds: every primary check that can be computed holds;
 * - partly: some do, some do not;
 * - does not hold: none does;
 * - not checkable: no primary check can be computed from the table.
 * Context checks are shown beside the verdict and never change it.
 */
import { InputError } from '../errors/input-error.js';
import { chipById, type Chip, type ChipTable, type Figure } from './chips.js';
import { figureById, type ArticleFigure, type Check, type Claim, type ClaimsFile } from './claims.js';
import { DEFAULT_OVERLAP, DEFAULT_STEP_MODEL, overlapRangesFor, slowdown, type StepModel } from './interconnect-claim.js';
import { interconnectOf } from './interconnect.js';
import { formatValue, statedFigure, quantityLabel, type Quantity } from './quantity.js';

export const VERDICTS = ['holds', 'partly', 'does not hold', 'not checkable'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface CheckResult {
  label: string;
  kind: Check['kind'];
  role: 'primary' | 'context';
  /** the arithmetic, in words and numbers */
  arithmetic: string;
  /** the computed figure (a ratio, a slowdown), when there is one */
  value?: number;
  /** undefined: cannot be computed from the table */
  holds: boolean | undefined;
}

export interface ClaimResult {
  claim: Claim;
  figures: ArticleFigure[];
  checks: CheckResult[];
  verdict: Verdict;
}


const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

/** An article figure as the article states it: '600 GB/s or higher', '41%', '148 TFLOPs, precision not stated'. */
export function formatArticleFigure(f: ArticleFigure): string {
  const value = f.unit === 'fraction' ? `${formatValue(100 * f.value)}%` : `${formatValue(f.value)} ${f.unit}`;
  return `${value}${f.atLeast ? ' or higher' : ''}`;
}

function whyUnknown(chip: Chip, quantity: Quantity, figure: Figure): string {
  return figure.absent
    ? `${chip.name} does not have ${quantityLabel(quantity)}${figure.note ? ` (${figure.note})` : ''}`
    : `${chip.name}'s ${quantityLabel(quantity)} is unknown`;
}

function expectText(expect: { low?: number; high?: number }): string {
  if (expect.low !== undefined && expect.high !== undefined) {
    return expect.low === expect.high ? percent(expect.low) : `${percent(expect.low)} to ${percent(expect.high)}`;
  }
  return expect.low !== undefined ? `at least ${percent(expect.low)}` : `at most ${percent(expect.high!)}`;
}

/** Rounds to the granularity the article states its figure at (0.01: whole percents), so 14.97% meets "15%". */
function atStatedPrecision(x: number, statedTo: number | undefined): number {
  return statedTo ? Math.round(x / statedTo) * statedTo : x;
}

function within(x: number, expect: { low?: number; high?: number }): boolean {
  const eps = 1e-9;
  return (expect.low === undefined || x >= expect.low - eps) && (expect.high === undefined || x <= expect.high + eps);
}

function ratioCheck(check: Extract<Check, { kind: 'ratio' | 'reduction' }>, table: ChipTable): CheckResult {
  const num = chipById(table, check.numerator);
  const den = chipById(table, check.denominator);
  const a = statedFigure(num, check.quantity);
  const b = statedFigure(den, check.quantity);
  const base = { label: check.label, kind: check.kind, role: check.role };
  const missing =
    a.value === null
      ? whyUnknown(num, check.quantity, a)
      : b.value === null
        ? whyUnknown(den, check.quantity, b)
        : b.value === 0
          ? `${den.name}'s ${quantityLabel(check.quantity)} is 0`
          : check.quantity === 'interconnect' && num.interconnect.convention !== den.interconnect.convention
            ? `the two chips state their links differently (${num.interconnect.convention} against ${den.interconnect.convention})`
            : undefined;
  if (missing) return { ...base, arithmetic: `not checkable: ${missing}`, holds: undefined };
  const of = (x: number, y: number) => (check.kind === 'ratio' ? x / y : 1 - x / y);
  const value = of(a.value!, b.value!);
  const rounded = atStatedPrecision(value, check.statedTo);
  const holds = within(rounded, check.expect);
  const formula = check.kind === 'ratio' ? `${formatValue(a.value!)} / ${formatValue(b.value!)}` : `1 - ${formatValue(a.value!)} / ${formatValue(b.value!)}`;
  const alternatives = [
    ...(a.alternatives ?? []).map((alt) => `${formatValue(alt.value)} [${alt.sources.join(', ')}]: ${percent(of(alt.value, b.value!))}`),
    ...(b.alternatives ?? []).map((alt) => `${formatValue(alt.value)} [${alt.sources.join(', ')}]: ${percent(of(a.value!, alt.value))}`),
  ];
  return {
    ...base,
    value,
    holds,
    arithmetic:
      `${num.name} ${check.kind === 'ratio' ? 'over' : 'fewer than'} ${den.name}, ${quantityLabel(check.quantity)}: ${formula} = ${percent(value)}` +
      ` (claim: ${expectText(check.expect)}${check.statedTo ? `, compared at ${percent(rounded)}` : ''}) ${holds ? 'holds' : 'does not hold'}` +
      `; ${a.confidence} / ${b.confidence}` +
      (alternatives.length > 0 ? `; other sources: ${alternatives.join('; ')}` : ''),
  };
}

function figureCheck(check: Extract<Check, { kind: 'figure' }>, file: ClaimsFile, table: ChipTable): CheckResult {
  const figure = figureById(file, check.figure);
  const chips = check.against.map((id) => chipById(table, id));
  const base = { label: check.label, kind: check.kind, role: check.role };
  const values = chips.map((chip) => ({ chip, figure: statedFigure(chip, check.quantity) }));
  const knownValues = values.filter((v) => v.figure.value !== null);
  const listed = values.map((v) => `${v.chip.name} ${v.figure.value === null ? 'unknown' : `${formatValue(v.figure.value)} (${v.figure.confidence})`}`).join(', ');
  const stated = `article ${formatArticleFigure(figure)}, table ${quantityLabel(check.quantity)}: ${listed}`;
  if (knownValues.length === 0) return { ...base, arithmetic: `not checkable: ${stated}`, holds: undefined };
  const nums = knownValues.map((v) => v.figure.value!);
  const tol = check.tolerance;
  const matches = (v: number) => Math.abs(v - figure.value) <= tol * Math.max(Math.abs(v), Math.abs(figure.value));
  let holds: boolean;
  let how: string;
  if (figure.atLeast) {
    holds = nums.every((v) => v >= figure.value * (1 - tol));
    how = holds ? 'every value is at least the article\'s' : 'a value is below the article\'s';
  } else if (nums.some(matches)) {
    holds = true;
    how = `matches ${knownValues.filter((v) => matches(v.figure.value!)).map((v) => v.chip.name).join(', ')} within ${percent(tol)}`;
  } else if (nums.length > 1 && figure.value >= Math.min(...nums) && figure.value <= Math.max(...nums)) {
    holds = true;
    how = `within the range ${formatValue(Math.min(...nums))} to ${formatValue(Math.max(...nums))}, equal to none`;
  } else {
    holds = false;
    how = `matches none within ${percent(tol)}`;
  }
  return { ...base, holds, arithmetic: `${stated}: ${how}` };
}

function stepModelCheck(check: Extract<Check, { kind: 'step-model' }>, file: ClaimsFile, table: ChipTable, model: StepModel, overlap: number): CheckResult {
  const cut = interconnectOf(table, check.cut);
  const original = interconnectOf(table, check.original);
  if (!cut || !original) {
    const id = !cut ? check.cut : check.original;
    return { label: check.label, kind: check.kind, role: check.role, holds: undefined, arithmetic: `not checkable: ${chipById(table, id).name}'s interconnect bandwidth is unknown` };
  }
  const low = figureById(file, check.low).value;
  const high = figureById(file, check.high).value;
  const value = slowdown(model, original, cut, overlap);
  const holds = value >= low && value <= high;
  const ranges = overlapRangesFor(model, original, cut, low, high);
  return {
    label: check.label,
    kind: check.kind,
    role: check.role,
    value,
    holds,
    arithmetic:
      `${cut.chip} (${cut.GBps} GB/s ${cut.convention}) against ${original.chip} (${original.GBps} GB/s): a step is ${percent(value)} longer ` +
      `at overlap ${overlap} (claim: ${percent(low)} to ${percent(high)}) ${holds ? 'holds' : 'does not hold'}; the band holds for overlap ` +
      (ranges.length > 0 ? ranges.map((r) => `${r.from.toFixed(3)} to ${r.to.toFixed(3)}`).join(', ') : 'none in [0, 1]'),
  };
}

function evaluateCheck(check: Check, file: ClaimsFile, table: ChipTable, model: StepModel, overlap: number): CheckResult {
  switch (check.kind) {
    case 'ratio':
    case 'reduction':
      return ratioCheck(check, table);
    case 'figure':
      return figureCheck(check, file, table);
    case 'step-model':
      return stepModelCheck(check, file, table, model, overlap);
    case 'not-checkable':
      return { label: check.label, kind: check.kind, role: 'primary', arithmetic: `not checkable: ${check.reason}`, holds: undefined };
  }
}

export function verdictOf(checks: CheckResult[]): Verdict {
  const decided = checks.filter((c) => c.role === 'primary' && c.holds !== undefined);
  if (decided.length === 0) return 'not checkable';
  const held = decided.filter((c) => c.holds).length;
  return held === decided.length ? 'holds' : held === 0 ? 'does not hold' : 'partly';
}

/** Every claim of the file evaluated against the table; a chip id the table lacks is an input error naming it. */
export function evaluateClaims(file: ClaimsFile, table: ChipTable, model: StepModel = DEFAULT_STEP_MODEL, overlap = DEFAULT_OVERLAP): ClaimResult[] {
  return file.claims.map((claim) => {
    let checks: CheckResult[];
    try {
      checks = claim.checks.map((check) => evaluateCheck(check, file, table, model, overlap));
    } catch (error) {
      if (error instanceof InputError) throw new InputError(`claim ${claim.number} (${claim.id}): ${error.message}`);
      throw error;
    }
    return { claim, figures: claim.figures.map((id) => figureById(file, id)), checks, verdict: verdictOf(checks) };
  });
}
