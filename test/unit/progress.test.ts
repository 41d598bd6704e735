/**
 * Run progress: which mode a stream gets, the time-left estimate on exact
 * inputs, and what each mode writes, on a fake stream and a fake clock.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { colourAllowed, estimateLeftMs, progressMode, RunProgress, type ProgressStream } from '../../src/cli/progress.js';
import { formatDuration } from '../../src/metrics/units.js';
import { gemmCase } from '../helpers/run-result.js';

const ESC = '\x1b';

class FakeStream implements ProgressStream {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns = 200,
  ) {}
  write(s: string) {
    this.text += s;
    return true;
  }
}

describe('progressMode and colour', () => {
  const tty = new FakeStream(true);
  const pipe = new FakeStream(false);

  it('is live on a terminal, lines in a pipe, in CI or on a dumb terminal, quiet when asked', () => {
    expect(progressMode(false, tty, {})).toBe('live');
    expect(progressMode(false, pipe, {})).toBe('lines');
    expect(progressMode(false, tty, { CI: 'true' })).toBe('lines');
    expect(progressMode(false, tty, { CI: '1' })).toBe('lines');
    expect(progressMode(false, tty, { CI: 'false' })).toBe('live');
    expect(progressMode(false, tty, { TERM: 'dumb' })).toBe('lines');
    expect(progressMode(true, tty, {})).toBe('quiet');
    expect(progressMode(true, pipe, { CI: 'true' })).toBe('quiet');
  });

  it('colours only a terminal, and never with NO_COLOR set to anything', () => {
    expect(colourAllowed(tty, {})).toBe(true);
    expect(colourAllowed(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colourAllowed(tty, { NO_COLOR: 'false' })).toBe(false);
    expect(colourAllowed(tty, { NO_COLOR: '' })).toBe(true);
    expect(colourAllowed(pipe, {})).toBe(false);
  });
});

describe('time left', () => {
  it('is the mean time of the cases that ran times the cases to come, less the running case\'s time so far', () => {
    // 4 cases ran in 40 s: 10 s each; 6 to come = 60 s; the running case has had 15 s
    expect(estimateLeftMs(40_000, 4, 6, 15_000)).toBe(45_000);
    expect(estimateLeftMs(40_000, 4, 6, 90_000)).toBe(0);
    expect(estimateLeftMs(40_000, 4, 0, 0)).toBe(0);
    expect(estimateLeftMs(0, 0, 10, 0)).toBeUndefined();
  });

  it('formats durations as people read them', () => {
    expect([0, 999, 42_000, 185_000, 3_720_000].map(formatDuration)).toEqual(['0s', '1s', '42s', '3m05s', '1h02m']);
  });
});

describe('RunProgress', () => {
  let progress: RunProgress | undefined;
  afterEach(() => progress?.stop());

  const ok = (id: string) => gemmCase([1e-3, 1e-3], { id });
  const failed = (id: string) => gemmCase([1e-3], { id, outcome: 'error', reason: 'the worker crashed', measurement: undefined, metrics: undefined });

  function drive(mode: 'live' | 'lines' | 'quiet', colour: boolean, stream = new FakeStream(mode === 'live'), verbose = true) {
    let clock = 1_000_000;
    progress = new RunProgress(mode, stream, { colour, now: () => clock, redrawMs: 60_000, verbose });
    progress.log('chipbench run: profile smoke');
    progress.caseStarted('gemm/a', 1, 4);
    clock += 10_000;
    progress.caseFinished(ok('gemm/a'), 1, 4);
    progress.caseStarted('gemm/b', 2, 4);
    clock += 4_000;
    const status = progress.statusText();
    progress.caseFinished(failed('gemm/b'), 2, 4);
    progress.notice('chipbench: SIGINT received');
    progress.stop();
    return { text: stream.text, status };
  }

  it('live: a status line with done/total, time left and spent, and the running case, redrawn in place; finished cases above it', () => {
    const { text, status } = drive('live', false);
    // 1 case done in 10 s, 3 to come = 30 s, less the 4 s case b has run
    expect(status).toBe('[1/4 done] about 26s left · 14s spent · running gemm/b');
    expect(text).toContain('\r\x1b[2K[1/4 done] about 30s left · 10s spent · running gemm/b');
    expect(text).toContain('\r\x1b[2K[1/4] gemm/a: ');
    expect(text).toContain('[2/4] gemm/b: ERROR: the worker crashed\n');
    expect(text).toContain('chipbench run: profile smoke\n');
    expect(text).toContain('chipbench: SIGINT received\n');
    expect(text).not.toMatch(/\x1b\[\d+m/); // no colour when not allowed
  });

  it('live: the clock redraws the status line each tick; stop() erases it and no tick draws again', () => {
    vi.useFakeTimers();
    try {
      let clock = 0;
      const stream = new FakeStream(true);
      progress = new RunProgress('live', stream, { colour: false, now: () => clock, redrawMs: 1000 });
      progress.caseStarted('gemm/a', 1, 2);
      clock += 3_000;
      vi.advanceTimersByTime(1000);
      expect(stream.text.endsWith('\r\x1b[2K[0/2 done] time left: after the first case · 3s spent · running gemm/a')).toBe(true);
      progress.stop();
      expect(stream.text.endsWith('\r\x1b[2K')).toBe(true);
      const after = stream.text;
      vi.advanceTimersByTime(5000);
      progress.caseStarted('gemm/b', 2, 2);
      progress.notice('chipbench: SIGINT received');
      expect(stream.text).toBe(`${after}chipbench: SIGINT received\n`);
    } finally {
      vi.useRealTimers();
    }
  });

  it('live: cases recorded without running (an unavailable backend) do not count in the time left', () => {
    let clock = 0;
    progress = new RunProgress('live', new FakeStream(true), { colour: false, now: () => clock, redrawMs: 60_000 });
    progress.caseFinished(failed('gemm/x'), 1, 4); // never started: its backend was unavailable
    progress.caseStarted('gemm/a', 2, 4);
    clock += 8_000;
    progress.caseFinished(ok('gemm/a'), 2, 4);
    progress.caseStarted('gemm/b', 3, 4);
    // one case ran, in 8 s; 2 to come: 16 s
    expect(progress.statusText()).toBe('[2/4 done] about 16s left · 8s spent · running gemm/b');
  });

  it('live with colour: the outcome coloured, green for ok and red for a failure', () => {
    const { text } = drive('live', true);
    expect(text).toContain(`${ESC}[32m[1/4]${ESC}[0m gemm/a`);
    expect(text).toContain(`${ESC}[31m[2/4]${ESC}[0m gemm/b`);
  });

  it('live: a status line wider than the terminal is cut to fit, since a wrapped line cannot be redrawn', () => {
    const stream = new FakeStream(true, 40);
    progress = new RunProgress('live', stream, { colour: false, now: () => 0, redrawMs: 60_000 });
    progress.caseStarted('allreduce-halving-doubling/webgpu/f32/r8-64MiB', 1, 100);
    const line = stream.text.split('\r\x1b[2K').at(-1)!;
    expect(line.length).toBe(39);
    expect(line.startsWith('[0/100 done] time left: after the firs')).toBe(true);
    expect(line.endsWith('…')).toBe(true);
  });

  it('lines with --verbose: one plain line per finished case, no control characters', () => {
    const { text } = drive('lines', false, new FakeStream(false));
    expect(text).not.toContain(ESC);
    expect(text).not.toContain('\r');
    expect(text.split('\n').filter((l) => /^\[\d\/4\]/.test(l))).toHaveLength(2);
  });

  it('live without --verbose: the status line, and above it only the failed case', () => {
    const { text } = drive('live', false, new FakeStream(true), false);
    expect(text).not.toContain('[1/4] gemm/a');
    expect(text).toContain('[2/4] gemm/b: ERROR: the worker crashed\n');
    expect(text).toContain('\r\x1b[2K[1/4 done] about 30s left · 10s spent · running gemm/b');
  });

  it('lines without --verbose: a line at each quarter of the run and every failure, each within the width', () => {
    const stream = new FakeStream(false);
    progress = new RunProgress('lines', stream, { colour: false, now: () => 0, redrawMs: 60_000, width: 60 });
    for (let i = 1; i <= 25; i++) {
      const id = `gemm/${i}/a-very-long-case-id-that-a-narrow-terminal-must-cut-somewhere-before-its-end`;
      progress.caseStarted(id, i, 25);
      progress.caseFinished(i === 7 ? failed(id) : ok(id), i, 25);
    }
    const lines = stream.text.trimEnd().split('\n');
    // quarters of 25 are passed at cases 7, 13, 19 and 25; case 7 failed, and is printed as a failure
    expect(lines.map((l) => /^\[(\d+)\/25/.exec(l)![1])).toEqual(['7', '13', '19', '25']);
    expect(lines[0]).toMatch(/^\[7\/25\] gemm\/7\/a-very-long.*…$/);
    for (const l of lines) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(60);
  });

  it('quiet: nothing but notices', () => {
    const { text } = drive('quiet', false, new FakeStream(true));
    expect(text).toBe('chipbench: SIGINT received\n');
  });
});
