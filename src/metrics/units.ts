/**
 * Units and rate formulas. Every figure chipbench prints is derived here, so
 * that a unit can never be applied twice or forgotten. SI prefixes are decimal
 * (1 TFLOP/s = 1e12 FLOP/s, 1 GB/s = 1e9 B/s), as in vendor datasheets and
 * nccl-tests.
 */

/** FLOP/s -> TFLOP/s divisor. */
export const FLOP_PER_TFLOP = 1e12;

/** GFLOP/s per TFLOP/s. */
const GFLOP_PER_TFLOP = 1e3;

/** Throughput in TFLOP/s from a FLOP count and a duration in seconds. */
export function tflopsPerSecond(flop: number, seconds: number): number {
  if (!(seconds > 0)) throw new RangeError(`duration must be positive, got ${seconds} s`);
  return flop / seconds / FLOP_PER_TFLOP;
}

/** B/s per TB/s: chip tables state memory bandwidth in TB/s. */
export const BYTES_PER_TB = 1e12;

/** B/s per GB/s: result files keep GB/s (nccl-tests' unit); charts and the chip table work in B/s. */
export const BYTES_PER_GB = 1e9;

/** B/s from a stored GB/s figure. */
export function bytesPerSecond(gbps: number): number {
  return gbps * BYTES_PER_GB;
}

/** GFLOP/s from a stored TFLOP/s figure, for the exports and comparisons that count in GFLOP/s. */
export function gflopsPerSecond(tflops: number): number {
  return tflops * GFLOP_PER_TFLOP;
}

/** FLOP/s from a stored TFLOP/s figure (the result file keeps TFLOP/s; charts and the chip table work in FLOP/s). */
export function flopsPerSecond(tflops: number): number {
  return tflops * FLOP_PER_TFLOP;
}

/** Decimal SI prefixes from peta down to none, largest first. */
export const SI_PREFIXES: ReadonlyArray<[number, string]> = [
  [1e15, 'P'],
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
  [1, ''],
];

/**
 * Formats a rate with an SI prefix chosen so the mantissa is at least 1,
 * with 3 significant digits, e.g. formatSi(3.12e8, 'FLOP/s') = '312 MFLOP/s'.
 */
export function formatSi(value: number, unit: string): string {
  if (!Number.isFinite(value)) return `${value} ${unit}`;
  if (value === 0) return `0 ${unit}`;
  const abs = Math.abs(value);
  const [scale, prefix] = SI_PREFIXES.find(([s]) => abs >= s) ?? SI_PREFIXES[SI_PREFIXES.length - 1]!;
  return `${(value / scale).toPrecision(3)} ${prefix}${unit}`;
}

/** Formats a duration in seconds with a unit that keeps 3 significant digits: '812 µs', '1.23 s'. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return `${seconds} s`;
  const abs = Math.abs(seconds);
  if (abs >= 1) return `${seconds.toPrecision(3)} s`;
  if (abs >= 1e-3) return `${(seconds * 1e3).toPrecision(3)} ms`;
  if (abs >= 1e-6) return `${(seconds * 1e6).toPrecision(3)} µs`;
  return `${(seconds * 1e9).toPrecision(3)} ns`;
}

/** 42s, 3m05s, 1h02m. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
