/**
 * The RunResult being written during a run. Every change is persisted at
 * once, atomically, so a crash, a kill -9 of the runner or a power cut keeps
 * every case that finished before it.
 */
import { writeFileAtomic } from './atomic-write.js';
import { CaseResultSchema, RunResultSchema, type BackendStatus, type CaseResult, type RunResult } from './schema.js';

export class ResultFile {
  readonly result: RunResult;

  constructor(
    readonly path: string | undefined,
    initial: RunResult,
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

  addCase(result: CaseResult): void {
    // Checked before it joins the record, so one bad case cannot make every later write fail.
    this.result.cases.push(CaseResultSchema.parse(result));
    this.persist();
  }

  finish(status: 'complete' | 'incomplete'): void {
    this.result.status = status;
    this.result.finishedAt = new Date().toISOString();
    this.persist();
  }

  /** Validates before writing: a file we write must always be one we can read back. */
  private persist(): void {
    if (this.path === undefined) return;
    RunResultSchema.parse(this.result);
    writeFileAtomic(this.path, `${JSON.stringify(this.result, null, 2)}\n`);
  }
}
