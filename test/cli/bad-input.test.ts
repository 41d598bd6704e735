/**
 * Every bad input the foundation issue lists: one line naming the problem
 * and the fix, exit code 2, and the output file left as it was.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { folderSnapshot } from '../helpers/folder-snapshot.js';
import { gemmCase, runWith } from '../helpers/run-result.js';

const PREVIOUS = '{"previous": "result, must survive"}\n';
/** This checkout: a real base for --against rows that must fail on another option first. */
const REPO = resolve(import.meta.dirname, '../..');
/** A valid result with the case a fake run at size 4 has, for rows that need a readable baseline. */
const BASE_RESULT = JSON.stringify(runWith([gemmCase([0.001, 0.0011], {}, 4)]));
/** A valid chip file of one chip (the first shipped one, renamed). */
const shipped = JSON.parse(readFileSync(join(REPO, 'reference-data/chips.json'), 'utf8'));
const USER_CHIPS = JSON.stringify({ schemaVersion: 1, sources: shipped.sources, chips: [{ ...shipped.chips[0], id: 'user-chip' }] });

/** Writes a file and returns its path: for rows whose input is a file. */
function writeFile(path: string, text: string): string {
  writeFileSync(path, text);
  return path;
}

interface Row {
  name: string;
  args: (dir: string, out: string) => string[];
  /** a fragment of the one-line message */
  message: RegExp;
}

const rows: Row[] = [
  { name: 'unknown backend', args: (_, o) => ['run', '--backends', 'cuda', '-o', o], message: /--backends: unknown 'cuda'; choose from cpu, webasm, headlessgl, webgpu/ },
  { name: 'empty backend list', args: (_, o) => ['run', '--backends', ',', '-o', o], message: /--backends: empty/ },
  { name: 'unknown workload', args: (_, o) => ['run', '--workloads', 'fft', '-o', o], message: /--workloads: unknown 'fft'; choose from gemm/ },
  { name: 'unknown profile', args: (_, o) => ['run', '--profile', 'huge', '-o', o], message: /--profile: unknown 'huge'; choose from smoke, quick, standard, full/ },
  { name: 'unknown timing', args: (_, o) => ['run', '--timings', 'warm', '-o', o], message: /--timings: unknown 'warm'/ },
  { name: 'zero size', args: (_, o) => ['run', '--backends', 'fake', '--sizes', '0', '-o', o], message: /--sizes: '0' has a zero dimension/ },
  { name: 'negative size', args: (_, o) => ['run', '--backends', 'fake', '--sizes', '-5', '-o', o], message: /--sizes: '-5' is not a size/ },
  { name: 'non-integer size', args: (_, o) => ['run', '--backends', 'fake', '--sizes', '2.5', '-o', o], message: /--sizes: '2.5' is not a size/ },
  { name: 'text size', args: (_, o) => ['run', '--backends', 'fake', '--sizes', 'big', '-o', o], message: /--sizes: 'big' is not a size/ },
  { name: 'two-part shape', args: (_, o) => ['run', '--backends', 'fake', '--sizes', '4x4', '-o', o], message: /--sizes: '4x4' must be one integer \(a cube\) or MxNxK/ },
  { name: 'repeated shape', args: (_, o) => ['run', '--backends', 'fake', '--sizes', '4,4x4x4', '-o', o], message: /--sizes: 4x4x4 is given twice; give each shape once/ },
  { name: 'empty size entry', args: (_, o) => ['run', '--backends', 'fake', '--sizes', '4,,8', '-o', o], message: /--sizes: '4,,8' has an empty entry/ },
  { name: 'size beyond host memory', args: (_, o) => ['run', '--backends', 'fake', '--sizes', '1000000x1000000x1', '-o', o], message: /--sizes: 1000000x1000000x1 needs about \d+\.\d+ GiB of host memory but \d+\.\d+ GiB is available; give smaller --sizes/ },
  { name: 'size beyond the device limit', args: (_, o) => ['run', '--backends', 'fake', '--sizes', '5000x5000x1', '-o', o], message: /--sizes: 5000x5000x1 needs a 0\.09 GiB buffer for C but the fake backend \(64 MiB per buffer\) allows 0\.06 GiB on fake; give smaller --sizes or leave fake out of --backends/ },
  { name: 'output folder missing', args: (d) => ['run', '--backends', 'fake', '-o', join(d, 'no', 'such', 'r.json')], message: /--output: folder .* does not exist; create it or give another --output path/ },
  { name: 'output is a folder', args: (d) => ['run', '--backends', 'fake', '-o', d], message: /--output: .* is a folder; give a file path/ },
  { name: 'output under a file', args: (_, o) => ['run', '--backends', 'fake', '-o', join(o, 'x.json')], message: /--output: .* is not a folder|does not exist/ },
  { name: 'negative time budget', args: (_, o) => ['run', '--backends', 'fake', '--time-budget', '-1', '-o', o], message: /--time-budget: '-1' is not a positive number/ },
  { name: 'text time budget', args: (_, o) => ['run', '--backends', 'fake', '--time-budget', 'soon', '-o', o], message: /--time-budget: 'NaN' is not a positive number/ },
  { name: 'fractional min samples', args: (_, o) => ['run', '--backends', 'fake', '--min-samples', '2.5', '-o', o], message: /--min-samples: '2.5' is not a positive integer/ },
  { name: 'zero case timeout', args: (_, o) => ['run', '--backends', 'fake', '--case-timeout', '0', '-o', o], message: /--case-timeout: '0' is not a positive number/ },
  { name: 'negative warm-up', args: (_, o) => ['run', '--backends', 'fake', '--warmup-iterations', '-1', '-o', o], message: /--warmup-iterations: '-1' is not a non-negative integer/ },
  { name: 'fractional seed', args: (_, o) => ['run', '--backends', 'fake', '--seed', '1.5', '-o', o], message: /--seed: '1.5' is not an integer/ },
  { name: 'unknown option', args: (_, o) => ['run', '--backend', 'cpu', '-o', o], message: /Unknown argument/ },
  { name: 'unknown command', args: () => ['benchmark'], message: /Unknown argument: benchmark/ },
  {
    name: 'chip file that is not JSON',
    args: (d, o) => ['run', '--backends', 'fake', '--chips', writeFile(join(d, 'bad-chips.json'), '{'), '-o', o],
    message: /bad-chips\.json: cannot read it as a chip table \(.*\); give a JSON file in the format of reference-data\/chips\.json/,
  },
  {
    name: 'chip file with a chip missing its fields',
    args: (d, o) => ['run', '--backends', 'fake', '--chips', writeFile(join(d, 'thin.json'), '{"schemaVersion":1,"sources":{},"chips":[{"id":"x"}]}'), '-o', o],
    message: /thin\.json: not a valid chip table at \$\.chips\[0\]\.name: .*; fix that field/,
  },
  { name: 'chip file missing (chips)', args: (d) => ['chips', '--chips', join(d, 'none.json')], message: /none\.json: cannot read it as a chip table \(no such file\)/ },
  { name: 'chip file missing (claims)', args: (d) => ['claims', '--chips', join(d, 'none.json')], message: /none\.json: cannot read it as a chip table \(no such file\)/ },
  { name: 'json and markdown at once', args: () => ['chips', '--json', '--markdown'], message: /Arguments json and markdown are mutually exclusive/ },
  { name: 'no command', args: () => [], message: /give a command: run, list, report, compare, history, import, calibrate, export, backends, chips, claims or interconnect-claim/ },
  { name: 'one rank', args: (_, o) => ['run', '--backends', 'fake', '--ranks', '1', '-o', o], message: /--ranks: '1' is not a rank count; a collective needs an integer of at least 2/ },
  { name: 'min bytes above max bytes', args: (_, o) => ['run', '--backends', 'fake', '--min-bytes', '1MiB', '--max-bytes', '1KiB', '-o', o], message: /--min-bytes 1048576 is larger than --max-bytes 1024; give min <= max/ },
  { name: 'a size step of 1', args: (_, o) => ['run', '--backends', 'fake', '--step-factor', '1', '-o', o], message: /--step-factor: '1' must be an integer of at least 2/ },
  { name: 'a byte count with an unknown unit', args: (_, o) => ['run', '--backends', 'fake', '--min-bytes', '12XB', '-o', o], message: /--min-bytes: '12XB' is not a size; give bytes like 4096, 4K or 64MiB/ },
  { name: 'unknown algorithm', args: (_, o) => ['run', '--backends', 'fake', '--algorithms', 'tree', '-o', o], message: /--algorithms: unknown 'tree'; choose from ring, halving-doubling, direct/ },
  { name: 'empty timings', args: (_, o) => ['run', '--backends', 'fake', '--timings', ',', '-o', o], message: /--timings: empty; give one or more of end-to-end, resident/ },
  { name: 'a size beyond any machine', args: (_, o) => ['run', '--backends', 'fake', '--sizes', '99999999999999999999', '-o', o], message: /--sizes: '99999999999999999999' has a dimension over 1048576; give smaller sizes/ },
  { name: 'an infinite time budget', args: (_, o) => ['run', '--backends', 'fake', '--time-budget', 'Infinity', '-o', o], message: /--time-budget: 'Infinity' is not a positive number/ },
  { name: 'zero min samples', args: (_, o) => ['run', '--backends', 'fake', '--min-samples', '0', '-o', o], message: /--min-samples: '0' is not a positive integer/ },
  { name: 'a case timeout past what a timer holds', args: (_, o) => ['run', '--backends', 'fake', '--case-timeout', '1e9', '-o', o], message: /--case-timeout: '1000000000' is longer than a week \(604800 s\); give e\.g\. --case-timeout 600/ },
  { name: 'an option given twice', args: (_, o) => ['run', '--backends', 'fake', '--backends', 'cpu', '-o', o], message: /--backends: given 2 times; give it once \(a list goes in one value/ },
  { name: 'the output given twice', args: (d, o) => ['run', '--backends', 'fake', '-o', o, '-o', join(d, 'other.json')], message: /--output: given 2 times; give it once/ },
  { name: 'zero time slices', args: (_, o) => ['run', '--backends', 'fake', '--time-slices', '0', '-o', o], message: /--time-slices: '0' is not a positive integer; give e\.g\. --time-slices 5/ },
  { name: 'fractional time slices', args: (_, o) => ['run', '--backends', 'fake', '--time-slices', '2.5', '-o', o], message: /--time-slices: '2\.5' is not a positive integer/ },
  { name: 'absurd time slices', args: (_, o) => ['run', '--backends', 'fake', '--time-slices', '5000', '-o', o], message: /--time-slices: '5000' is more than 1000; give fewer, e\.g\. --time-slices 8/ },
  { name: 'empty webgpu adapter', args: (_, o) => ['run', '--backends', 'fake', '--webgpu-adapter', ' ', '-o', o], message: /--webgpu-adapter: it is empty; give an index, a Dawn backend or part of a name from 'chipbench backends'/ },
  { name: 'webgpu adapter without webgpu', args: (_, o) => ['run', '--backends', 'fake', '--webgpu-adapter', '0', '-o', o], message: /--webgpu-adapter: it chooses the webgpu backend's adapter, and --backends \(fake\) leaves webgpu out; add webgpu, or drop it/ },
  { name: 'time slices with --against', args: (_, o) => ['run', '--backends', 'fake', '--against', REPO, '--time-slices', '4', '-o', o], message: /--time-slices: an interleaved run alternates each case's slices with the base build's; set them with --slices/ },
  { name: 'too few slices', args: (_, o) => ['run', '--backends', 'fake', '--against', REPO, '--slices', '1', '-o', o], message: /--slices: '1' is too few slices to judge a case on its pairs; give an integer of at least 12/ },
  { name: 'against a folder that is no checkout', args: (d, o) => ['run', '--backends', 'fake', '--against', d, '-o', o], message: /--against: .* is not a chipbench checkout \(no package\.json\); give the folder of a built base/ },
  { name: 'a CPU this machine lacks', args: (_, o) => ['run', '--backends', 'fake', '--pin-cpu', '4096', '-o', o], message: /--pin-cpu: '4096' is not a CPU of this machine; give 0 to \d+, or none/ },
  { name: 'a CPU that is no number', args: (_, o) => ['run', '--backends', 'fake', '--pin-cpu', 'last', '-o', o], message: /--pin-cpu: 'last' is not a CPU of this machine/ },
  { name: 'against-output without against', args: (d, o) => ['run', '--backends', 'fake', '--against-output', join(d, 'b.json'), '-o', o], message: /--against-output: it names the base side of an interleaved run; give --against BASE_DIR too, or drop it/ },
  {
    name: 'the output is the baseline',
    args: (d) => ['run', '--backends', 'fake', '--sizes', '4', '--baseline', writeFile(join(d, 'base.json'), BASE_RESULT), '-o', join(d, 'base.json')],
    message: /--output: it is the baseline file \(.*base\.json\); give another path/,
  },
  {
    name: 'the output is a chip file',
    args: (d) => ['run', '--backends', 'fake', '--chips', writeFile(join(d, 'mine.json'), USER_CHIPS), '-o', join(d, 'mine.json')],
    message: /--output: it is the --chips file \(.*mine\.json\); give another path/,
  },
];

describe('bad input', { timeout: 60_000 }, () => {
  it.each(rows)('$name: one line, exit 2, nothing overwritten', async (row) => {
    const dir = tempDir();
    const out = join(dir, 'result.json');
    writeFileSync(out, PREVIOUS);
    mkdirSync(join(dir, 'sub'));
    const args = row.args(dir, out);
    const before = folderSnapshot(dir);
    const r = await runCli(args);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^chipbench: /);
    expect(lines[0]).toMatch(row.message);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(PREVIOUS);
    expect(folderSnapshot(dir)).toEqual(before);
  });

  it('fake backends are refused unless the test switch is set', async () => {
    const r = await runCli(['run', '--backends', 'fake'], { CHIPBENCH_ENABLE_FAKE_BACKENDS: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--backends: unknown 'fake'/);
  });
});
