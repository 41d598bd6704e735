/**
 * chipbench import end to end: real outputs of other tools (test/fixtures/import/) read into a result file, its
 * figures exact, its checks, several runs as forks, the gate over imported nightly runs, reports and exports of
 * them, and every bad input the command refuses (one line naming the file and line, exit 2, nothing written).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRunResult } from '../../src/results/read-result.js';
import type { ImportedCase } from '../../src/results/schema.js';
import { runCli, tempDir } from '../helpers/cli.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/import');
const fixture = (name: string) => join(FIXTURES, name);
const text = (name: string) => readFileSync(fixture(name), 'utf8');
const SIXTEEN = 'nccl-tests-2.18.3-allreduce-16ranks.txt';

function readImported(path: string): ImportedCase[] {
  return parseRunResult(readFileSync(path, 'utf8'), path).cases as ImportedCase[];
}

/**
 * The 16-rank fixture with every row's times scaled by `factor` (and a little jitter, seeded) and its bandwidths
 * recomputed as nccl-tests prints them: another night's run of the same configuration.
 */
function anotherNight(factor: number, seed: number): string {
  let state = seed;
  const jitter = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return 0.98 + 0.04 * (state / 2 ** 31);
  };
  return text(SIXTEEN)
    .split('\n')
    .map((line) => {
      const m = /^\s*(\d+)\s+(\d+)\s+(\w+)\s+(\w+)\s+(-?\d+)\s+([\d.]+)\s+[\d.]+\s+[\d.]+\s+(\d+)\s+([\d.]+)\s+[\d.]+\s+[\d.]+\s+(\d+)\s*$/.exec(line);
      if (!m) return line;
      const bytes = Number(m[1]);
      const half = (t: number) => {
        const a = bytes / t / 1e3;
        return `${t.toFixed(2).padStart(10)} ${a.toFixed(2).padStart(7)} ${(a * 1.875).toFixed(2).padStart(7)} ${'0'.padStart(6)}`;
      };
      const f = factor * jitter();
      return `${m[1]!.padStart(12)} ${m[2]!.padStart(12)} ${m[3]!.padStart(8)} ${m[4]!.padStart(6)} ${m[5]!.padStart(6)} ${half(Number(m[6]) * f)} ${half(Number(m[8]) * f)}`;
    })
    .join('\n');
}

function write(folder: string, name: string, content: string): string {
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
}

describe('chipbench import', { timeout: 60_000 }, () => {
  it('a real 2-node, 16-GPU nccl-tests 2.18.3 log: ranks 16, hosts 2, the device named, busbw at 8 GiB exact, the average not taken for a peak', async () => {
    const out = join(tempDir(), 'cluster.json');
    const r = await runCli(['import', fixture(SIXTEEN), '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const cases = readImported(out);
    expect(cases).toHaveLength(24);
    const largest = cases.find((c) => c.id === 'nccl-tests/all_reduce-sum/f32/h2-r16-8GiB')!;
    expect(largest.source).toMatchObject({ tool: 'nccl-tests', version: '2.18.3', ranks: 16, ranksFrom: 'output', hosts: ['R6KD-CX8aaS-GPU-14', 'R6KD-CX8aaS-GPU-15'], avgBusbwGBps: 17.8413 });
    expect(largest.source.software).toEqual({ NCCL: '2.30.3+cuda13.0' });
    expect(largest.executed!.device.name).toBe('NVIDIA Graphics Device');
    expect(largest.collective!.outOfPlace).toEqual({ timeUs: 459108, algbwGBps: 18.71, busbwGBps: 35.08, wrong: 0 });
    expect(largest.collective!.inPlace).toEqual({ timeUs: 459602, algbwGBps: 18.69, busbwGBps: 35.04, wrong: 0 });
    // the headline is recomputed from size and time with nccl-tests' factor 2(16-1)/16, and agrees with the print
    expect(largest.metrics!.value).toBeCloseTo((8589934592 / 0.459108 / 1e9) * 1.875, 9);
    expect(largest.metrics!.value.toFixed(2)).toBe('35.08');
    expect(largest.checks.filter((k) => k.status !== 'ok')).toEqual([]);
    expect(r.stdout).toContain('Peak busbw 39.08 GB/s (f32, out-of-place) at 128MiB.');
    expect(r.stdout).toContain('At the largest size, 8GiB: busbw 35.08 GB/s.');
    expect(r.stdout).toMatch(/"Avg bus bandwidth" 17\.8413 GB\/s is the mean busbw over every row, in-place and out-of-place, small sizes\s+included: not a peak/);
    expect(r.stdout).toContain(`chipbench import: 24 case(s), written to ${out}`);
  });

  it("a real rccl-tests CSV (16 MI355X, a 13-name header over 14-value rows): 18 cases, busbw at 512 MiB exact; a row of neither width: exit 2, one line", async () => {
    const folder = tempDir();
    const csv = 'rccl-tests-csv-mi355x-16ranks-2nodes-allreduce.csv';
    const out = join(folder, 'csv.json');
    const r = await runCli(['import', fixture(csv), '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const cases = readImported(out);
    expect(cases).toHaveLength(18);
    const largest = cases.find((c) => c.id === 'rccl-tests/all_reduce-sum/f32/r16-512MiB')!;
    expect(largest.source).toMatchObject({ tool: 'rccl-tests', format: 'csv', ranks: 16, ranksFrom: 'output', hosts: [], line: 36 });
    expect(largest.collective!.outOfPlace).toEqual({ timeUs: 2658.468769, algbwGBps: 201.947421, busbwGBps: 378.651415, wrong: 0 });
    expect(largest.collective!.inPlace).toEqual({ timeUs: 2650.206313, algbwGBps: 202.577026, busbwGBps: 379.831923, wrong: 0 });
    expect(largest.metrics!.value).toBeCloseTo((536870912 / 2658.468769e-6 / 1e9) * 1.875, 9);
    expect(r.stdout).toContain('Imported: all_reduce, f32 (float), 16 ranks: rccl-tests');
    expect(r.stdout).toContain('Peak busbw 378.65 GB/s (f32, out-of-place) at 512MiB.');
    const lines = text(csv).split('\n');
    lines[10] = `${lines[10]},"0"`;
    const bad = join(folder, 'bad.csv');
    writeFileSync(bad, lines.join('\n'));
    const refused = await runCli(['import', bad, '-o', join(folder, 'bad.json')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/^chipbench: .*bad\.csv: line 11: 15 values: expected 13, or 14 with the MPI writer's nodes, one per column of the header/);
    expect(readdirSync(folder).sort()).toEqual(['bad.csv', 'csv.json']);
  });

  it('a run that failed on its first row (2.17.6 alltoall, 16 H800): one failed case, exit 1', async () => {
    const out = join(tempDir(), 'failed.json');
    const r = await runCli(['import', fixture('nccl-tests-2.17.6-alltoall-failure.txt'), '-o', out]);
    expect(r.code).toBe(1);
    const [only, ...rest] = readImported(out);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ id: 'nccl-tests/alltoall/run/h2-r16', outcome: 'error' });
    expect(only!.reason).toContain("Test CUDA failure common.cu:389 'an illegal memory access was encountered'");
    expect(r.stdout).toContain('1 FAILED');
  });

  it('#wrong above 0 and Out of bounds FAILED fail the case; a busbw that size, time and ranks do not give is flagged', async () => {
    const folder = tempDir();
    const lines = text(SIXTEEN).split('\n');
    const row = lines.findIndex((l) => /^\s+8589934592\s/.test(l));
    lines[row] = lines[row]!.replace(/0\s*$/, '7'); // in-place #wrong 7
    const edited = lines.map((l) => l.replace('35.08', '70.16')).join('\n'); // the 8 GiB out-of-place busbw doubled
    const out = join(folder, 'wrong.json');
    const r = await runCli(['import', write(folder, 'wrong.txt', edited.replace('Out of bounds values : 0 OK', 'Out of bounds values : 3 FAILED')), '-o', out]);
    expect(r.code).toBe(1);
    const cases = readImported(out);
    const largest = cases.find((c) => c.id.endsWith('-8GiB'))!;
    expect(largest.outcome).toBe('error');
    expect(largest.checks).toContainEqual({ check: 'wrong', status: 'fail', detail: 'in-place: the tool counted 7 wrong elements (#wrong)' });
    expect(largest.checks.find((k) => k.check === 'busbw' && k.status === 'flag')!.detail).toMatch(/out-of-place busbw 70\.16 GB\/s printed, but 8589934592 B \/ 459108 µs x 1\.875 \(all_reduce, 16 ranks\) gives 35\.08/);
    expect(cases.every((c) => c.checks.some((k) => k.check === 'bounds' && k.status === 'fail'))).toBe(true);
  });

  it('nccl-tests before 2.17 names no collective: exit 2 asking for --collective; with it, the error columns are kept', async () => {
    const folder = tempDir();
    const out = join(folder, 'k80.json');
    const refused = await runCli(['import', fixture('nccl-tests-old-k80-allreduce.txt'), '-o', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^chipbench: .*nccl-tests-old-k80-allreduce\.txt: line \d+: the output does not name its collective .* give --collective/);
    expect(existsSync(out)).toBe(false);
    const r = await runCli(['import', fixture('nccl-tests-old-k80-allreduce.txt'), '--collective', 'all_reduce', '-o', out]);
    expect(r.code).toBe(0);
    const first = readImported(out)[0]!;
    expect(first.collective!.outOfPlace).toMatchObject({ timeUs: 19902, busbwGBps: 2.53, wrong: null, maxError: 2e-7 });
    expect(first.checks).toContainEqual({ check: 'wrong', status: 'ok', detail: 'out-of-place: largest error 2e-7 (nccl-tests before 2.13)' });
  });

  it('a --collective that the old header contradicts is refused (broadcast has root and no redop)', async () => {
    const folder = tempDir();
    const r = await runCli(['import', fixture('nccl-tests-2021-superbench-8xa100-broadcast.txt'), '--collective', 'all_reduce', '-o', join(folder, 'out.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line \d+: --collective all_reduce, but the header has a root column and no redop: it is broadcast, gather, scatter/);
    expect(readdirSync(folder)).toEqual([]);
    const ok = await runCli(['import', fixture('nccl-tests-2021-superbench-8xa100-broadcast.txt'), '--collective', 'broadcast', '-o', join(folder, 'out.json')]);
    expect(ok.code).toBe(0);
  });

  it('hccl_test prints no rank count without its command line: exit 2 asking for --ranks; with --ranks, busbw from it', async () => {
    const folder = tempDir();
    const table = text('hccl_test-guide-allreduce-8npu.txt').split('\n');
    const bare = write(folder, 'bare.txt', table.slice(table.findIndex((l) => l.startsWith('data_size'))).join('\n'));
    const out = join(folder, 'hccl.json');
    const refused = await runCli(['import', bare, '-o', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/bare\.txt: line \d+: .*give --/);
    expect(existsSync(out)).toBe(false);
    for (const ranks of ['0', '1e300']) {
      const bad = await runCli(['import', bare, '--ranks', ranks, '--collective', 'all_reduce', '--dtype', 'fp32', '-o', out]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^chipbench: --ranks: .* is not a positive whole number/);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('several runs of one configuration become its forks, and a second import adds to a file with --add', async () => {
    const folder = tempDir();
    const out = join(folder, 'forks.json');
    const r = await runCli(['import', write(folder, 'a.txt', anotherNight(1, 1)), write(folder, 'b.txt', anotherNight(1, 2)), '-o', out]);
    expect(r.code).toBe(0);
    const first = readImported(out).find((c) => c.id.endsWith('-8GiB'))!;
    expect(first.measurement!.forkCount).toBe(2);
    const added = await runCli(['import', write(folder, 'c.txt', anotherNight(1, 3)), '--add', out]);
    expect(added.code).toBe(0);
    const run = parseRunResult(readFileSync(out, 'utf8'), out);
    expect((run.cases.find((c) => c.id.endsWith('-8GiB')) as ImportedCase).measurement!.forkCount).toBe(3);
    expect(run.options).toMatchObject({ profile: 'import', files: [{ path: join(folder, 'a.txt') }, { path: join(folder, 'b.txt') }, { path: join(folder, 'c.txt') }] });
  });

  it("a later run's flags stay with the merged case, from one command or --add", async () => {
    const folder = tempDir();
    // the 8 GiB row of another night with its out-of-place busbw misprinted: that run's figure does not add up
    const misprinted = anotherNight(1, 2)
      .split('\n')
      .map((line) => (/^\s+8589934592\s/.test(line) ? line.trim().split(/\s+/).map((t, i) => (i === 7 ? '1.00' : t)).join(' ') : line))
      .join('\n');
    const flagged = (path: string) => readImported(path).find((c) => c.id.endsWith('-8GiB'))!.checks.filter((k) => k.status === 'flag' && k.check === 'busbw');
    const out = join(folder, 'merged.json');
    expect((await runCli(['import', write(folder, 'a.txt', anotherNight(1, 1)), write(folder, 'b.txt', misprinted), '-o', out])).code).toBe(0);
    expect(flagged(out)).toHaveLength(1);
    expect(flagged(out)[0]!.detail).toMatch(/busbw 1\.00 GB\/s printed, but 8589934592 B/);
    const added = join(folder, 'added.json');
    expect((await runCli(['import', join(folder, 'a.txt'), '-o', added])).code).toBe(0);
    expect((await runCli(['import', join(folder, 'b.txt'), '--add', added])).code).toBe(0);
    expect(flagged(added)).toEqual(flagged(out));
  });

  it('a per-iteration time written as nan or inf is left out; the other iterations are the fork', async () => {
    const folder = tempDir();
    const json = text('nccl-tests-json-v3-2xt4-allreduce-per-iter.json');
    const at = json.indexOf('[', json.indexOf('"times_us"')) + 1;
    const out = join(folder, 'nan.json');
    const r = await runCli(['import', write(folder, 'nan.json.txt', `${json.slice(0, at)}"nan","inf",${json.slice(at)}`), '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const plain = join(folder, 'plain.json');
    expect((await runCli(['import', fixture('nccl-tests-json-v3-2xt4-allreduce-per-iter.json'), '-o', plain])).code).toBe(0);
    expect(readImported(out)[0]!.measurement!.forks[0]!.samplesSeconds).toEqual(readImported(plain)[0]!.measurement!.forks[0]!.samplesSeconds);
  });

  it('the same run given twice (the same file, a CRLF copy, or --add again) is refused: its forks would be copies with no spread', async () => {
    const folder = tempDir();
    const out = join(folder, 'once.json');
    const twice = await runCli(['import', fixture(SIXTEEN), fixture(SIXTEEN), '-o', out]);
    expect(twice.code).toBe(2);
    expect(twice.stderr.trim().split('\n')).toHaveLength(1);
    expect(twice.stderr).toMatch(/16ranks\.txt: every figure in it is already in the same file, given before: the same run twice/);
    const crlf = write(folder, 'crlf.txt', text(SIXTEEN).replace(/\n/g, '\r\n'));
    expect((await runCli(['import', fixture(SIXTEEN), crlf, '-o', out])).stderr).toMatch(/crlf\.txt: every figure in it is already in .*16ranks\.txt/);
    expect(existsSync(out)).toBe(false);
    expect((await runCli(['import', fixture(SIXTEEN), '-o', out])).code).toBe(0);
    const before = readFileSync(out, 'utf8');
    const again = await runCli(['import', crlf, '--add', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`crlf.txt: every figure in it is already in ${out}`);
    expect(readFileSync(out, 'utf8')).toBe(before);
  });

  it('a log that stops before its Out of bounds line (a run killed mid-way, or a file cut) fails the run: exit 1, its rows flagged', async () => {
    const folder = tempDir();
    const lines = text(SIXTEEN).split('\n');
    const cut = lines.slice(0, lines.findIndex((l) => /^\s+134217728\s/.test(l))).join('\n');
    const out = join(folder, 'cut.json');
    const r = await runCli(['import', write(folder, 'cut.txt', cut), '-o', out]);
    expect(r.code).toBe(1);
    const cases = readImported(out);
    const run = cases.find((c) => c.id === 'nccl-tests/all_reduce/run/h2-r16')!;
    expect(run.outcome).toBe('error');
    expect(run.reason).toMatch(/before nccl-tests' closing 'Out of bounds values' line: the run was killed or the file is cut short/);
    expect(cases.filter((c) => c.outcome === 'ok').every((c) => c.checks.some((k) => k.check === 'failure' && k.status === 'flag'))).toBe(true);
  });

  it("gates nightly runs: one run against the runs before it regresses when 30% slower; a night with #wrong fails the gate against the night before", async () => {
    const folder = tempDir();
    const nights: string[] = [];
    for (const [i, factor] of [1, 1, 1, 1, 1.3].entries()) {
      const out = join(folder, `night${i}.json`);
      expect((await runCli(['import', write(folder, `night${i}.txt`, anotherNight(factor, i + 1)), '-o', out])).code).toBe(0);
      nights.push(out);
    }
    const gated = await runCli(['compare', nights[3]!, nights[4]!, '--history', nights[0]!, nights[1]!, nights[2]!]);
    expect(gated.code).toBe(1);
    expect(gated.stdout).toContain('24 regressed, 0 improved');
    // two runs alone: one run each, no spread between runs: nothing is called changed
    const two = await runCli(['compare', nights[0]!, nights[1]!]);
    expect(two.code).toBe(0);
    expect(two.stdout).toContain('0 regressed, 0 improved, 0 unchanged, 24 inconclusive');
    const broken = join(folder, 'broken.json');
    await runCli(['import', write(folder, 'broken.txt', anotherNight(1, 9).replace('Out of bounds values : 0 OK', 'Out of bounds values : 1 FAILED')), '-o', broken]);
    const failed = await runCli(['compare', nights[0]!, broken]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('24 failed');
  });

  it('history of imported nights: a lasting 30% slowdown is a step once the nights before it can judge it', async () => {
    const folder = tempDir();
    const nights: string[] = [];
    for (const [i, factor] of [1, 1, 1, 1, 1, 1, 1.3, 1.3].entries()) {
      const out = join(folder, `night${i}.json`);
      expect((await runCli(['import', write(folder, `night${i}.txt`, anotherNight(factor, 20 + i)), '-o', out])).code).toBe(0);
      nights.push(out);
    }
    const r = await runCli(['history', ...nights]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/nccl-tests\/all_reduce-sum\/f32\/h2-r16-8GiB .* v STEP /);
    expect(r.stdout).toMatch(/8 runs; 24 lasting step change\(s\), 0 one-run blip\(s\)/);
  });

  it('report and export read an imported file: the run as nccl-tests printed it, and busbw per case', async () => {
    const folder = tempDir();
    const out = join(folder, 'r.json');
    await runCli(['import', fixture(SIXTEEN), '-o', out]);
    const md = await runCli(['report', out, '--markdown', '-o', join(folder, 'r.md')]);
    expect(md.code).toBe(0);
    const markdown = readFileSync(join(folder, 'r.md'), 'utf8');
    expect(markdown).toContain('Imported: all\\_reduce, f32 (float), 16 ranks: nccl-tests');
    expect(markdown).toContain('| nccl-tests (imported) on NVIDIA Graphics Device | peak busbw 39.08 GB/s at 128MiB (out-of-place, 16 ranks, NVIDIA Graphics Device x16 on 2 hosts (R6KD-CX8aaS-GPU-14, R6KD-CX8aaS-GPU-15)) |');
    expect(markdown).toContain('| 8GiB | 459108 | 18.71 | 35.08 | 0 | 459602 | 35.04 | 0 |');
    const html = await runCli(['report', out, '-o', join(folder, 'r.html')]);
    expect(html.code).toBe(0);
    // the run's busbw against size, drawn as nccl-tests users read it: log axes
    expect(readFileSync(join(folder, 'r.html'), 'utf8')).toMatch(/<svg[^>]*>[\s\S]*busbw, out-of-place \(B\/s, log scale\)[\s\S]*<\/svg>/);
    const exported = await runCli(['export', out, '--format', 'bencher']);
    expect(JSON.parse(exported.stdout)['nccl-tests/all_reduce-sum/f32/h2-r16-8GiB']['busbw-gbps'].value).toBeCloseTo((8589934592 / 0.459108 / 1e9) * 1.875, 9);
  });

  it('--ranks that contradicts the ranks the output names is refused, naming both', async () => {
    const folder = tempDir();
    const r = await runCli(['import', fixture(SIXTEEN), '--ranks', '8', '-o', join(folder, 'out.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line \d+: --ranks 8, but the output names 16 ranks: leave --ranks out for this file/);
    expect(readdirSync(folder)).toEqual([]);
  });

  const bad: { name: string; content: (t: string) => string; message: RegExp }[] = [
    { name: 'truncated in a row', content: (t) => t.slice(0, t.indexOf('459108') + 3), message: /line 51: a row of 6 columns under a header of 13 .*cut short/ },
    { name: 'a row with fewer columns', content: (t) => t.replace(/ 459602\s+18\.69\s+35\.04\s+0/, ''), message: /line 51: a row of 9 columns under a header of 13/ },
    { name: 'a negative time', content: (t) => t.replace(' 459108 ', ' -459108 '), message: /line 51: negative time -459108/ },
    { name: 'an unknown precision', content: (t) => t.replace(/ float /g, ' flaot '), message: /line \d+: unknown data type 'flaot'/ },
    { name: 'mixed formats', content: (t) => `${t}\ndata_size(Bytes): | aveg_time(us): | alg_bandwidth(GB/s): | check_result:\n8 | 10 | 0.0008 | success\n`, message: /line \d+: hccl_test here, but nccl-tests text on line \d+: mixed formats/ },
    { name: 'not any tool', content: () => 'hello\nworld\n', message: /line 1: not an output chipbench reads/ },
    { name: 'JSON cut short', content: () => text('nccl-tests-json-v1-constructed-from-2.18.3.json').slice(0, 900), message: /line \d+: / },
  ];
  for (const b of bad) {
    it(`bad input, ${b.name}: one line naming the file and line, exit 2, nothing written`, async () => {
      const folder = tempDir();
      const input = write(folder, 'bad.txt', b.content(text(SIXTEEN)));
      const good = fixture(SIXTEEN);
      const r = await runCli(['import', good, input, '-o', join(folder, 'out.json')]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^chipbench: .*bad\.txt: line \d+: /);
      expect(r.stderr).toMatch(b.message);
      expect(readdirSync(folder)).toEqual(['bad.txt']);
    });
  }
});

describe('imported figures beside the chips and the article', { timeout: 60_000 }, () => {
  /** The real GH200 log with its device and data type edited: a mamf-finder run as an H100 owner would paste it. */
  const mamfAs = (device: string, dtype: string, tflops: string) =>
    text('mamf-finder-2024-08-gh200.log').replace('NVIDIA GH200 480GB', device).replace('torch.bfloat16', dtype).replace('821.0TFLOPS', `${tflops}TFLOPS`);

  it('an f32 rate above the FP32 non-tensor peak is flagged as TF32 under an f32 label and never compared as f32', async () => {
    const folder = tempDir();
    const out = join(folder, 'mamf.json');
    const r = await runCli(['import', write(folder, 'h100-f32.log', mamfAs('NVIDIA H100 80GB HBM3', 'torch.float32', '403.7')), write(folder, 'h20-bf16.log', mamfAs('NVIDIA H20', 'torch.bfloat16', '140.2')), '-o', out]);
    expect(r.code).toBe(0);
    const [f32, bf16] = readImported(out);
    expect(f32!.checks).toContainEqual({ check: 'peak', status: 'flag', detail: '403.7 TFLOP/s fp32 is above the FP32 non-tensor peak (67 TFLOP/s): likely TF32 tensor cores under an f32 label; not compared as f32' });
    expect(bf16!.checks.find((k) => k.check === 'peak')).toMatchObject({ status: 'ok' });
    expect(bf16!.checks.find((k) => k.check === 'peak')!.detail).toMatch(/^140\.2 TFLOP\/s bf16 is 94\.7% of H20 96GB's FP16\/BF16 tensor peak/);
    expect(r.stdout).toMatch(/flag mamf-finder\/matmul\/f32\/best-shape-max\/m0-20480-256_n0-20480-256_k0-20480-256: 403\.7 TFLOP\/s fp32 is above the FP32\s+non-tensor peak/);
    // named as a source of the claims: the bf16 figure joins claim 4 and 5's measured checks, the f32 one is never used
    const claims = await runCli(['claims', '--measured', out, '--json']);
    expect(claims.code).toBe(0);
    const parsed = JSON.parse(claims.stdout) as { number: number; measured?: { figures: { figure: { value: number; precision: string; sources: string[]; mislabelled?: unknown } }[]; checks: { label: string; detail?: string; text?: string }[] } }[];
    const claim4 = parsed.find((c) => c.number === 4)!;
    const ours = claim4.measured!.figures.filter((u) => u.figure.sources.some((s) => s.startsWith('yours-')));
    expect(ours.map((u) => [u.figure.value, u.figure.precision, u.figure.mislabelled !== undefined])).toEqual(expect.arrayContaining([[140.2, 'bf16', false]]));
    expect(JSON.stringify(claim4.measured!.checks)).toContain('140.2 TFLOP/s bf16');
    const claim5 = parsed.find((c) => c.number === 5)!;
    expect(JSON.stringify(claim5.measured!.checks)).toMatch(/315\.36 TFLOP\/s bf16 \[m\d+\] \/ 140\.2 TFLOP\/s bf16 \[m\d+\] = 2\.25x/);
  });

  it('interconnect-claim --measured: 8 A100 in one host beside the article\'s 600 GB/s; the step model only with both chips of a pair measured', async () => {
    const folder = tempDir();
    const out = join(folder, 'a100.json');
    const a100 = 'nccl-tests-2.19.4-8xa100-80gb-allreduce-one-process.txt';
    expect((await runCli(['import', fixture(a100), '-o', out])).code).toBe(0);
    const r = await runCli(['interconnect-claim', '--measured', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/A100 SXM4 80GB\s+600 GB\/s\s+300 GB\/s\s+181\.3 GB\/s\s+60%\s+nccl-tests 2\.19\.4 all_reduce/);
    expect(r.stdout).toMatch(/The step model is fed only when both chips of a pair are measured .* Measured here: a100-sxm4-80gb\./s);
    // the same log as an A800's (its device renamed: constructed), so both chips of the pair are measured
    const a800 = join(folder, 'a800.json');
    expect((await runCli(['import', write(folder, 'a800.txt', text(a100).replaceAll('NVIDIA A100-SXM4-80GB', 'NVIDIA A800-SXM4-80GB')), '-o', a800])).code).toBe(0);
    const both = await runCli(['interconnect-claim', '--measured', out, a800]);
    expect(both.stdout).toMatch(/A800 SXM4 80GB\s+400 GB\/s\s+200 GB\/s\s+181\.3 GB\/s\s+91%/);
    expect(both.stdout).toMatch(/A800 SXM4 80GB \(measured\) vs A100 SXM4 80GB \(measured\)\s+181\.3 vs 181\.3\s+\S+ ms vs \S+ ms\s+0\.0%/);
  });
});
