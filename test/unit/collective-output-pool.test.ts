/**
 * The collective executor's output pool, with a stand-in gpu.js whose
 * mutable kernels behave like gpu.js webgpu's: one buffer per kernel, a new
 * handle wrapping it on every call. Every result must be exact (no output a
 * rank holds is ever overwritten), and every handle must be released exactly
 * once (a wrapper left alive keeps its buffer alive).
 */
import { describe, expect, it } from 'vitest';
import { DeviceCollective } from '../../src/backends/gpujs-collective.js';
import type { GpujsInstance, GpujsKernel } from '../../src/backends/gpujs-kernels.js';
import { REDUCE_SPEC, scheduleBuffers, scheduleWrong } from '../helpers/builtin-suites.js';
import { ALLREDUCE_ALGORITHMS, allreduceSchedule } from '../../src/workloads/allreduce/schedule.js';

interface Handle {
  data: Float32Array;
  buffer: { values: Float32Array };
}

function standInGpu() {
  const handles: Handle[] = [];
  const gpu: GpujsInstance = {
    createKernel(fn, settings) {
      const length = (settings.output as number[])[0]!;
      const immutable = settings.immutable === true;
      let buffer = { values: new Float32Array(length) };
      const kernel = ((...args: Handle[]) => {
        if (immutable) buffer = { values: new Float32Array(length) };
        const inputs = args.map((a) => (a instanceof Float32Array ? a : a.buffer.values));
        const out = new Float32Array(length);
        for (let x = 0; x < length; x++) out[x] = (fn as (this: unknown, ...a: Float32Array[]) => number).call({ thread: { x } }, ...inputs);
        buffer.values.set(out); // mutable: the one buffer is overwritten
        const handle: Handle = { data: buffer.values, buffer };
        handles.push(handle);
        return handle;
      }) as unknown as GpujsKernel;
      kernel.kernel = { constructor: { name: 'StandIn' } };
      return kernel;
    },
    destroy() {},
  };
  return { gpu, handles };
}

describe('the collective output pool', () => {
  it.each(ALLREDUCE_ALGORITHMS)('%s: exact on every run, and releases every handle exactly once', async (algorithm) => {
    const { gpu, handles } = standInGpu();
    const released = new Map<Handle, number>();
    const schedule = allreduceSchedule(algorithm, 5, 23);
    const collective = await DeviceCollective.create(gpu, schedule, scheduleBuffers(schedule), REDUCE_SPEC, {
      sync: async () => {},
      release: (h) => void released.set(h as Handle, (released.get(h as Handle) ?? 0) + 1),
      read: async (h) => (h as Handle).buffer.values.slice(),
    });
    for (let run = 0; run < 3; run++) {
      await collective.run();
      expect(scheduleWrong(schedule, await collective.readBack())).toBe(0);
    }
    collective.dispose();
    expect(handles.length).toBeGreaterThan(0);
    expect(handles.filter((h) => released.get(h) !== 1)).toEqual([]);
  });
});
