/**
 * The environment a run happened in, recorded in every RunResult so that a
 * later comparison can refuse to compare different machines or versions.
 */
import { execFileSync } from 'node:child_process';
import { cpus, hostname, release, totalmem } from 'node:os';
import type { Environment } from '../results/schema.js';
import { dependencyVersion, packedCommit } from './package-info.js';

function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  } catch {
    return undefined;
  }
}

export function collectEnvironment(
  /** another build's package root (the base of an interleaved run): its packages and commit; default: ours and the working directory's */
  root?: string,
  /** where its packages are, when not at root: a project's base checkout has chipbench and gpu.js under node_modules */
  packages: string | undefined = root,
): Environment {
  const cpuList = cpus();
  const first = cpuList[0];
  const at = root ? ['-C', root] : [];
  // a packed build (the GPU bundle) says its commit; the folder it runs in may be any checkout, or none
  const packed = packedCommit(root);
  const commit = packed ? undefined : git([...at, 'rev-parse', 'HEAD']);
  const env: Environment = {
    node: process.version,
    gpujs: dependencyVersion('gpu.js', packages),
    tinybench: dependencyVersion('tinybench', packages),
    webgpuPackage: dependencyVersion('webgpu', packages),
    os: { platform: process.platform, release: release(), arch: process.arch },
    cpu: { model: first?.model.trim() ?? 'unknown', logicalCores: Math.max(1, cpuList.length), speedMHz: first?.speed ?? 0 },
    memoryBytes: totalmem(),
    hostname: hostname(),
  };
  if (packed) {
    env.gitCommit = packed.commit;
    env.gitDirty = packed.dirty;
  } else if (commit) {
    env.gitCommit = commit;
    env.gitDirty = (git([...at, 'status', '--porcelain', '--untracked-files=no']) ?? '') !== '';
  }
  return env;
}
