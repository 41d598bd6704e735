/** RunResults built in code, for tests that read, compare or export them. */
import { RESULT_SCHEMA_VERSION, type GemmCase, type Measurement, type RunResult } from '../../src/results/schema.js';

export function minimalRun(): RunResult {
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'chipbench', version: '0.1.0' },
    status: 'running',
    startedAt: '2026-11-29T00:00:00.000Z',
    command: ['chipbench', 'run'],
    options: {
      profile: 'smoke',
      backends: ['fake'],
      workloads: ['gemm'],
      timings: ['resident'],
      shapes: [{ m: 2, n: 2, k: 2 }],
      timeBudgetMs: 1,
      minSamples: 1,
      warmupMs: 0,
      warmupIterations: 0,
      caseTimeoutSeconds: 1,
      seed: 1,
    },
    environment: {
      node: 'v20.0.0',
      gpujs: '2.24.1',
      tinybench: '6.2.5',
      os: { platform: 'linux', release: '6', arch: 'x64' },
      cpu: { model: 'test', logicalCores: 2, speedMHz: 0 },
      memoryBytes: 1,
      hostname: 'h',
    },
    backends: [],
    cases: [],
  };
}

/** A Measurement of these timing samples (seconds): median, extremes and an interval that spans them all. */
export function measurementOf(samplesSeconds: number[]): Measurement {
  const sorted = [...samplesSeconds].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return {
    samplesSeconds,
    sampleCount: samplesSeconds.length,
    medianSeconds: median,
    meanSeconds: median,
    minSeconds: sorted[0]!,
    maxSeconds: sorted.at(-1)!,
    p99Seconds: sorted.at(-1)!,
    sdSeconds: 0,
    rmePercent: null,
    medianCi: { lowSeconds: sorted[0]!, highSeconds: sorted.at(-1)!, coverage: 0.95 },
    warmupSamples: 0,
  };
}

/** An ok f32 GEMM case of 1000^3 (2e9 FLOP) on the fake backend, with these timing samples in seconds. */
export function gemmCase(samplesSeconds: number[], overrides: Partial<GemmCase> = {}, shape = 1000): GemmCase {
  const measurement = measurementOf(samplesSeconds);
  const flop = 2 * shape ** 3;
  return {
    id: `gemm/fake/f32/m${shape}-n${shape}-k${shape}/resident`,
    backend: 'fake',
    precision: 'f32',
    timing: 'resident',
    outcome: 'ok',
    startedAt: 'now',
    wallSeconds: 1,
    executed: { backend: 'fake', kernelClass: 'FakeKernel', device: { executesOn: 'cpu', name: 'fake CPU' } },
    workload: 'gemm',
    shape: { m: shape, n: shape, k: shape },
    seed: 1,
    measurement,
    metrics: { flop, medianTflops: flop / measurement.medianSeconds / 1e12, tflopsCi: { low: 0, high: 0 } },
    ...overrides,
  };
}

/** A run holding these cases. */
export function runWith(cases: RunResult['cases'], edit: (r: RunResult) => void = () => {}): RunResult {
  const run = { ...minimalRun(), status: 'complete' as const, cases };
  edit(run);
  return run;
}

/** Samples around `center` seconds with a deterministic spread of +-5% (a noisy but stable case). */
export function noisySamples(center: number, count: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: count }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return center * (0.95 + 0.1 * (s / 2 ** 32));
  });
}
