/**
 * Suite files' pieces on tiny inputs: size labels, a case's listing and its problems, the output checks, the host
 * kernel runner, the plan's kernel jobs (duplicates, filters) and which files a run selects.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { suiteCase } from '../../src/suite/load-suite.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sizeLabel } from '../../src/suite/size-label.js';
import { listSuite as listSuiteIn, NotASuite, unloadedSuite } from '../../src/suite/listing.js';
import { defineSuite, kernelCase } from '../../src/suite/define.js';
import { checkAgainstReference, checkWithCase, flattenOutput } from '../../src/suite/verify-output.js';
import { runOnHost } from '../../src/backends/host-kernel.js';
import { seededRandom } from '../../src/suite/seeded-random.js';
import { RunPlan } from '../../src/plan/plan.js';
import { suiteSelection } from '../../src/cli/suite-option.js';
import { InputError } from '../../src/errors/input-error.js';
import { kernelMetrics } from '../../src/results/case-figures.js';
import { tempDir } from '../helpers/cli.js';
import { builtinListings, builtinPlan } from '../helpers/builtin-suites.js';

/** A run's sweep for sizes given as a function: the quick profile's. */
const RUN = { profile: 'quick', bytes: [4096, 32768, 262144], ranks: 8, shapes: [{ m: 128, n: 128, k: 128 }] };
const listSuite = (file: string, path: string, sha256: string, module: unknown) => listSuiteIn(file, path, sha256, module, { run: RUN });

const copyCase = {
  kernel: (n: number) => ({ source: function (this: { thread: { x: number } }, x: number[]) { return x[this.thread.x]!; }, output: [n] }),
  inputs: (n: number) => [new Float32Array(n)],
  reference: ([x]: readonly (number | Float32Array)[]) => x as Float32Array,
  tolerance: { absolute: 0 },
  work: (n: number) => ({ bytes: 8 * n }),
};
const suiteOf = (cases: unknown[]) => ({ default: defineSuite({ name: 's', cases: cases as never }) });

describe('size labels', () => {
  it('labels numbers n<value> and named dimensions in key order', () => {
    expect(sizeLabel(1024)).toEqual({ label: 'n1024', dims: { n: 1024 } });
    expect(sizeLabel({ rows: 256, cols: 1024 })).toEqual({ label: 'rows256-cols1024', dims: { rows: 256, cols: 1024 } });
  });
  it('refuses a label too long for an id, and quotes a long value short', () => {
    const dims = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`dimension${i}`, 1000000 + i]));
    expect(sizeLabel(dims)).toEqual({ problem: expect.stringMatching(/^size \{"dimension0":1000000,.{35}\.\.\. makes a label of 369 characters; an id takes at most 200 for the size$/) });
    expect(sizeLabel(new Array(6000).fill(1))).toEqual({ problem: expect.stringMatching(/^size \[1,1,.*\.\.\. is neither a number nor an object of named dimensions$/) });
  });
  it('refuses what cannot be an id', () => {
    expect(sizeLabel(0)).toEqual({ problem: 'size 0 is not a positive whole number' });
    expect(sizeLabel(2.5)).toEqual({ problem: 'size 2.5 is not a positive whole number' });
    expect(sizeLabel({})).toEqual({ problem: 'a size {} names no dimension' });
    expect(sizeLabel({ Rows: 2 })).toEqual({ problem: 'size dimension "Rows" must be lowercase letters and digits, starting with a letter' });
    expect(sizeLabel({ rows: -1 })).toEqual({ problem: 'size dimension rows: -1 is not a positive whole number' });
    expect(sizeLabel('8')).toEqual({ problem: 'size "8" is neither a number nor an object of named dimensions' });
  });
});

describe('listing a suite', () => {
  it("sweeps the run's sizes when sizes is a function of the run, and carries the case's timing", () => {
    const listing = listSuite('f', '/f', 'x', suiteOf([{ name: 'copy', sizes: (run: { bytes: number[] }) => run.bytes.map((b) => b / 4), timing: 'resident', ...copyCase }]));
    expect(listing.cases).toEqual([
      {
        name: 'copy',
        timing: 'resident',
        sizes: [1024, 8192, 65536].map((n) => ({ label: `n${n}`, size: n, work: { bytes: 8 * n }, headline: 'bytes' })),
      },
    ]);
  });

  it('names a sweep function that throws or returns no sizes, and a timing it does not know', () => {
    const problems = (cases: unknown[]) => listSuite('f', '/f', 'x', suiteOf(cases)).cases.map((c) => c.problem);
    expect(problems([{ name: 'a', ...copyCase, sizes: () => { throw new Error('no profile'); } }])).toEqual(['case a: sizes() threw: no profile']);
    expect(problems([{ name: 'a', ...copyCase, sizes: () => [] }])).toEqual(['case a: sizes() returned [], not a non-empty list of sizes']);
    expect(problems([{ name: 'a', ...copyCase, sizes: [4], timing: 'device' }])).toEqual(["case a: timing \"device\" is not 'end-to-end' or 'resident'"]);
  });

  it("honours a built-in binding in chipbench's own files only: a user's file cannot take a built-in id", () => {
    const bound = suiteOf([{ name: 'copy', sizes: [4], ...copyCase, builtin: { workload: 'stream', kernel: 'copy' } }]);
    expect(listSuite('f', '/f', 'x', bound).cases[0]).not.toHaveProperty('builtin');
    expect(listSuiteIn('f', '/f', 'x', bound, { run: RUN, builtin: true }).cases[0]!.builtin).toEqual({ workload: 'stream', kernel: 'copy' });
    const unknown = suiteOf([{ name: 'scale', sizes: [4], ...copyCase, builtin: { workload: 'stream', kernel: 'scale' } }]);
    expect(listSuiteIn('f', '/f', 'x', unknown, { run: RUN, builtin: true }).cases[0]!.problem).toBe('case scale: builtin binding {"workload":"stream","kernel":"scale"} is not a workload chipbench knows');
  });

  it('lists each size with its work and headline: flops first, bytes when asked', () => {
    const listing = listSuite('bench/s.bench.ts', '/p/bench/s.bench.ts', 'abc', suiteOf([
      { name: 'copy', sizes: [4, 8], ...copyCase },
      { name: 'both', sizes: [{ rows: 2, cols: 3 }], ...copyCase, work: () => ({ flops: 6, bytes: 24 }), headline: 'bytes' },
    ]));
    expect(listing).toEqual({
      file: 'bench/s.bench.ts',
      path: '/p/bench/s.bench.ts',
      suite: 's',
      sha256: 'abc',
      cases: [
        { name: 'copy', timing: 'end-to-end', sizes: [{ label: 'n4', size: 4, work: { bytes: 32 }, headline: 'bytes' }, { label: 'n8', size: 8, work: { bytes: 64 }, headline: 'bytes' }] },
        { name: 'both', timing: 'end-to-end', sizes: [{ label: 'rows2-cols3', size: { rows: 2, cols: 3 }, work: { flops: 6, bytes: 24 }, headline: 'bytes' }] },
      ],
    });
  });

  it('names each bad case in one line and keeps the others', () => {
    const problems = (cases: unknown[]) => listSuite('f', '/f', 'x', suiteOf(cases)).cases.map((c) => c.problem);
    expect(problems([{ name: 'a', sizes: [4], ...copyCase, tolerance: undefined }])).toEqual(['case a: a reference needs a stated tolerance, e.g. tolerance: { relative: 1e-5, absolute: 1e-6 }']);
    expect(problems([{ name: 'a', sizes: [4], ...copyCase, reference: undefined }])).toEqual(['case a: no reference and no check; chipbench times only a kernel it can verify (give reference with tolerance, or check)']);
    expect(problems([{ name: 'a', sizes: [], ...copyCase }])).toEqual(['case a: sizes is not a non-empty list or a function of the run; give e.g. sizes: [256, 1024]']);
    expect(problems([{ name: 'a', sizes: [4, 4], ...copyCase }])).toEqual(['case a: size n4 is given twice']);
    expect(problems([{ name: 'a', sizes: [4], ...copyCase, work: () => ({}) }])).toEqual(['case a: work(n4) gives neither flops nor bytes; its figure would have no unit']);
    expect(problems([{ name: 'a', sizes: [4], ...copyCase, work: () => ({ flops: -1 }) }])).toEqual(['case a: work(n4).flops -1 is not a positive number']);
    expect(problems([{ name: 'a', sizes: [4], ...copyCase, tolerance: { relative: -1 } }])).toEqual(['case a: tolerance.relative -1 is not a finite number >= 0']);
    expect(problems([{ name: 'Bad Name', sizes: [4], ...copyCase }])).toEqual(['case name "Bad Name" is not lowercase letters, digits and \'-\' (at most 60)']);
    // a bad name never takes a good case's place
    const named = listSuite('f', '/f', 'x', suiteOf([{ name: 'copy', sizes: [4], ...copyCase }, { name: 'Copy', sizes: [4], ...copyCase }]));
    expect(named.cases.map((c) => [c.name, c.problem])).toEqual([['copy', undefined], ['case-2', 'case name "Copy" is not lowercase letters, digits and \'-\' (at most 60)']]);
    expect(problems([{ name: 'a', sizes: [4], ...copyCase, headline: 'flops' }])).toEqual(["case a: headline 'flops' but work(n4) gives no flops"]);
    expect(problems([{ name: 'a', sizes: [4], ...copyCase, check: () => ({ wrong: 0 }) }])).toEqual(['case a: both a reference and a check; give one, so it is clear what verified the kernel']);
    const twice = listSuite('f', '/f', 'x', suiteOf([{ name: 'a', sizes: [4], ...copyCase }, { name: 'a', sizes: [8], ...copyCase }, { name: 'b', sizes: [4], ...copyCase }]));
    expect(twice.cases.map((c) => [c.name, c.problem])).toEqual([
      ['a', 'duplicate id: case a is defined 2 times in this suite; give each case its own name'],
      ['b', undefined],
    ]);
  });

  it('refuses a module that is not a suite, with the fix', () => {
    expect(() => listSuite('bench/x.bench.ts', '/x', 'h', { default: { hello: 1 } })).toThrow(NotASuite);
    expect(() => listSuite('bench/x.bench.ts', '/x', 'h', {})).toThrow('bench/x.bench.ts is not a chipbench suite: its default export is not defineSuite(...)');
    expect(() => listSuite('x', '/x', 'h', { default: defineSuite({ name: 'Not OK', cases: [] }) })).toThrow("x: the suite name \"Not OK\" is not lowercase letters, digits and '-'");
    expect(() => listSuite('x', '/x', 'h', { default: defineSuite({ name: 'ok', cases: [] }) })).toThrow('x: suite ok has no cases');
  });

  it('names a file that did not load after its path, so two of one name stay apart, and cuts what it says', () => {
    expect(unloadedSuite('bench/x/k.bench.ts', '/p', 'h', 'e').suite).toBe('x-k');
    expect(unloadedSuite('bench/y/k.bench.ts', '/p', 'h', 'e').suite).toBe('y-k');
    expect(unloadedSuite(`bench/${'a'.repeat(120)}.bench.ts`, '/p', 'h', 'e').suite).toBe('a'.repeat(60));
    expect(unloadedSuite('bench/k.bench.ts', '/p', 'h', 'x'.repeat(5000)).cases[0]!.problem!.length).toBeLessThan(1100);
    const listing = unloadedSuite('bench/My Kernels.bench.ts', '/p', 'h', 'SyntaxError: x');
    expect(listing.suite).toBe('my-kernels');
    expect(listing.cases).toEqual([{ name: 'load', sizes: [{ label: 'file', size: 1, work: {}, headline: 'flops' }], timing: 'end-to-end', problem: 'bench/My Kernels.bench.ts did not load: SyntaxError: x' }]);
  });

  it('kernelCase types a sweep and hands the definition through', () => {
    const c = kernelCase<{ rows: number }>({ name: 'k', sizes: [{ rows: 2 }], ...copyCase, kernel: ({ rows }) => ({ source: copyCase.kernel(rows).source, output: [rows] }), work: ({ rows }) => ({ bytes: rows }) });
    expect((c as unknown as { sizes: unknown }).sizes).toEqual([{ rows: 2 }]);
  });
});

describe('checking an output', () => {
  it('counts elements outside |out - ref| <= abs + rel |ref|, NaN included, and keeps the largest errors', () => {
    const check = checkAgainstReference(Float32Array.from([1, 2.5, NaN, 4]), [1, 2, 3, 4], { relative: 0.1, absolute: 0.1 });
    expect(check).toEqual({ wrong: 2, elements: 4, maxAbsError: null, maxRelError: null, first: { index: 1, got: 2.5, want: 2 } });
    const exact = checkAgainstReference(Float32Array.from([1, 2.25]), [1, 2], { relative: 0.2 });
    expect(exact).toEqual({ wrong: 0, elements: 2, maxAbsError: 0.25, maxRelError: 0.125 });
    expect(() => checkAgainstReference(new Float32Array(2), [1], {})).toThrow('the reference has 1 elements; the output has 2');
    // an infinity the reference has too is right; the other sign is not
    expect(checkAgainstReference(Float32Array.from([Infinity, -Infinity]), [Infinity, Infinity], { relative: 0.1 })).toMatchObject({ wrong: 1, first: { index: 1 } });
  });
  it("takes the suite's own check, a whole count only", () => {
    expect(checkWithCase(new Float32Array(3), { wrong: 1, note: 'n' })).toEqual({ wrong: 1, elements: 3, note: 'n' });
    expect(() => checkWithCase(new Float32Array(3), { wrong: 0.5 })).toThrow('check() returned wrong: 0.5, not a count of wrong elements');
  });
  it("lays gpu.js's nested outputs flat, row-major", () => {
    expect([...flattenOutput([Float32Array.from([1, 2]), Float32Array.from([3, 4])], 4)]).toEqual([1, 2, 3, 4]);
    expect(() => flattenOutput(Float32Array.from([1, 2, 3]), 4)).toThrow('the kernel returned 3 values; its output dimensions make 4');
  });
  it('runs a kernel on the host thread by thread, 2-D inputs as rows', () => {
    const source = function (this: { thread: { x: number; y: number }; constants: { k: number } }, a: number[][]) {
      return a[this.thread.y]![this.thread.x]! * this.constants.k;
    };
    const out = runOnHost({ source: source as never, output: [3, 2], constants: { k: 10 } }, [{ values: Float32Array.from([1, 2, 3, 4, 5, 6]), dims: [3, 2] }]);
    expect([...out]).toEqual([10, 20, 30, 40, 50, 60]);
  });
  it('draws the same seeded values every time', () => {
    expect([...seededRandom(7).uniform(3, 0, 1)]).toEqual([...seededRandom(7).uniform(3, 0, 1)]);
    expect(seededRandom(7).uniform(4, -4, 4).every((v) => v >= -4 && v < 4)).toBe(true);
  });
  it('turns the stated work into rates: flops in TFLOP/s, bytes in GB/s', () => {
    const m = { medianSeconds: 0.5, medianCi: { lowSeconds: 0.25, highSeconds: 1 } } as never;
    expect(kernelMetrics({ flops: 1e12, bytes: 1e9 }, m)).toEqual({ medianTflops: 2, tflopsCi: { low: 1, high: 4 }, GBps: 2, GBpsCi: { low: 1, high: 4 } });
  });
});

describe('planning suite cases', () => {
  const listing = (file: string, suite: string, names: string[]) => ({
    file,
    path: `/p/${file}`,
    suite,
    sha256: 'h',
    cases: names.map((name) => ({ name, timing: 'end-to-end' as const, sizes: [{ label: 'n4', size: 4, work: { bytes: 32 }, headline: 'bytes' as const }] })),
  });
  const spec = { workloads: [], timings: [], shapes: [], seed: 1, ranks: 2, algorithms: [], collectiveBytes: [] };

  it('makes one case a size after the built-ins, and one failed case for an id two files make', () => {
    const plan = new RunPlan({ ...spec, suites: [listing('a.bench.ts', 'dup', ['same', 'only-a']), listing('b.bench.ts', 'dup', ['same'])] });
    const cases = plan.cases('cpu');
    expect(cases.map((c) => c.id)).toEqual(['dup.same/cpu/f32/n4/end-to-end', 'dup.only-a/cpu/f32/n4/end-to-end']);
    expect(cases[0]!.job).toMatchObject({ kind: 'kernel', problem: 'duplicate id: a.bench.ts and b.bench.ts both define suite dup case same at n4; rename one suite or case' });
    expect(cases[1]!.job).not.toHaveProperty('problem');
  });

  it('keeps what two files that did not load say, when their ids meet', () => {
    const broken = (file: string) => ({ ...unloadedSuite(file, `/p/${file}`, 'h', 'SyntaxError'), suite: 'k' });
    const [job] = new RunPlan({ ...spec, suites: [broken('a/k.bench.ts'), broken('b/k.bench.ts')] }).cases('cpu');
    expect(job!.job).toMatchObject({
      problem: 'duplicate id: a/k.bench.ts and b/k.bench.ts both define suite k case load at file; rename one suite or case; and a/k.bench.ts did not load: SyntaxError; b/k.bench.ts did not load: SyntaxError',
    });
  });

  it('keeps only the ids a --filter matches', async () => {
    const builtins = await builtinListings(['stream'], { bytes: [4096] });
    const plan = new RunPlan({ ...spec, workloads: ['stream'], collectiveBytes: [4096], builtins, suites: [listing('a.bench.ts', 'soft', ['max', 'rows'])], filters: [/rows/, /^stream-copy\//] });
    expect(plan.ids(['cpu'])).toEqual(['stream-copy/cpu/f32/4KiB', 'soft.rows/cpu/f32/n4/end-to-end']);
    // the preflight sees only what a filter keeps: a GEMM shape filtered out cannot refuse the run
    const gemm = await builtinPlan({ ...spec, workloads: ['gemm'], timings: ['resident'], shapes: [{ m: 100000, n: 100000, k: 1 }], suites: [listing('a.bench.ts', 'soft', ['rows'])], filters: [/rows/], backends: ['cpu'] });
    expect([gemm.gemmShapes, gemm.ids(['cpu'])]).toEqual([[], ['soft.rows/cpu/f32/n4/end-to-end']]);
  });
});

describe('loading a suite case in a worker', () => {
  it('refuses a file whose bytes are not the ones listed, and names a case the file lacks', async () => {
    const dir = tempDir();
    const path = join(dir, 'x.bench.mjs');
    writeFileSync(path, "export default { name: 'x', chipbenchSuite: 1, cases: [{ name: 'a' }] };\n");
    const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
    await expect(suiteCase(path, 'a', 'f'.repeat(64))).rejects.toThrow(/^the file changed after it was listed \(sha-256 [0-9a-f]{12}, listed ffffffffffff\); run again$/);
    await expect(suiteCase(path, 'a', sha)).resolves.toEqual({ name: 'a' });
    await expect(suiteCase(path, 'b', sha)).rejects.toThrow('it defines no case b (a case new in the other side of an interleaved run, or the file changed after it was listed)');
  });
});

describe('which suite files a run loads', () => {
  function project(): string {
    const root = tempDir();
    mkdirSync(join(root, 'bench', 'deep'), { recursive: true });
    mkdirSync(join(root, 'bench', 'node_modules'));
    for (const f of ['b.bench.ts', 'a.bench.mjs', 'deep/c.bench.js', 'helper.ts', 'node_modules/x.bench.ts']) writeFileSync(join(root, 'bench', f), '');
    return root;
  }

  it("runs a project's bench/*.bench.* files, not the built-ins, by default", () => {
    const s = suiteSelection({}, project());
    expect(s.files.map((f) => f.file)).toEqual(['bench/a.bench.mjs', 'bench/b.bench.ts', 'bench/deep/c.bench.js']);
    expect(s.builtin).toBe(false);
  });
  it('runs the built-ins where there is no suite file, or when --workloads or --suite builtin asks', () => {
    expect(suiteSelection({}, tempDir()).builtin).toBe(true);
    expect(suiteSelection({ workloads: 'gemm' }, project()).builtin).toBe(true);
    const both = suiteSelection({ suite: ['builtin', 'bench/b.bench.ts'] }, project());
    expect([both.builtin, both.files.map((f) => f.file)]).toEqual([true, ['bench/b.bench.ts']]);
    expect(suiteSelection({ suite: ['builtin'] }, project()).files).toEqual([]);
  });
  it('refuses a --suite that names nothing, and a --filter that is not a regular expression', () => {
    const root = project();
    expect(() => suiteSelection({ suite: ['nope.bench.ts'] }, root)).toThrow(new InputError("--suite: nope.bench.ts does not exist; give a suite file, a folder of *.bench.ts files, or 'builtin'"));
    mkdirSync(join(root, 'empty'));
    expect(() => suiteSelection({ suite: ['empty'] }, root)).toThrow('--suite: empty holds no suite file');
    expect(() => suiteSelection({ filter: ['(x'] }, root)).toThrow(/^--filter: '\(x' is not a regular expression/);
  });
});
