/**
 * The kernel jobs of a run: every size of every suite case, in the order the files were listed. An id two files
 * (or two suites) both make is one failed case naming both files: a result file cannot hold two cases of one id,
 * and keeping either would time a kernel under another's name. Kept apart from plan.ts, which expands jobs.
 */
import { kernelCaseId } from '../results/case-id.js';
import type { KernelSizeListing, SuiteListing } from '../suite/listing.js';

/** One size of a suite file's case: the worker loads the file and runs the case's kernel at that size. */
export interface KernelJob {
  kind: 'kernel';
  suite: string;
  /** the file as listed (relative to the working directory) and its absolute path, which the worker loads */
  file: string;
  path: string;
  sha256: string;
  /** the case's name in its suite */
  name: string;
  size: KernelSizeListing;
  timing: 'end-to-end' | 'resident';
  seed: number;
  /** why the case cannot run (a file that did not load, a bad case, a duplicate id): it is recorded failed with this */
  problem?: string;
}


/** A problem as a reason holds it: never longer than 4000 characters. */
function capped(problem: string): string {
  return problem.length > 4000 ? `${problem.slice(0, 3997)}...` : problem;
}

/** A problem in a reason: the file named first. */
function problemOf(file: string, problem: string): string {
  return capped(problem.startsWith(file) ? problem : `${file}: ${problem}`);
}

export function kernelJobs(suites: readonly SuiteListing[], seed: number): KernelJob[] {
  const jobs: KernelJob[] = [];
  for (const s of suites) {
    for (const c of s.cases) {
      for (const size of c.sizes) {
        const job: KernelJob = { kind: 'kernel', suite: s.suite, file: s.file, path: s.path, sha256: s.sha256, name: c.name, size, timing: c.timing, seed };
        jobs.push(c.problem ? { ...job, problem: problemOf(s.file, c.problem) } : job);
      }
    }
  }
  const byId = new Map<string, KernelJob[]>();
  for (const job of jobs) {
    const key = kernelCaseId(job.suite, job.name, '', job.size.label, job.timing);
    byId.set(key, [...(byId.get(key) ?? []), job]);
  }
  return [...byId.values()].map((same) => (same.length === 1 ? same[0]! : duplicate(same)));
}

/** One failed job for jobs of one id; their own problems (a file that did not load) are kept in its reason. */
function duplicate(same: KernelJob[]): KernelJob {
  const first = same[0]!;
  const files = [...new Set(same.map((j) => j.file))];
  const where = files.length > 1 ? `${files.join(' and ')} both define` : `${files[0]} defines twice`;
  const own = same.flatMap((j) => (j.problem ? [j.problem] : []));
  const problem = `duplicate id: ${where} suite ${first.suite} case ${first.name} at ${first.size.label}; rename one suite or case${own.length > 0 ? `; and ${own.join('; ')}` : ''}`;
  return { ...first, problem: capped(problem) };
}
