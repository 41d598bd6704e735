/**
 * Suite files through the CLI: every outcome with the fake backend (good, wrong, hang, a file that does not load,
 * bad cases, duplicate ids, not a suite), `list` and --filter, the gate between two runs of a suite, an old result
 * file compared with today's, and real kernels on every backend this machine has.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRunResult } from '../../src/results/read-result.js';
import type { KernelCase } from '../../src/results/schema.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { onCi } from '../helpers/real-backends.js';

const FIXTURES = 'test/fixtures/suites';
const at = (...files: string[]) => files.map((f) => `${FIXTURES}/${f}`).join(',');
const FAST = ['--profile', 'smoke', '--time-budget', '5', '--min-samples', '6', '--warmup-time', '0', '--warmup-iterations', '0', '--max-warmup-time', '5'];

describe('suite files with the fake backend', { timeout: 120_000 }, () => {
  it('runs, verifies and records good cases, and fails each bad one in one line naming its file and case, keeping the rest', async () => {
    const out = join(tempDir(), 'run.json');
    const suites = at('good.bench.ts', 'wrong.bench.ts', 'hang.bench.ts', 'throws.bench.ts', 'bad-cases.bench.ts', 'dup-a.bench.ts', 'dup');
    const r = await runCli(['run', '--backends', 'fake', ...FAST, '--forks', '1', '--case-timeout', '5', '--suite', suites, '-o', out]);
    expect(r.code).toBe(1);
    const run = readRunResult(out);
    const outcome = Object.fromEntries(run.cases.map((c) => [c.id, c.outcome === 'ok' ? 'ok' : c.reason]));
    expect(outcome).toEqual({
      'good.scale/fake/f32/n16/end-to-end': 'ok',
      'good.scale/fake/f32/n64/end-to-end': 'ok',
      'good.rowsum/fake/f32/rows4-cols8/end-to-end': 'ok',
      'wrong.off-by-one/fake/f32/n8/end-to-end': expect.stringMatching(
        /^test\/fixtures\/suites\/wrong\.bench\.ts, case off-by-one at n8: verification failed: #wrong 8 of 8 \(first at element 0: \S+ against \S+\); the case was not timed$/,
      ),
      'wrong.fine/fake/f32/n8/end-to-end': 'ok',
      'hang.stuck/fake/f32/n4/end-to-end': 'watchdog: the case ran longer than 5 s and its worker was killed; raise --case-timeout, give the case smaller sizes in its suite file, or look for a loop in it that never ends',
      'hang.after/fake/f32/n4/end-to-end': 'ok',
      'test-fixtures-suites-throws.load/fake/f32/file/end-to-end': 'test/fixtures/suites/throws.bench.ts did not load: Error: the suite file broke while loading',
      'bad.no-tolerance/fake/f32/sizes/end-to-end': 'test/fixtures/suites/bad-cases.bench.ts: case no-tolerance: a reference needs a stated tolerance, e.g. tolerance: { relative: 1e-5, absolute: 1e-6 }',
      'bad.half-size/fake/f32/sizes/end-to-end': 'test/fixtures/suites/bad-cases.bench.ts: case half-size: size 4.5 is not a positive whole number',
      'bad.twice/fake/f32/duplicate/end-to-end': 'test/fixtures/suites/bad-cases.bench.ts: duplicate id: case twice is defined 2 times in this suite; give each case its own name',
      'bad.fine/fake/f32/n4/end-to-end': 'ok',
      'dup.same/fake/f32/n4/end-to-end': 'duplicate id: test/fixtures/suites/dup-a.bench.ts and test/fixtures/suites/dup/dup-b.bench.ts both define suite dup case same at n4; rename one suite or case',
    });
    // what ran, with the work, the verification and the rates from the median
    const scale = run.cases.find((c) => c.id === 'good.scale/fake/f32/n64/end-to-end') as KernelCase;
    expect(scale).toMatchObject({ workload: 'kernel', precision: 'f32', timing: 'end-to-end', seed: run.options.seed, suite: { name: 'good', file: 'test/fixtures/suites/good.bench.ts', case: 'scale' } });
    expect(scale.size).toEqual({ label: 'n64', dims: { n: 64 } });
    expect(scale.work).toEqual({ flops: 128, bytes: 512 });
    expect(scale.verification).toMatchObject({ method: 'reference', tolerance: { relative: 1e-6, absolute: 1e-7 }, elements: 64, wrong: 0, wrongAfter: 0 });
    expect(scale.metrics!.medianTflops).toBeCloseTo(128 / scale.measurement!.medianSeconds / 1e12, 15);
    expect(scale.metrics!.GBps).toBeCloseTo(512 / scale.measurement!.medianSeconds / 1e9, 12);
    const rowsum = run.cases.find((c) => c.id === 'good.rowsum/fake/f32/rows4-cols8/end-to-end') as KernelCase;
    expect(rowsum.verification).toEqual({ method: 'check', elements: 4, wrong: 0, wrongAfter: 0, note: 'row sums exact' });
    // the run records which version of each file ran
    const sha = readFileSync(join(FIXTURES, 'good.bench.ts'));
    const { createHash } = await import('node:crypto');
    expect(run.options).toMatchObject({ builtin: false, workloads: [] });
    expect((run.options as { suites?: unknown[] }).suites).toContainEqual({ name: 'good', file: 'test/fixtures/suites/good.bench.ts', sha256: createHash('sha256').update(sha).digest('hex') });
    // the summary names each suite case's figure with its unit
    expect(r.stdout).toMatch(/\n {2}good\.scale {2}\S+ [kMG]?FLOP\/s( ±\S+|, spread unknown) at n64\n/);
    expect(r.stdout).toMatch(/\n {2}wrong\.fine {2}\S+ GB\/s( ±\S+|, spread unknown) at n8\n/);
  });

  it('refuses a file that is not a suite: one line, exit 2, nothing written', async () => {
    const dir = tempDir();
    const out = join(dir, 'run.json');
    const r = await runCli(['run', '--backends', 'fake', ...FAST, '--suite', at('good.bench.ts', 'not-a-suite.bench.ts'), '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'chipbench: test/fixtures/suites/not-a-suite.bench.ts is not a chipbench suite: its default export is not defineSuite(...); write export default defineSuite({ name, cases: [...] }) (docs/suites.md)\n',
    );
    expect(existsSync(out)).toBe(false);
  });

  it('lists the ids a run would make, names the cases that would fail, and filters', async () => {
    const r = await runCli(['list', '--backends', 'fake', '--suite', at('good.bench.ts', 'throws.bench.ts')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(['good.scale/fake/f32/n16/end-to-end', 'good.scale/fake/f32/n64/end-to-end', 'good.rowsum/fake/f32/rows4-cols8/end-to-end', 'test-fixtures-suites-throws.load/fake/f32/file/end-to-end', ''].join('\n'));
    expect(r.stderr).toBe(
      'would fail: test-fixtures-suites-throws.load/fake/f32/file/end-to-end: test/fixtures/suites/throws.bench.ts did not load: Error: the suite file broke while loading\n' +
        '4 cases on fake: 0 built-in, 4 from 2 suite files (1 would fail)\n',
    );
    const filtered = await runCli(['list', '--backends', 'fake', '--suite', `builtin,${at('good.bench.ts')}`, '--workloads', 'stream', '-b', '4K', '-e', '4K', '--filter', 'rowsum', '--filter', '^stream-copy/']);
    expect(filtered.stdout).toBe('stream-copy/fake/f32/4KiB\ngood.rowsum/fake/f32/rows4-cols8/end-to-end\n');
    const none = await runCli(['list', '--backends', 'fake', '--suite', at('good.bench.ts'), '--filter', 'nothing-matches']);
    expect([none.code, none.stderr]).toEqual([2, "chipbench: --filter: 'nothing-matches' matches no case of this run; `chipbench list` prints the ids\n"]);
  });

  it("blames a timer's throw on the file it came from, and lists the files after it in a fresh process", async () => {
    const r = await runCli(['list', '--backends', 'fake', '--suite', at('late-throw.bench.ts', 'good.bench.ts', 'slow-load.bench.ts')]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'test-fixtures-suites-late-throw.load/fake/f32/file/end-to-end',
      'good.scale/fake/f32/n16/end-to-end',
      'good.scale/fake/f32/n64/end-to-end',
      'good.rowsum/fake/f32/rows4-cols8/end-to-end',
      'slow.copy/fake/f32/n4/end-to-end',
      '',
    ]);
    expect(r.stderr).toContain('test/fixtures/suites/late-throw.bench.ts did not load: its code threw after it loaded: Error: a timer of late-throw threw\n');
  });

  it('gates a slower kernel: compare finds the regression and exits 1', async () => {
    const dir = tempDir();
    const args = ['run', '--backends', 'fake', ...FAST.map((a) => (a === '5' ? '20' : a)), '--forks', '4', '--suite', at('good.bench.ts'), '--filter', 'scale'];
    expect((await runCli([...args, '-o', join(dir, 'base.json')])).code).toBe(0);
    // the same suite file, its kernel made about 100x slower through its constants
    expect((await runCli([...args, '-o', join(dir, 'head.json')], { FIXTURE_EXTRA: '300' })).code).toBe(0);
    const r = await runCli(['compare', join(dir, 'base.json'), join(dir, 'head.json'), '--wide']);
    expect(r.code).toBe(1);
    // a test machine's load can leave one of the two sizes inconclusive, never improved
    expect(r.stdout).toMatch(/\nREGRESSED +good\.scale\/fake\/f32\/n(16|64)\/end-to-end /);
    expect(r.stdout).toMatch(/\n[12] regressed, 0 improved/);
    // the same case whose headline became bytes (its work now states bytes too): another figure, not a change
    const moved = JSON.parse(readFileSync(join(dir, 'head.json'), 'utf8')) as { cases: { headline: string; id: string }[] };
    for (const c of moved.cases) c.headline = 'bytes';
    writeFileSync(join(dir, 'moved.json'), JSON.stringify(moved));
    const incomparable = await runCli(['compare', join(dir, 'base.json'), join(dir, 'moved.json'), '--wide']);
    expect(incomparable.stdout).toMatch(/\nincomparable +good\.scale\/fake\/f32\/n16\/end-to-end .*its figure was GFLOP\/s \(f32, flops as the suite states them\), now GB\/s \(f32, read \+ written as the suite states them\)/);
    const exported = await runCli(['export', join(dir, 'head.json'), '--format', 'github-action-benchmark']);
    const entries = JSON.parse(exported.stdout) as { name: string; unit: string }[];
    expect(entries.map((e) => [e.name, e.unit])).toEqual([
      ['good.scale/fake/f32/n16/end-to-end', 'GFLOP/s (f32, flops as the suite states them)'],
      ['good.scale/fake/f32/n64/end-to-end', 'GFLOP/s (f32, flops as the suite states them)'],
    ]);
  });

  it('compares a result file of the build before suite files with one of today', async () => {
    const dir = tempDir();
    // the fixture's tuned case ran bt: forced here, so that the fake's variants (all as fast) cannot make it incomparable
    const r = await runCli(['run', '--backends', 'fake', ...FAST, '--workloads', 'gemm,stream', '--sizes', '16', '--timings', 'resident', '--variant', 'bt', '-b', '4K', '-e', '4K', '-o', join(dir, 'now.json')]);
    expect(r.code).toBe(0);
    const c = await runCli(['compare', 'test/fixtures/results/v4-fake-gemm-stream.json', join(dir, 'now.json'), '--wide']);
    // every case is compared; the verdicts are this machine's moment against the fixture's, so a regression (exit 1) may be one
    expect([0, 1]).toContain(c.code);
    expect(c.stdout).toMatch(/\d+ regressed, \d+ improved, \d+ unchanged, \d+ inconclusive, 0 new, 0 missing, 0 failed, 0 incomparable/);
    for (const id of ['gemm/fake/f32/m16-n16-k16/resident', 'gemm-tuned/fake/f32/m16-n16-k16/resident', 'stream-copy/fake/f32/4KiB', 'stream-triad/fake/f32/4KiB']) expect(c.stdout).toContain(id);
  });
});

describe('suite files on the real backends', { timeout: 300_000 }, () => {
  it("verifies a user's kernels on every backend here; one that does not compile on headlessgl fails there alone", async () => {
    const out = join(tempDir(), 'real.json');
    const r = await runCli(['run', ...FAST, '-b', '4K', '-e', '4K', '--forks', '1', '--suite', at('good.bench.ts', 'clz.bench.ts', 'wrong.bench.ts', 'resident.bench.ts'), '-o', out]);
    expect(r.code).toBe(1);
    const run = readRunResult(out);
    const available = run.backends.filter((b) => b.available).map((b) => b.backend);
    if (onCi) expect(available).toEqual(['cpu', 'webasm', 'headlessgl', 'webgpu']);
    expect(available.length).toBeGreaterThan(0);
    for (const backend of available) {
      const of = (id: string) => run.cases.find((c) => c.id === id.replace('{b}', backend))!;
      for (const id of ['good.scale/{b}/f32/n16/end-to-end', 'good.scale/{b}/f32/n64/end-to-end', 'good.rowsum/{b}/f32/rows4-cols8/end-to-end', 'wrong.fine/{b}/f32/n8/end-to-end']) {
        expect([id, of(id).outcome, of(id).executed?.backend]).toEqual([id, 'ok', backend]);
      }
      // resident: inputs put on the backend once, the output left there; verified all the same
      for (const id of ['resident.axpy/{b}/f32/n1024/resident', 'resident.rowsum/{b}/f32/rows4-cols8/resident']) {
        const c = of(id) as KernelCase;
        expect([id, c.outcome, c.reason, c.timing, c.verification?.wrong, c.verification?.wrongAfter]).toEqual([id, 'ok', undefined, 'resident', 0, 0]);
        expect(c.timingNote).toMatch(backend === 'headlessgl' || backend === 'webgpu' ? /device-resident inputs into a device-resident output/ : /into a reused output/);
      }
      expect(of('resident.cube/{b}/f32/n2/resident').reason).toMatch(/^test\/fixtures\/suites\/resident\.bench\.ts, case cube at n2: resident timing takes 1-D and 2-D array inputs, not \[2, 2, 2\]; give the case timing: 'end-to-end'/);
      expect(of('wrong.off-by-one/{b}/f32/n8/end-to-end').reason).toMatch(/verification failed: #wrong 8 of 8/);
      const clz = of('clz.clz32/{b}/f32/n8/end-to-end');
      if (backend === 'headlessgl') expect(clz.reason).toMatch(/^test\/fixtures\/suites\/clz\.bench\.ts, case clz32 at n8: the kernel did not compile or run on headlessgl: .*clz32/);
      else expect([backend, clz.outcome]).toEqual([backend, 'ok']);
    }
  });
});
