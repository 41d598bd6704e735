/**
 * Bad files, one row each, through every command that reads them: result
 * files (compare, report, history, export, run --baseline) and chip tables
 * (--chips). Each row must end in one line on stderr that names the file,
 * the problem and the fix, exit code 2, nothing on stdout, and no file in
 * the folder created, changed or removed.
 */
import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { folderSnapshot } from '../helpers/folder-snapshot.js';
import { gemmCase, runWith } from '../helpers/run-result.js';

/** A valid result with one GEMM case, as text. */
const VALID_RESULT = JSON.stringify(runWith([gemmCase([0.001, 0.0011, 0.0012])]), null, 2);
const SHIPPED_CHIPS = readFileSync(join(import.meta.dirname, '../../reference-data/chips.json'), 'utf8');
/** A valid user chip file: one chip, one source. */
const chip = JSON.parse(SHIPPED_CHIPS).chips[0];
const VALID_CHIPS = { schemaVersion: 1, sources: JSON.parse(SHIPPED_CHIPS).sources, chips: [{ ...chip, id: 'user-chip' }] };

const HUNDRED_MB = 'x'.repeat(100 * 1024 * 1024);
/** 100 000 nested arrays, as text: JSON.stringify recurses and could not write it. */
const DEEP = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;

/** The valid result with one change made to its parsed form. */
function resultWith(edit: (r: Record<string, any>) => void): string {
  const r = JSON.parse(VALID_RESULT);
  edit(r);
  return JSON.stringify(r);
}
function chipsWith(edit: (c: Record<string, any>) => void): string {
  const c = structuredClone(VALID_CHIPS) as Record<string, any>;
  edit(c);
  return JSON.stringify(c);
}

interface Row {
  name: string;
  /** the bad file's text, or undefined for no file at all */
  file: string | undefined;
  /** the command line, given the bad file, a valid result file and a scratch folder */
  args: (bad: string, valid: string, dir: string) => string[];
  message: RegExp;
}

const compare = (bad: string, valid: string) => ['compare', valid, bad];
const report = (bad: string) => ['report', bad];

const resultRows: Row[] = [
  { name: 'result: missing (compare)', file: undefined, args: compare, message: /bad\.json: cannot read the result file \(no such file\); check the path/ },
  { name: 'result: a folder (report)', file: undefined, args: (_, __, d) => ['report', d], message: /: cannot read the result file \(it is a folder\)/ },
  { name: 'result: empty (report)', file: '', args: report, message: /bad\.json: not valid JSON \(.*\); give a result file written by 'chipbench run'/ },
  { name: 'result: truncated (compare)', file: VALID_RESULT.slice(0, VALID_RESULT.length >> 1), args: compare, message: /bad\.json: not valid JSON/ },
  { name: 'result: binary garbage (export)', file: '\u0000\u00ff\u0001PK\u0003\u0004', args: (b) => ['export', b, '--format', 'bencher'], message: /bad\.json: not valid JSON/ },
  { name: 'result: a JSON array (history)', file: '[]', args: (b) => ['history', b], message: /bad\.json: not a chipbench result \(\$: .*\); give a file written by 'chipbench run'/ },
  { name: 'result: JSON null (compare)', file: 'null', args: compare, message: /bad\.json: not a chipbench result/ },
  { name: 'result: a chip table given as a result (report)', file: SHIPPED_CHIPS, args: report, message: /bad\.json: not a chipbench result \(\$\.\w+: / },
  { name: 'result: schemaVersion from the future (compare)', file: resultWith((r) => (r.schemaVersion = 99)), args: compare, message: /bad\.json: schemaVersion 99 is newer than this chipbench understands \(5\); upgrade chipbench/ },
  { name: 'result: schemaVersion 0 (report)', file: resultWith((r) => (r.schemaVersion = 0)), args: report, message: /bad\.json: not a chipbench result \(\$\.schemaVersion: / },
  { name: 'result: NaN written by a careless tool (compare)', file: VALID_RESULT.replace(/"medianSeconds": [\d.e-]+/, '"medianSeconds": NaN'), args: compare, message: /bad\.json: not valid JSON/ },
  { name: 'result: NaN as a string (compare)', file: resultWith((r) => (r.cases[0].measurement.medianSeconds = 'NaN')), args: compare, message: /\$\.cases\[0\]\.measurement\.medianSeconds: .*number/ },
  { name: 'result: 1e999, i.e. Infinity (report)', file: VALID_RESULT.replace(/"medianSeconds": [\d.e-]+/, '"medianSeconds": 1e999'), args: report, message: /\$\.cases\[0\]\.measurement\.medianSeconds: / },
  { name: 'result: a negative time (compare)', file: resultWith((r) => (r.cases[0].measurement.forks[0].samplesSeconds[0] = -1)), args: compare, message: /\$\.cases\[0\]\.measurement\.forks\[0\]\.samplesSeconds\[0\]: / },
  { name: 'result: schemaVersion 1, from before forks (report)', file: resultWith((r) => (r.schemaVersion = 1)), args: report, message: /bad\.json: schemaVersion 1 is from an earlier chipbench that measured each case in one process, without forks; re-run/ },
  { name: 'result: a fractional sample count (history)', file: resultWith((r) => (r.cases[0].measurement.sampleCount = 2.5)), args: (b) => ['history', b], message: /\$\.cases\[0\]\.measurement\.sampleCount: / },
  { name: 'result: an absurd core count (report)', file: resultWith((r) => (r.environment.cpu.logicalCores = -4)), args: report, message: /\$\.environment\.cpu\.logicalCores: / },
  { name: 'result: an unknown outcome (compare)', file: resultWith((r) => (r.cases[0].outcome = 'maybe')), args: compare, message: /\$\.cases\[0\]\.outcome: / },
  { name: 'result: a 100 MB device name (report)', file: resultWith((r) => (r.environment.hostname = HUNDRED_MB)), args: report, message: /\$\.environment\.hostname: .*(too big|<=|at most)/i },
  { name: 'result: a 100 MB case id (compare)', file: resultWith((r) => (r.cases[0].id = HUNDRED_MB)), args: compare, message: /\$\.cases\[0\]\.id: / },
  { name: 'result: nested 100000 deep (compare)', file: DEEP, args: compare, message: /bad\.json: not a chipbench result/ },
  { name: 'result: nested 100000 deep inside a case (report)', file: resultWith((r) => (r.cases[0].executed = 'DEEP')).replace('"DEEP"', DEEP), args: report, message: /\$\.cases\[0\]\.executed: / },
  { name: 'result: cases is not a list (export)', file: resultWith((r) => (r.cases = { 0: 1 })), args: (b) => ['export', b, '--format', 'github-action-benchmark'], message: /\$\.cases: / },
  { name: 'result: missing its environment (compare)', file: resultWith((r) => delete r.environment), args: compare, message: /\$\.environment: / },
  { name: 'result: a broken baseline for run (nothing runs)', file: '{"schemaVersion": 1', args: (b, _, d) => ['run', '--backends', 'fake', '--baseline', b, '-o', join(d, 'never.json')], message: /bad\.json: not valid JSON/ },
  { name: 'result: a broken --history file (compare)', file: 'not json', args: (b, v) => ['compare', v, v, '--history', b], message: /bad\.json: not valid JSON/ },
  { name: 'result: a folder with no results (history)', file: undefined, args: (_, __, d) => (mkdirSync(join(d, 'empty')), ['history', join(d, 'empty')]), message: /empty: no \.json result files in this folder/ },
];

const chipRows: Row[] = [
  { name: 'chips: missing (run)', file: undefined, args: (b, _, d) => ['run', '--backends', 'fake', '--chips', b, '-o', join(d, 'never.json')], message: /bad\.json: cannot read it as a chip table \(no such file\); give a JSON file in the format of reference-data\/chips\.json/ },
  { name: 'chips: empty (chips)', file: '', args: (b) => ['chips', '--chips', b], message: /bad\.json: cannot read it as a chip table \(.*JSON.*\)/ },
  { name: 'chips: truncated (claims)', file: SHIPPED_CHIPS.slice(0, 500), args: (b) => ['claims', '--chips', b], message: /bad\.json: cannot read it as a chip table/ },
  { name: 'chips: a result file given as a chip table (chips)', file: VALID_RESULT, args: (b) => ['chips', '--chips', b], message: /bad\.json: not a valid chip table at \$/ },
  { name: 'chips: schemaVersion from the future (chips)', file: chipsWith((c) => (c.schemaVersion = 2)), args: (b) => ['chips', '--chips', b], message: /bad\.json: schemaVersion 2 is newer than this chipbench understands \(1\); upgrade chipbench/ },
  { name: 'chips: a negative peak (chips)', file: chipsWith((c) => (c.chips[0].peaks.fp32.value = -67)), args: (b) => ['chips', '--chips', b], message: /\$\.chips\[0\]\.peaks\.fp32\.value: .*; fix that field/ },
  { name: 'chips: 1e999, i.e. Infinity (report)', file: SHIPPED_CHIPS.replace(/"value": [\d.]+/, '"value": 1e999'), args: (b, v) => ['report', v, '--chips', b, '--out', `${v}.html`], message: /\$\.chips\[0\]\.\w+(\.\w+)*\.value: / },
  { name: 'chips: an absurd peak, 10^12 TFLOP/s (claims)', file: chipsWith((c) => (c.chips[0].peaks.fp32.value = 1e12)), args: (b) => ['claims', '--chips', b], message: /\$\.chips\[0\]\.peaks\.fp32\.value: / },
  { name: 'chips: NaN (chips)', file: SHIPPED_CHIPS.replace(/"value": [\d.]+/, '"value": NaN'), args: (b) => ['chips', '--chips', b], message: /bad\.json: cannot read it as a chip table \(.*JSON.*\)/ },
  { name: 'chips: a 100 MB note (chips)', file: chipsWith((c) => (c.chips[0].peaks.fp32.note = HUNDRED_MB)), args: (b) => ['chips', '--chips', b], message: /\$\.chips\[0\]\.peaks\.fp32\.note: / },
  { name: 'chips: nested 100000 deep (claims)', file: DEEP, args: (b) => ['claims', '--chips', b], message: /bad\.json: not a valid chip table at \$: / },
  { name: 'chips: a chip id given twice (chips)', file: chipsWith((c) => c.chips.push(c.chips[0])), args: (b) => ['chips', '--chips', b], message: /\$\.chips\[1\]\.id 'user-chip' appears twice; give each chip its own id/ },
  { name: 'chips: a shipped chip id reused (chips)', file: chipsWith((c) => (c.chips[0].id = chip.id)), args: (b) => ['chips', '--chips', b], message: new RegExp(`\\$\\.chips\\[0\\]\\.id '${chip.id}' is already in .*; choose another id`) },
  { name: 'chips: a source cited but not defined (chips)', file: chipsWith((c) => (c.sources = {})), args: (b) => ['chips', '--chips', b], message: /cites source '.*', which \$\.sources does not define; add it there/ },
  { name: 'chips: an unknown field (chips)', file: chipsWith((c) => (c.chips[0].fp4 = 1)), args: (b) => ['chips', '--chips', b], message: /\$\.chips\[0\]: .*; fix that field/ },
  { name: 'chips: no chips (claims)', file: chipsWith((c) => (c.chips = [])), args: (b) => ['claims', '--chips', b], message: /\$\.chips: / },
];

describe('bad result and chip files', { timeout: 120_000 }, () => {
  it.each([...resultRows, ...chipRows])('$name: one line naming the file and the fix, exit 2, nothing written', async (row) => {
    const dir = tempDir();
    const bad = join(dir, 'bad.json');
    const valid = join(dir, 'valid.json');
    writeFileSync(valid, VALID_RESULT);
    if (row.file !== undefined) writeFileSync(bad, row.file);
    const args = row.args(bad, valid, dir);
    const before = folderSnapshot(dir);
    const r = await runCli(args);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThan(2000); // a 100 MB value is named, never echoed
    expect(lines[0]).toMatch(/^chipbench: /);
    expect(lines[0]).toMatch(row.message);
    expect(folderSnapshot(dir)).toEqual(before);
  });

  it('a result file past the 256 MiB chipbench reads is refused before it is read', async () => {
    const dir = tempDir();
    const huge = join(dir, 'huge.json');
    writeFileSync(huge, '');
    truncateSync(huge, 257 * 1024 * 1024); // sparse: no disk used
    const r = await runCli(['report', huge]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`chipbench: ${huge}: cannot read the result file (257 MiB, more than the 256 MiB chipbench reads); check the path; give a result file written by 'chipbench run'\n`);
  });

});
