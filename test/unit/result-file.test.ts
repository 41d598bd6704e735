import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/input-error.js';
import { writeFileAtomic } from '../../src/results/atomic-write.js';
import { parseRunResult, readRunResult } from '../../src/results/read-result.js';
import { ResultFile } from '../../src/results/result-file.js';
import { RESULT_SCHEMA_VERSION, type RunResult } from '../../src/results/schema.js';
import { tempDir } from '../helpers/cli.js';
import { gemmCase, minimalRun, runWith } from '../helpers/run-result.js';

describe('RunResult reading', () => {
  it('round-trips a valid file', () => {
    const run = minimalRun();
    expect(parseRunResult(JSON.stringify(run), 'r.json')).toEqual(run);
  });
  it('names the file and the fix for text that is not JSON', () => {
    expect(() => parseRunResult('{"schemaVersion": 1,', 'r.json')).toThrow(/^r\.json: not valid JSON .*; give a result file written by 'chipbench run'$/);
  });
  it('names the JSON path of a wrong field', () => {
    const run = minimalRun() as unknown as { cases: unknown[] };
    run.cases.push({ id: 'x', outcome: 'maybe' });
    expect(() => parseRunResult(JSON.stringify(run), 'r.json')).toThrow(/^r\.json: not a chipbench result \(\$\.cases\[0\]\./);
  });
  it('refuses slices that do not partition the samples, naming the path', () => {
    const c = gemmCase([1, 2, 3]);
    const fork = c.measurement!.forks[0]!;
    fork.slices = [{ count: 1, medianSeconds: 1 }, { count: 1, medianSeconds: 2 }];
    const run = runWith([c]);
    expect(() => parseRunResult(JSON.stringify(run), 'r.json')).toThrow(/\$\.cases\[0\]\.measurement\.forks\[0\]\.slices: the slices do not add up to sampleCount/);
    fork.slices.push({ count: 1, medianSeconds: 3 });
    expect(parseRunResult(JSON.stringify(run), 'r.json').cases[0]!.measurement!.forks[0]!.slices).toHaveLength(3);
  });
  it('refuses forks that do not add up to the headline, naming the path', () => {
    const c = gemmCase([[1, 2, 3], [2, 3, 4]]);
    c.measurement!.sampleCount = 5;
    expect(() => parseRunResult(JSON.stringify(runWith([c])), 'r.json')).toThrow(/\$\.cases\[0\]\.measurement\.sampleCount: sampleCount is not the forks' total/);
  });
  it('refuses a file of schemaVersion 1 (one process per case) with one line that says how to re-run', () => {
    const run = { ...minimalRun(), schemaVersion: 1 };
    expect(() => parseRunResult(JSON.stringify(run), 'old.json')).toThrow(
      /^old\.json: schemaVersion 1 is from an earlier chipbench that measured each case in one process, without forks; re-run that build's suite with this version \(chipbench run, same --profile and options\) to compare or report it$/,
    );
  });
  it('asks for an upgrade for a future schemaVersion', () => {
    const run = { ...minimalRun(), schemaVersion: RESULT_SCHEMA_VERSION + 1 };
    expect(() => parseRunResult(JSON.stringify(run), 'r.json')).toThrow(/schemaVersion 6 is newer than this chipbench understands \(5\); upgrade chipbench/);
  });
  it('refuses a missing file as input error', () => {
    expect(() => readRunResult('/nonexistent/r.json')).toThrow(InputError);
  });
});

describe('writing', () => {
  it('replaces a file atomically and leaves no temporary file', () => {
    const dir = tempDir();
    const path = join(dir, 'r.json');
    writeFileSync(path, 'old');
    writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['r.json']);
  });
  it('keeps the old file when the write cannot happen', () => {
    const dir = tempDir();
    const path = join(dir, 'missing-folder', 'r.json');
    expect(() => writeFileAtomic(path, 'new')).toThrow();
    expect(existsSync(path)).toBe(false);
  });
  it('ResultFile writes at creation and after every case, always a valid RunResult', () => {
    const path = join(tempDir(), 'r.json');
    const file = new ResultFile(path, minimalRun());
    expect(readRunResult(path).cases).toHaveLength(0);
    file.putCase({
      id: 'gemm/fake/f32/m2-n2-k2/resident', workload: 'gemm', backend: 'fake', precision: 'f32', timing: 'resident',
      shape: { m: 2, n: 2, k: 2 }, seed: 1, outcome: 'skipped', reason: 'test', startedAt: 'now', wallSeconds: 0,
    });
    expect(readRunResult(path).cases).toHaveLength(1);
    // a later fork's record replaces the case, it does not add one
    file.putCase({
      id: 'gemm/fake/f32/m2-n2-k2/resident', workload: 'gemm', backend: 'fake', precision: 'f32', timing: 'resident',
      shape: { m: 2, n: 2, k: 2 }, seed: 1, outcome: 'error', reason: 'fork 2 of 2: test', startedAt: 'now', wallSeconds: 0,
    });
    expect(readRunResult(path).cases.map((c) => c.reason)).toEqual(['fork 2 of 2: test']);
    file.finish('complete');
    expect(readRunResult(path).status).toBe('complete');
  });
  it('refuses to write a record that would not read back', () => {
    const path = join(tempDir(), 'r.json');
    const file = new ResultFile(path, minimalRun());
    expect(() => file.putCase({ id: '' } as never)).toThrow();
    expect(readRunResult(path).cases).toHaveLength(0);
  });
});
