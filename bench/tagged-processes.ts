/**
 * Finding every process a test's chipbench started, wherever it went: each run gets a tag in its environment
 * (CHIPBENCH_TEST_TAG), which its workers, its Xvfb and their children inherit, and /proc/PID/environ shows it even
 * after a process was reparented to init. Zombies (exited, waiting to be reaped by an init that may not reap
 * them in a container) hold nothing and are not counted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

export const TAG_ENV = 'CHIPBENCH_TEST_TAG';

export function newTag(): string {
  return `chipbench-test-${randomUUID()}`;
}

/** 'PID ARGS' of every live process whose environment holds the tag. */
export function taggedProcesses(tag: string): string[] {
  if (process.platform !== 'linux') return [];
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').includes(`${TAG_ENV}=${tag}`)) continue;
      const state = readFileSync(`/proc/${pid}/stat`, 'latin1').replace(/^.*\) /, '')[0];
      if (state === 'Z') continue;
      found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ').trim()}`);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** The tagged processes still alive after waiting up to `ms` for them to end: [] when every one ended. */
export async function leftAfter(tag: string, ms = 5000): Promise<string[]> {
  const until = Date.now() + ms;
  for (;;) {
    const left = taggedProcesses(tag);
    if (left.length === 0 || Date.now() > until) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until a tagged process whose arguments match appears; its 'PID ARGS', or undefined after `ms`. */
export async function waitForTagged(tag: string, args: RegExp, ms = 20_000): Promise<string | undefined> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const found = taggedProcesses(tag).find((p) => args.test(p));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  return undefined;
}

/** CPU seconds a process has used (user + system), from /proc/PID/stat; 0 when it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'latin1').replace(/^.*\) /, '').split(' ');
    // after the command: state is field 3 of stat, utime 14 and stime 15, so 11 and 12 here; in clock ticks (100 Hz)
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
