/**
 * How much gpu.js leaves on the table, per backend, from a saved run alone: gpu.js's best case of a workload beside
 * the hand-written kernel on the same API and device (gemm-ceiling/..., stream-ceiling-...), gpu.js's rate as a
 * share of it, and, for GEMM, the naive README kernel at the same point. The share is given only when both ran at
 * the same point (GEMM: shape and timing; STREAM: kernel and array size), since rates at different sizes are not
 * one comparison; the ceiling shown is then the one at that point, else its fastest.
 */
import { flopsPerSecond } from '../metrics/units.js';
import { formatShape } from '../metrics/gemm-work.js';
import { kernelOf } from './case-facts.js';
import { isCeilingId } from './case-id.js';
import type { GemmCase, RunResult, StreamCase } from './schema.js';

export interface CeilingGap<C> {
  backend: string;
  /** 'gemm', 'stream-copy' or 'stream-triad' */
  workload: string;
  /** gpu.js's fastest ok case of the workload on the backend */
  best: C;
  /** the hand-written kernel's case at the best case's point (else its fastest), when one ran ok */
  ceiling?: C;
  /** best / ceiling rate, when the ceiling ran at the best case's point: the share of what the API reaches there */
  ofCeiling?: number;
}

export interface GemmGap extends CeilingGap<GemmCase> {
  /** the naive kernel's case at the best case's shape and timing, when it ran ok */
  naive?: GemmCase;
  /** best / naive rate */
  speedup?: number;
}

/** The figure a gap compares, in its base unit (FLOP/s, or GB/s read plus written): bigger is better. */
export function gapRate(c: GemmCase | StreamCase): number {
  return c.workload === 'gemm' ? flopsPerSecond(c.metrics!.medianTflops) : c.metrics!.GBps;
}

/** The workload a gap groups a case under: 'gemm', 'stream-copy' or 'stream-triad'. */
export function gapWorkload(c: GemmCase | StreamCase): string {
  return c.workload === 'gemm' ? 'gemm' : `stream-${c.kernel}`;
}

/** An ok case with a figure to compare. */
const measured = <C extends GemmCase | StreamCase>(c: C) => c.outcome === 'ok' && !!c.metrics && gapRate(c) > 0;

const fastest = <C extends GemmCase | StreamCase>(group: C[]) => group.reduce((a, b) => (gapRate(b) > gapRate(a) ? b : a));

/** Whether two cases of one backend and workload ran at the same point: GEMM's shape and timing, STREAM's array size. */
function samePoint(a: GemmCase | StreamCase, b: GemmCase | StreamCase): boolean {
  if (a.workload === 'gemm' || b.workload === 'gemm') return a.workload === b.workload && a.timing === b.timing && formatShape((a as GemmCase).shape) === formatShape((b as GemmCase).shape);
  return a.bytes === b.bytes;
}

/** Whether two cases are of one backend and workload, at the same point. */
const samePlace = (a: GemmCase | StreamCase, b: GemmCase | StreamCase) => a.backend === b.backend && gapWorkload(a) === gapWorkload(b) && samePoint(a, b);

/** Gaps of measured cases, one per backend and workload (gapWorkload). */
function gapsOf<C extends GemmCase | StreamCase>(cases: C[]): CeilingGap<C>[] {
  const ok = cases.filter(measured);
  const gpujs = ok.filter((c) => !isCeilingId(c.id));
  const groups = [...new Set(gpujs.map((c) => `${c.backend}|${gapWorkload(c)}`))];
  return groups.map((group) => {
    const [backend, workload] = group.split('|') as [string, string];
    const best = fastest(gpujs.filter((c) => c.backend === backend && gapWorkload(c) === workload));
    const ceilings = ok.filter((c) => c.backend === backend && gapWorkload(c) === workload && isCeilingId(c.id));
    const ceiling = ceilings.find((c) => samePoint(c, best)) ?? (ceilings.length > 0 ? fastest(ceilings) : undefined);
    return {
      backend,
      workload,
      best,
      ...(ceiling ? { ceiling } : {}),
      ...(ceiling && samePoint(ceiling, best) ? { ofCeiling: gapRate(best) / gapRate(ceiling) } : {}),
    };
  });
}

/** gpu.js's best GEMM per backend, with its naive peer and its backend's ceiling from the same run. */
export function gemmGaps(cases: GemmCase[]): GemmGap[] {
  return gapsOf(cases).map((gap) => {
    const naive = cases.find((c) => c.outcome === 'ok' && c.metrics && kernelOf(c) === 'naive' && samePlace(c, gap.best));
    return { ...gap, ...(naive ? { naive, speedup: gapRate(gap.best) / gapRate(naive) } : {}) };
  });
}

/** gpu.js's best STREAM bandwidth per backend and kernel (copy, triad), with the hand-written kernel's from the same run. */
export function streamGaps(cases: StreamCase[]): CeilingGap<StreamCase>[] {
  return gapsOf(cases);
}

/** Every gap of a run: GEMM per backend, then STREAM per backend and kernel. */
export function runGaps(run: RunResult): CeilingGap<GemmCase | StreamCase>[] {
  return [...gemmGaps(run.cases.filter((c): c is GemmCase => c.workload === 'gemm')), ...streamGaps(run.cases.filter((c): c is StreamCase => c.workload === 'stream'))];
}

/** gpu.js's figure as a share of the hand-written kernel's at one point (a shape and timing, or an array size). */
export interface PointShare {
  /** the hand-written kernel's ok case */
  ceiling: GemmCase | StreamCase;
  /** gpu.js's fastest ok case at the same point, on the same backend */
  gpujs: GemmCase | StreamCase;
  /** gpujs / ceiling rate */
  share: number;
}

/**
 * Every point where a hand-written case and a gpu.js case both ran ok: a series that stays at one point from run to
 * run (the best of a run may move to another shape), for exports that follow it over time.
 */
export function pointShares(run: RunResult): PointShare[] {
  const ok = run.cases.filter((c): c is GemmCase | StreamCase => (c.workload === 'gemm' || c.workload === 'stream') && measured(c));
  return ok.filter((c) => isCeilingId(c.id)).flatMap((ceiling) => {
    const peers = ok.filter((c) => !isCeilingId(c.id) && samePlace(ceiling, c));
    if (peers.length === 0) return [];
    const gpujs = fastest(peers);
    return [{ ceiling, gpujs, share: gapRate(gpujs) / gapRate(ceiling) }];
  });
}
