/**
 * `chipbench backends` lists every WebGPU adapter Dawn offers, through the
 * real webgpu worker. On CI both of Dawn's paths must be there: Vulkan at the
 * core level (Mesa 25's lavapipe from bookworm-backports) and OpenGL at the
 * compatibility level (Mesa 22's llvmpipe); elsewhere a missing path skips.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BackendStatus } from '../../src/results/schema.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { onCi } from '../helpers/real-backends.js';

async function webgpuStatus(extra: string[] = []): Promise<BackendStatus> {
  const r = await runCli(['backends', '--backends', 'webgpu', '--json', ...extra]);
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as BackendStatus[])[0]!;
}

describe('WebGPU adapters, listed and chosen', { timeout: 120_000 }, () => {
  it('lists Vulkan (core) and OpenGL (compatibility), both software here, takes Vulkan by default, and --webgpu-adapter opengl takes OpenGL', async (ctx) => {
    const status = await webgpuStatus();
    const adapters = status.webgpuAdapters?.adapters ?? [];
    const vulkan = adapters.find((a) => a.backend === 'vulkan');
    const opengl = adapters.find((a) => a.backend === 'opengl');
    if (!vulkan || !opengl) {
      const why = `Dawn offers ${adapters.map((a) => `${a.backend} ${a.name}`).join(', ') || 'no adapter'} here`;
      if (onCi) throw new Error(`CI needs both Dawn paths: ${why}`);
      ctx.skip(why);
    }
    expect(vulkan).toMatchObject({ featureLevel: 'core', software: true });
    expect(opengl).toMatchObject({ featureLevel: 'compatibility', software: true });
    expect(vulkan!.limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
    // no hardware adapter here, so the default is the first Vulkan one, and the device it ran the probe on says so
    expect(status.webgpuAdapters!.choice.chosen).toBe(vulkan!.index);
    expect(status.executed!.device).toMatchObject({ executesOn: 'cpu', softwareRenderer: true, details: { dawnBackend: 'vulkan', featureLevel: 'core' } });

    const gl = await webgpuStatus(['--webgpu-adapter', 'opengl']);
    expect(gl.webgpuAdapters!.choice).toMatchObject({ chosen: opengl!.index, selector: 'opengl' });
    expect(gl.executed!.device).toMatchObject({ executesOn: 'cpu', softwareRenderer: true, details: { dawnBackend: 'opengl', featureLevel: 'compatibility' } });
    // the same llvmpipe through two Dawn paths is two devices: compare tells devices apart by name
    expect(gl.executed!.device.name).not.toBe(status.executed!.device.name);
  });

  it('a --webgpu-adapter that names nothing here is bad input: the list, then one line on stderr, exit 2', async () => {
    const r = await runCli(['backends', '--backends', 'webgpu', '--webgpu-adapter', 'no-such-gpu']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^chipbench: no WebGPU adapter matches --webgpu-adapter 'no-such-gpu'; adapters here: /);
  });

  it('run refuses a --webgpu-adapter that names nothing here before any case, in one line, exit 2, writing no file', async () => {
    const out = `${tempDir()}/never.json`;
    const r = await runCli(['run', '--backends', 'webgpu', '--profile', 'smoke', '--webgpu-adapter', 'no-such-gpu', '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^chipbench: no WebGPU adapter matches --webgpu-adapter 'no-such-gpu'; adapters here: .*; run 'chipbench backends' to list them/);
    expect(existsSync(out)).toBe(false);
  });
});
