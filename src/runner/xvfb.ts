/**
 * A private X server for headless-gl. headless-gl needs an X display even
 * though it renders off-screen; when the user has none (a CI runner, an SSH
 * session) we start Xvfb ourselves rather than ask them to wrap the command
 * in xvfb-run. Xvfb's -displayfd writes the display number it chose once it
 * accepts connections, which avoids both a race and a fixed display number.
 * It ends when chipbench ends, however chipbench ends (xvfbLaunch).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { canTieToParent, tiedToParent } from './tied-launch.js';

export interface XServer {
  display: string;
  pid: number;
  stop(): void;
}

const XVFB_ARGS = ['-displayfd', '3', '-screen', '0', '64x64x24', '-nolisten', 'tcp'];

/**
 * Xvfb tied to this process's life (tied-launch.ts): through setpriv's parent-death signal on Linux; elsewhere
 * through a shell that watches its stdin, a pipe from this process, and kills Xvfb when it closes, which the
 * kernel does when this process ends, SIGKILL included.
 */
export function xvfbLaunch(): { command: string; args: string[]; watchesStdin: boolean } {
  if (canTieToParent()) return { ...tiedToParent('Xvfb', XVFB_ARGS), watchesStdin: false };
  return { command: 'sh', args: ['-c', 'Xvfb "$@" </dev/null & x=$!; cat >/dev/null; kill $x', 'sh', ...XVFB_ARGS], watchesStdin: true };
}

/** Starts Xvfb on a free display; resolves when it is ready, rejects with the reason if it cannot start. */
export function startXvfb(timeoutMs = 10_000): Promise<XServer> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      const launch = xvfbLaunch();
      child = spawn(launch.command, launch.args, { stdio: [launch.watchesStdin ? 'pipe' : 'ignore', 'ignore', 'pipe', 'pipe'], detached: false });
    } catch (error) {
      reject(error as Error);
      return;
    }
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Xvfb did not report a display within ${timeoutMs} ms: ${err.trim().slice(-300)}`));
    }, timeoutMs);
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited (${signal ?? code}) before it was ready: ${err.trim().slice(-300)}`));
    });
    const fd3 = child.stdio[3] as NodeJS.ReadableStream | null;
    fd3?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.unref();
        (child.stderr as NodeJS.ReadableStream & { unref?: () => void })?.unref?.();
        (fd3 as NodeJS.ReadableStream & { unref?: () => void }).unref?.();
        (child.stdin as (NodeJS.WritableStream & { unref?: () => void }) | null)?.unref?.();
        resolve({
          display: `:${out.trim()}`,
          pid: child.pid!,
          stop: () => {
            // the pipe-watching shell ends its Xvfb when its stdin closes (a signal would end the shell first,
            // orphaning Xvfb); setpriv's Xvfb is the child itself
            if (child.stdin) child.stdin.end();
            else child.kill('SIGTERM');
          },
        });
      }
    });
  });
}
