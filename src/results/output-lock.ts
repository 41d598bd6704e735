/**
 * One writer per result file. Two runs given the same --output would each
 * replace the file after every case (atomically, so never a torn file), and
 * the file would hold whichever run wrote last: a mix of two runs' cases
 * over time. A run therefore takes `<output>.lock` before it starts and
 * drops it when it ends; a second run is refused while the first lives.
 *
 * The lock file is created with O_EXCL (open flag 'wx'), which is atomic on
 * local file systems: of two runs racing for it, exactly one gets it. It
 * holds the owner's pid and host, so a lock left by a run that was killed
 * (kill -9, a power cut) is recognised as stale and taken over; a lock that
 * stays unreadable (killed between creating and writing it) is stale after
 * 10 s. A stale lock is removed under a second O_EXCL file, so that of
 * several runs finding it at once only one takes it over.
 */
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { InputError } from '../errors/input-error.js';

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

/** The lock file of a result file. */
export function lockPathOf(outputPath: string): string {
  return `${outputPath}.lock`;
}

function readOwner(lockPath: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<LockOwner>;
    if (typeof owner.pid === 'number' && typeof owner.host === 'string') return { pid: owner.pid, host: owner.host, startedAt: String(owner.startedAt) };
  } catch {
    // unreadable or half-written: a racing run is writing it right now, or it is garbage
  }
  return undefined;
}

/** Whether a process with this pid exists on this host (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock file that nobody could read for this long is garbage (a run killed between creating and writing it). */
const UNREADABLE_STALE_MS = 10_000;

/**
 * Removes `lockPath` if it is stale, under a second O_EXCL file so that of several runs finding the same stale lock
 * only one removes it: without the guard, a slower one could remove the lock the faster one had just created.
 * Returns whether the caller should try to create the lock again.
 */
function removeIfStale(lockPath: string, me: LockOwner): boolean {
  const guard = `${lockPath}.takeover`;
  let fd: number;
  try {
    fd = openSync(guard, 'wx');
  } catch {
    // another run is taking over right now (or died doing so: a guard older than the stale age is removed)
    try {
      if (Date.now() - statSync(guard).mtimeMs > UNREADABLE_STALE_MS) rmSync(guard, { force: true });
    } catch {
      // gone already
    }
    return false;
  }
  try {
    closeSync(fd);
    const owner = readOwner(lockPath);
    let stale: boolean;
    if (owner) stale = owner.host === me.host && !alive(owner.pid);
    else {
      try {
        stale = Date.now() - statSync(lockPath).mtimeMs > UNREADABLE_STALE_MS;
      } catch {
        return true; // removed meanwhile: try again
      }
    }
    if (stale) rmSync(lockPath, { force: true });
    return stale;
  } finally {
    rmSync(guard, { force: true });
  }
}

/**
 * Takes the lock of `outputPath` for this process, or throws an InputError naming the run that holds it.
 * Returns the function that releases it. `option` names the CLI option in the message.
 */
export function lockOutput(outputPath: string, option = 'output'): () => void {
  const lockPath = lockPathOf(outputPath);
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(lockPath, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new InputError(`--${option}: cannot create the lock file ${lockPath} (${(error as NodeJS.ErrnoException).code}); give a writable --${option} path`);
      }
      if (attempt === 0 && removeIfStale(lockPath, me)) continue;
      const owner = readOwner(lockPath);
      const who = owner ? `pid ${owner.pid} on ${owner.host}, since ${owner.startedAt}` : 'its lock file is being written';
      throw new InputError(
        `--${option}: ${outputPath} is being written by another chipbench run (${who}); wait for it to end, give another --${option} path, ` +
          `or delete ${lockPath} if no run is using it`,
      );
    }
    try {
      writeSync(fd, `${JSON.stringify(me)}\n`);
    } catch (error) {
      // a lock we could not fill in would block every later run: remove it, and say so in one line
      closeSync(fd);
      rmSync(lockPath, { force: true });
      throw new InputError(
        `--${option}: cannot write the lock file ${lockPath} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); free some space or give another --${option} path`,
      );
    }
    closeSync(fd);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // only our own lock: never one a later run took over
      if (readOwner(lockPath)?.pid === me.pid) rmSync(lockPath, { force: true });
    };
  }
  /* c8 ignore next */
  throw new InputError(`--${option}: could not take the lock ${lockPath}; try again`);
}
