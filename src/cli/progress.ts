/**
 * Progress of a run, on stderr (stdout stays for the report, or the JSON):
 * - live, on a terminal: a status line redrawn in place, with the case
 *   running now, cases done / total, the time spent and an estimate of the
 *   time left;
 * - lines, in CI or when stderr is not a terminal: a plain line at every
 *   quarter of the run, no control characters, so logs stay readable;
 * - quiet (--quiet): nothing; the report and errors still print.
 * A failed case is printed in both; every finished case only with --verbose,
 * so the summary after the run is on the first screen. Every line is cut to
 * the width (console-width.ts).
 * Colour only on a terminal and never with NO_COLOR set (no-color.org).
 */
import type { CaseResult } from '../results/schema.js';
import { runningOnCi } from '../env/ci.js';
import { caseLine } from '../report/console-report.js';
import { cutLine } from '../report/fit-width.js';
import { formatDuration } from '../metrics/units.js';

export type ProgressMode = 'live' | 'lines' | 'quiet';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export function progressMode(quiet: boolean, stream: ProgressStream, env: NodeJS.ProcessEnv): ProgressMode {
  if (quiet) return 'quiet';
  if (!stream.isTTY || runningOnCi(env) || env.TERM === 'dumb') return 'lines';
  return 'live';
}

/** NO_COLOR set to anything non-empty turns colour off (https://no-color.org); so does a stream that is not a terminal. */
export function colourAllowed(stream: ProgressStream, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '') && env.TERM !== 'dumb';
}

/**
 * Time left: the mean wall time of the cases that ran (a case recorded without running, such as one of an
 * unavailable backend, takes no time and is not counted) times the cases still to come, less the time the
 * running case has had already, so the estimate counts down while a case runs. Cases differ a lot (a large GEMM
 * takes minutes), so it is an estimate and says so; undefined before the first case that ran has finished.
 */
export function estimateLeftMs(ranMs: number, ran: number, remaining: number, runningForMs: number): number | undefined {
  if (ran <= 0) return undefined;
  return Math.max(0, (ranMs / ran) * remaining - runningForMs);
}

const SGR = { red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', dim: '\x1b[2m', reset: '\x1b[0m' } as const;
const OUTCOME_COLOUR = { ok: SGR.green, error: SGR.red, skipped: SGR.yellow } as const;
/** carriage return, then erase the whole line: the status line is redrawn in place */
const CLEAR_LINE = '\r\x1b[2K';

export interface ProgressOptions {
  colour: boolean;
  now?: () => number;
  /** how often the live status line is redrawn (its clock moves even while a case runs for minutes) */
  redrawMs?: number;
  /** print every finished case, not only the failed ones (--verbose) */
  verbose?: boolean;
  /** columns a printed line may take (the status line takes the terminal's own); default 120 */
  width?: number;
}

/** Milestones of the lines mode: a line each time the run passes another quarter of its cases (few, so the summary stays on the first screen). */
const MILESTONES = 4;

export class RunProgress {
  private readonly now: () => number;
  private current: { id: string; startedAt: number } | undefined;
  private firstStart: number | undefined;
  /** cases that ran (started, then finished), and their summed wall time */
  private ran = 0;
  private ranMs = 0;
  private done = 0;
  private total = 0;
  private timer: NodeJS.Timeout | undefined;
  private statusShown = false;
  private stopped = false;

  constructor(
    readonly mode: ProgressMode,
    private readonly stream: ProgressStream,
    private readonly options: ProgressOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** A line that belongs in the log (the run's header): printed in every mode but quiet. */
  log(line: string): void {
    if (this.mode === 'quiet') return;
    this.above(line);
  }

  /** A line that must be seen, quiet or not (a signal received, a run stopped): printed above the status line. */
  notice(line: string): void {
    this.above(line);
  }

  caseStarted(id: string, index: number, total: number): void {
    if (this.stopped) return;
    const now = this.now();
    this.firstStart ??= now;
    this.current = { id, startedAt: now };
    this.total = total;
    if (this.mode !== 'live') return;
    this.drawStatus();
    if (!this.timer) {
      this.timer = setInterval(() => this.drawStatus(), this.options.redrawMs ?? 1000);
      this.timer.unref();
    }
  }

  caseFinished(result: CaseResult, index: number, total: number): void {
    if (this.current?.id === result.id) {
      this.ran++;
      this.ranMs += this.now() - this.current.startedAt;
      this.current = undefined;
    }
    this.done = index;
    this.total = total;
    if (this.mode === 'quiet' || this.stopped) return;
    const prefix = `[${index}/${total}]`;
    if (this.options.verbose || result.outcome !== 'ok') {
      const line = cutLine(`${prefix} ${caseLine(result)}`, this.width());
      const coloured = this.mode === 'live' && this.options.colour ? `${OUTCOME_COLOUR[result.outcome]}${prefix}${SGR.reset}${line.slice(prefix.length)}` : line;
      this.above(coloured);
    } else if (this.mode === 'lines' && this.passesMilestone(index, total)) {
      this.above(cutLine(this.statusText(), this.width()));
    }
  }

  private width(): number {
    return this.options.width ?? 120;
  }

  /** Whether case `index` of `total` is the first past another milestone of the run (the last case always is). */
  private passesMilestone(index: number, total: number): boolean {
    const step = (i: number) => Math.floor((i * MILESTONES) / total);
    return index === total || step(index) > step(index - 1);
  }

  /** Removes the status line and stops its clock for good; call when the run ends, however it ends. */
  stop(): void {
    this.stopped = true;
    this.current = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.statusShown) this.stream.write(CLEAR_LINE);
    this.statusShown = false;
  }

  /**
   * The status line's text, without colour. What matters most comes first, since a narrow terminal cuts the end:
   * '[3/40 done] about 2m10s left · 1m02s spent · running ID'.
   */
  statusText(): string {
    const now = this.now();
    const spent = this.firstStart === undefined ? 0 : now - this.firstStart;
    const remaining = Math.max(0, this.total - this.done);
    const left = estimateLeftMs(this.ranMs, this.ran, remaining, this.current ? now - this.current.startedAt : 0);
    const leftText = left === undefined ? 'time left: after the first case' : `about ${formatDuration(left)} left`;
    const running = this.current ? `running ${this.current.id}` : 'between cases';
    return `[${this.done}/${this.total} done] ${leftText} · ${formatDuration(spent)} spent · ${running}`;
  }

  private drawStatus(): void {
    if (this.mode !== 'live' || this.stopped) return;
    const width = Math.max(20, (this.stream.columns || 80) - 1);
    let text = this.statusText();
    // a line wider than the terminal wraps, and \r then redraws only its last part: cut it to fit
    if (text.length > width) text = `${text.slice(0, width - 1)}…`;
    this.stream.write(`${CLEAR_LINE}${this.options.colour ? `${SGR.dim}${text}${SGR.reset}` : text}`);
    this.statusShown = true;
  }

  /** Prints a line above the status line (live) or plainly (lines). */
  private above(line: string): void {
    if (this.mode === 'live' && this.statusShown) {
      this.stream.write(CLEAR_LINE);
      this.statusShown = false;
    }
    this.stream.write(`${line}\n`);
    if (this.mode === 'live' && this.current) this.drawStatus();
  }
}
