/**
 * The noise model shared across cases: each case's spread between processes
 * is estimated with the help of the cases like it (moderated-variance.ts), so
 * an interval or a test gets the degrees of freedom of many forks, not of a
 * case's own three.
 *
 * Which cases are alike: those of one backend and workload, gpu.js's kernels
 * apart from the hand-written ones (every gpu.js GEMM case on webasm, every
 * hand-written STREAM case on webgpu, ...). Spreads measured here differ by up
 * to 5x from one such group to the next (docs/reproducibility.md: webgpu GEMM
 * 2.9%, cpu GEMM 15.9%), and a hand-written STREAM copy on one thread spread
 * 0.4% where gpu.js's spread 25% in the same run, but far less within one
 * group. A prior fitted from a handful of variances is itself a guess, so a
 * group with fewer than MIN_PRIOR_ESTIMATES own estimates borrows from a wider
 * scope: the backend's cases of the same kind (gpu.js or hand-written), then
 * every case of that kind, then every case. The scope that fitted a case's
 * prior is recorded with it.
 */
import { fitVariancePrior, moderateVariance, type VarianceEstimate, type VariancePrior } from './moderated-variance.js';

/** Fewest own variance estimates (cases with 2 or more forks) a prior is fitted from. */
export const MIN_PRIOR_ESTIMATES = 5;

/** Where a case's prior came from, narrowest first; 'runner' is a noise file measured on the runner beforehand. */
export const PRIOR_SCOPES = ['group', 'backend', 'kind', 'run', 'runner'] as const;
export type PriorScope = (typeof PRIOR_SCOPES)[number];

/** A case as the model sees it: its backend, workload and kind, and its own variance estimate. */
export interface NoiseSubject {
  backend: string;
  workload: string;
  /** a hand-written kernel (gemm-ceiling/..., stream-ceiling-...), not gpu.js's */
  handWritten: boolean;
  own: VarianceEstimate;
}

/** What the model says of one case. */
export interface CaseNoise {
  /** the case's variance moderated towards its prior (the case's own when there is no prior) */
  moderated: VarianceEstimate;
  prior?: VariancePrior & { scope: PriorScope; key: string };
}

/** The key of a subject at each scope, e.g. 'webasm gemm', 'webasm gpu.js', 'gpu.js', 'every case'. */
function keysOf(s: NoiseSubject): [Exclude<PriorScope, 'runner'>, string][] {
  const kind = s.handWritten ? 'hand-written' : 'gpu.js';
  return [
    ['group', `${s.backend} ${s.workload}${s.handWritten ? ' hand-written' : ''}`],
    ['backend', `${s.backend} ${kind}`],
    ['kind', kind],
    ['run', 'every case'],
  ];
}

/**
 * Every subject's moderated variance, in the order given. The prior of each comes from the narrowest scope whose
 * subjects hold MIN_PRIOR_ESTIMATES own estimates; a subject with no prior at any scope keeps its own estimate.
 */
export function moderateSubjects(subjects: readonly NoiseSubject[]): CaseNoise[] {
  const members = new Map<string, VarianceEstimate[]>();
  for (const s of subjects) for (const [scope, key] of keysOf(s)) members.set(`${scope}:${key}`, [...(members.get(`${scope}:${key}`) ?? []), s.own]);
  const priors = new Map<string, VariancePrior | undefined>();
  const priorOf = (id: string) => {
    if (!priors.has(id)) {
      const estimates = members.get(id)!;
      priors.set(id, estimates.filter((e) => e.df > 0).length >= MIN_PRIOR_ESTIMATES ? fitVariancePrior(estimates) : undefined);
    }
    return priors.get(id);
  };
  return subjects.map((s) => {
    for (const [scope, key] of keysOf(s)) {
      const prior = priorOf(`${scope}:${key}`);
      if (prior) return { moderated: moderateVariance(s.own, prior), prior: { ...prior, scope, key } };
    }
    return { moderated: s.own };
  });
}
