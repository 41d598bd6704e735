/**
 * The base side of an interleaved run runs its own built-in suite files: a built-in case's source is moved to the
 * base build's compiled file, with that file's sha-256; a base built before the built-in suite became files keeps
 * the head's source, which its worker never reads.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { casesOf } from '../../src/plan/plan.js';
import { rebaseSuiteCases } from '../../src/runner/base-build.js';
import { fileSha256 } from '../../src/suite/file-hash.js';
import { tempDir } from '../helpers/cli.js';
import { collectiveJob, gemmJob, streamJob } from '../helpers/builtin-suites.js';

describe('rebasing built-in cases onto the base build', () => {
  const planned = [
    ...casesOf('cpu', gemmJob({ shape: { m: 2, n: 2, k: 2 }, seed: 1, timings: ['resident'] })),
    ...casesOf('cpu', streamJob('copy', 4096)),
    ...casesOf('cpu', collectiveJob('allreduce', 'ring', 8, 4096)),
  ];

  it("loads each from the base's own compiled file, with its sha-256", () => {
    const root = tempDir();
    const dir = join(root, 'dist', 'bench', 'builtin');
    mkdirSync(dir, { recursive: true });
    for (const name of ['gemm', 'stream', 'collectives']) writeFileSync(join(dir, `${name}.bench.js`), `// base ${name}\n`);
    const rebased = rebaseSuiteCases(planned, { workerPath: join(root, 'dist/src/runner/worker.js'), chipbenchRoot: root });
    expect(rebased.map((c) => (c.job as { source: { path: string; sha256: string; name: string } }).source)).toEqual(
      [['gemm', 'gemm'], ['stream', 'copy'], ['collectives', 'allreduce-ring']].map(([file, name]) => ({
        path: join(dir, `${file}.bench.js`),
        sha256: fileSha256(join(dir, `${file}.bench.js`)),
        name,
      })),
    );
    expect(rebased.map((c) => c.id)).toEqual(planned.map((c) => c.id));
  });

  it('leaves them as they are for a base without built-in suite files, and for no base at all', () => {
    const root = tempDir();
    expect(rebaseSuiteCases(planned, { workerPath: join(root, 'w.js'), chipbenchRoot: root })).toEqual(planned);
    expect(rebaseSuiteCases(planned, undefined)).toEqual(planned);
  });
});
