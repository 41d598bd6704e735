/**
 * Pinning a run's workers to one CPU (Linux's taskset, util-linux). Measured
 * on a 2-vCPU VM (docs/reproducibility.md, 2026-12-06): in an interleaved run
 * the two builds' workers, each placed by the scheduler on either vCPU, added
 * a per-process effect as large as the whole spread of a fork pair's slices
 * (fork pairs varied 1.9x what their slices predict); with both on one vCPU it
 * vanished (1.00x), and the median case's fork pair spread fell from 6.5% to
 * 3.2%. The two vCPUs of a shared VM are not alike: each shares a physical
 * core with another tenant's load.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { tiedToParent } from './tied-launch.js';

/** Whether processes can be pinned here: taskset runs. */
export function canPinCpu(): boolean {
  return spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The CPU an interleaved run pins both builds' workers to by default: the last one (the first often takes interrupts). */
export function defaultPinCpu(): number {
  return availableParallelism() - 1;
}

/**
 * How to start a worker: the fork's execPath and the arguments before the module. On `cpu`: taskset -c CPU node FLAGS,
 * so the process and every thread it starts (V8's, llvmpipe's, WebAssembly's) run there from the first instruction.
 * Always tied to this process's life where the platform allows (tied-launch.ts: setpriv --pdeathsig KILL ...).
 */
export function pinnedLaunch(cpu: number | undefined, v8Flags: readonly string[]): { execPath?: string; execArgv: string[] } {
  const node = cpu === undefined ? { command: process.execPath, args: [...v8Flags] } : { command: 'taskset', args: ['-c', String(cpu), process.execPath, ...v8Flags] };
  const tied = tiedToParent(node.command, node.args);
  return tied.command === process.execPath ? { execArgv: tied.args } : { execPath: tied.command, execArgv: tied.args };
}
