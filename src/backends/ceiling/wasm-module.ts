/**
 * The hand-written WebAssembly GEMM (assembly/gemm.ts, AssemblyScript), compiled by `npm run build:wasm` into
 * dist/wasm/ceiling-gemm.wasm. It imports one shared memory and exports packB and gemmRows; every thread
 * instantiates the same module over that memory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../env/package-info.js';

/** The module's exports, byte offsets into the shared memory and sizes in elements. */
export interface CeilingGemmExports {
  packB(b: number, packed: number, k: number, n: number): void;
  gemmRows(a: number, packed: number, c: number, m: number, n: number, k: number, rowStart: number, rowEnd: number): void;
}

/** Columns of a packed panel of B, and rows of the micro-kernel (assembly/gemm.ts NR and MR). */
export const PANEL_COLUMNS = 8;
export const MICRO_ROWS = 4;

/** Where the build writes the module. */
export function ceilingGemmWasmPath(): string {
  return join(packageRoot(), 'dist', 'wasm', 'ceiling-gemm.wasm');
}

let compiled: WebAssembly.Module | undefined;

/** The compiled module, once per process; throws with the fix when the build did not make it. */
export function ceilingGemmModule(): WebAssembly.Module {
  if (compiled) return compiled;
  const path = ceilingGemmWasmPath();
  if (!existsSync(path)) throw new Error(`${path} is missing: run 'npm run build' (it compiles the hand-written kernels with asc)`);
  compiled = new WebAssembly.Module(readFileSync(path));
  return compiled;
}
