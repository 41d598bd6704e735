/**
 * chipbench compare, run --baseline and export through the CLI, on result
 * files written by fake-backend runs and on files edited to hold a known
 * slowdown: verdicts, exit codes, Markdown, JSON, the published export
 * formats, and bad input.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RunResult } from '../../src/results/schema.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { gemmCase, noisySamples, runWith } from '../helpers/run-result.js';

/** Five forks of 20 samples around `center` seconds, the forks within +-0.4% of each other. */
const noisyForks = (center: number, seed: number) => Array.from({ length: 5 }, (_, k) => noisySamples(center * (1 + 0.002 * (k - 2)), 20, seed * 10 + k));

const FAST = ['--profile', 'smoke', '--time-budget', '5', '--min-samples', '6', '--warmup-time', '0', '--warmup-iterations', '0'];

function write(run: unknown, name: string, folder = tempDir()): string {
  const path = join(folder, name);
  writeFileSync(path, typeof run === 'string' ? run : JSON.stringify(run));
  return path;
}

const base = write(runWith([gemmCase(noisyForks(0.01, 1)), gemmCase(noisyForks(0.002, 2), {}, 500)]), 'base.json');
const same = write(runWith([gemmCase(noisyForks(0.01, 3)), gemmCase(noisyForks(0.002, 4), {}, 500)]), 'same.json');
const slower = write(runWith([gemmCase(noisyForks(0.0115, 5)), gemmCase(noisyForks(0.002, 6), {}, 500)]), 'slower.json');

describe('chipbench compare', { timeout: 60_000 }, () => {
  it('exits 0 when nothing changed, with every case unchanged', async () => {
    const r = await runCli(['compare', base, same]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 regressed, 0 improved, 2 unchanged');
  });

  it('exits 1 on a 15% slowdown, naming the case, its change with interval and p', async () => {
    const r = await runCli(['compare', base, slower, '--wide']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /REGRESSED\s+gemm\/fake\/f32\/m1000-n1000-k1000\/resident\s+\S+ -> \S+ GFLOP\/s \(f32 rate\)\s+-1\d\.\d% \[-\d+\.\d%, -\d+\.\d%\] 9\d(\.\d+)?%\s+\d+\.\d%\s+(<1e-4|\d\.\d+(e-\d+)?)\s+5\+5 forks/,
    );
    expect(r.stdout).toContain('1 regressed, 0 improved, 1 unchanged');
    // without --wide the table fits 120 columns, leaving out the evidence, the p-value and the figures, and says so
    const fitted = await runCli(['compare', base, slower], { COLUMNS: '' });
    expect(fitted.stdout).toMatch(/REGRESSED\s+gemm\/fake\/f32\/m1000-n1000-k1000\/resident\s+-1\d\.\d% \[/);
    expect(fitted.stdout.replace(/\n/g, ' ')).toMatch(/\(left out to fit the terminal: .*evidence; --wide or chipbench report shows them\)/);
    for (const l of fitted.stdout.split('\n')) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(120);
  });

  it('--markdown fits a pull-request comment; --json carries every number', async () => {
    const md = await runCli(['compare', base, slower, '--markdown']);
    expect(md.stdout).toMatch(/^### chipbench: 1 case\(s\) regressed or newly failed/);
    expect(md.stdout).toContain('| **REGRESSED** | gemm/fake/f32/m1000-n1000-k1000/resident |');
    const json = JSON.parse((await runCli(['compare', base, slower, '--json'])).stdout) as { cases: { verdict: string; change: number; p: number }[] };
    expect(json.cases[0]!.verdict).toBe('regressed');
    expect(json.cases[0]!.change).toBeLessThan(-0.05);
  });

  it('honours --threshold and --workload-threshold', async () => {
    expect((await runCli(['compare', base, slower, '--threshold', '20'])).code).toBe(0);
    expect((await runCli(['compare', base, slower, '--workload-threshold', 'gemm=20'])).code).toBe(0);
    expect((await runCli(['compare', base, slower, '--workload-threshold', 'stream=20'])).code).toBe(1);
  });

  it('says loudly when gpu.js differs, and reports no ratio', async () => {
    const other = JSON.parse(readFileSync(slower, 'utf8')) as RunResult;
    other.environment.gpujs = '2.30.0';
    const r = await runCli(['compare', base, write(other, 'other.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('WARNING: gpu.js version differs: 2.24.1 (base) against 2.30.0 (head): every case is incomparable, no ratio is reported');
    expect(r.stdout).toContain('2 incomparable');
  });

  const bad: [string, () => string[], RegExp][] = [
    ['a missing file', () => ['compare', join(tempDir(), 'none.json'), base], /none\.json: cannot read the result file \(no such file\); check the path/],
    ['malformed JSON', () => ['compare', write('{"cases": [', 'broken.json'), base], /broken\.json: not valid JSON/],
    ['a newer schemaVersion', () => ['compare', base, write({ ...JSON.parse(readFileSync(base, 'utf8')), schemaVersion: 99 }, 'future.json')], /future\.json: schemaVersion 99 is newer than this chipbench understands \(5\); upgrade chipbench/],
    ['another schemaVersion', () => ['compare', base, write({ ...JSON.parse(readFileSync(base, 'utf8')), schemaVersion: 0 }, 'old.json')], /old\.json: not a chipbench result \(\$\.schemaVersion: /],
    ['no case in common', () => ['compare', base, write(runWith([gemmCase([0.1, 0.2], {}, 7)]), 'disjoint.json')], /have no case in common; compare two runs of the same suite/],
    ['a bad threshold', () => ['compare', base, same, '--threshold', '0'], /--threshold: '0' is not a percentage/],
    ['a bad workload threshold', () => ['compare', base, same, '--workload-threshold', 'fft=5'], /--workload-threshold: 'fft=5' is not WORKLOAD=PERCENT/],
    ['one file only', () => ['compare', base], /Not enough non-option arguments/],
  ];
  it.each(bad)('refuses %s: one line, exit 2', async (_, args, message) => {
    const r = await runCli(args());
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});

describe('chipbench run --baseline', { timeout: 60_000 }, () => {
  let first: string;
  // one machine, one variant cache: the second run's tuned cases run the kernel the first run picked
  const machine = { CHIPBENCH_CACHE_DIR: tempDir() };
  beforeAll(async () => {
    first = join(tempDir(), 'first.json');
    expect((await runCli(['run', '--backends', 'fake', '--workloads', 'gemm', ...FAST, '-o', first], machine)).code).toBe(0);
  });
  it('runs, then compares with the baseline in one step', async () => {
    const out = join(tempDir(), 'second.json');
    const r = await runCli(['run', '--backends', 'fake', '--workloads', 'gemm', ...FAST, '--baseline', first, '-o', out], machine);
    expect([0, 1]).toContain(r.code);
    expect(r.stdout).toContain(`base: ${first}`);
    expect(r.stdout).toMatch(/\d+ regressed, \d+ improved, \d+ unchanged, \d+ inconclusive, 0 new, 0 missing, 0 failed, 0 incomparable/);
  });
  it('refuses a baseline that shares no case with the run, before running', async () => {
    const out = join(tempDir(), 'never.json');
    const r = await runCli(['run', '--backends', 'fake', '--workloads', 'gemm', ...FAST, '--baseline', base, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--baseline: .*base\.json shares no case with this run; give a result of the same suite/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
  it('refuses a bad baseline before running anything', async () => {
    const out = join(tempDir(), 'never.json');
    const r = await runCli(['run', '--backends', 'fake', ...FAST, '--baseline', join(tempDir(), 'none.json'), '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/none\.json: cannot read the result file/);
  });
});

describe('chipbench export', { timeout: 60_000 }, () => {
  // the published formats, as their documentation states them
  const githubActionBenchmark = z.array(z.object({ name: z.string(), unit: z.string(), value: z.number(), range: z.string().optional(), extra: z.string().optional() }).strict());
  const bencherMetric = z.object({ value: z.number(), lower_value: z.number().optional(), upper_value: z.number().optional() }).strict();
  const bmf = z.record(z.string().min(1).max(1024), z.record(z.string().min(1).max(64), bencherMetric));

  it('writes github-action-benchmark customBiggerIsBetter JSON', async () => {
    const r = await runCli(['export', base, '--format', 'github-action-benchmark']);
    expect(r.code).toBe(0);
    const entries = githubActionBenchmark.parse(JSON.parse(r.stdout));
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ name: 'gemm/fake/f32/m1000-n1000-k1000/resident', unit: 'GFLOP/s (f32)' });
    expect(entries[0]!.value).toBeCloseTo(2e9 / JSON.parse(readFileSync(base, 'utf8')).cases[0].measurement.medianSeconds / 1e9, 9);
    expect(entries[0]!.range).toMatch(/^± \d/);
  });

  it('writes Bencher Metric Format JSON, to --output when given', async () => {
    const out = join(tempDir(), 'bmf.json');
    expect((await runCli(['export', base, '--format', 'bencher', '-o', out])).code).toBe(0);
    const doc = bmf.parse(JSON.parse(readFileSync(out, 'utf8')));
    const c = doc['gemm/fake/f32/m1000-n1000-k1000/resident']!;
    expect(Object.keys(c).sort()).toEqual(['f32-gflops', 'latency']);
    expect(c.latency!.lower_value!).toBeLessThanOrEqual(c.latency!.value);
    expect(c.latency!.upper_value!).toBeGreaterThanOrEqual(c.latency!.value);
  });

  it('refuses an unknown format', async () => {
    const r = await runCli(['export', base, '--format', 'csv']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/Invalid values: Argument: format, Given: "csv", Choices: "github-action-benchmark", "bencher"/);
  });
});

describe('chipbench history', { timeout: 60_000 }, () => {
  it('reads a folder of results, one column per run, and marks a lasting step', async () => {
    const dir = tempDir();
    [0.01, 0.01, 0.013, 0.013].forEach((centre, i) =>
      write(runWith([gemmCase(noisyForks(centre, 200 + i))], (r) => (r.startedAt = `2026-11-29T1${i}:00:00.000Z`)), `r${i}.json`, dir),
    );
    const r = await runCli(['history', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/#1 2026-11-29T10:00\s+#2 2026-11-29T11:00\s+#3 2026-11-29T12:00\s+#4 2026-11-29T13:00/);
    expect(r.stdout).toMatch(/gemm\/fake\/f32\/m1000-n1000-k1000\/resident\s+GFLOP\/s\s+\S+\s+\S+\s+\S+ v STEP\s+\S+\s+-2\d\.\d% at #3/);
  });
  it('refuses fewer than two files', async () => {
    const r = await runCli(['history', base]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/history needs at least 2 result files, got 1/);
  });
});
