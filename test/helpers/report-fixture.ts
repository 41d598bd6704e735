/**
 * A RunResult for report tests, built in code so every number is known: GEMM
 * on two backends at three sizes and both timings, all-reduce (ring and
 * direct) and reduce-scatter at three sizes, STREAM, one failed case and one
 * unavailable backend. The cpu device's name carries an injected <script>
 * and an <img onerror>: a report must show them as text and run neither;
 * the hostname and a reason carry pipes, quotes and a line break.
 */
import type { CaseResult, CollectiveCase, Device, GemmCase, RunResult, StreamCase } from '../../src/results/schema.js';
import { forkedMeasurement, minimalRun } from './run-result.js';

/** Sets window.__injected if it ever runs. */
export const INJECTED_DEVICE_NAME = 'EPYC <script>window.__injected = true</script><img src=x onerror="window.__injected = true">';

const CPU: Device = { executesOn: 'cpu', name: INJECTED_DEVICE_NAME };
const LLVMPIPE: Device = { executesOn: 'cpu', name: 'llvmpipe (LLVM 15.0.6, 256 bits)', softwareRenderer: true, driver: 'Mesa 22.3.6' };

const device = (backend: string) => (backend === 'cpu' ? CPU : LLVMPIPE);
const kernelClass = (backend: string) => (backend === 'cpu' ? 'CPUKernel' : 'WebGPUKernel');

/** Nine samples from -3% to +3% of `median` seconds. */
const samples = (median: number) => Array.from({ length: 9 }, (_, i) => median * (0.97 + 0.0075 * i));
/** Three forks, at e^-0.01, 1 and e^0.01 times `median` seconds (their geometric mean is the median): a 30% change is regressed, the same figures unchanged. */
const measurementOf = (median: number) => forkedMeasurement([Math.exp(-0.01), 1, Math.exp(0.01)].map((f) => samples(median * f)));

function common(id: string, backend: string, timing: 'resident' | 'end-to-end') {
  return {
    id,
    backend,
    precision: 'f32' as const,
    timing,
    outcome: 'ok' as const,
    startedAt: '2026-11-29T00:00:01.000Z',
    wallSeconds: 1,
    executed: { backend, kernelClass: kernelClass(backend), device: device(backend) },
  };
}

/** An ok GEMM case of n^3, or of the shape given, at `gflops` GFLOP/s. */
export function gemm(backend: string, n: number | GemmCase['shape'], timing: 'resident' | 'end-to-end', gflops: number): GemmCase {
  const shape = typeof n === 'number' ? { m: n, n, k: n } : n;
  const flop = 2 * shape.m * shape.n * shape.k;
  const median = flop / (gflops * 1e9);
  const m = measurementOf(median);
  return {
    ...common(`gemm/${backend}/f32/m${shape.m}-n${shape.n}-k${shape.k}/${timing}`, backend, timing),
    workload: 'gemm',
    shape,
    seed: 20250715,
    measurement: m,
    verification: { passed: true, maxRelError: 1.5e-7, bound: 3.9e-6, checkedElements: shape.m * shape.n, wrongElements: 0 },
    metrics: { flop, medianTflops: flop / m.medianSeconds / 1e12, tflopsCi: { low: flop / m.medianCi.highSeconds / 1e12, high: flop / m.medianCi.lowSeconds / 1e12 } },
  };
}

export function collective(workload: 'allreduce' | 'reducescatter' | 'allgather', algorithm: string, backend: string, bytes: number, busbwGBps: number): CollectiveCase {
  const ranks = 8;
  const factor = workload === 'allreduce' ? (2 * (ranks - 1)) / ranks : (ranks - 1) / ranks;
  const algbw = busbwGBps / factor;
  const median = bytes / (algbw * 1e9);
  const size = bytes >= 2 ** 20 ? `${bytes / 2 ** 20}MiB` : `${bytes / 1024}KiB`;
  return {
    ...common(`${workload}-${algorithm}/${backend}/f32/r${ranks}-${size}`, backend, 'resident'),
    workload,
    algorithm,
    ranks,
    bytes,
    elements: bytes / 4,
    chunking: 'uneven',
    steps: 14,
    wrong: 0,
    measurement: measurementOf(median),
    metrics: { bytes, algbwGBps: algbw, busbwGBps, busbwFactor: factor, busbwCi: { low: busbwGBps * 0.97, high: busbwGBps * 1.02 } },
  };
}

export function stream(kernel: 'copy' | 'triad', backend: string, bytes: number, GBps: number): StreamCase {
  const moved = (kernel === 'copy' ? 2 : 3) * bytes;
  return {
    ...common(`stream-${kernel}/${backend}/f32/${bytes / 2 ** 20}MiB`, backend, 'resident'),
    workload: 'stream',
    kernel,
    bytes,
    elements: bytes / 4,
    wrong: 0,
    measurement: measurementOf(moved / (GBps * 1e9)),
    metrics: { bytesMoved: moved, GBps, GBpsCi: { low: GBps * 0.97, high: GBps * 1.02 } },
  };
}

/** The fixture's cases; `gemmScale` multiplies every GEMM rate (a baseline for comparisons). */
export function reportCases(gemmScale = 1): CaseResult[] {
  const cases: CaseResult[] = [];
  for (const backend of ['cpu', 'webgpu']) {
    for (const [n, rate] of [[64, 0.9], [128, 1.1], [256, 1.3]] as const) {
      cases.push(gemm(backend, n, 'end-to-end', rate * gemmScale * (backend === 'cpu' ? 1 : 0.5)));
      cases.push(gemm(backend, n, 'resident', rate * 1.2 * gemmScale * (backend === 'cpu' ? 1 : 0.5)));
    }
  }
  cases.push({
    ...gemm('webgpu', 33, 'resident', 0.1),
    id: 'gemm/webgpu/f32/m33-n33-k33/resident',
    outcome: 'error',
    reason: 'verification failed | 3 "wrong" elements',
    measurement: undefined,
    metrics: undefined,
  });
  for (const backend of ['cpu', 'webgpu']) {
    for (const algorithm of ['ring', 'direct']) {
      for (const [bytes, busbw] of [[4096, 0.01], [65536, 0.08], [2 ** 20, 0.4]] as const) {
        cases.push(collective('allreduce', algorithm, backend, bytes, busbw * (algorithm === 'ring' ? 1 : 0.6) * (backend === 'cpu' ? 1 : 0.3)));
      }
    }
  }
  for (const [bytes, busbw] of [[4096, 0.02], [65536, 0.1], [2 ** 20, 0.5]] as const) cases.push(collective('reducescatter', 'ring', 'cpu', bytes, busbw));
  for (const backend of ['cpu', 'webgpu']) {
    for (const kernel of ['copy', 'triad'] as const) {
      for (const [bytes, GBps] of [[2 ** 20, 9], [2 ** 24, 6]] as const) cases.push(stream(kernel, backend, bytes, GBps * (backend === 'cpu' ? 1 : 0.1)));
    }
  }
  // the hand-written kernels on webgpu, beside gpu.js's: GEMM at 256^3 resident, STREAM copy at 1 MiB
  cases.push({
    ...gemm('webgpu', 256, 'resident', 3.9),
    id: 'gemm-ceiling/webgpu/f32/m256-n256-k256/resident',
    variant: { id: 'wgsl-8x8x8x8-k16-v4', description: 'hand-written WGSL GEMM', choice: 'hand-written' },
  });
  cases.push({
    ...stream('copy', 'webgpu', 2 ** 20, 3.6),
    id: 'stream-ceiling-copy/webgpu/f32/1MiB',
    variant: { id: 'wgsl-vec4-stream', description: 'hand-written WGSL STREAM kernel', choice: 'hand-written' },
  });
  return cases;
}

export function reportRun(gemmScale = 1): RunResult {
  const run = minimalRun();
  return {
    ...run,
    status: 'complete',
    finishedAt: '2026-11-29T00:05:00.000Z',
    command: ['chipbench', 'run', '--profile', 'quick'],
    options: { ...run.options, profile: 'quick', backends: ['cpu', 'webgpu', 'headlessgl'], workloads: ['gemm', 'allreduce', 'reducescatter', 'stream'] },
    // a hostname with a table's pipe, quotes and a line break: it must neither split a row nor start a heading
    environment: { ...run.environment, hostname: 'lab "gpu" | rack 3\n# not a heading', gitCommit: '0123456789abcdef0123456789abcdef01234567' },
    backends: [
      { backend: 'cpu', available: true, executed: { backend: 'cpu', kernelClass: 'CPUKernel', device: CPU } },
      { backend: 'webgpu', available: true, executed: { backend: 'webgpu', kernelClass: 'WebGPUKernel', device: LLVMPIPE } },
      { backend: 'headlessgl', available: false, reason: 'the gl addon is not built', remedy: 'install the packages in the README and run npm ci' },
    ],
    reference: {
      chipTables: ['reference-data/chips.json'],
      alphaSeconds: 5e-6,
      cpuPeak: { flopsPerSecond: 2.5e11, label: 'estimate: 2 logical cores x 8 f32 lanes (AVX2+FMA) x 2 FMA units x 2 FLOP x 3.9 GHz' },
    },
    cases: reportCases(gemmScale),
  };
}
