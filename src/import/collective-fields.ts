/**
 * The checks the JSON and CSV readers of nccl-tests and rccl-tests share: a figure is a number in the unit the tool
 * printed (microseconds, 1e9 B/s, bytes), null where the tool wrote nan, N/A or an infinity, and anything else is an
 * ImportSyntaxError naming the line, the value and what was expected.
 */
import { ImportSyntaxError } from './imported-block.js';

/**
 * Data types the tools print: nccl-tests' test_typenames (src/common.cu: 'f8e4m3', 'f8e5m2' from NCCL 2.24; 'char'
 * and 'int' for NCCL 1), and rccl-tests' ('fp8_e4m3', 'fp8_e5m2' before it synced nccl-tests' names).
 */
const DTYPES = new Set([
  'int8', 'uint8', 'int32', 'uint32', 'int64', 'uint64', 'half', 'float', 'double', 'bfloat16',
  'f8e4m3', 'f8e5m2', 'fp8_e4m3', 'fp8_e5m2', 'char', 'int',
]);

const shown = (value: unknown): string => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value));

/** A number from JSON, or from a CSV cell; NaN where the tool wrote nan (or -nan), undefined where it is not one. */
function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^-?nan$/i.test(text)) return NaN;
  if (/^-?inf(inity)?$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  return text !== '' && Number.isFinite(Number(text)) ? Number(text) : undefined;
}

export function dtypeOf(value: unknown, line: number): string {
  if (typeof value !== 'string' || !DTYPES.has(value.trim())) {
    throw new ImportSyntaxError(line, `data type ${shown(value)} is unknown: expected one of ${[...DTYPES].join(', ')}`);
  }
  return value.trim();
}

/** Bytes of a size column: a whole number, never negative. */
export function bytesOf(value: unknown, line: number, key = 'size'): number {
  const n = numeric(value);
  if (n === undefined || !Number.isSafeInteger(n) || n < 0) throw new ImportSyntaxError(line, `${key} ${shown(value)}: expected a whole number of bytes`);
  return n;
}

/** Microseconds; null where the tool wrote nan or an infinity; a negative time is refused. */
export function timeOf(value: unknown, line: number, key = 'time'): number | null {
  const n = numeric(value);
  if (n === undefined) throw new ImportSyntaxError(line, `${key} ${shown(value)}: expected microseconds`);
  if (n < 0) throw new ImportSyntaxError(line, `${key} ${shown(value)} is negative: expected microseconds >= 0`);
  return Number.isFinite(n) ? n : null;
}

/** 1e9 B/s; null where the tool wrote nan or an infinity (nccl-tests' bandwidth of a zero time). */
export function bandwidthOf(value: unknown, line: number, key: string): number | null {
  const n = numeric(value);
  if (n === undefined) throw new ImportSyntaxError(line, `${key} ${shown(value)}: expected GB/s`);
  if (n < 0) throw new ImportSyntaxError(line, `${key} ${shown(value)} is negative: expected GB/s >= 0`);
  return Number.isFinite(n) ? n : null;
}

/** Wrong elements: null where validation was off (nccl-tests' null, rccl-tests' "N/A") or the tool wrote nan. */
export function wrongOf(value: unknown, line: number, key: string): number | null {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === 'N/A')) return null;
  const n = numeric(value);
  if (n === undefined || n < 0 || (Number.isFinite(n) && !Number.isInteger(n))) throw new ImportSyntaxError(line, `${key} ${shown(value)}: expected a count of wrong elements or N/A`);
  return Number.isFinite(n) ? n : null;
}

/** A whole number where the tool writes one (ranks, gpus, the root); undefined where the key is absent. */
export function countOf(value: unknown, line: number, key: string): number | undefined {
  if (value === undefined) return undefined;
  const n = numeric(value);
  if (n === undefined || !Number.isSafeInteger(n)) throw new ImportSyntaxError(line, `${key} ${shown(value)}: expected a whole number`);
  return n;
}

/** 'all_reduce' from a binary's path ('./build/all_reduce_perf', 'all_reduce_perf_mpi'). */
export function collectiveFromBinary(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  return base.replace(/\.exe$/i, '').replace(/_perf(?:_mpi)?$/, '');
}
