/**
 * Starts one backend worker as a child process and watches it: a per-case
 * watchdog kills a case that runs too long, and a crash (a native addon
 * taking the process down, kill -9) is reported with the signal and the
 * last lines the child wrote to stderr.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../env/package-info.js';
import { WORKER_V8_FLAGS } from '../config/defaults.js';
import type { RunnerCommand, WorkerMessage, WorkerRequest } from './protocol.js';
import { pinnedLaunch } from './cpu-pin.js';

/** How the worker ended. */
export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** id of the case that was running when the watchdog fired */
  timedOutCaseId?: string;
  /** the worker did not finish probing its backend within probeTimeoutSeconds */
  probeTimedOut: boolean;
  /** id of a case that started and has no result (the one running at a crash) */
  unfinishedCaseId?: string;
  /** the last part of the child's stderr, for crash reports */
  stderrTail: string;
}

export interface WorkerWatch {
  /** seconds a single case may run (compile, verify and sampling) before the worker is killed */
  caseTimeoutSeconds: number;
  /** seconds the worker may take to start and probe its backend */
  probeTimeoutSeconds: number;
  env?: NodeJS.ProcessEnv;
  /** lets the caller kill the worker (e.g. on SIGINT) */
  onSpawn?: (kill: () => void) => void;
  /** lets the caller send commands after the request (interleaved runs) */
  onChannel?: (send: (command: RunnerCommand) => void) => void;
  /** the worker to start: another build's dist/src/runner/worker.js (the base of an interleaved run); default: ours */
  workerPath?: string;
  /** the CPU the worker and all its threads run on (cpu-pin.ts); undefined: wherever the scheduler puts them */
  pinCpu?: number;
}

/**
 * A compiled entry of this folder (a worker) next to this module; when this module runs from the TypeScript
 * sources (vitest), the built copy under dist/ (npm test builds it first).
 */
export function builtEntry(file: string): string {
  const sibling = fileURLToPath(new URL(`./${file}`, import.meta.url));
  return existsSync(sibling) ? sibling : join(packageRoot(), 'dist', 'src', 'runner', file);
}
const STDERR_TAIL_CHARS = 2000;

/**
 * A worker's watchdog: one timer, armed for the probe, and after it always armed, for the running case or for the
 * gap before the next one, so a worker that hangs anywhere is ended within caseTimeoutSeconds.
 */
class Watchdog {
  private timer: NodeJS.Timeout | undefined;
  /** the case the worker runs now (case-start or turn), until its result */
  running: string | undefined;
  timedOutCaseId: string | undefined;
  probed = false;
  probeTimedOut = false;

  constructor(
    private readonly watch: WorkerWatch,
    private readonly kill: () => void,
  ) {
    this.arm(watch.probeTimeoutSeconds, () => {
      this.probeTimedOut = !this.probed;
      kill();
    });
  }

  /** Follows one message: a probe, a case's start or turn, a slice step and a result each rearm the timer; done stops it. */
  observe(message: WorkerMessage): void {
    if (message.type === 'probe') {
      this.probed = true;
      this.armCaseTimer();
    } else if (message.type === 'case-start' || message.type === 'turn') {
      this.running = message.id;
      this.armCaseTimer();
    } else if (message.type === 'ready' || message.type === 'slice-done') {
      // an interleaved case waits for the other build between slices: each step gets the whole case timeout
      this.armCaseTimer();
    } else if (message.type === 'case-result') {
      if (message.result.id === this.running) this.running = undefined;
      this.armCaseTimer();
    } else if (message.type === 'done') {
      this.stop();
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  private armCaseTimer(): void {
    this.arm(this.watch.caseTimeoutSeconds, () => {
      this.timedOutCaseId = this.running ?? '';
      this.kill();
    });
  }

  private arm(seconds: number, onFire: () => void): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(onFire, seconds * 1000);
  }
}

/** Runs a worker to completion, calling onMessage for each message; never rejects for a crash. */
export function runWorker(
  request: WorkerRequest,
  onMessage: (message: WorkerMessage) => void,
  watch: WorkerWatch,
): Promise<WorkerExit> {
  return new Promise((resolve) => {
    // The backend name in argv only labels the process (ps), e.g. for a user hunting a hung worker.
    const child = fork(watch.workerPath ?? builtEntry('worker.js'), [request.backend], {
      env: watch.env ?? process.env,
      ...pinnedLaunch(watch.pinCpu, WORKER_V8_FLAGS),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    let stderr = '';
    const kill = () => child.kill('SIGKILL');
    watch.onSpawn?.(kill);
    watch.onChannel?.((command) => {
      // a worker that died meanwhile is reported by 'close'; a command to it has nobody to reach
      if (child.connected) child.send(command);
    });
    const dog = new Watchdog(watch, kill);
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-STDERR_TAIL_CHARS);
    });
    let acknowledges = false;
    child.on('message', (raw) => {
      const message = raw as WorkerMessage;
      if (message.type === 'probe') acknowledges = request.awaitRecorded === true && (message.protocol ?? 1) >= 4;
      dog.observe(message);
      onMessage(message);
      // onMessage has written the result file (synchronously): the worker may go on
      if (message.type === 'case-result' && acknowledges && child.connected) child.send({ type: 'recorded', id: message.result.id } satisfies RunnerCommand);
    });
    child.on('error', (error) => {
      stderr += `\n${error.message}`;
    });
    // 'close' rather than 'exit': it comes after stdio and the IPC channel are drained, so no message is lost.
    child.on('close', (code, signal) => {
      dog.stop();
      const exit: WorkerExit = { code, signal, probeTimedOut: dog.probeTimedOut, stderrTail: stderr.trim() };
      if (dog.timedOutCaseId !== undefined) exit.timedOutCaseId = dog.timedOutCaseId;
      if (dog.running !== undefined) exit.unfinishedCaseId = dog.running;
      resolve(exit);
    });
    child.send(request);
  });
}
