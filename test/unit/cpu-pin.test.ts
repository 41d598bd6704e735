/**
 * Pinning workers to one CPU: how a worker is launched, and, where taskset is
 * installed, that a process started that way and the threads it starts really
 * run on that CPU alone (the kernel's own record, /proc/self/status).
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canPinCpu, defaultPinCpu, pinnedLaunch } from '../../src/runner/cpu-pin.js';
import { tempDir } from '../helpers/cli.js';
import { canTieToParent } from '../../src/runner/tied-launch.js';

describe('pinning a worker to one CPU', () => {
  it('launches through taskset -c CPU node FLAGS, or node FLAGS when unpinned', () => {
    // and tied to this process's life through setpriv's parent-death signal where it exists (tied-launch.ts)
    if (canTieToParent()) {
      expect(pinnedLaunch(1, ['--a'])).toEqual({ execPath: 'setpriv', execArgv: ['--pdeathsig', 'KILL', 'taskset', '-c', '1', process.execPath, '--a'] });
      expect(pinnedLaunch(undefined, ['--a'])).toEqual({ execPath: 'setpriv', execArgv: ['--pdeathsig', 'KILL', process.execPath, '--a'] });
    } else {
      expect(pinnedLaunch(1, ['--a'])).toEqual({ execPath: 'taskset', execArgv: ['-c', '1', process.execPath, '--a'] });
      expect(pinnedLaunch(undefined, ['--a'])).toEqual({ execArgv: ['--a'] });
    }
  });
  it.runIf(canPinCpu())('a forked process and a worker thread it starts are allowed only that CPU, and its IPC channel works', async () => {
    const cpu = defaultPinCpu();
    const script = join(tempDir(), 'affinity.mjs');
    writeFileSync(
      script,
      "import { readFileSync } from 'node:fs';\nimport { Worker } from 'node:worker_threads';\n" +
        "const allowed = (s) => /Cpus_allowed_list:\\s*(\\S+)/.exec(s)[1];\n" +
        "const w = new Worker(\"const { parentPort } = require('node:worker_threads'); parentPort.postMessage(require('node:fs').readFileSync('/proc/thread-self/status', 'utf8'))\", { eval: true });\n" +
        "w.on('message', (t) => { process.send({ main: allowed(readFileSync('/proc/self/status', 'utf8')), thread: allowed(t) }); w.terminate(); });\n",
    );
    const child = fork(script, [], { ...pinnedLaunch(cpu, []), stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const message = await new Promise<{ main: string; thread: string }>((resolve, reject) => {
      child.on('message', (m) => resolve(m as { main: string; thread: string }));
      child.on('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    child.kill();
    expect(message).toEqual({ main: String(cpu), thread: String(cpu) });
  });
});
