/**
 * Where chipbench's own suite files are: bench/builtin/ beside src/. A build runs the compiled files
 * (dist/bench/builtin/*.bench.js); the sources run when src/ itself does (vitest loads it as TypeScript). A project's
 * discovery of bench/ skips the source folder when the project is chipbench's own checkout (cli/suite-option.ts).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../env/package-info.js';
import type { SuiteFile } from './list-suites.js';

/** The built-in suite files, and the workload each defines, in the order a run plans them. */
const BUILTIN_SUITES: readonly { workloads: readonly string[]; name: string }[] = [
  { workloads: ['gemm'], name: 'gemm' },
  { workloads: ['stream'], name: 'stream' },
  { workloads: ['allreduce', 'reducescatter', 'allgather'], name: 'collectives' },
];

/** The built-in suite files of the workloads a run asks for, each named by its source path in messages. */
export function builtinSuiteFiles(workloads: readonly string[]): SuiteFile[] {
  const fromSource = fileURLToPath(import.meta.url).endsWith('.ts');
  const dir = fromSource ? builtinSourceDir() : join(packageRoot(), 'dist', 'bench', 'builtin');
  return BUILTIN_SUITES.filter((s) => s.workloads.some((w) => workloads.includes(w))).map((s) => ({
    file: `bench/builtin/${s.name}.bench.ts`,
    path: join(dir, `${s.name}.bench.${fromSource ? 'ts' : 'js'}`),
    builtin: true as const,
  }));
}

/** chipbench's own source folder of built-in suite files. */
export function builtinSourceDir(): string {
  return join(packageRoot(), 'bench', 'builtin');
}
