/**
 * Compares two RunResults case by case (joined by stable id) and gives each
 * case a verdict a CI gate can trust:
 * - regressed / improved: the case's figure (f32 FLOP/s, GB/s, busbw) moved
 *   past the threshold with confidence: the whole bootstrap interval of the
 *   change (from the ratio of medians) lies beyond the threshold, AND the
 *   Mann-Whitney U test on the raw timing samples gives p < alpha. A point
 *   estimate past the threshold is not enough: with +-5% noise and 30
 *   samples a true 2% slowdown shows as > 5% about once in 200 comparisons
 *   (measured in test/unit/compare-runs.test.ts), and a gate must not cry
 *   wolf. So neither a tiny significant shift nor a large noisy one raises
 *   an alarm;
 * - unchanged: neither;
 * - new / missing: the id is only in head / only in base;
 * - failed: the head case did not finish ok (newly, when base had it ok or
 *   not at all: that fails the gate);
 * - incomparable: the two ran on different devices or backends, at
 *   different precisions, with different gpu.js versions, or (tuned GEMM)
 *   different kernel variants. No ratio is
 *   reported then, however tempting.
 * Every figure is a rate over the same work (the id fixes the work), so the
 * figure's ratio is the inverse of the ratio of median times.
 *
 * With a history (earlier runs on the base side, e.g. the default branch's
 * last results on the same runner), a case with at least 3 earlier figures
 * must ALSO lie outside the spread BETWEEN runs: below the
 * (1 - historyAlpha) prediction interval of one more run, mean +-
 * t(n-1) s sqrt(1 + 1/n) of the log figures, and more than the threshold
 * below their mean. On a shared machine the spread between runs is far
 * larger than the spread within one, which the samples alone cannot see
 * (measured: see the README's A/A figures).
 *
 * The two sides of an interleaved run (`chipbench run --against`) are
 * judged on their paired slices instead (paired-slices.ts): the same rule,
 * significant AND the whole interval past the threshold, with the sign test
 * and the interval of the median paired ratio. History plays no part there:
 * the pairing already removes the spread between moments.
 */
import { InputError } from '../input-error.js';
import type { CaseResult, RunResult } from '../results/schema.js';
import { tQuantile } from './student-t.js';
import { bootstrapMedianRatio, mannWhitneyU, thin } from './two-sample.js';
import { pairedSlices } from './paired-slices.js';
import { kernelOf } from '../workloads/gemm/variants.js';

export const VERDICTS = ['regressed', 'improved', 'unchanged', 'new', 'missing', 'failed', 'incomparable'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface CompareOptions {
  /** relative change of a case's figure that counts, e.g. 0.05 for 5% */
  threshold: number;
  /** per-workload thresholds, overriding `threshold` */
  workloadThresholds: Record<string, number>;
  /** significance level of the Mann-Whitney U test */
  alpha: number;
  /** confidence level of the bootstrap interval of the ratio of medians */
  level: number;
  /** samples per side used by the tests (evenly thinned beyond this) */
  maxSamples: number;
  resamples: number;
  /** significance level of the prediction interval between runs (history): looser than alpha, since few runs make t large */
  historyAlpha: number;
  /** missing and incomparable cases fail the gate too (for CI, where a vanished backend must not pass silently) */
  strict: boolean;
}

/** Every default of a comparison, declared once. */
export const DEFAULT_COMPARE_OPTIONS: CompareOptions = {
  threshold: 0.05,
  workloadThresholds: {},
  alpha: 0.001,
  level: 0.99,
  // 300 samples per side (evenly thinned) and 1000 resamples keep a 100-case comparison to a few seconds
  maxSamples: 300,
  resamples: 1000,
  historyAlpha: 0.01,
  strict: false,
};

/** The headline figure of a case: bigger is better for every one of them. */
export interface Figure {
  name: string;
  unit: string;
  /** in `unit` */
  base: number;
  head: number;
}

export interface CaseComparison {
  id: string;
  workload: string;
  backend: string;
  verdict: Verdict;
  /** why, for every verdict but a plain unchanged */
  reason?: string;
  figure?: Figure;
  /** head / base - 1 of the figure (+0.1: 10% better); undefined when not compared */
  change?: number;
  /** the interval of `change` at the chosen level */
  changeCi?: { low: number; high: number };
  /** two-sided Mann-Whitney p-value on the timing samples */
  p?: number;
  /**
   * what the verdict rests on: the two runs' samples; the spread between earlier runs too (history); or, for an
   * interleaved pair of runs, the ratios of their back-to-back slices (interleaved: change, interval and p are
   * the median paired ratio, its order-statistic interval and the sign test; see paired-slices.ts)
   */
  basis?: 'samples' | 'history' | 'interleaved';
  /** interleaved basis: how many slice pairs */
  pairs?: number;
  /** history basis: how many earlier figures, the prediction band of one more run and head's change, both from their mean */
  history?: { runs: number; band: { low: number; high: number }; change: number };
  threshold: number;
  /** failed now, and was ok (or absent) in base: fails the gate */
  newlyFailed?: boolean;
}

export interface RunComparison {
  base: RunIdentity;
  head: RunIdentity;
  /** differences of environment, said loudly; those that make cases incomparable are marked */
  environment: { what: string; base: string; head: string; blocking: boolean }[];
  cases: CaseComparison[];
  counts: Record<Verdict, number>;
  options: CompareOptions;
  /** the two files are one interleaved run's two sides: cases with enough slices were judged on their paired slices */
  interleaved: boolean;
}

/** Fewest earlier figures of a case for a prediction interval; below it the samples decide. */
export const MIN_HISTORY_RUNS = 3;

export interface RunIdentity {
  label: string;
  startedAt: string;
  commit?: string;
  tool: string;
}

function identity(run: RunResult, label: string): RunIdentity {
  return { label, startedAt: run.startedAt, tool: run.tool.version, ...(run.environment.gitCommit ? { commit: run.environment.gitCommit } : {}) };
}

/** The case's headline figure in its unit; bigger is better. */
export function figureOf(c: CaseResult): { name: string; unit: string; value: number } | undefined {
  if (c.outcome !== 'ok') return undefined;
  if (c.workload === 'gemm') return c.metrics ? { name: 'f32 rate', unit: 'GFLOP/s', value: c.metrics.medianTflops * 1e3 } : undefined;
  if (c.workload === 'stream') return c.metrics ? { name: `${c.kernel} bandwidth`, unit: 'GB/s', value: c.metrics.GBps } : undefined;
  return c.metrics ? { name: 'busbw', unit: 'GB/s', value: c.metrics.busbwGBps } : undefined;
}

function environmentDifferences(base: RunResult, head: RunResult): RunComparison['environment'] {
  const pairs: [string, string | undefined, string | undefined, boolean][] = [
    ['gpu.js version', base.environment.gpujs, head.environment.gpujs, true],
    ['webgpu package', base.environment.webgpuPackage, head.environment.webgpuPackage, false],
    ['Node.js', base.environment.node, head.environment.node, false],
    ['CPU', base.environment.cpu.model, head.environment.cpu.model, false],
    ['host', base.environment.hostname, head.environment.hostname, false],
    ['chipbench', base.tool.version, head.tool.version, false],
  ];
  return pairs.filter(([, a, b]) => a !== b).map(([what, a, b, blocking]) => ({ what, base: a ?? 'absent', head: b ?? 'absent', blocking }));
}


function deviceOf(c: CaseResult): string {
  return c.executed ? `${c.executed.backend} on ${c.executed.device.name}` : 'unknown';
}

export function thresholdFor(workload: string, options: CompareOptions): number {
  return options.workloadThresholds[workload] ?? options.threshold;
}

/** The verdict from earlier runs' figures (log scale), or undefined when there are too few or they do not vary. */
function historyVerdict(figures: number[], head: number, threshold: number, alpha: number): (Pick<CaseComparison, 'verdict' | 'history'> & { change: number }) | undefined {
  const n = figures.length;
  if (n < MIN_HISTORY_RUNS) return undefined;
  const logs = figures.map(Math.log);
  const mean = logs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(logs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  if (!(sd > 0)) return undefined;
  const half = tQuantile(1 - alpha / 2, n - 1) * sd * Math.sqrt(1 + 1 / n);
  const change = Math.exp(Math.log(head) - mean) - 1;
  const band = { low: Math.exp(-half) - 1, high: Math.exp(half) - 1 };
  const verdict: Verdict = change < band.low && change < -threshold ? 'regressed' : change > band.high && change > threshold ? 'improved' : 'unchanged';
  return { verdict, change, history: { runs: n, band, change } };
}

function compareCase(
  base: CaseResult | undefined,
  head: CaseResult | undefined,
  options: CompareOptions,
  blocking: string | undefined,
  earlier: CaseResult[] = [],
  interleaved = false,
): CaseComparison {
  const any = (head ?? base)!;
  const common = { id: any.id, workload: any.workload, backend: any.backend, threshold: thresholdFor(any.workload, options) };
  if (!base) {
    if (head!.outcome !== 'ok') return { ...common, verdict: 'failed', newlyFailed: true, reason: `new and ${head!.outcome}: ${head!.reason ?? ''}`.trim() };
    return { ...common, verdict: 'new', reason: 'not in base' };
  }
  if (!head) return { ...common, verdict: 'missing', reason: 'in base, not in head' };
  if (head.outcome !== 'ok') {
    const newly = base.outcome === 'ok';
    return { ...common, verdict: 'failed', newlyFailed: newly, reason: `${head.outcome}${newly ? ' (was ok)' : ` (was ${base.outcome} too)`}: ${head.reason ?? ''}`.trim() };
  }
  if (base.outcome !== 'ok') return { ...common, verdict: 'new', reason: `base ${base.outcome}, head ok: nothing to compare with` };
  if (blocking) return { ...common, verdict: 'incomparable', reason: blocking };
  if (base.precision !== head.precision) return { ...common, verdict: 'incomparable', reason: `precision ${base.precision} against ${head.precision}` };
  if (deviceOf(base) !== deviceOf(head)) return { ...common, verdict: 'incomparable', reason: `ran on ${deviceOf(base)}, now on ${deviceOf(head)}` };
  // a tuned GEMM case may run another kernel variant from one run to the next: that is not a change of speed
  if (base.workload === 'gemm' && head.workload === 'gemm' && kernelOf(base) !== kernelOf(head)) {
    return { ...common, verdict: 'incomparable', reason: `ran the ${kernelOf(base)} kernel, now ${kernelOf(head)}` };
  }
  const fb = figureOf(base);
  const fh = figureOf(head);
  if (!fb || !fh || !base.measurement || !head.measurement) return { ...common, verdict: 'incomparable', reason: 'no figure to compare' };
  const figure: Figure = { name: fb.name, unit: fb.unit, base: fb.value, head: fh.value };
  const paired = interleaved ? pairedSlices(base.measurement.slices ?? [], head.measurement.slices ?? [], options.level) : undefined;
  if (paired) {
    // figure ratio = base time / head time, so the interval inverts and swaps
    const change = 1 / paired.timeRatio - 1;
    const changeCi = { low: 1 / paired.high - 1, high: 1 / paired.low - 1 };
    return { ...common, verdict: verdictOf(paired.p < options.alpha, changeCi, common.threshold), basis: 'interleaved', pairs: paired.pairs, figure, change, changeCi, p: paired.p };
  }
  const a = thin(base.measurement.samplesSeconds, options.maxSamples);
  const b = thin(head.measurement.samplesSeconds, options.maxSamples);
  const test = mannWhitneyU(b, a);
  const time = bootstrapMedianRatio(a, b, options.level, options.resamples);
  // figure ratio = base time / head time, so the interval inverts and swaps
  const change = 1 / time.ratio - 1;
  const changeCi = { low: 1 / time.high - 1, high: 1 / time.low - 1 };
  const sameDevice = earlier.filter((c) => c.outcome === 'ok' && deviceOf(c) === deviceOf(base) && c.precision === base.precision);
  const fromHistory = historyVerdict(sameDevice.flatMap((c) => figureOf(c)?.value ?? []), fh.value, common.threshold, options.historyAlpha);
  const verdict = verdictOf(test.p < options.alpha, changeCi, common.threshold);
  if (fromHistory) {
    // both must agree: the samples say the move is real in this pair, the history that it is beyond the usual spread
    const both: Verdict = fromHistory.verdict === verdict ? verdict : 'unchanged';
    return { ...common, verdict: both, basis: 'history', figure, change, changeCi, p: test.p, history: fromHistory.history! };
  }
  return { ...common, verdict, basis: 'samples', figure, change, changeCi, p: test.p };
}

/** Regressed or improved only when significant AND the whole interval of the change lies past the threshold. */
function verdictOf(significant: boolean, changeCi: { low: number; high: number }, threshold: number): Verdict {
  if (significant && changeCi.high < -threshold) return 'regressed';
  if (significant && changeCi.low > threshold) return 'improved';
  return 'unchanged';
}

/** True when the two files are the two sides of one interleaved run (`chipbench run --against`). */
export function interleavedPair(base: RunResult, head: RunResult): boolean {
  return base.interleave !== undefined && base.interleave.id === head.interleave?.id && base.interleave.side === 'base' && head.interleave.side === 'head';
}

/** Cases by id; a file that holds one id twice (merged by hand) is refused rather than silently keeping one. */
function uniqueIds(run: RunResult, label: string): Map<string, CaseResult> {
  const byId = new Map<string, CaseResult>();
  for (const c of run.cases) {
    if (byId.has(c.id)) throw new InputError(`${label}: case '${c.id}' appears twice; give a file written by one 'chipbench run'`);
    byId.set(c.id, c);
  }
  return byId;
}

/**
 * Compares head with base. Throws an InputError when the two files share no
 * case id: that is a wrong pair of files, not a result.
 */
export function compareRuns(
  base: RunResult,
  head: RunResult,
  labels: { base: string; head: string },
  options: CompareOptions = DEFAULT_COMPARE_OPTIONS,
  /** earlier runs on the base side; base itself is counted once whether or not it is among them */
  history: RunResult[] = [],
): RunComparison {
  const baseById = uniqueIds(base, labels.base);
  const headById = uniqueIds(head, labels.head);
  if (![...headById.keys()].some((id) => baseById.has(id))) {
    throw new InputError(`${labels.base} and ${labels.head} have no case in common; compare two runs of the same suite (same --workloads, --sizes and backends)`);
  }
  const environment = environmentDifferences(base, head);
  const blockers = environment.filter((e) => e.blocking);
  const blocking = blockers.length > 0 ? blockers.map((e) => `${e.what} ${e.base} against ${e.head}`).join('; ') : undefined;
  const ids = [...headById.keys(), ...[...baseById.keys()].filter((id) => !headById.has(id))];
  // runs with another gpu.js measure something else: they are no evidence of the spread
  const earlierRuns =
    history.length > 0
      ? [base, ...history.filter((r) => r.startedAt !== base.startedAt && r.startedAt !== head.startedAt && r.environment.gpujs === base.environment.gpujs)]
      : [];
  const earlier = (id: string) => earlierRuns.flatMap((r) => r.cases.filter((c) => c.id === id));
  const interleaved = interleavedPair(base, head);
  const cases = ids.map((id) => compareCase(baseById.get(id), headById.get(id), options, blocking, interleaved ? [] : earlier(id), interleaved));
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, cases.filter((c) => c.verdict === v).length])) as Record<Verdict, number>;
  return { base: identity(base, labels.base), head: identity(head, labels.head), environment, cases, counts, options, interleaved };
}

/** 1 when a case regressed or newly failed (strict: or is missing or incomparable), else 0. */
export function gateExitCode(comparison: RunComparison): 0 | 1 {
  const strict = comparison.options.strict;
  return comparison.cases.some((c) => c.verdict === 'regressed' || c.newlyFailed || (strict && (c.verdict === 'missing' || c.verdict === 'incomparable'))) ? 1 : 0;
}
