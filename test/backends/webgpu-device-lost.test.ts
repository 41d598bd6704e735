/**
 * The GPU device lost in the middle of a run, on the real webgpu backend:
 * the GEMM being timed destroys its Dawn device (as a driver reset would),
 * through the tests' fault switch (src/backends/test-faults.ts). That case
 * must fail with the reason and no figure; the next case must run on a fresh
 * device and verify; the result file must hold both. On CI webgpu must be
 * available; elsewhere the test skips when it is not.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRunResult } from '../../src/results/read-result.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { onCi } from '../helpers/real-backends.js';

const RUN = ['run', '--backends', 'webgpu', '--workloads', 'gemm', '--variant', 'naive', '--no-ceilings', '--timings', 'resident', '--sizes', '24,16', '--quiet'];
const FAST = ['--time-budget', '50', '--min-samples', '10', '--warmup-time', '0', '--warmup-iterations', '0'];

describe('webgpu: the device is lost mid-run', { timeout: 180_000 }, () => {
  it('fails the case being timed with the reason, and the next case runs on a fresh device', async (ctx) => {
    const out = join(tempDir(), 'run.json');
    // the 24^3 GEMM loses its device before its 4th resident call: verification (1st) passed, timing had begun
    const r = await runCli([...RUN, ...FAST, '-o', out], { CHIPBENCH_TEST_LOSE_WEBGPU_DEVICE: '24x24x24:4' });
    const result = readRunResult(out);
    const webgpu = result.backends.find((b) => b.backend === 'webgpu');
    if (!webgpu?.available) {
      if (onCi) throw new Error(`webgpu must be available on CI: ${webgpu?.reason}`);
      ctx.skip(`webgpu unavailable here: ${webgpu?.reason}`);
    }
    expect(r.code).toBe(1);
    expect(result.status).toBe('complete');
    const [lost, next] = result.cases;
    expect(result.cases).toHaveLength(2);
    expect(lost).toMatchObject({ id: 'gemm/webgpu/f32/m24-n24-k24/resident', outcome: 'error' });
    expect(lost!.reason).toMatch(/^fork 1 of \d+: the kernel failed while being timed: .*device was lost/i);
    expect(lost!.metrics).toBeUndefined();
    expect(lost!.verification?.passed).toBe(true); // it had verified: the loss came during timing
    expect(next).toMatchObject({ id: 'gemm/webgpu/f32/m16-n16-k16/resident', outcome: 'ok' });
    expect(next!.executed?.backend).toBe('webgpu');
    expect(next!.verification).toMatchObject({ passed: true, recheckedAfterTiming: true });
  });
});
