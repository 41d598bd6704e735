/**
 * `chipbench report` end to end, and run's progress as a pipe sees it:
 * the default HTML beside the result, Markdown to stdout or a file, every
 * bad input refused with one line and exit code 2 before anything is
 * written; a line per case without control characters, nothing with --quiet.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { reportRun } from '../helpers/report-fixture.js';
import { RESULT_SCHEMA_VERSION } from '../../src/results/schema.js';

/** A valid chip file of one chip the shipped table does not have: a copy of its first chip under a new id. */
function extraChipFile(): unknown {
  const shipped = JSON.parse(readFileSync(join(import.meta.dirname, '../../reference-data/chips.json'), 'utf8'));
  return { ...shipped, chips: [{ ...shipped.chips[0], id: 'test-chip', name: 'Test chip', deviceNames: [] }] };
}

function fixture(): { dir: string; head: string; base: string } {
  const dir = tempDir();
  const head = join(dir, 'head.json');
  const base = join(dir, 'base.json');
  writeFileSync(head, JSON.stringify(reportRun()));
  writeFileSync(base, JSON.stringify(reportRun(1.3)));
  return { dir, head, base };
}

describe('chipbench report', { timeout: 60_000 }, () => {
  it('writes one HTML file beside the result by default and says where', async () => {
    const { dir, head } = fixture();
    const r = await runCli(['report', head]);
    expect(r.code).toBe(0);
    const html = join(dir, 'head.html');
    expect(r.stdout).toBe(`chipbench report: wrote ${html} (HTML, 9 chart(s), 12 sections, ${readFileSync(html).length} bytes)
`);
    const text = readFileSync(html, 'utf8');
    expect(text.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(text.match(/<svg /g)).toHaveLength(9);
  });

  it('--markdown prints the report to stdout, and writes it to --out when given', async () => {
    const { dir, head, base } = fixture();
    const r = await runCli(['report', head, '--baseline', base, '--markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# chipbench report: /);
    expect(r.stdout).toContain('## Against the baseline');
    expect(r.stdout.match(/\*\*REGRESSED\*\* ✗/g)).toHaveLength(12);
    expect(readdirSync(dir).sort()).toEqual(['base.json', 'head.json']);
    const out = join(dir, 'report.md');
    const w = await runCli(['report', head, '--baseline', base, '--markdown', '--out', out]);
    expect(w.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(r.stdout);
  });

  it('exits 0 with a regression: a report shows, compare gates', async () => {
    const { head, base } = fixture();
    const r = await runCli(['report', head, '--baseline', base, '--markdown']);
    expect(r.stdout).toContain('12 regressed');
    expect(r.code).toBe(0);
  });

  const BAD: [string, (f: ReturnType<typeof fixture>) => string[], RegExp][] = [
    ['no result file named', () => ['report'], /Not enough non-option arguments/],
    ['a missing result file', (f) => ['report', join(f.dir, 'nope.json')], /nope\.json: cannot read the result file \(no such file\); check the path/],
    ['a result file that is not JSON', (f) => (writeFileSync(join(f.dir, 'bad.json'), '{"schemaVersion": 1,'), ['report', join(f.dir, 'bad.json'), '--out', join(f.dir, 'r.html')]), /bad\.json: not valid JSON/],
    ['a result of a future schemaVersion', (f) => (writeFileSync(join(f.dir, 'new.json'), JSON.stringify({ ...reportRun(), schemaVersion: RESULT_SCHEMA_VERSION + 1 })), ['report', join(f.dir, 'new.json'), '--out', join(f.dir, 'r.html')]), /schemaVersion \d+ is newer than this chipbench understands.*upgrade chipbench/],
    ['--out naming the result itself', (f) => ['report', f.head, '--out', f.head], /--out: it is the result file .*; give another path/],
    ['--out naming the baseline', (f) => ['report', f.head, '--baseline', f.base, '--out', f.base], /--out: it is the baseline file .*; give another path/],
    ['--out in a folder that does not exist', (f) => ['report', f.head, '--out', join(f.dir, 'no', 'r.html')], /--out: folder .* does not exist; create it or give another --out path/],
    ['--out naming a folder', (f) => ['report', f.head, '--out', f.dir], /--out: .* is a folder; give a file path/],
    ['a missing baseline', (f) => ['report', f.head, '--baseline', join(f.dir, 'gone.json'), '--out', join(f.dir, 'r.html')], /gone\.json: cannot read the result file/],
    ['a threshold out of range', (f) => ['report', f.head, '--baseline', f.base, '--threshold', '0', '--out', join(f.dir, 'r.html')], /--threshold: '0' is not a percentage/],
    ['--out naming a --chips file', (f) => (writeFileSync(join(f.dir, 'mine.json'), JSON.stringify(extraChipFile())), ['report', f.head, '--chips', join(f.dir, 'mine.json'), '--out', join(f.dir, 'mine.json')]), /--out: it is the --chips file .*mine\.json\); give another path/],
    ['--out naming a --history file, by another path', (f) => {
      mkdirSync(join(f.dir, 'past'));
      writeFileSync(join(f.dir, 'past', 'h.json'), readFileSync(f.base));
      return ['report', f.head, '--baseline', f.base, '--history', join(f.dir, 'past'), '--out', join(f.dir, 'past', '..', 'past', 'h.json')];
    }, /--out: it is the --history file .*h\.json\); give another path/],
    ['--strict, which a report cannot honour', (f) => ['report', f.head, '--baseline', f.base, '--strict', '--out', join(f.dir, 'r.html')], /--strict: a report never sets the exit code; gate with chipbench compare --strict/],
    ['--history without --baseline', (f) => ['report', f.head, '--history', f.base, '--out', join(f.dir, 'r.html')], /--history: it takes part in a comparison only; give --baseline/],
    ['--out naming a Markdown file for an HTML report', (f) => ['report', f.head, '--out', join(f.dir, 'r.md')], /--out: .*r\.md names a Markdown file but the report is HTML; add --markdown, or name it \.html/],
    ['a broken chip file', (f) => (writeFileSync(join(f.dir, 'chips.json'), '[]'), ['report', f.head, '--chips', join(f.dir, 'chips.json'), '--out', join(f.dir, 'r.html')]), /chips\.json/],
  ];

  it.each(BAD)('refuses %s with one line and exit code 2, writing nothing', async (_name, args, message) => {
    const f = fixture();
    const cmd = args(f);
    const before = readdirSync(f.dir).sort();
    const headBefore = readFileSync(f.head, 'utf8');
    const r = await runCli(cmd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
    expect(readdirSync(f.dir).sort()).toEqual(before);
    expect(readFileSync(f.head, 'utf8')).toBe(headBefore);
    expect(existsSync(join(f.dir, 'head.html'))).toBe(false);
  });
});

describe('chipbench run progress in a pipe', { timeout: 60_000 }, () => {
  const FAST = ['--backends', 'fake', '--workloads', 'gemm', '--variant', 'naive', '--sizes', '4,3x5x7', '--profile', 'smoke', '--time-budget', '5', '--min-samples', '3', '--warmup-time', '0', '--warmup-iterations', '0'];

  it('with --verbose prints one plain line per finished fork of a case, numbered, with no control characters', async () => {
    const r = await runCli(['run', ...FAST, '--verbose', '-o', join(tempDir(), 'r.json')], { NO_COLOR: '' });
    expect(r.code).toBe(0);
    // 4 cases in the smoke profile's 2 forks each
    const lines = r.stderr.split('\n').filter((l) => /^\[\d+\/8\] /.test(l));
    expect(lines.map((l) => l.slice(0, 6))).toEqual(['[1/8] ', '[2/8] ', '[3/8] ', '[4/8] ', '[5/8] ', '[6/8] ', '[7/8] ', '[8/8] ']);
    expect(r.stderr).not.toMatch(/[\x1b\r]/);
  });

  it('without --verbose prints a line at each quarter of the run, then the summary first, every line within 120 columns', async () => {
    const r = await runCli(['run', ...FAST, '-o', join(tempDir(), 'r.json')], { NO_COLOR: '', COLUMNS: '' });
    expect(r.code).toBe(0);
    const progress = r.stderr.split('\n').filter((l) => /^\[\d+\/8 done\] /.test(l));
    expect(progress.map((l) => l.slice(0, 4))).toEqual(['[2/8', '[4/8', '[6/8', '[8/8']);
    expect(r.stdout.trimStart()).toMatch(/^Summary: 4 cases on 1 backend, 0 failed or skipped/);
    expect(r.stdout).toMatch(/\nfake on .*\n  GEMM f32 {4}\S+ [GM]FLOP\/s/);
    for (const l of `${r.stdout}${r.stderr}`.split('\n')) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(120);
    const narrow = await runCli(['run', ...FAST, '-o', join(tempDir(), 'r.json')], { COLUMNS: '72' });
    for (const l of `${narrow.stdout}${narrow.stderr}`.split('\n')) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(72);
  });

  it('--quiet prints no progress at all, only the report', async () => {
    const r = await runCli(['run', ...FAST, '--quiet', '-o', join(tempDir(), 'r.json')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('gemm');
    expect(r.stdout).toContain('Result file:');
  });
});
