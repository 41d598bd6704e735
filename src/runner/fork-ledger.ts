/**
 * The forks of every case of one side of a run, as they come in: each
 * fork's result is merged with the earlier ones (merge-forks.ts) into the
 * case the result file holds, and later forks are planned from it: only the
 * cases still ok, and a tuned GEMM case with the kernel variant its first
 * fork chose, so every fork of a case measures the same kernel.
 */
import type { CaseResult } from '../results/schema.js';
import type { GemmVariantId } from '../workloads/gemm/variants.js';
import { mergeForks } from './merge-forks.js';
import { casesOf, jobsOf, type Job } from './plan.js';

export class ForkLedger {
  private readonly byId = new Map<string, CaseResult[]>();
  private readonly merged = new Map<string, CaseResult>();

  constructor(readonly forks: number) {}

  /**
   * Adds one fork's result and returns the merged case; undefined when the case had already failed or been skipped
   * (a later fork of it adds nothing).
   */
  add(result: CaseResult): CaseResult | undefined {
    const earlier = this.merged.get(result.id);
    if (earlier && earlier.outcome !== 'ok') return undefined;
    const list = this.byId.get(result.id) ?? [];
    list.push(result);
    this.byId.set(result.id, list);
    const merged = mergeForks(list, this.forks);
    this.merged.set(result.id, merged);
    return merged;
  }

  /** Records a case that runs in no fork (its backend is unavailable): as it is, with no fork named. */
  unrun(result: CaseResult): CaseResult {
    this.byId.set(result.id, [result]);
    this.merged.set(result.id, result);
    return result;
  }

  /** Forks of the case still to come. */
  forksLeft(id: string): number {
    return Math.max(0, this.forks - (this.byId.get(id)?.length ?? 0));
  }

  /** The jobs of a later fork on `backend`: its cases that are ok so far, tuned GEMM kernels pinned to the first fork's. */
  jobsStillOk(backend: string, planned: readonly Job[]): Job[] {
    const cases = planned.flatMap((job) => casesOf(backend, job)).filter((c) => this.merged.get(c.id)?.outcome === 'ok');
    return this.pinned(backend, jobsOf(cases));
  }

  /** The jobs with every tuned GEMM case pinned to the kernel variant its first fork ran (none chosen yet: as given). */
  pinned(backend: string, jobs: readonly Job[]): Job[] {
    return jobs.map((job) => {
      if (job.kind !== 'gemm' || (job.tunedTimings ?? []).length === 0) return job;
      const tuned = casesOf(backend, job).find((c) => c.tuned);
      const chosen = tuned ? this.merged.get(tuned.id) : undefined;
      const variant = chosen?.workload === 'gemm' ? chosen.variant?.id : undefined;
      return variant ? { ...job, variant: variant as GemmVariantId } : job;
    });
  }
}
