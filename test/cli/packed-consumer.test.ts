/**
 * A new repository uses chipbench as a user would: `npm i -D` of this package packed (npm pack), one suite file of
 * its own under bench/, and `npx chipbench run` and `compare` in it. No file of chipbench's is edited. gl, the
 * optional native addon, is left out of the install (--omit=optional) and linked to this checkout's build instead:
 * compiling it from source takes about four minutes here and tests nothing of chipbench's.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRunResult } from '../../src/results/read-result.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { onCi } from '../helpers/real-backends.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** The consumer's own kernel; `extra` loop iterations per element make it slower for the gate's test. */
const suiteFile = (extra: number) => `import { defineSuite, kernelCase, type KernelThis } from 'chipbench';

export default defineSuite({
  name: 'blas',
  cases: [
    kernelCase<number>({
      name: 'saxpy',
      sizes: [1024],
      kernel: (n) => ({
        source: function (this: KernelThis<{ a: number; extra: number }>, x: number[], y: number[]) {
          let waste = 0;
          for (let i = 0; i < this.constants.extra; i++) waste += Math.sin(i);
          return this.constants.a * x[this.thread.x]! + y[this.thread.x]! + waste * 0;
        },
        output: [n],
        constants: { a: 2.5, extra: ${extra} },
        settings: { loopMaxIterations: 100000 },
      }),
      inputs: (n, random) => [random.uniform(n), random.uniform(n)],
      reference: ([x, y]) => Array.from(x as Float32Array, (v, i) => 2.5 * v + (y as Float32Array)[i]!),
      tolerance: { relative: 1e-6, absolute: 1e-7 },
      work: (n) => ({ flops: 2 * n, bytes: 12 * n }),
      headline: 'bytes',
    }),
  ],
});
`;

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' } });
}

describe('a repository that installs chipbench from its packed tarball', { timeout: 600_000 }, () => {
  it('runs, verifies and gates its own kernel on every backend, with its suite file type-checked against the shipped declarations', async () => {
    const dir = tempDir();
    // the build npm test made (pretest); prepare would build it again
    npm(['pack', '--ignore-scripts', '--pack-destination', dir], ROOT);
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    const project = join(dir, 'consumer');
    mkdirSync(join(project, 'bench'), { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }, null, 2));
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: [] }, include: ['bench'] }));
    writeFileSync(join(project, 'bench', 'saxpy.bench.ts'), suiteFile(0));
    npm(['install', '--save-dev', join('..', tarball), '--prefer-offline', '--omit=optional'], project);
    if (existsSync(join(ROOT, 'node_modules', 'gl'))) symlinkSync(join(ROOT, 'node_modules', 'gl'), join(project, 'node_modules', 'gl'), 'dir');
    const bin = join(project, 'node_modules', '.bin', 'chipbench');
    const chipbench = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { ...env, CHIPBENCH_ENABLE_FAKE_BACKENDS: '' }, { cwd: project, cli: bin });

    // the suite file type-checks against the declarations the package ships
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: project, stdio: 'pipe' });

    const list = await chipbench(['list']);
    expect([list.code, list.stdout]).toEqual([0, ['cpu', 'webasm', 'headlessgl', 'webgpu'].map((b) => `blas.saxpy/${b}/f32/n1024/end-to-end\n`).join('')]);

    const first = await chipbench(['run', '--profile', 'smoke', '--forks', '1', '-o', 'all.json']);
    expect(first.code).toBe(0);
    const run = readRunResult(join(project, 'all.json'));
    const available = run.backends.filter((b) => b.available).map((b) => b.backend);
    if (onCi) expect(available).toEqual(['cpu', 'webasm', 'headlessgl', 'webgpu']);
    expect(run.cases.filter((c) => c.outcome === 'ok').map((c) => [c.id, c.executed?.backend])).toEqual(available.map((b) => [`blas.saxpy/${b}/f32/n1024/end-to-end`, b]));
    expect((run.options as { suites?: unknown }).suites).toEqual([{ name: 'blas', file: 'bench/saxpy.bench.ts', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);

    // the gate: the same kernel made slower, on one backend, compared
    const gate = ['run', '--profile', 'smoke', '--backends', 'cpu', '--forks', '3'];
    expect((await chipbench([...gate, '-o', 'base.json'])).code).toBe(0);
    writeFileSync(join(project, 'bench', 'saxpy.bench.ts'), suiteFile(3000));
    expect((await chipbench([...gate, '-o', 'head.json'])).code).toBe(0);
    const compared = await chipbench(['compare', 'base.json', 'head.json', '--wide']);
    expect(compared.code).toBe(1);
    expect(compared.stdout).toMatch(/\nREGRESSED +blas\.saxpy\/cpu\/f32\/n1024\/end-to-end /);

    // interleaved: the base commit's checkout (its own suite file, the same installed chipbench) beside the head's
    const base = join(dir, 'base');
    mkdirSync(join(base, 'bench'), { recursive: true });
    writeFileSync(join(base, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
    writeFileSync(join(base, 'bench', 'saxpy.bench.ts'), suiteFile(0));
    symlinkSync(join(project, 'node_modules'), join(base, 'node_modules'), 'dir');
    const interleaved = await chipbench(['run', '--against', base, '--backends', 'cpu', '--profile', 'smoke', '--wide', '-o', 'inter.json']);
    expect(interleaved.code).toBe(1);
    expect(interleaved.stdout).toMatch(/\nREGRESSED +blas\.saxpy\/cpu\/f32\/n1024\/end-to-end /);
    const [head, baseRun] = [readRunResult(join(project, 'inter.json')), readRunResult(join(project, 'inter.base.json'))];
    const shaOf = (r: typeof head) => (r.cases[0] as { suite: { sha256: string } }).suite.sha256;
    expect(shaOf(head)).not.toBe(shaOf(baseRun));
    // each side records its own file, and the packages of the chipbench that ran it
    expect((baseRun.options as { suites?: { sha256: string }[] }).suites![0]!.sha256).toBe(shaOf(baseRun));
    expect((head.options as { suites?: { sha256: string }[] }).suites![0]!.sha256).toBe(shaOf(head));
    expect(baseRun.environment.gpujs).toBe(head.environment.gpujs);
  });
});
