/**
 * A worker that samples its cases in turn has several cases open at once;
 * its 'turn' message names the one that runs, so the watchdog blames the
 * case that hangs, not the case that started last. A scripted stand-in for
 * the worker plays the protocol, so the test controls where it hangs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWorker } from '../../src/runner/spawn-worker.js';
import type { WorkerRequest } from '../../src/runner/protocol.js';

/** A stand-in worker: probes, opens cases a and b, sends `after` (a turn, or nothing), then hangs. */
function standIn(after: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'chipbench-turns-')), 'worker.mjs');
  writeFileSync(
    path,
    `process.once('message', () => {
  process.send({ type: 'probe', status: { backend: 'fake', available: true }, limits: {}, protocol: 4 });
  process.send({ type: 'case-start', id: 'a' });
  process.send({ type: 'case-start', id: 'b' });
  ${after}
  setInterval(() => undefined, 1000);
});
`,
  );
  return path;
}

const request: WorkerRequest = {
  backend: 'fake',
  probeOnly: false,
  jobs: [],
  budget: { timeBudgetMs: 1, minSamples: 1, warmupMs: 0, warmupIterations: 0, maxWarmupMs: 0, timeSlices: 4 },
};

describe('the watchdog with cases sampled in turn', { timeout: 30_000 }, () => {
  it("blames the case whose turn it is, not the last one started", async () => {
    const exit = await runWorker(request, () => undefined, {
      caseTimeoutSeconds: 1,
      probeTimeoutSeconds: 10,
      workerPath: standIn(`process.send({ type: 'turn', id: 'a' });`),
    });
    expect(exit.signal).toBe('SIGKILL');
    expect(exit.timedOutCaseId).toBe('a');
  });

  it('blames the last case started when no turn has passed since', async () => {
    const exit = await runWorker(request, () => undefined, {
      caseTimeoutSeconds: 1,
      probeTimeoutSeconds: 10,
      workerPath: standIn(''),
    });
    expect(exit.timedOutCaseId).toBe('b');
  });
});
