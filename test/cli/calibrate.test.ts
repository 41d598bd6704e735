/**
 * `chipbench calibrate` end to end with the fake backend: it runs the suite,
 * writes the noise file, prints the A/A false alarms and the detectable
 * changes; compare --noise reads the file; every bad input is one line and
 * exit 2.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNoiseFile } from '../../src/results/noise-file.js';
import { runCli, tempDir } from '../helpers/cli.js';

/** Each run's options: the fake backend, two shapes, two forks, quickly. */
const RUN = '--backends fake --workloads gemm --variant naive --sizes 8,3x5x7 --profile smoke --time-budget 5 --min-samples 3 --warmup-time 0 --warmup-iterations 0 --forks 2'.split(' ');

describe('chipbench calibrate', { timeout: 120_000 }, () => {
  it('runs the suite --runs times, writes the noise file, and reports false alarms and detectable changes', async () => {
    const dir = tempDir();
    const noisePath = join(dir, 'noise.json');
    const r = await runCli(['calibrate', '--runs', '2', '--folder', join(dir, 'runs'), '-o', noisePath, '--', ...RUN]);
    expect(r.stderr).toMatch(/calibrate: run 1 of 2 -> .*calibrate-\d{8}T\d{6}Z-01\.json/);
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, 'runs')).filter((f) => f.endsWith('.json'))).toHaveLength(2);
    const noise = readNoiseFile(noisePath);
    expect(noise.runs).toHaveLength(2);
    expect(Object.keys(noise.cases).sort()).toEqual(['gemm/fake/f32/m3-n5-k7/end-to-end', 'gemm/fake/f32/m3-n5-k7/resident', 'gemm/fake/f32/m8-n8-k8/end-to-end', 'gemm/fake/f32/m8-n8-k8/resident']);
    for (const entry of Object.values(noise.cases)) expect(entry).toMatchObject({ runDf: 1, forks: 2, device: expect.stringMatching(/^fake on /) });
    expect(r.stdout).toMatch(/A\/A over 1 consecutive pairs/);
    expect(r.stdout).toMatch(/forks alone: \d+ regressed, \d+ improved of 4 case comparisons/);
    expect(r.stdout).toMatch(/fake gemm\s+4\s+\d+\.\d%/);
    expect(r.stdout).toContain(`--noise ${noisePath}`);

    // compare reads it: the cases are judged against the runner's spread
    const [a, b] = readdirSync(join(dir, 'runs')).sort().map((f) => join(dir, 'runs', f));
    const c = await runCli(['compare', a!, b!, '--noise', noisePath, '--json']);
    expect(c.code).toBe(0);
    const comparison = JSON.parse(c.stdout) as { cases: { basis: string; runnerSpread?: { se: number } }[] };
    expect(comparison.cases.every((x) => x.basis === 'runner' && x.runnerSpread!.se > 0)).toBe(true);
  });

  it('reads runs already made instead of running', async () => {
    const dir = tempDir();
    const files = [1, 2].map((i) => join(dir, `r${i}.json`));
    for (const f of files) expect((await runCli(['run', ...RUN, '-o', f])).code).toBe(0);
    const r = await runCli(['calibrate', ...files, '-o', join(dir, 'noise.json')]);
    expect(r.code).toBe(0);
    expect(readNoiseFile(join(dir, 'noise.json')).runs).toEqual(files);
  });

  it('bad input: one line naming the problem and the fix, exit 2, nothing written', async () => {
    const dir = tempDir();
    const cases: [string[], RegExp][] = [
      [['calibrate', '--runs', '1', '-o', join(dir, 'n.json')], /^chipbench: --runs: '1' is too few .*give an integer of at least 2/],
      [['calibrate', '--runs', '2', '-o', join(dir, 'n.json'), '--', '-o', 'x.json'], /^chipbench: options after --: calibrate names each run's result file itself/],
      [['calibrate', join(dir, 'missing.json'), '-o', join(dir, 'n.json')], /^chipbench: .*missing\.json/],
      [['calibrate', '--noise', join(dir, 'x.json'), '-o', join(dir, 'n.json')], /^chipbench: --noise: calibrate measures the spread between runs itself; drop it/],
      [['calibrate', '--runs', '2', '--folder', join(dir, 'runs'), '-o', join(dir, 'n.json'), '--', '--no-such-option'], /^chipbench: options after --: 'chipbench run' refused them/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n').at(-1)).toMatch(message);
    }
    expect(existsSync(join(dir, 'n.json'))).toBe(false);
    const bad = join(dir, 'bad-noise.json');
    writeFileSync(bad, '{"schemaVersion":1,"kind":"chipbench-noise"}');
    const r = await runCli(['compare', bad, bad, '--noise', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^chipbench: .*bad-noise\.json: not a chipbench noise file \(\$\.createdAt: .*\); give a file written by 'chipbench calibrate'/);
  });
});
