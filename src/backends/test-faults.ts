/**
 * Faults a test can inject into a real backend, to check that the runner
 * records them as it would the real thing. Read only when the tests' switch
 * CHIPBENCH_ENABLE_FAKE_BACKENDS=1 is set, so a user's run never sees them.
 *
 * CHIPBENCH_TEST_LOSE_WEBGPU_DEVICE=MxNxK:CALL: on webgpu, the GEMM of that
 * shape destroys its GPU device (GPUDevice.destroy(), which makes Dawn
 * report the device lost, as after a driver reset) just before its CALL-th
 * resident call, counting the verification call as the first.
 */
import type { GemmShape } from '../metrics/gemm-work.js';

/** The resident call before which the device is lost, for this shape; undefined for none. */
export function webgpuDeviceLossCall(env: NodeJS.ProcessEnv, shape: GemmShape): number | undefined {
  if (env.CHIPBENCH_ENABLE_FAKE_BACKENDS !== '1') return undefined;
  const match = /^(\d+)x(\d+)x(\d+):(\d+)$/.exec(env.CHIPBENCH_TEST_LOSE_WEBGPU_DEVICE ?? '');
  if (!match) return undefined;
  const [m, n, k, call] = match.slice(1).map(Number) as [number, number, number, number];
  return m === shape.m && n === shape.n && k === shape.k ? call : undefined;
}
