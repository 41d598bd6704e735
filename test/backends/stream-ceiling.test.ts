/**
 * The hand-written STREAM kernels (the bandwidth ceilings): on WebAssembly directly, every element right for copy
 * and triad at sizes that are and are not whole vectors and cache lines, on 1 to 5 threads (more threads than cache
 * lines included); and through a worker process like a run on webasm and on every WebGPU adapter, at 1 element,
 * 250 (not a whole number of vec4s: padded, only the real elements checked) and 1024, recorded as hand-written.
 */
import { describe, expect, it } from 'vitest';
import { hostCpuDevice } from '../../src/backends/host-cpu.js';
import { prepareWasmCeilingStream, THREADED_MIN_BYTES, WASM_STREAM_CEILING } from '../../src/backends/ceiling/wasm-stream.js';
import { wgslStreamSource } from '../../src/backends/ceiling/webgpu-stream.js';
import { STREAM_KERNELS } from '../../src/metrics/bandwidth.js';
import { casesOf, type StreamJob } from '../../src/plan/plan.js';
import type { StreamCase } from '../../src/results/schema.js';
import { streamArrays } from '../../bench/builtin/stream.bench.js';
import { streamJob } from '../helpers/builtin-suites.js';
import { realBackends } from '../helpers/real-backends.js';

describe('the WebAssembly STREAM ceiling', () => {
  for (const kernel of STREAM_KERNELS) {
    for (const elements of [1, 15, 16, 17, 250, 4099]) {
      it(`${kernel} of ${elements} element(s): every element right on 1 to 5 threads, twice in a row`, async () => {
        const { x, y } = streamArrays(elements);
        for (const threads of [1, 2, 3, 5]) {
          const s = await prepareWasmCeilingStream(kernel, x, y, 3, hostCpuDevice(), threads);
          try {
            for (let call = 0; call < 2; call++) {
              await s.run();
              const out = await s.readBack();
              expect(out).toHaveLength(elements);
              expect([...out], `${threads} thread(s), call ${call}`).toEqual([...x].map((v, i) => (kernel === 'copy' ? v : v + 3 * y[i]!)));
            }
            expect(s.threads).toBe(threads);
            expect(s.executed()).toMatchObject({ backend: 'webasm', kernelClass: `hand-written WebAssembly SIMD (${WASM_STREAM_CEILING.id}), ${threads} thread(s)` });
          } finally {
            s.dispose();
          }
        }
      });
    }
  }

  it('runs on the calling thread alone below the threaded size, and says so in the timing note', async () => {
    const { x, y } = streamArrays(16);
    const s = await prepareWasmCeilingStream('copy', x, y, 3, hostCpuDevice());
    expect(s.threads).toBe(1);
    expect(s.timingNote).toMatch(/on the calling thread/);
    s.dispose();
    expect(THREADED_MIN_BYTES).toBeGreaterThan(x.byteLength);
  });

  it('writes out = x (copy) and out = x + s * y (triad) in WGSL over vec4s', () => {
    expect(wgslStreamSource('copy')).toMatch(/out\[i\] = x\[i\];/);
    expect(wgslStreamSource('copy')).not.toMatch(/var<storage, read> y/);
    expect(wgslStreamSource('triad')).toMatch(/out\[i\] = x\[i\] \+ params\.s \* y\[i\];/);
  });
});

describe('the STREAM ceiling cases, through a worker process like a run', { timeout: 240_000 }, () => {
  const backends = realBackends();
  const jobs: StreamJob[] = STREAM_KERNELS.flatMap((kernel) => [4, 1000, 4096].map((bytes) => streamJob(kernel, bytes, true)));

  it.for(['webasm', 'webgpu@vulkan', 'webgpu@opengl'])('%s: every case verified and timed, recorded as hand-written on the device gpu.js uses', async (target, ctx) => {
    const results = (await backends.run(target, jobs, ctx)) as StreamCase[];
    const backend = target.split('@')[0]!;
    expect(results.map((r) => r.id)).toEqual(jobs.map((j) => `stream-ceiling-${j.kernel}/${backend}/f32/${j.bytes === 4096 ? '4KiB' : `${j.bytes}B`}`));
    for (const r of results) {
      expect({ id: r.id, outcome: r.outcome, reason: r.reason }).toEqual({ id: r.id, outcome: 'ok', reason: undefined });
      expect(r.wrong).toBe(0);
      expect(r.variant).toMatchObject({ choice: 'hand-written', id: backend === 'webasm' ? 'wasm-simd-stream' : 'wgsl-vec4-stream' });
      expect(r.executed!.kernelClass).toMatch(/^hand-written (WebAssembly SIMD|WGSL) \(/);
      expect(r.executed!.device.executesOn).toBe('cpu');
      // credited: the real arrays only, copy 2 and triad 3 of them, whatever the padding
      expect(r.metrics!.bytesMoved).toBe((r.kernel === 'copy' ? 2 : 3) * r.bytes);
      // the device's own time, where the adapter offers timestamp-query (lavapipe through Vulkan; not OpenGL, not WebAssembly)
      if (target === 'webgpu@vulkan') expect(r.deviceTime).toMatchObject({ calls: 10, source: 'timestamp-query' });
      else expect(r.deviceTime).toBeUndefined();
    }
  });

  it('plans a hand-written STREAM case only on a backend that has one', () => {
    const job = streamJob('triad', 65536, true);
    expect(casesOf('webgpu', job).map((c) => c.id)).toEqual(['stream-ceiling-triad/webgpu/f32/64KiB']);
    expect(casesOf('headlessgl', job)).toEqual([]);
  });
});
