/**
 * Real gpu.js backends for tests, through the same worker processes a run
 * uses. A backend that is unavailable fails the test on CI (CI installs what
 * all four need) and skips it elsewhere, with the probe's reason.
 */
import { GPUJS_BACKENDS } from '../../src/backends/names.js';
import { runningOnCi } from '../../src/env/ci.js';
import type { HarnessBudget } from '../../bench/profiles.js';
import type { CaseResult } from '../../src/results/schema.js';
import type { Job } from '../../src/runner/plan.js';
import { probeBackends } from '../../src/runner/probe-backends.js';
import { runBackend } from '../../src/runner/run-backend.js';
import { WorkerEnvironment } from '../../src/runner/worker-environment.js';

/** Enough sampling to exercise the harness; the tests check results, never speed. */
const TINY_BUDGET = { timeBudgetMs: 1, minSamples: 2, warmupMs: 0, warmupIterations: 0, maxWarmupMs: 0 };

export const onCi = runningOnCi();

export function realBackends() {
  const environment = new WorkerEnvironment();
  const probes = probeBackends(GPUJS_BACKENDS, environment);
  return {
    environment,
    /** Runs the jobs on a backend and returns every case result, or skips (fails on CI) when it is unavailable. */
    async run(backend: string, jobs: Job[], ctx: { skip(note?: string): void }, budget: HarnessBudget = TINY_BUDGET): Promise<CaseResult[]> {
      const probe = (await probes).find((p) => p.status.backend === backend)!;
      if (!probe.status.available) {
        if (onCi) throw new Error(`${backend} must be available on CI: ${probe.status.reason} (${probe.status.remedy ?? ''})`);
        ctx.skip(`${backend} unavailable here: ${probe.status.reason}`);
      }
      const results: CaseResult[] = [];
      await runBackend(
        backend,
        jobs,
        budget,
        { caseTimeoutSeconds: 120, probeTimeoutSeconds: 120, env: await environment.forBackend(backend) },
        { onCaseResult: (r) => results.push(r) },
      );
      return results;
    },
    /** Waits for the probes, then stops the private X server if one was started; returns its pid. */
    async stop(): Promise<number | undefined> {
      await probes;
      const pid = environment.xvfbPid();
      environment.stop();
      return pid;
    },
  };
}
