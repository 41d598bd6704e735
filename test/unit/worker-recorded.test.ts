/**
 * The worker waits for the runner's 'recorded' after each case-result before
 * it starts its next case, so the runner writes the result file while no
 * case is timed. The real worker (dist/), forked by hand so the test plays
 * the runner and can hold the acknowledgement back.
 */
import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WorkerMessage, WorkerRequest } from '../../src/runner/protocol.js';
import { gemmJob } from '../helpers/builtin-suites.js';

const WORKER = resolve(import.meta.dirname, '../../dist/src/runner/worker.js');

describe("the worker waits for 'recorded'", { timeout: 60_000 }, () => {
  it('starts no next case until the runner says the last result is recorded', async () => {
    const child = fork(WORKER, ['fake'], {
      env: { ...process.env, CHIPBENCH_ENABLE_FAKE_BACKENDS: '1', CHIPBENCH_CACHE_DIR: mkdtempSync(join(tmpdir(), 'chipbench-cache-')) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    const seen: { type: string; id?: string; at: number }[] = [];
    let held: string | undefined;
    child.on('message', (m: WorkerMessage) => {
      const id = m.type === 'case-result' ? m.result.id : 'id' in m ? m.id : undefined;
      seen.push({ type: m.type, ...(id ? { id } : {}), at: Date.now() });
      // hold back the first acknowledgement for 1 s; the rest go at once
      if (m.type === 'case-result') {
        if (held === undefined) {
          held = m.result.id;
          setTimeout(() => child.send({ type: 'recorded', id: m.result.id }), 1000);
        } else child.send({ type: 'recorded', id: m.result.id });
      }
    });
    const request: WorkerRequest = {
      backend: 'fake',
      probeOnly: false,
      awaitRecorded: true,
      jobs: [gemmJob({ shape: { m: 4, n: 4, k: 4 }, seed: 1, timings: ['end-to-end', 'resident'] })],
      budget: { timeBudgetMs: 1, minSamples: 2, warmupMs: 0, warmupIterations: 0, maxWarmupMs: 0 },
    };
    const closed = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    child.send(request);
    expect(await closed).toBe(0);
    const firstResult = seen.findIndex((m) => m.type === 'case-result');
    const nextStart = seen.findIndex((m, i) => i > firstResult && m.type === 'case-start');
    expect(firstResult).toBeGreaterThan(0);
    expect(nextStart).toBeGreaterThan(firstResult);
    // the second case began only once the acknowledgement came, a second after the first result
    expect(seen[nextStart]!.at - seen[firstResult]!.at).toBeGreaterThanOrEqual(950);
    expect(seen.filter((m) => m.type === 'case-result')).toHaveLength(2);
  });
});
