/**
 * Memory preflight against the real devices' limits: a size past WebGL's
 * MAX_TEXTURE_SIZE (headlessgl) or WebGPU's storage-buffer limit (webgpu)
 * is refused before anything is allocated, with the limit named, exit code
 * 2, and the output file untouched. The size is taken from the limit the
 * backend reports here, so the row means the same on llvmpipe as on a GPU.
 * On CI both backends must be there; elsewhere a missing one skips its row.
 */
import { freemem } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostBytesForGemm } from '../../src/runner/preflight.js';
import { probeBackends } from '../../src/runner/probe-backends.js';
import { WorkerEnvironment } from '../../src/runner/worker-environment.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { onCi } from '../helpers/real-backends.js';

const PREVIOUS = '{"previous": "result, must survive"}\n';

describe("sizes past a real device's limits", { timeout: 180_000 }, () => {
  const environment = new WorkerEnvironment();
  const probes = probeBackends(['headlessgl', 'webgpu'], environment);
  afterAll(async () => {
    await probes;
    environment.stop();
  });

  it.for(['headlessgl', 'webgpu'] as const)('%s: a C one step past the reported limit is refused before allocation, naming the limit', async (backend, ctx) => {
    const probe = (await probes).find((p) => p.status.backend === backend)!;
    if (!probe.status.available) {
      if (onCi) throw new Error(`${backend} must be available on CI: ${probe.status.reason}`);
      ctx.skip(`${backend} unavailable here: ${probe.status.reason}`);
    }
    // an n x n x 1 GEMM: A and B are tiny, C alone passes the limit
    let n: number;
    let message: RegExp;
    if (backend === 'headlessgl') {
      const side = probe.limits.maxTextureSize!;
      n = side + 1;
      message = new RegExp(`--sizes: ${n}x${n}x1 needs a texture side of ${n} but WebGL MAX_TEXTURE_SIZE is ${side} on headlessgl; give smaller --sizes or leave headlessgl out of --backends`);
    } else {
      n = Math.ceil(Math.sqrt(probe.limits.maxBufferBytes! / 4)) + 1;
      message = new RegExp(
        `--sizes: ${n}x${n}x1 needs a \\d+\\.\\d+ GiB buffer for C but WebGPU maxStorageBufferBindingSize / maxBufferSize allows \\d+\\.\\d+ GiB on webgpu; give smaller --sizes or leave webgpu out of --backends`,
      );
    }
    const shape = { m: n, n, k: 1 };
    if (hostBytesForGemm(shape) > freemem() * 0.9) ctx.skip(`${n}x${n}x1 would be refused for host memory first on this machine`);
    const out = join(tempDir(), 'run.json');
    writeFileSync(out, PREVIOUS);
    const r = await runCli(['run', '--backends', backend, '--workloads', 'gemm', '--sizes', `${n}x${n}x1`, '-q', '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(readFileSync(out, 'utf8')).toBe(PREVIOUS);
  });
});
