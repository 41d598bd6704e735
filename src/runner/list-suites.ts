/**
 * What the suite files of a run declare, read in a child process (list-worker.ts): the runner never runs a suite
 * file's code. A file that hangs or crashes the child while loading becomes one failed case, and the files after
 * it are listed in a fresh child; a file that is not a suite at all is bad input (exit 2).
 */
import { fork } from 'node:child_process';
import { InputError } from '../errors/input-error.js';
import { unloadedSuite, type SuiteListing } from '../suite/listing.js';
import type { SuiteRun } from '../suite/define.js';
import type { ListMessage, ListRequest } from './list-protocol.js';
import { pinnedLaunch } from './cpu-pin.js';
import { builtEntry } from './spawn-worker.js';
import { fileSha256 } from '../suite/file-hash.js';

/** A suite file as given or found (for messages and ids) and its absolute path; chipbench's own marked builtin. */
export interface SuiteFile {
  file: string;
  path: string;
  builtin?: true;
}

/** Seconds one file may take to load and list before it is failed as hanging. */
export const LIST_TIMEOUT_SECONDS = 60;


/** Every file's listing, in the order given. */
export async function listSuites(files: readonly SuiteFile[], run: SuiteRun, timeoutSeconds = LIST_TIMEOUT_SECONDS): Promise<SuiteListing[]> {
  if (files.length === 0) return [];
  const listings: SuiteListing[] = [];
  let remaining = [...files];
  while (remaining.length > 0) {
    const round = await listRound(remaining, run, timeoutSeconds);
    if (round.notASuite) throw new InputError(round.notASuite);
    listings.push(...round.listings);
    if (round.stuck === undefined) break;
    const stuck = remaining.find((f) => f.file === round.stuck)!;
    listings.push(unloadedSuite(stuck.file, stuck.path, sha256Of(stuck.path), round.why));
    // a fresh child lists what this one did not finish: the files after the stuck one, and any before it whose
    // listing it took back (the stuck file may be an earlier one whose timer threw later)
    remaining = remaining.filter((f) => f !== stuck && !listings.some((l) => l.file === f.file));
  }
  const order = new Map(files.map((f, i) => [f.file, i]));
  return listings.sort((a, b) => order.get(a.file)! - order.get(b.file)!);
}

interface Round {
  listings: SuiteListing[];
  notASuite?: string;
  /** the file the child was loading when it hung or died */
  stuck?: string;
  why: string;
}

function listRound(files: readonly SuiteFile[], run: SuiteRun, timeoutSeconds: number): Promise<Round> {
  return new Promise((resolve) => {
    const child = fork(builtEntry('list-worker.js'), [], { ...pinnedLaunch(undefined, []), stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const round: Round = { listings: [], why: '' };
    let loading: string | undefined;
    let done = false;
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-1000)));
    child.on('message', (message: ListMessage) => {
      if (message.type === 'loading') {
        loading = message.file;
        clearTimeout(timer);
        timer = setTimeout(() => {
          round.why = `it did not finish loading within ${timeoutSeconds} s`;
          child.kill('SIGKILL');
        }, timeoutSeconds * 1000);
      } else if (message.type === 'listed') {
        round.listings.push(message.listing);
        loading = undefined;
      } else if (message.type === 'threw') {
        // the file's own code threw (now, or from a timer after it loaded): it fails, listed or not
        round.listings = round.listings.filter((l) => l.file !== message.file);
        round.stuck = message.file;
        round.why = `its code threw${loading === message.file ? ' while loading' : ' after it loaded'}: ${message.message}`;
      } else if (message.type === 'not-a-suite') {
        round.notASuite ??= message.message;
        loading = undefined;
      } else if (message.type === 'done') done = true;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (round.stuck !== undefined) {
        // reported by the child as it died ('threw')
      } else if (!done && loading === undefined && round.listings.length > 0) {
        // it died between files: the last one listed left something running that ended it
        const last = round.listings.pop()!;
        round.stuck = last.file;
        round.why = `the process ended after it loaded (${signal ?? `exit code ${code}`})`;
      } else if (!done && loading !== undefined) {
        round.stuck = loading;
        round.why ||= `loading it ended the process (${signal ?? `exit code ${code}`})${stderr.trim() ? `: ${lastLine(stderr)}` : ''}`;
      } else if (!done) {
        round.notASuite ??= `chipbench could not list the suite files (${signal ?? `exit code ${code}`}): ${lastLine(stderr)}`;
      }
      resolve(round);
    });
    child.send({ files: [...files], run } satisfies ListRequest);
  });
}

function sha256Of(path: string): string {
  try {
    return fileSha256(path);
  } catch {
    return 'unreadable';
  }
}

/** The last line of a child's stderr that says something: Node ends its crash report with its version banner. */
function lastLine(stderr: string): string {
  return stderr.trim().split('\n').filter((l) => l.trim() !== '' && !/^Node\.js v\d/.test(l.trim())).pop() ?? '';
}
