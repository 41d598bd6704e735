/**
 * A private X server for headless-gl. headless-gl needs an X display even
 * though it renders off-screen; when the user has none (a CI runner, an SSH
 * session) we start Xvfb ourselves rather than ask them to wrap the command
 * in xvfb-run. Xvfb's -displayfd writes the display number it chose once it
 * accepts connections, which avoids both a race and a fixed display number.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface XServer {
  display: string;
  pid: number;
  stop(): void;
}

/** Starts Xvfb on a free display; resolves when it is ready, rejects with the reason if it cannot start. */
export function startXvfb(timeoutMs = 10_000): Promise<XServer> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '64x64x24', '-nolisten', 'tcp'], {
        stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
        detached: false,
      });
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
        resolve({
          display: `:${out.trim()}`,
          pid: child.pid!,
          stop: () => {
            child.kill('SIGTERM');
          },
        });
      }
    });
  });
}
