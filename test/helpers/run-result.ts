/** RunResults built in code, for tests that read, compare or export them. */
import { RESULT_SCHEMA_VERSION, type ForkMeasurement, type GemmCase, type Measurement, type RunResult } from '../../src/results/schema.js';
import { headlineOf } from '../../src/harness/forks.js';
import { forkMeasurementOf } from '../../src/harness/measure.js';

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
      maxWarmupMs: 0,
      forks: 1,
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

/** One fork of these timing samples (seconds), with its real statistics and steady-state test. */
export function forkOf(samplesSeconds: number[]): ForkMeasurement {
  return forkMeasurementOf(samplesSeconds, { samples: 0, seconds: 0, state: 'unchecked' });
}

/** A one-fork Measurement of these timing samples (seconds). */
export function measurementOf(samplesSeconds: number[]): Measurement {
  return headlineOf([forkOf(samplesSeconds)]);
}

/** A Measurement of several forks, each with its own timing samples (seconds). */
export function forkedMeasurement(forks: number[][]): Measurement {
  return headlineOf(forks.map(forkOf));
}

/** An ok f32 GEMM case of 1000^3 (2e9 FLOP) on the fake backend, with these timing samples in seconds (one fork, or one list per fork). */
export function gemmCase(samplesSeconds: number[] | number[][], overrides: Partial<GemmCase> = {}, shape = 1000): GemmCase {
  const measurement = Array.isArray(samplesSeconds[0]) ? forkedMeasurement(samplesSeconds as number[][]) : measurementOf(samplesSeconds as number[]);
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
