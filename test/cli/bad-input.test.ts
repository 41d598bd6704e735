/**
 * Every bad input the foundation issue lists: one line naming the problem
 * and the fix, exit code 2, and the output file left as it was.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

const PREVIOUS = '{"previous": "result, must survive"}\n';

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
  { name: 'no command', args: () => [], message: /give a command: run, report, compare, history, export, backends, chips, claims or interconnect-claim/ },
];

describe('bad input', { timeout: 60_000 }, () => {
  it.each(rows)('$name: one line, exit 2, nothing overwritten', async (row) => {
    const dir = tempDir();
    const out = join(dir, 'result.json');
    writeFileSync(out, PREVIOUS);
    mkdirSync(join(dir, 'sub'));
    const r = await runCli(row.args(dir, out));
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^chipbench: /);
    expect(lines[0]).toMatch(row.message);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(PREVIOUS);
  });

  it('fake backends are refused unless the test switch is set', async () => {
    const r = await runCli(['run', '--backends', 'fake'], { CHIPBENCH_ENABLE_FAKE_BACKENDS: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--backends: unknown 'fake'/);
  });
});
