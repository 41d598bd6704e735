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
import type { GemmJob, Job, PlannedCase } from '../plan/plan.js';

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

  /** The cases of a later fork: those ok so far. */
  stillOk(cases: readonly PlannedCase[]): PlannedCase[] {
    return cases.filter((c) => this.merged.get(c.id)?.outcome === 'ok');
  }

  /**
   * The cases with every tuned GEMM case's job pinned to the kernel variant its first fork ran (none chosen yet: as
   * given). The cases of one job keep sharing one job, so the worker still compiles and verifies the shape once.
   */
  pinned(cases: readonly PlannedCase[]): PlannedCase[] {
    const pinnedJobs = new Map<Job, GemmJob>();
    const seen = { tuned: new Set<Job>(), ceiling: new Set<Job>() };
    for (const c of cases) {
      // the job's first tuned case names the variant (a job's tuned cases are one tuning's timings), and its first
      // ceiling case the ceiling's form (the WGSL tiling the trials chose)
      const kind = c.tuned ? 'tuned' : c.ceiling ? 'ceiling' : undefined;
      if (!kind || c.job.kind !== 'gemm' || seen[kind].has(c.job)) continue;
      seen[kind].add(c.job);
      const chosen = this.merged.get(c.id);
      const variant = chosen?.workload === 'gemm' ? chosen.variant?.id : undefined;
      if (!variant) continue;
      const job: GemmJob = pinnedJobs.get(c.job) ?? c.job;
      pinnedJobs.set(c.job, kind === 'tuned' ? { ...job, variant: variant as GemmVariantId } : { ...job, ceilingVariant: variant });
    }
    return cases.map((c) => {
      const job = pinnedJobs.get(c.job);
      return job ? { ...c, job } : c;
    });
  }
}
