/**
 * The lent-GPU bundle end to end: packed here (bench/gpu-bundle.ts), under
 * 64 MiB, unpacked into an empty folder, and run from there with no Node on
 * PATH and no node_modules around it, on Dawn's Vulkan path (lavapipe here).
 * On CI this must pass; elsewhere a machine without apt or Dawn's Vulkan path
 * skips it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE_LIMIT_BYTES, buildBundle } from '../../bench/gpu-bundle.js';
import type { RunResult } from '../../src/results/schema.js';
import { tempDir } from '../helpers/cli.js';
import { onCi } from '../helpers/real-backends.js';

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

describe('the lent-GPU bundle', { timeout: 420_000 }, () => {
  const dir = tempDir();

  it('packs under 64 MiB, and runs the suite from an empty folder with no Node on PATH, bringing back the RunResult and report', async (ctx) => {
    if (!has('apt-get') || !has('dpkg-deb') || !existsSync('/usr/share/vulkan/icd.d/lvp_icd.json')) {
      if (onCi) throw new Error('CI must pack and rehearse the bundle: apt-get, dpkg-deb and Mesa lavapipe are installed there');
      ctx.skip('needs apt-get, dpkg-deb and Mesa lavapipe (.ci/system-packages)');
    }
    const built = buildBundle(join(dir, 'chipbench-gpu.tar.gz'));
    expect(built.bytes).toBeLessThan(BUNDLE_LIMIT_BYTES);

    const empty = join(dir, 'empty');
    mkdirSync(empty);
    execFileSync('tar', ['-xzf', built.path, '-C', empty]);
    const top = join(empty, 'chipbench-gpu');
    expect(readdirSync(top).sort()).toEqual(['BUNDLE.txt', 'app', 'bin', 'lib', 'run.sh']);
    // no native GL build, and of Dawn only the binary this machine loads
    expect(existsSync(join(top, 'app', 'node_modules', 'gl'))).toBe(false);
    expect(readdirSync(join(top, 'app', 'node_modules', 'webgpu', 'dist'))).toEqual(['linux-x64']);
    expect(readdirSync(join(top, 'lib'))).toContain('libvulkan.so.1');

    // a PATH with the shell tools run.sh uses and no node
    const tools = join(dir, 'tools');
    mkdirSync(tools);
    for (const t of ['sh', 'dirname', 'mkdir', 'tee', 'rm', 'cat']) symlinkSync(execFileSync('sh', ['-c', `command -v ${t}`], { encoding: 'utf8' }).trim(), join(tools, t));
    const env = { PATH: tools, HOME: dir };
    expect(spawnSync('sh', ['-c', 'command -v node'], { env }).status).not.toBe(0);

    const out = join(dir, 'out');
    const run = spawnSync(join(top, 'run.sh'), [out, '--profile', 'smoke'], { env, cwd: empty, encoding: 'utf8' });
    expect({ status: run.status, tail: run.stderr.slice(-2000) }).toEqual({ status: 0, tail: expect.any(String) });

    const result = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunResult;
    expect(result.status).toBe('complete');
    expect(new Set(result.cases.map((c) => c.backend))).toEqual(new Set(['webgpu', 'cpu', 'webasm']));
    for (const c of result.cases) expect({ id: c.id, outcome: c.outcome }).toEqual({ id: c.id, outcome: 'ok' });
    for (const c of result.cases.filter((x) => x.backend === 'webgpu')) {
      expect(c.executed!.device).toMatchObject({ softwareRenderer: true, executesOn: 'cpu', details: { dawnBackend: 'vulkan', featureLevel: 'core' } });
    }
    // the commit the bundle was packed from, though no git ran there
    expect(result.environment.gitCommit).toBe(execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim());
    expect(readFileSync(join(out, 'run.html'), 'utf8')).toMatch(/^<!doctype html>/i);
    expect(readFileSync(join(out, 'backends.txt'), 'utf8')).toMatch(/^webgpu: available, runs on .* via Dawn vulkan \(core\) \[software renderer, runs on the CPU\]/);
  });
});
