/**
 * The RunResult being written during a run. Every change is persisted at
 * once, atomically, so a crash, a kill -9 of the runner or a power cut keeps
 * every case that finished before it.
 */
import { writeFileAtomic } from './atomic-write.js';
import { CaseResultSchema, RunResultSchema, type BackendStatus, type CaseResult, type RunResult } from './schema.js';

/**
 * The run without its cases. Each case is validated once, when it is put; validating the whole run on every write
 * took 200 ms of the runner's CPU per write at the end of a default run (5.6 MB, 240 writes), on a 2-core machine
 * whose other core was timing the next case.
 */
const RunHeaderSchema = RunResultSchema.omit({ cases: true });

export class ResultFile {
  readonly result: RunResult;

  constructor(
    readonly path: string | undefined,
    initial: RunResult,
    /**
     * Applied to every case after each put, before the write: the run's noise model redraws every headline interval
     * from the cases measured so far (src/harness/forks.ts, restateHeadlines), so the file is always consistent
     */
    private readonly restate: (cases: CaseResult[]) => CaseResult[] = (cases) => cases,
  ) {
    this.result = initial;
    this.persist();
  }

  setBackendStatus(status: BackendStatus): void {
    const list = this.result.backends;
    const i = list.findIndex((b) => b.backend === status.backend);
    if (i >= 0) list[i] = status;
    else list.push(status);
    this.persist();
  }

  /** Case ids in the order the file lists them, whatever order they finish in; ids not given go last. */
  private order = new Map<string, number>();

  /** Lists the cases in the plan's order: a worker that samples its cases in turn finishes them in another. */
  keepInOrder(ids: readonly string[]): void {
    this.order = new Map(ids.map((id, i) => [id, i]));
  }

  /** Adds a case, or replaces the case of the same id (its record after one more fork); returns it as the file now holds it. */
  putCase(result: CaseResult): CaseResult {
    // Checked before it joins the record, so one bad case cannot make every later write fail.
    const parsed = CaseResultSchema.parse(result);
    const cases = this.result.cases;
    const i = cases.findIndex((c) => c.id === parsed.id);
    if (i >= 0) cases[i] = parsed;
    else {
      const rank = (id: string) => this.order.get(id) ?? Infinity;
      const after = cases.findIndex((c) => rank(c.id) > rank(parsed.id));
      if (after >= 0) cases.splice(after, 0, parsed);
      else cases.push(parsed);
    }
    this.result.cases = this.restate(cases);
    this.persist();
    return this.result.cases.find((c) => c.id === parsed.id)!;
  }

  finish(status: 'complete' | 'incomplete'): void {
    this.result.status = status;
    this.result.finishedAt = new Date().toISOString();
    this.persist();
  }

  /** Validates before writing: a file we write must always be one we can read back (its cases were checked as they came). */
  private persist(): void {
    if (this.path === undefined) return;
    RunHeaderSchema.parse(this.result);
    try {
      writeFileAtomic(this.path, `${JSON.stringify(this.result, null, 2)}\n`);
      this.casesOnDisk = this.result.cases.length;
    } catch (error) {
      throw new ResultWriteError(this.path, error as NodeJS.ErrnoException, this.casesOnDisk);
    }
  }

  /** Cases in the file as it is on disk now; undefined before the first write (the file, if any, is an earlier one). */
  private casesOnDisk: number | undefined;
}

/**
 * The result file could not be written (a full disk, a read-only or vanished folder). The write is atomic, so the
 * file on disk is the last good version: the message says what it holds, and how to go on.
 */
export class ResultWriteError extends Error {
  override name = 'ResultWriteError';
  readonly code: string | undefined;

  constructor(path: string, cause: NodeJS.ErrnoException, casesOnDisk: number | undefined) {
    const what = cause.code ? `${cause.code}${cause.code === 'ENOSPC' ? ': no space left on device' : ''}` : cause.message;
    const kept =
      casesOnDisk === undefined
        ? 'nothing of this run was written, and any earlier file there is untouched'
        : `the file is intact and holds the ${casesOnDisk} case(s) finished before this write`;
    super(`cannot write the result file ${path} (${what}); ${kept}; the run stops. Free some space or give another --output, then run again`);
    this.code = cause.code;
  }
}
