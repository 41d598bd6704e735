/**
 * Compares two RunResults case by case (joined by stable id) and gives each
 * case one of three answers a CI gate can trust, never a false "unchanged":
 * - regressed / improved: the whole interval of the change of the case's
 *   figure (f32 FLOP/s, GB/s, busbw) lies past the threshold;
 * - unchanged: the whole interval lies within +-threshold;
 * - inconclusive: anything else (the interval spans the threshold), or the
 *   runs hold too few forks to estimate the spread between processes.
 * The evidence is the forks (one worker process each; fork-change.ts): a
 * process can run the same code at its own steady speed, so samples inside
 * one are not independent evidence about the code. The error rate holds for
 * the whole comparison: every claim of every case goes through Holm's
 * procedure (holm.ts), and each interval is drawn at the level its claim was
 * tested at, so verdict and interval always agree. Every compared case also
 * gets its minimum detectable change: the slowdown this comparison would
 * have called regressed with 80% probability at the noise the two runs
 * showed (at the family's strictest level).
 * Besides those:
 * - new / missing: the id is only in head / only in base;
 * - failed: the head case did not finish ok (newly, when base had it ok or
 *   not at all: that fails the gate);
 * - incomparable: the two ran on different devices or backends, at
 *   different precisions, with different gpu.js versions, or (tuned GEMM)
 *   different kernel variants. No ratio is reported then, however tempting.
 *
 * With a history (earlier runs on the base side, e.g. the default branch's
 * last results on the same runner), a case with at least 3 earlier figures
 * is also set against the spread BETWEEN runs: the (1 - historyAlpha)
 * prediction interval of one more run, mean +- t(n-1) s sqrt(1 + 1/n) of
 * the log figures. It stays regressed or improved only when head lies
 * outside that band and more than the threshold from its mean, unchanged
 * only when the history does not see a change; any disagreement is
 * inconclusive.
 *
 * The two sides of an interleaved run (`chipbench run --against`) are
 * judged on their fork pairs instead: fork i of base ran beside fork i of
 * head, so each pair's ratio (the median of its paired slices' ratios,
 * paired-slices.ts) is one observation and the paired t replaces Welch's.
 */
import { InputError } from '../errors/input-error.js';
import { isImportOptions, type CaseResult, type Measurement, type RunResult } from '../results/schema.js';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import {
  claimPValues,
  changeInterval,
  minimumDetectableChange,
  ownVariance,
  pairedOnForks,
  welchOnForks,
  withModeratedVariance,
  withRunnerNoise,
  type ChangeEstimate,
  againstEarlierRuns,
} from './fork-change.js';
import type { CaseNoiseEntry } from '../results/noise-file.js';
import { runnerChangeVariance } from '../stats/runner-noise.js';
import { moderateSubjects, type CaseNoise, type PriorScope } from '../stats/noise-model.js';
import { meanOf, sampleVariance } from '../stats/statistics.js';
import { holm } from './holm.js';
import { pairedSlices } from './paired-slices.js';
import { caseHeadline, executedOn, kernelOf } from '../results/case-facts.js';
import { isCeilingId } from '../results/case-id.js';

export const VERDICTS = ['regressed', 'improved', 'unchanged', 'inconclusive', 'new', 'missing', 'failed', 'incomparable'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface CompareOptions {
  /** relative change of a case's figure that counts, e.g. 0.05 for 5% */
  threshold: number;
  /** per-workload thresholds, overriding `threshold` */
  workloadThresholds: Record<string, number>;
  /** the family-wise error rate: the chance that any verdict of the comparison is wrong (Holm) */
  alpha: number;
  /** the probability of detection behind each case's minimum detectable change */
  power: number;
  /** significance level of the prediction interval between runs (history): looser than alpha, since few runs make t large */
  historyAlpha: number;
  /** missing, incomparable and inconclusive cases fail the gate too (for CI, where a vanished backend or an unknown must not pass silently) */
  strict: boolean;
  /** the runner's spread between runs per case (`chipbench calibrate`, --noise): two separate runs are judged against it too */
  noise?: Record<string, CaseNoiseEntry>;
}

/** Every default of a comparison, declared once. */
export const DEFAULT_COMPARE_OPTIONS: CompareOptions = {
  threshold: 0.05,
  workloadThresholds: {},
  alpha: 0.05,
  power: 0.8,
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
  /** head / base - 1 of the figure (+0.1: 10% better), from the forks; undefined when not compared */
  change?: number;
  /** the interval of `change`, two-sided at `level`: the level its verdict was tested at (Holm) */
  changeCi?: { low: number; high: number; level: number };
  /** Holm-adjusted p-value of "changed past the threshold" */
  p?: number;
  /**
   * the smallest slowdown of the figure (0.12: 12% lower) that this comparison would have called regressed with
   * probability options.power, at the noise the two runs showed; undefined when the forks cannot tell (one per side)
   */
  mdc?: number;
  /**
   * what the verdict rests on: the two runs' forks, their forks and the spread between earlier runs (history), the
   * runner's spread between runs measured by calibrate (runner), or an interleaved run's fork pairs
   */
  basis?: 'forks' | 'history' | 'runner' | 'interleaved';
  /** forks (or fork pairs) on each side */
  forks?: { base: number; head: number };
  /** the sd of ln fork medians on each side (null: one fork) */
  spread?: { base: number | null; head: number | null };
  /**
   * the noise model's spread (sd of ln fork medians, or of the pairs' log ratios) the case was judged with, its
   * degrees of freedom, and the prior it was moderated towards (the cases of its backend and workload, ...)
   */
  spreadModel?: { sdLog: number; df: number; prior: { sdLog: number; df: number; scope: PriorScope; key: string } };
  /** basis runner: the standard error of ln(head / base) from the runner's noise file, and its degrees of freedom */
  runnerSpread?: { se: number; df: number };
  /** forks whose timed samples were not steady (drifting) or too few to test, on either side */
  unsteady?: string;
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
  /** the two files are one interleaved run's two sides: cases were judged on their fork pairs */
  interleaved: boolean;
  /** claims in the Holm family: two per compared case ("changed" and "unchanged") */
  claims: number;
  /** an adaptive interleaved run's looks: options.alpha is the family's alpha divided by them */
  looks: number;
}

/** Fewest earlier figures of a case for a prediction interval; below it the forks decide alone. */
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

/** The tools and software the imported cases of a run name, e.g. 'nccl-tests 2.18.3; NCCL 2.30.3+cuda13.0'. */
function importedSoftware(run: RunResult): string | undefined {
  const named = new Set<string>();
  for (const c of run.cases) {
    if (c.workload !== 'imported') continue;
    named.add(`${c.source.tool} ${c.source.version ?? '?'}`);
    for (const [k, v] of Object.entries(c.source.software)) named.add(`${k} ${v}`);
  }
  return named.size > 0 ? [...named].join('; ') : undefined;
}

function environmentDifferences(base: RunResult, head: RunResult): RunComparison['environment'] {
  // two files of imported results: the machine chipbench ran on says nothing of the cluster; the tools' versions do
  if (isImportOptions(base.options) && isImportOptions(head.options)) {
    const a = importedSoftware(base);
    const b = importedSoftware(head);
    return a === b ? [] : [{ what: 'imported tools', base: a ?? 'absent', head: b ?? 'absent', blocking: false }];
  }
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

const deviceOf = (c: CaseResult): string => executedOn(c) ?? 'unknown';

export function thresholdFor(workload: string, options: CompareOptions): number {
  return options.workloadThresholds[workload] ?? options.threshold;
}

/** What the history says: head outside the prediction band and past the threshold (changed), or not. */
interface HistoryJudgement {
  changed: 'regressed' | 'improved' | undefined;
  history: NonNullable<CaseComparison['history']>;
}

/** The judgement from earlier runs' figures (log scale), or undefined when there are too few or they do not vary. */
function historyJudgement(figures: number[], head: number, threshold: number, alpha: number): HistoryJudgement | undefined {
  const n = figures.length;
  if (n < MIN_HISTORY_RUNS) return undefined;
  const logs = figures.map(Math.log);
  const mean = meanOf(logs);
  const sd = Math.sqrt(sampleVariance(logs));
  if (!(sd > 0)) return undefined;
  const half = tQuantile(1 - alpha / 2, n - 1) * sd * Math.sqrt(1 + 1 / n);
  const change = Math.exp(Math.log(head) - mean) - 1;
  const band = { low: Math.exp(-half) - 1, high: Math.exp(half) - 1 };
  const changed = change < band.low && change < -threshold ? 'regressed' : change > band.high && change > threshold ? 'improved' : undefined;
  return { changed, history: { runs: n, band, change } };
}

/** Fork pair i's ln(base time / head time): the median of its paired slices' ratios, else the ratio of the fork medians. */
function forkPairLogRatios(base: Measurement, head: Measurement): number[] {
  const n = Math.min(base.forks.length, head.forks.length);
  return Array.from({ length: n }, (_, i) => {
    const b = base.forks[i]!;
    const h = head.forks[i]!;
    const paired = pairedSlices(b.slices ?? [], h.slices ?? [], 0.95);
    return paired ? -Math.log(paired.timeRatio) : Math.log(b.medianSeconds / h.medianSeconds);
  });
}

/** 'NOT STEADY in 1/4 base forks; steadiness untested in 3/3 head forks', or undefined when every fork was tested steady. */
function unsteadyNote(base: Measurement, head: Measurement): string | undefined {
  const sides = (count: (m: Measurement) => number) =>
    (['base', 'head'] as const)
      .map((side) => [side, side === 'base' ? base : head] as const)
      .filter(([, m]) => count(m) > 0)
      .map(([side, m]) => `${count(m)}/${m.forkCount} ${side}`)
      .join(', ');
  const drifting = sides((m) => m.driftingForks);
  const unchecked = sides((m) => m.uncheckedForks);
  const parts = [drifting ? `NOT STEADY in ${drifting} forks` : '', unchecked ? `steadiness untested in ${unchecked} forks (under 12 samples)` : ''];
  const note = parts.filter((p) => p !== '').join('; ');
  return note === '' ? undefined : note;
}

/** A pair of cases before the family's verdicts: either settled already (failed, new, ...), or an estimate to judge. */
type Pending =
  | { settled: CaseComparison }
  | { open: CaseComparison; estimate: ChangeEstimate | undefined; historyOf?: HistoryJudgement | undefined; runner?: CaseNoiseEntry; why?: string };

function assess(
  base: CaseResult | undefined,
  head: CaseResult | undefined,
  options: CompareOptions,
  blocking: string | undefined,
  earlier: CaseResult[],
  interleaved: boolean,
): Pending {
  const any = (head ?? base)!;
  const common = { id: any.id, workload: any.workload, backend: any.backend, threshold: thresholdFor(any.workload, options) };
  const settled = (c: Omit<CaseComparison, keyof typeof common>): Pending => ({ settled: { ...common, ...c } });
  if (!base) {
    if (head!.outcome !== 'ok') return settled({ verdict: 'failed', newlyFailed: true, reason: `new and ${head!.outcome}: ${head!.reason ?? ''}`.trim() });
    return settled({ verdict: 'new', reason: 'not in base' });
  }
  if (!head) return settled({ verdict: 'missing', reason: 'in base, not in head' });
  if (head.outcome !== 'ok') {
    const newly = base.outcome === 'ok';
    return settled({ verdict: 'failed', newlyFailed: newly, reason: `${head.outcome}${newly ? ' (was ok)' : ` (was ${base.outcome} too)`}: ${head.reason ?? ''}`.trim() });
  }
  if (base.outcome !== 'ok') return settled({ verdict: 'new', reason: `base ${base.outcome}, head ok: nothing to compare with` });
  if (blocking) return settled({ verdict: 'incomparable', reason: blocking });
  if (base.precision !== head.precision) return settled({ verdict: 'incomparable', reason: `precision ${base.precision} against ${head.precision}` });
  if (deviceOf(base) !== deviceOf(head)) return settled({ verdict: 'incomparable', reason: `ran on ${deviceOf(base)}, now on ${deviceOf(head)}` });
  // a tuned GEMM case may run another kernel variant from one run to the next: that is not a change of speed
  if (base.workload === 'gemm' && head.workload === 'gemm' && kernelOf(base) !== kernelOf(head)) {
    return settled({ verdict: 'incomparable', reason: `ran the ${kernelOf(base)} kernel, now ${kernelOf(head)}` });
  }
  const fb = caseHeadline(base);
  const fh = caseHeadline(head);
  if (!fb || !fh || !base.measurement || !head.measurement) return settled({ verdict: 'incomparable', reason: 'no figure to compare' });
  // a suite case whose headline moved from bytes to flops (its work now states both) is another figure
  if (fb.unitLabel !== fh.unitLabel) return settled({ verdict: 'incomparable', reason: `its figure was ${fb.unitLabel}, now ${fh.unitLabel}` });
  const figure: Figure = { name: fb.name, unit: fb.unit, base: fb.value, head: fh.value };
  const bm = base.measurement;
  const hm = head.measurement;
  // a tool's own timings are not tested for a steady state: saying so on every imported case would be noise
  const unsteady = base.workload === 'imported' ? undefined : unsteadyNote(bm, hm);
  const open: CaseComparison = {
    ...common,
    verdict: 'inconclusive',
    figure,
    spread: { base: bm.betweenForkSdLog, head: hm.betweenForkSdLog },
    ...(unsteady ? { unsteady } : {}),
  };
  if (interleaved) {
    const estimate = pairedOnForks(forkPairLogRatios(bm, hm));
    const why = estimate ? undefined : 'one fork pair: the spread between processes is unknown; run --against with --forks 2 or more';
    return { open: { ...open, basis: 'interleaved' }, estimate, ...(why ? { why } : {}) };
  }
  const sameDevice = earlier.filter((c) => c.outcome === 'ok' && deviceOf(c) === deviceOf(base) && c.precision === base.precision);
  const earlierFigures = sameDevice.flatMap((c) => caseHeadline(c)?.value ?? []);
  // an imported figure is one run of its tool: where its file holds no forks, the runs before it are its replicates
  const fromRuns = base.workload === 'imported' && (bm.forkCount < 2 || hm.forkCount < 2) ? againstEarlierRuns(earlierFigures, fh.value, MIN_HISTORY_RUNS) : undefined;
  if (fromRuns) {
    const band = historyJudgement(earlierFigures, fh.value, common.threshold, options.historyAlpha)?.history;
    return { open: { ...open, basis: 'history', ...(band ? { history: band } : {}) }, estimate: fromRuns };
  }
  const estimate = welchOnForks(
    bm.forks.map((f) => f.medianSeconds),
    hm.forks.map((f) => f.medianSeconds),
  );
  const side = bm.forkCount < 2 ? 'base' : 'head';
  const why = estimate
    ? undefined
    : base.workload === 'imported'
      ? `${side} is one run of ${base.backend}: the spread between runs is unknown; import several runs of the configuration as its forks (chipbench import run1 run2 run3), or give --history`
      : `${side} has one fork: the spread between processes is unknown; run with --forks 2 or more`;
  const historyOf = historyJudgement(earlierFigures, fh.value, common.threshold, options.historyAlpha);
  // a noise file describes the device it was measured on
  const runner = options.noise?.[any.id];
  const sameRunner = runner && runner.device === deviceOf(base) && runner.device === deviceOf(head) ? { runner } : {};
  return { open: { ...open, basis: historyOf ? 'history' : 'forks' }, estimate, historyOf, ...sameRunner, ...(why ? { why } : {}) };
}

/** What the noise model said of a judged case, for its record. */
function spreadModelOf(e: ChangeEstimate, noise: CaseNoise): Pick<CaseComparison, 'spreadModel'> {
  if (!e.moderated || !noise.prior) return {};
  const { variance, df, scope, key } = noise.prior;
  return { spreadModel: { sdLog: Math.sqrt(e.moderated.variance), df: e.moderated.df, prior: { sdLog: Math.sqrt(variance), df, scope, key } } };
}

/** The three answers for every open case, under one Holm family of two claims a case. */
type OpenCase = Extract<Pending, { open: CaseComparison }>;

/**
 * Sets each open case's se and degrees of freedom from the noise: its spread moderated towards the spread of the
 * cases like it in this comparison (src/stats/noise-model.ts), or, where a noise file of this runner knows the case,
 * the runner's spread between runs (the forks of one run share its moments). A case with no prior anywhere (too
 * few cases) keeps Welch's test on its own forks. Returns what the model said of each.
 */
function applyNoise(judged: OpenCase[]): CaseNoise[] {
  const noise = moderateSubjects(
    judged.map((p) => ({ backend: p.open.backend, workload: p.open.workload, handWritten: isCeilingId(p.open.id), own: ownVariance(p.estimate!) })),
  );
  judged.forEach((p, i) => {
    const e = p.estimate!;
    if (p.runner) {
      p.estimate = withRunnerNoise(e, runnerChangeVariance(p.runner, ownVariance(e), e.baseForks, e.headForks));
      if (p.open.basis === 'forks') p.open = { ...p.open, basis: 'runner' };
    } else if (noise[i]!.prior) {
      // two separate runs: the model's spread, but the case's own degrees of freedom. The forks of one run share its
      // moments, so their spread says nothing of how far the next run's level lies: in 5 A/A pairs of default runs
      // here (2026-12-06) one case moved 2.8x between runs with its forks agreeing, and the group's degrees of
      // freedom called it regressed and improved. Only a runner's noise file (--noise) or an interleaved run sees that.
      const moderated = noise[i]!.moderated;
      p.estimate = withModeratedVariance(e, p.open.basis === 'interleaved' ? moderated : { variance: moderated.variance, df: Math.min(moderated.df, ownVariance(e).df) });
    }
  });
  return noise;
}

function judge(pending: Pending[], options: CompareOptions): { cases: CaseComparison[]; claims: number } {
  const judged = pending.flatMap((p) => ('open' in p && p.estimate ? [p] : []));
  const noise = applyNoise(judged);
  const claims = judged.map((p) => claimPValues(p.estimate!, p.open.threshold));
  // two claims a case: changed past the threshold (the nearer side), and unchanged
  const pValues = claims.flatMap((c) => [Math.min(c.regressed, c.improved), c.unchanged]);
  const family = holm(pValues, options.alpha);
  // the minimum detectable change at the family's strictest level, which a real change's claim is tested at
  const strictest = options.alpha / Math.max(1, pValues.length);
  const verdicts = new Map<Pending, CaseComparison>();
  judged.forEach((p, i) => {
    const e = p.estimate!;
    const changed = family.rejected[2 * i]!;
    const same = family.rejected[2 * i + 1]!;
    const level = changed ? family.levels[2 * i]! : same ? family.levels[2 * i + 1]! : family.levels[2 * i]!;
    const c = claims[i]!;
    let verdict: Verdict = changed ? (c.regressed < c.improved ? 'regressed' : 'improved') : same ? 'unchanged' : 'inconclusive';
    let reason: string | undefined = verdict === 'inconclusive' ? 'the interval of the change spans the threshold: more forks may decide it' : undefined;
    const h = p.historyOf;
    if (h) {
      // both must agree: the forks say the move is real in this pair of runs, the history that it is beyond the usual spread
      if ((verdict === 'regressed' || verdict === 'improved') && h.changed !== verdict) {
        reason = `the forks say ${verdict}, but head lies within the spread of the ${h.history.runs} earlier runs`;
        verdict = 'inconclusive';
      } else if (verdict === 'unchanged' && h.changed) {
        reason = `the forks say unchanged, but head lies outside the spread of the ${h.history.runs} earlier runs (${h.changed})`;
        verdict = 'inconclusive';
      }
    }
    verdicts.set(p, {
      ...p.open,
      verdict,
      ...(reason ? { reason } : {}),
      change: Math.exp(e.logChange) - 1,
      changeCi: { ...changeInterval(e, level), level: 1 - 2 * level },
      p: family.adjusted[2 * i]!,
      mdc: minimumDetectableChange(e, p.open.threshold, strictest, options.power),
      forks: { base: e.baseForks, head: e.headForks },
      ...spreadModelOf(e, noise[i]!),
      ...(e.runner ? { runnerSpread: { se: e.se, df: e.df } } : {}),
      ...(h ? { history: h.history } : {}),
    });
  });
  const cases = pending.map((p) => {
    if ('settled' in p) return p.settled;
    return verdicts.get(p) ?? { ...p.open, verdict: 'inconclusive' as const, reason: p.why ?? 'no estimate' };
  });
  return { cases, claims: pValues.length };
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
  // a head that failed before its first figure (an imported run that died at start-up: one failed case for the run)
  // shares no id with base, and is a failure to report, not a wrong pair of files
  if (![...headById.keys()].some((id) => baseById.has(id)) && !head.cases.some((c) => c.outcome !== 'ok')) {
    throw new InputError(`${labels.base} and ${labels.head} have no case in common; compare two runs of the same suite (same --workloads, --sizes and backends)`);
  }
  const environment = environmentDifferences(base, head);
  const blockers = environment.filter((e) => e.blocking);
  const blocking = blockers.length > 0 ? blockers.map((e) => `${e.what} ${e.base} against ${e.head}`).join('; ') : undefined;
  const ids = [...headById.keys(), ...[...baseById.keys()].filter((id) => !headById.has(id))];
  // runs with another gpu.js measure something else: they are no evidence of the spread
  const earlierRuns =
    history.length > 0
      ? [
          base,
          // earlier: a run that started after head is not evidence of what came before it
          ...history.filter((r) => r.startedAt !== base.startedAt && r.startedAt < head.startedAt && (isImportOptions(r.options) || r.environment.gpujs === base.environment.gpujs)),
        ]
      : [];
  const earlier = (id: string) => earlierRuns.flatMap((r) => r.cases.filter((c) => c.id === id));
  const interleaved = interleavedPair(base, head);
  // an adaptive interleaved run looked at its comparison up to `looks` times before it stopped: alpha is split over them
  const looks = interleaved ? (head.interleave?.looks ?? 1) : 1;
  if (looks > 1) options = { ...options, alpha: options.alpha / looks };
  const pending = ids.map((id) => assess(baseById.get(id), headById.get(id), options, blocking, interleaved ? [] : earlier(id), interleaved));
  const { cases, claims } = judge(pending, options);
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, cases.filter((c) => c.verdict === v).length])) as Record<Verdict, number>;
  return { base: identity(base, labels.base), head: identity(head, labels.head), environment, cases, counts, options, interleaved, claims, looks };
}

/** 1 when a case regressed or newly failed (strict: or is missing, incomparable or inconclusive), else 0. */
export function gateExitCode(comparison: RunComparison): 0 | 1 {
  const strict = comparison.options.strict;
  return comparison.cases.some(
    (c) => c.verdict === 'regressed' || c.newlyFailed || (strict && (c.verdict === 'missing' || c.verdict === 'incomparable' || c.verdict === 'inconclusive')),
  )
    ? 1
    : 0;
}
