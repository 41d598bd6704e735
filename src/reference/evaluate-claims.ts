/**
 * Evaluates the article's claims (claims.json) against the chip table: each
 * check gives its arithmetic in words and whether it holds; a claim's
 * verdict comes from its primary checks only:
 * - holds: every primary check that can be computed holds;
 * - partly: some do, some do not;
 * - does not hold: none does;
 * - not checkable: no primary check can be computed from the table.
 * Context checks are shown beside the verdict and never change it.
 *
 * A claim with `measuredChecks` gets a second verdict, by the same rule,
 * from measured figures (the shipped measurements plus any a caller adds:
 * a user's imported results). Each figure used is listed with its method and
 * source; a figure whose label is wrong, that is above its own precision's
 * peak, or that its contributor replaced is never used in a ratio.
 */
import { InputError } from '../errors/input-error.js';
import { chipById, type Chip, type ChipTable, type Figure } from './chips.js';
import { figureById, type ArticleFigure, type Check, type Claim, type ClaimsFile, type MeasuredCheck } from './claims.js';
import { checkMeasuredFigure, formatMeasured, type PeakCheck } from './measured-check.js';
import { describeSources, withExtraMeasurements, type MeasuredFigure, type MeasurementSet, type MeasurementSource } from './measurements.js';
import { DEFAULT_OVERLAP, DEFAULT_STEP_MODEL, overlapRangesFor, slowdown, type StepModel } from './interconnect-claim.js';
import { interconnectOf } from './interconnect.js';
import { formatValue, statedFigure, quantityLabel, type Quantity } from './quantity.js';

export const VERDICTS = ['holds', 'partly', 'does not hold', 'not checkable'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface CheckResult {
  label: string;
  kind: Check['kind'] | MeasuredCheck['kind'];
  role: 'primary' | 'context';
  /** the arithmetic, in words and numbers */
  arithmetic: string;
  /** the computed figure (a ratio, a slowdown), when there is one */
  value?: number;
  /** undefined: cannot be computed from the table */
  holds: boolean | undefined;
}

/** A measured figure as a claim uses it: its reference mark in the checks ('m1'), the figure, and it against its own chip's peak. */
export interface MeasuredUse {
  ref: string;
  figure: MeasuredFigure;
  peak: PeakCheck;
  /** its sources, titles with URL and dates */
  source: string;
}

export interface ClaimResult {
  claim: Claim;
  figures: ArticleFigure[];
  /** the article's own arithmetic, before any table: '320 TFLOPs / 148 TFLOPs = 2.16x' */
  articleArithmetic?: string;
  checks: CheckResult[];
  /** the verdict from the chip table's spec figures */
  verdict: Verdict;
  /** the second verdict, from measured figures, for claims that have measured checks */
  measured?: { checks: CheckResult[]; verdict: Verdict; figures: MeasuredUse[]; sources: Record<string, string> };
}


const percent = (x: number) => `${(100 * x).toFixed(1)}%`;
/** A ratio as the claim states it: times for 'far above' (2.22x), a share otherwise (18.1%). */
const ratioText = (x: number, asTimes: boolean) => (asTimes ? `${x.toFixed(2)}x` : percent(x));

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

function expectText(expect: { low?: number; high?: number }, asTimes = false): string {
  const f = (x: number) => ratioText(x, asTimes);
  if (expect.low !== undefined && expect.high !== undefined) {
    return expect.low === expect.high ? f(expect.low) : `${f(expect.low)} to ${f(expect.high)}`;
  }
  return expect.low !== undefined ? `at least ${f(expect.low)}` : `at most ${f(expect.high!)}`;
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

/** The article's own sum: '320 TFLOPs / 148 TFLOPs = 2.16x (both in TFLOPs, precision not stated)', '15% to 30% (...)'. */
function articleArithmeticOf(claim: Claim, file: ClaimsFile): string | undefined {
  const a = claim.articleArithmetic;
  if (!a) return undefined;
  if (a.kind === 'range') return `${formatArticleFigure(figureById(file, a.low))} to ${formatArticleFigure(figureById(file, a.high))} (${a.says})`;
  const num = figureById(file, a.numerator);
  const den = figureById(file, a.denominator);
  const unit = (f: ArticleFigure) => f.unit.split(',')[0]!;
  return `${formatValue(num.value)} ${unit(num)} / ${formatValue(den.value)} ${unit(den)} = ${(num.value / den.value).toFixed(2)}x (${a.says})`;
}

/** Collects the measured figures a claim uses, numbering each once ('m1', 'm2', ...) in the order they are first used. */
class MeasuredUses {
  readonly uses: MeasuredUse[] = [];
  constructor(
    private readonly set: MeasurementSet,
    private readonly table: ChipTable,
  ) {}

  /** The figures of `chips` for one quantity and precision: usable (comparable, current) and replaced ones apart. */
  select(chips: string[], quantity: MeasuredFigure['quantity'], precision: MeasuredFigure['precision']): { usable: MeasuredUse[]; superseded: MeasuredUse[]; refused: MeasuredUse[] } {
    const all = this.set.figures.filter((f) => chips.includes(f.chip) && f.quantity === quantity && f.precision === precision).map((f) => this.use(f));
    return {
      usable: all.filter((u) => u.peak.comparable && !u.figure.supersededBy),
      superseded: all.filter((u) => u.peak.comparable && u.figure.supersededBy),
      refused: all.filter((u) => !u.peak.comparable && u.peak.flag),
    };
  }

  private use(figure: MeasuredFigure): MeasuredUse {
    const known = this.uses.find((u) => u.figure.id === figure.id);
    if (known) return known;
    const use = { ref: `m${this.uses.length + 1}`, figure, peak: checkMeasuredFigure(this.table, figure), source: describeSources(this.set, figure) };
    this.uses.push(use);
    return use;
  }
}

const measuredText = (u: MeasuredUse) => `${formatMeasured(u.figure.value)} ${u.figure.unit} ${u.figure.precision} [${u.ref}]`;
const what = (check: { quantity: string; precision: string }) => `${check.precision} ${check.quantity === 'matmul' ? 'matmul' : 'all-reduce busbw'}`;
const namesOf = (table: ChipTable, ids: string[]) => (ids.length === 1 ? chipById(table, ids[0]!).name : `${chipById(table, ids[0]!).family ?? ids.join('/')} (${ids.length} variants)`);

function refusedText(refused: MeasuredUse[]): string {
  const why = (u: MeasuredUse) =>
    u.figure.mislabelled ? `labelled ${u.figure.precision} but likely ${u.figure.mislabelled.likely}: ${u.peak.flag === 'above-peak' ? 'above its peak' : 'its label is wrong'}` : 'above its own peak';
  return refused.length === 0 ? '' : `; not used: ${refused.map((u) => `${measuredText(u)} (${why(u)})`).join(', ')}`;
}

function measuredRatioCheck(check: Extract<MeasuredCheck, { kind: 'measured-ratio' }>, uses: MeasuredUses, table: ChipTable): CheckResult {
  const base = { label: check.label, kind: check.kind, role: check.role };
  const num = uses.select(check.numerator, check.quantity, check.precision);
  const den = uses.select(check.denominator, check.quantity, check.precision);
  const numName = namesOf(table, check.numerator);
  const denName = namesOf(table, check.denominator);
  const missing = num.usable.length === 0 ? numName : den.usable.length === 0 ? denName : undefined;
  if (missing) {
    return { ...base, holds: undefined, arithmetic: `not checkable: no public measurement of ${missing} ${what(check)} found${refusedText([...num.refused, ...den.refused])}` };
  }
  const asTimes = (check.expect.low ?? 0) >= 1;
  const pairs = num.usable.flatMap((n) => den.usable.map((d) => ({ n, d, value: n.figure.value / d.figure.value })));
  const held = pairs.map((p) => within(atStatedPrecision(p.value, check.statedTo), check.expect));
  const holds = held.every(Boolean);
  const values = pairs.map((p) => p.value);
  const earlier = [
    ...num.superseded.flatMap((n) => den.usable.map((d) => `${measuredText(n)} / ${measuredText(d)} = ${ratioText(n.figure.value / d.figure.value, asTimes)}`)),
    ...den.superseded.flatMap((d) => num.usable.map((n) => `${measuredText(n)} / ${measuredText(d)} = ${ratioText(n.figure.value / d.figure.value, asTimes)}`)),
  ];
  return {
    ...base,
    value: values.reduce((a, b) => a + b, 0) / values.length,
    holds,
    arithmetic:
      `${numName} over ${denName}, ${what(check)}: ` +
      pairs.map((p) => `${measuredText(p.n)} / ${measuredText(p.d)} = ${ratioText(p.value, asTimes)}`).join('; ') +
      ` (claim: ${expectText(check.expect, asTimes)}) ${holds ? 'holds' : held.some(Boolean) ? 'holds for some pairs only' : 'does not hold'}` +
      (earlier.length > 0 ? `; with figures their contributor later replaced: ${earlier.join('; ')}` : '') +
      refusedText([...num.refused, ...den.refused]),
  };
}

function measuredFigureCheck(check: Extract<MeasuredCheck, { kind: 'measured-figure' }>, uses: MeasuredUses, file: ClaimsFile, table: ChipTable): CheckResult {
  const figure = figureById(file, check.figure);
  const found = uses.select(check.chips, check.quantity, check.precision);
  const base = { label: check.label, kind: check.kind, role: 'context' as const, holds: undefined };
  const names = namesOf(table, check.chips);
  if (found.usable.length === 0) return { ...base, arithmetic: `no public measurement of ${names} ${what(check)} found; the article's ${formatArticleFigure(figure)} stands alone${refusedText(found.refused)}` };
  return {
    ...base,
    arithmetic: `article ${formatArticleFigure(figure)}; measured ${names} ${what(check)}: ${found.usable.map((u) => `${measuredText(u)} = ${percent(u.figure.value / figure.value)} of ${formatValue(figure.value)}`).join('; ')}`,
  };
}

function evaluateMeasured(claim: Claim, file: ClaimsFile, table: ChipTable, set: MeasurementSet): ClaimResult['measured'] {
  if (!claim.measuredChecks?.length) return undefined;
  const uses = new MeasuredUses(set, table);
  const checks = claim.measuredChecks.map((check) => (check.kind === 'measured-ratio' ? measuredRatioCheck(check, uses, table) : measuredFigureCheck(check, uses, file, table)));
  const sources = Object.fromEntries(uses.uses.flatMap((u) => u.figure.sources).map((k) => [k, describeSources(set, { sources: [k] })]));
  return { checks, verdict: verdictOf(checks), figures: uses.uses, sources };
}

export interface EvaluateOptions {
  /** claim 2's step model and overlap; the defaults of `chipbench interconnect-claim` */
  model?: StepModel;
  overlap?: number;
  /** the measured figures for the second verdict (loadMeasurements()); without them claims get no measured verdict */
  measurements?: MeasurementSet;
  /** a user's own figures (an imported result file), in the measurements file's format, with the sources they cite */
  extraMeasured?: { figures: MeasuredFigure[]; sources?: Record<string, MeasurementSource> };
}

/** Every claim of the file evaluated against the table, and against measured figures when given; a chip id the table lacks is an input error naming it. */
export function evaluateClaims(file: ClaimsFile, table: ChipTable, options: EvaluateOptions = {}): ClaimResult[] {
  const { model = DEFAULT_STEP_MODEL, overlap = DEFAULT_OVERLAP } = options;
  const set =
    options.extraMeasured !== undefined
      ? withExtraMeasurements(options.measurements ?? { sources: {}, figures: [] }, options.extraMeasured)
      : options.measurements;
  for (const figure of set?.figures ?? []) {
    if (!table.chips.some((c) => c.id === figure.chip)) {
      throw new InputError(`measured figure '${figure.id}' names chip '${figure.chip}', which the chip table (${table.files.join(', ')}) lacks; known: ${table.chips.map((c) => c.id).join(', ')}`);
    }
  }
  return file.claims.map((claim) => {
    let checks: CheckResult[];
    let measured: ClaimResult['measured'];
    try {
      checks = claim.checks.map((check) => evaluateCheck(check, file, table, model, overlap));
      measured = set ? evaluateMeasured(claim, file, table, set) : undefined;
    } catch (error) {
      if (error instanceof InputError) throw new InputError(`claim ${claim.number} (${claim.id}): ${error.message}`);
      throw error;
    }
    const articleArithmetic = articleArithmeticOf(claim, file);
    return {
      claim,
      figures: claim.figures.map((id) => figureById(file, id)),
      ...(articleArithmetic ? { articleArithmetic } : {}),
      checks,
      verdict: verdictOf(checks),
      ...(measured ? { measured } : {}),
    };
  });
}
