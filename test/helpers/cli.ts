/**
 * Runs the built CLI (dist/, built by `npm test`'s pretest) as a user
 * would, with the fake backends enabled, colour off and an empty variant cache.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CLI = resolve(import.meta.dirname, '../../dist/src/cli/main.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'chipbench-test-'));
}

/** Where a run happens: another working directory (a project), another chipbench (one installed there). */
export interface CliPlace {
  cwd?: string;
  cli?: string;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}, place: CliPlace = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [place.cli ?? CLI, ...args], {
    ...(place.cwd ? { cwd: place.cwd } : {}),
    // a fresh variant cache per run: a test never reads another's (or the user's) autotuner choices
    env: { ...process.env, CHIPBENCH_ENABLE_FAKE_BACKENDS: '1', NO_COLOR: '1', CHIPBENCH_CACHE_DIR: mkdtempSync(join(tmpdir(), 'chipbench-cache-')), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a test can signal the CLI and its workers together, as a terminal's Ctrl-C does.
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolvePromise) => {
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, place: CliPlace = {}): Promise<CliResult> {
  return startCli(args, env, place).done;
}
