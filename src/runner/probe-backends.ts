/**
 * Asks each backend, in its own child process, whether it works here, on
 * what device, and within which limits. Used by `chipbench backends` and
 * before every run (so that sizes are refused before anything is allocated).
 */
import { PROBE_TIMEOUT_SECONDS } from '../config/defaults.js';
import type { BackendStatus } from '../results/schema.js';
import type { DeviceLimits } from '../backends/session.js';
import { runWorker } from './spawn-worker.js';
import { describeWorkerDeath } from './run-backend.js';
import type { RunControl } from './run-control.js';
import type { WorkerEnvironment } from './worker-environment.js';

export interface ProbeOutcome {
  status: BackendStatus;
  limits: DeviceLimits;
  /** the worker's protocol version (WORKER_PROTOCOL); absent from builds before interleaved runs */
  protocol?: number;
}

/** Probes backends one after another (each loads a native library; in parallel they would fight for 2 cores). */
export async function probeBackends(
  backends: readonly string[],
  environment: WorkerEnvironment,
  control?: RunControl,
  /** another build's worker (the base of an interleaved run); default: ours */
  workerPath?: string,
): Promise<ProbeOutcome[]> {
  const outcomes: ProbeOutcome[] = [];
  for (const backend of backends) {
    if (control?.stopped) break;
    let outcome: ProbeOutcome | undefined;
    const env = await environment.forBackend(backend);
    const exit = await runWorker(
      { backend, probeOnly: true, jobs: [], budget: { timeBudgetMs: 1, minSamples: 1, warmupMs: 0, warmupIterations: 0, maxWarmupMs: 0 } },
      (message) => {
        if (message.type === 'probe') {
          outcome = { status: message.status, limits: message.limits, ...(message.protocol !== undefined ? { protocol: message.protocol } : {}) };
        }
      },
      {
        caseTimeoutSeconds: PROBE_TIMEOUT_SECONDS,
        probeTimeoutSeconds: PROBE_TIMEOUT_SECONDS,
        env,
        onSpawn: (kill) => control?.attach(kill),
        ...(workerPath ? { workerPath } : {}),
      },
    );
    outcomes.push(
      outcome ?? {
        status: { backend, available: false, reason: describeWorkerDeath(exit, PROBE_TIMEOUT_SECONDS, PROBE_TIMEOUT_SECONDS) },
        limits: {},
      },
    );
  }
  environment.annotate(outcomes);
  return outcomes;
}
