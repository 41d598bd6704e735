/**
 * Real gpu.js backends for tests, through the same worker processes a run
 * uses. A backend that is unavailable fails the test on CI (CI installs what
 * all four need) and skips it elsewhere, with the probe's reason.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GPUJS_BACKENDS } from '../../src/backends/names.js';
import { runningOnCi } from '../../src/env/ci.js';
import type { HarnessBudget } from '../../src/config/profiles.js';
import type { CaseResult } from '../../src/results/schema.js';
import { casesOf, type Job } from '../../src/plan/plan.js';
import { probeBackends, type ProbeOutcome } from '../../src/runner/probe-backends.js';
import { runBackend } from '../../src/runner/run-backend.js';
import { WorkerEnvironment } from '../../src/runner/worker-environment.js';

/** Enough sampling to exercise the harness; the tests check results, never speed. */
const TINY_BUDGET = { timeBudgetMs: 1, minSamples: 2, warmupMs: 0, warmupIterations: 0, maxWarmupMs: 0 };

export const onCi = runningOnCi();

/**
 * What the real-backend tests run on: every gpu.js backend, and webgpu once on each of Dawn's two paths:
 * Vulkan at the core feature level (what a GPU runner's driver takes; lavapipe here) and OpenGL at the
 * compatibility level (llvmpipe). 'webgpu@X' is webgpu with --webgpu-adapter X.
 */
export const REAL_TARGETS = [...GPUJS_BACKENDS.filter((b) => b !== 'webgpu'), 'webgpu@vulkan', 'webgpu@opengl'] as const;

/** The gpu.js backend of a target ('webgpu@vulkan' -> 'webgpu'). */
export function backendOf(target: string): string {
  return target.split('@')[0]!;
}

const adapterOf = (target: string): string | undefined => target.split('@')[1];

export function realBackends() {
  const environment = new WorkerEnvironment();
  // a cache of its own, so no choice of an earlier run on this machine (gpu.js variants, ceiling forms) changes what a test sees
  const cacheDir = mkdtempSync(join(tmpdir(), 'chipbench-cache-'));
  const environmentOf = (target: string) => (adapterOf(target) ? new WorkerEnvironment(process.env, adapterOf(target)) : environment);
  const probes = (async () => {
    const byTarget = new Map<string, ProbeOutcome>();
    for (const target of REAL_TARGETS) byTarget.set(target, (await probeBackends([backendOf(target)], environmentOf(target)))[0]!);
    return byTarget;
  })();
  return {
    environment,
    /** the cache directory the workers use (CHIPBENCH_CACHE_DIR), for tests of what is cached */
    cacheDir,
    /**
     * Runs the jobs on a target and returns every case result, or skips (fails on CI) when it is unavailable.
     * A webgpu target's cases must have run on its Dawn backend, or the run throws.
     */
    async run(target: string, jobs: Job[], ctx: { skip(note?: string): void }, budget: HarnessBudget = TINY_BUDGET): Promise<CaseResult[]> {
      const probe = (await probes).get(target);
      if (!probe) throw new Error(`not a real-backend target: ${target} (one of ${REAL_TARGETS.join(', ')})`);
      if (!probe.status.available) {
        if (onCi) throw new Error(`${target} must be available on CI: ${probe.status.reason} (${probe.status.remedy ?? ''})`);
        ctx.skip(`${target} unavailable here: ${probe.status.reason}`);
      }
      const backend = backendOf(target);
      const results: CaseResult[] = [];
      await runBackend(
        backend,
        jobs.flatMap((job) => casesOf(backend, job)),
        budget,
        { caseTimeoutSeconds: 120, probeTimeoutSeconds: 120, env: { ...(await environmentOf(target).forBackend(backend)), CHIPBENCH_CACHE_DIR: cacheDir } },
        { onCaseResult: (r) => results.push(r) },
      );
      const adapter = adapterOf(target);
      // Vulkan is the core path, OpenGL the compatibility one: a case on the other path, or level, ran elsewhere
      const level = adapter === 'vulkan' ? 'core' : 'compatibility';
      for (const r of results) {
        const details = r.executed?.device.details;
        if (adapter && r.outcome === 'ok' && (details?.dawnBackend !== adapter || details.featureLevel !== level)) {
          throw new Error(`${r.id} ran on Dawn's ${details?.dawnBackend ?? 'unknown'} backend at ${details?.featureLevel ?? 'an unknown'} level, not ${adapter} at ${level}`);
        }
      }
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
