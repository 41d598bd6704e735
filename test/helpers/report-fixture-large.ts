/**
 * A RunResult the size and shape of a real default run on a 2-vCPU machine (94 cases): four backends on their
 * real device records (long software-renderer names), GEMM at two shapes with the naive kernel both ways, a
 * tuned kernel and a hand-written one; all-reduce with three algorithms, reduce-scatter and all-gather; STREAM
 * with hand-written kernels beside gpu.js's; the real host's long CPU-peak label. Built in code from the report
 * fixture's cases, so the layout tests need no large file; every rate is roughly what that run measured.
 */
import type { CaseResult, Device, GemmCase, RunResult, StreamCase } from '../../src/results/schema.js';
import { collective, gemm, reportRun, stream } from './report-fixture.js';

const EPYC: Device = { executesOn: 'cpu', name: 'AMD EPYC', details: { logicalCores: '2', arch: 'x64' } };
const DEVICES: Record<string, Device> = {
  cpu: EPYC,
  webasm: EPYC,
  headlessgl: { executesOn: 'cpu', name: 'Mesa llvmpipe (swrast_dri.so)', driver: 'headless-gl 8 (WebGL 1 through ANGLE over GLX)', softwareRenderer: true },
  webgpu: {
    executesOn: 'cpu',
    name: 'llvmpipe (LLVM 15.0.6, 256 bits) via Dawn vulkan (core)',
    vendor: 'mesa',
    driver: 'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1',
    softwareRenderer: true,
  },
};
const KERNEL_CLASS: Record<string, string> = { cpu: 'CPUKernel', webasm: 'WebAssemblyKernel', headlessgl: 'HeadlessGLKernel', webgpu: 'WebGPUKernel' };
const BACKENDS = Object.keys(DEVICES);
/** per backend: naive GFLOP/s, tuned kernel and its GFLOP/s, hand-written kernel and its GFLOP/s */
const GEMM: Record<string, [number, string, number, string | undefined, number]> = {
  cpu: [1.2, 'c4', 2.5, undefined, 0],
  webasm: [3.4, 'r4u4b64', 6.7, 'wasm-simd-4x8', 74],
  headlessgl: [1.6, 't22', 3.4, 'webgl-mrt-4x4', 12.6],
  webgpu: [1.3, 'r4u4b64', 1.7, 'wgsl-8x8x8x16-direct', 13.7],
};
const SHAPES = [256, { m: 333, n: 517, k: 129 }] as const;

function gemmCases(backend: string, scale: number): GemmCase[] {
  const [naive, tuned, tunedRate, handWritten, handRate] = GEMM[backend]!;
  return SHAPES.flatMap((shape) => {
    const tunedCase = gemm(backend, shape, 'resident', tunedRate * scale);
    const cases: GemmCase[] = [
      gemm(backend, shape, 'end-to-end', naive * 0.9 * scale),
      gemm(backend, shape, 'resident', naive * scale),
      { ...tunedCase, id: tunedCase.id.replace('gemm/', 'gemm-tuned/'), variant: { id: tuned, description: 'a tuned gpu.js kernel', choice: 'cached' } },
    ];
    if (handWritten) {
      const c = gemm(backend, shape, 'resident', handRate * scale);
      cases.push({ ...c, id: c.id.replace('gemm/', 'gemm-ceiling/'), variant: { id: handWritten, description: 'a hand-written kernel', choice: 'hand-written' } });
    }
    return cases;
  });
}

function streamCases(backend: string): StreamCase[] {
  const gbps = backend === 'cpu' ? 7 : 1.2;
  return (['copy', 'triad'] as const).flatMap((kernel) =>
    [4096, 65536].flatMap((bytes) => {
      const own = stream(kernel, backend, bytes, gbps * (bytes === 4096 ? 0.8 : 1));
      const ids = { id: `stream-${kernel}/${backend}/f32/${bytes / 1024}KiB` };
      if (backend !== 'webasm' && backend !== 'webgpu') return [{ ...own, ...ids }];
      const hand = stream(kernel, backend, bytes, backend === 'webasm' ? 100 : 2);
      const variant = { id: 'hand-written-stream', description: 'a hand-written STREAM kernel', choice: 'hand-written' as const };
      return [{ ...own, ...ids }, { ...hand, id: `stream-ceiling-${kernel}/${backend}/f32/${bytes / 1024}KiB`, variant }];
    }),
  );
}

function collectiveCases(backend: string): CaseResult[] {
  const slow = backend === 'cpu' || backend === 'webasm' ? 1 : 0.05;
  const sizes = [[4096, 0.05], [65536, 0.15]] as const;
  return [
    ...['ring', 'halving-doubling', 'direct'].flatMap((algorithm) => sizes.map(([bytes, busbw]) => collective('allreduce', algorithm, backend, bytes, busbw * slow))),
    ...sizes.map(([bytes, busbw]) => collective('reducescatter', 'ring', backend, bytes, busbw * slow)),
    ...sizes.map(([bytes, busbw]) => collective('allgather', 'ring', backend, bytes, busbw * slow)),
  ];
}

/** On its real device, as its backend's executed record says. */
const onDevice = (c: CaseResult): CaseResult => ({ ...c, executed: { backend: c.backend, kernelClass: KERNEL_CLASS[c.backend]!, device: DEVICES[c.backend]! } });

/** The run; `gemmScale` multiplies every GEMM rate (a baseline for comparisons). */
export function realSizedRun(gemmScale = 1): RunResult {
  const run = reportRun();
  const cases = BACKENDS.flatMap((b) => [...gemmCases(b, gemmScale), ...streamCases(b), ...collectiveCases(b)]).map(onDevice);
  return {
    ...run,
    command: ['/work/main/dist/src/cli/main.js', 'run', '-o', '/tmp/default-run.json'],
    options: { ...run.options, profile: 'standard', backends: BACKENDS, workloads: ['gemm', 'allreduce', 'reducescatter', 'allgather', 'stream'] },
    environment: { ...run.environment, hostname: 'vm', cpu: { model: 'AMD EPYC', logicalCores: 2, speedMHz: 0 } },
    backends: BACKENDS.map((backend) => ({ backend, available: true, executed: { backend, kernelClass: KERNEL_CLASS[backend]!, device: DEVICES[backend]! } })),
    reference: {
      ...run.reference!,
      cpuPeak: {
        flopsPerSecond: 268289792000,
        label:
          'estimate: 2 logical CPUs x 16 f32 lanes (AVX-512F, AMD cpu family 26 (Zen 5): full 512-bit pipes) x 2 FMA units (assumed) x 2 FLOP x 2.096 GHz = 268 GFLOP/s; ' +
          'SMT threads counted as cores, turbo and AVX clock offsets ignored',
      },
    },
    cases,
  };
}
