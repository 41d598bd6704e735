/**
 * The hand-written WebAssembly kernels (assembly/index.ts, AssemblyScript: the GEMM of gemm.ts and the STREAM
 * kernels of stream.ts), compiled by `npm run build:wasm` into dist/wasm/ceiling.wasm. It imports one shared memory;
 * every thread instantiates the same module over that memory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../env/package-info.js';

/** The module's exports: byte offsets into the shared memory, sizes and ranges in elements (or rows). */
export interface CeilingExports {
  packB(b: number, packed: number, k: number, n: number): void;
  gemmRows(a: number, packed: number, c: number, m: number, n: number, k: number, rowStart: number, rowEnd: number): void;
  copyRange(x: number, out: number, start: number, end: number): void;
  triadRange(x: number, y: number, out: number, s: number, start: number, end: number): void;
}

/** Columns of a packed panel of B, and rows of the micro-kernel (assembly/gemm.ts NR and MR). */
export const PANEL_COLUMNS = 8;
export const MICRO_ROWS = 4;

export const WASM_PAGE_BYTES = 65536;
/** The module addresses memory with i32 offsets, and the control words hold them: 2 GiB at most. */
export const MAX_MEMORY_BYTES = 2 ** 31 - WASM_PAGE_BYTES;

/** Where the build writes the module. */
export function ceilingWasmPath(): string {
  return join(packageRoot(), 'dist', 'wasm', 'ceiling.wasm');
}

let compiled: WebAssembly.Module | undefined;

/** The compiled module, once per process; throws with the fix when the build did not make it. */
export function ceilingModule(): WebAssembly.Module {
  if (compiled) return compiled;
  const path = ceilingWasmPath();
  if (!existsSync(path)) throw new Error(`${path} is missing: run 'npm run build' (it compiles the hand-written kernels with asc)`);
  compiled = new WebAssembly.Module(readFileSync(path));
  return compiled;
}

/** A shared memory of `bytes` (whole pages) and an instance of the module over it on the calling thread. */
export function sharedInstance(bytes: number, what: string): { memory: WebAssembly.Memory; kernels: CeilingExports } {
  if (bytes > MAX_MEMORY_BYTES) throw new Error(`${what} needs ${bytes} bytes of WebAssembly memory, more than its ${MAX_MEMORY_BYTES}`);
  const pages = Math.ceil(bytes / WASM_PAGE_BYTES);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const kernels = new WebAssembly.Instance(ceilingModule(), { env: { memory } }).exports as unknown as CeilingExports;
  return { memory, kernels };
}
