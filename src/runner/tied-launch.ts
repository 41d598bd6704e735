/**
 * Every process chipbench starts ends when the process that started it ends, however that ends: a CI job's timeout
 * or the OOM killer sends SIGKILL, which runs no cleanup handler, and a self-hosted runner lives for months, so an
 * orphaned Xvfb or worker would stay for good. On Linux the child is started through setpriv (util-linux, in every
 * Debian install), which sets the parent-death signal (prctl PR_SET_PDEATHSIG) to SIGKILL and then execs the real
 * command: the kernel kills the child the moment its parent dies. The setting survives exec (taskset, node), and
 * setpriv execs in place, so the child's parent is chipbench itself. Where setpriv is missing, the command runs as
 * before: a worker still ends when its IPC channel closes (worker.ts), and Xvfb is watched over a pipe (xvfb.ts).
 */
import { spawnSync } from 'node:child_process';

let tieable: boolean | undefined;

/** Whether setpriv can set the parent-death signal here (Linux with util-linux 2.33 or newer). */
export function canTieToParent(): boolean {
  tieable ??= process.platform === 'linux' && spawnSync('setpriv', ['--pdeathsig', 'KILL', 'true'], { stdio: 'ignore' }).status === 0;
  return tieable;
}

/** The command and arguments that run `command args` tied to this process's life, where the platform allows. */
export function tiedToParent(command: string, args: readonly string[]): { command: string; args: string[] } {
  return canTieToParent() ? { command: 'setpriv', args: ['--pdeathsig', 'KILL', command, ...args] } : { command, args: [...args] };
}
