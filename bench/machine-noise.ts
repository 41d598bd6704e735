/**
 * How much does this machine's speed move, and on what timescale? Three
 * fixed pieces of work, no gpu.js, each timed call after call in this one
 * process:
 * - latency: one chain of dependent integer multiplies (a core's clock and
 *   nothing else: it uses a sliver of the core's execution units);
 * - throughput: eight independent float multiply-add chains (the core's
 *   execution units, as a SIMD kernel uses them);
 * - cache: a naive i-j-k f32 GEMM of 128^3 (192 KiB, the core's L1 and L2,
 *   the access pattern of gpu.js's naive kernel).
 * For each, the spread (sd of ln) of the median of windows of 25 ms to
 * 6.4 s: how far one window of that length, the time a case is sampled
 * for, stands from the next. Then, from the cache trace, the spread of a
 * case's headline (the geometric mean of 3 fork medians) when each fork
 * samples it in one 100 ms window, or in 8 slices of 12.5 ms spread over
 * 2.5 s: what chipbench's --time-slices buys at the same sampling time.
 *
 * A clock that moves (frequency) moves all three alike; contention for a
 * physical core that another tenant shares moves the throughput and cache
 * work and leaves the latency chain alone.
 *
 * Usage: npm run machine-noise -- [seconds per workload, default 20]
 */
import { performance } from 'node:perf_hooks';
import { meanOf, medianOf, sampleVariance } from '../src/stats/statistics.js';

interface Trace {
  /** each call's duration, milliseconds */
  ms: number[];
  /** each call's start, milliseconds since the trace began */
  at: number[];
}

const WINDOWS_MS = [25, 50, 100, 200, 400, 800, 1600, 3200, 6400];

function latencyChain(): number {
  let x = 1;
  let y = 7;
  for (let i = 0; i < 2e6; i++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    y ^= x >>> 7;
  }
  return x ^ y;
}

function throughputChains(): number {
  let a = 1, b = 1.1, c = 1.2, d = 1.3, e = 1.4, f = 1.5, g = 1.6, h = 1.7;
  const m = 0.999999;
  const k = 1e-7;
  for (let i = 0; i < 1e6; i++) {
    a = a * m + k; b = b * m + k; c = c * m + k; d = d * m + k;
    e = e * m + k; f = f * m + k; g = g * m + k; h = h * m + k;
  }
  return a + b + c + d + e + f + g + h;
}

function cacheGemm(n: number): () => number {
  const A = Float32Array.from({ length: n * n }, (_, i) => (i % 7) / 7);
  const B = Float32Array.from({ length: n * n }, (_, i) => (i % 5) / 5);
  const C = new Float32Array(n * n);
  return () => {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += A[i * n + k]! * B[k * n + j]!;
        C[i * n + j] = s;
      }
    }
    return C[n + 1]!;
  };
}

/** Calls `work` for `seconds` after a short warm-up, keeping every call's duration and start. */
function trace(work: () => number, seconds: number): Trace {
  let sink = 0;
  for (let i = 0; i < 20; i++) sink += work();
  const ms: number[] = [];
  const at: number[] = [];
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1e3) {
    const a = performance.now();
    sink += work();
    ms.push(performance.now() - a);
    at.push(a - t0);
  }
  if (sink === 42) console.log('');
  return { ms, at };
}

const sdLog = (xs: number[]) => Math.sqrt(sampleVariance(xs.map(Math.log)));

/** The medians of consecutive windows of `windowMs` (a window holds the calls that start in it). */
function windowMedians(t: Trace, windowMs: number): number[] {
  const medians: number[] = [];
  let current: number[] = [];
  let start = 0;
  for (let i = 0; i < t.ms.length; i++) {
    if (t.at[i]! - start >= windowMs) {
      if (current.length > 0) medians.push(medianOf(current));
      current = [];
      start = t.at[i]!;
    }
    current.push(t.ms[i]!);
  }
  return medians;
}

/** The calls of `t` that start in [from, from + lengthMs), at least one. */
function callsIn(t: Trace, from: number, lengthMs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < t.ms.length; i++) if (t.at[i]! >= from && t.at[i]! < from + lengthMs) out.push(t.ms[i]!);
  if (out.length === 0) out.push(t.ms[t.at.findIndex((a) => a >= from)] ?? t.ms[t.ms.length - 1]!);
  return out;
}

/** A deterministic stream of uniforms in [0, 1) (mulberry32), so the layouts are drawn alike run to run. */
function uniforms(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The sd of ln headline over `draws` placements: 3 forks at random moments, each fork's median taken over
 * `slices` slices of `sliceMs` spread evenly over `spanMs` (1 slice: one window).
 */
function headlineSpread(t: Trace, slices: number, sliceMs: number, spanMs: number, draws = 2000): number {
  const end = t.at[t.at.length - 1]!;
  const random = uniforms(1);
  const headlines: number[] = [];
  for (let d = 0; d < draws; d++) {
    const forkLogs: number[] = [];
    for (let f = 0; f < 3; f++) {
      const from = random() * Math.max(0, end - spanMs - sliceMs);
      const calls: number[] = [];
      for (let s = 0; s < slices; s++) calls.push(...callsIn(t, from + (slices > 1 ? (s * spanMs) / (slices - 1) : 0), sliceMs));
      forkLogs.push(Math.log(medianOf(calls)));
    }
    headlines.push(meanOf(forkLogs));
  }
  return Math.sqrt(sampleVariance(headlines));
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function main(): void {
  const seconds = Number(process.argv[2] ?? 20);
  if (!(seconds >= 5)) {
    console.error(`machine-noise: '${process.argv[2]}' is too short a trace; give at least 5 seconds, e.g. npm run machine-noise -- 20`);
    process.exit(2);
  }
  const workloads: Array<[string, () => number]> = [
    ['latency (integer chain)', latencyChain],
    ['throughput (8 float chains)', throughputChains],
    ['cache (naive GEMM 128^3)', cacheGemm(128)],
  ];
  console.log(`# machine noise, ${new Date().toISOString()}: ${seconds} s a workload, one process`);
  console.log('# sd of ln of the median of consecutive windows (windows with fewer than 3 in the trace are left out)');
  console.log(['workload'.padEnd(28), 'call (ms)', ...WINDOWS_MS.map((w) => `${w} ms`.padStart(8))].join('  '));
  let cache: Trace | undefined;
  for (const [name, work] of workloads) {
    const t = trace(work, seconds);
    if (name.startsWith('cache')) cache = t;
    const cells = WINDOWS_MS.map((w) => {
      const medians = windowMedians(t, w);
      return (medians.length >= 3 ? pct(sdLog(medians)) : '-').padStart(8);
    });
    console.log([name.padEnd(28), medianOf(t.ms).toFixed(3).padStart(9), ...cells].join('  '));
  }
  console.log('\n# the cache workload as a case: sd of ln of the headline (geometric mean of 3 fork medians), 2000 placements');
  console.log(`one 100 ms window a fork:                  ${pct(headlineSpread(cache!, 1, 100, 0))}`);
  console.log(`8 slices of 12.5 ms over 2.5 s a fork:     ${pct(headlineSpread(cache!, 8, 12.5, 2500))}`);
}

main();
