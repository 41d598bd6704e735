/**
 * A suite file's kernel on a gpu.js backend, timed as its case says (docs/suites.md): end to end (gpu.js's defaults:
 * host arrays in, the output read back), or resident (the inputs put on the backend once, a reused output left
 * there, one synchronisation per call). The built-in STREAM kernels (bench/builtin/stream.bench.ts) run resident.
 */
import type { Executed } from '../results/schema.js';
import type { KernelInput, KernelSpec, KernelTiming } from '../suite/define.js';
import { readHandle, releaseHandle } from './gpujs-handles.js';
import { identityKernelSource, copySource, type GpujsInstance, type GpujsKernel, type GpujsModule } from './gpujs-kernels.js';
import type { PreparedSuiteKernel } from './session.js';

/** What the session lends: its gpu.js instance and module, its backend, and how it waits and names what ran. */
export interface SuiteKernelContext {
  gpu: GpujsInstance;
  input: GpujsModule['input'];
  backend: string;
  sync(kernel: GpujsKernel): Promise<void>;
  executedBy(kernel: GpujsKernel): Executed;
}

export async function prepareGpujsSuiteKernel(ctx: SuiteKernelContext, spec: KernelSpec, inputs: readonly KernelInput[], timing: KernelTiming): Promise<PreparedSuiteKernel> {
  const prepared = timing === 'resident' ? await residentKernel(ctx, spec, inputs) : endToEndKernel(ctx, spec, inputs);
  // gpu.js compiles on the first call: a compile failure is then a failure to prepare, not a wrong result
  try {
    await prepared.run();
  } catch (error) {
    prepared.dispose();
    throw error;
  }
  return prepared;
}

/** Why resident timing cannot place these inputs (an input of more than 2 dimensions), or undefined. */
export function residentUnfit(inputs: readonly KernelInput[]): string | undefined {
  const cube = inputs.find((i) => typeof i !== 'number' && !(i instanceof Float32Array) && i.dims.length > 2);
  if (cube === undefined || typeof cube === 'number' || cube instanceof Float32Array) return undefined;
  return `resident timing takes 1-D and 2-D array inputs, not [${cube.dims.join(', ')}]; give the case timing: 'end-to-end'`;
}

/** Precision is single (f32) whatever the suite asks; the output and constants are the spec's. */
function kernelSettings(ctx: SuiteKernelContext, spec: KernelSpec): Record<string, unknown> {
  return {
    ...spec.settings,
    output: [...spec.output],
    constants: { ...spec.constants },
    precision: 'single',
    ...(ctx.backend === 'webasm' ? { asyncMode: true } : {}),
  };
}

function endToEndKernel(ctx: SuiteKernelContext, spec: KernelSpec, inputs: readonly KernelInput[]): PreparedSuiteKernel {
  const args = inputs.map((i) => (typeof i === 'number' || i instanceof Float32Array ? i : ctx.input(i.values, [...i.dims])));
  const kernel = ctx.gpu.createKernel(spec.source, kernelSettings(ctx, spec));
  let last: unknown;
  return {
    executed: () => ctx.executedBy(kernel),
    timingNote: 'one call: the inputs passed as host arrays (uploaded on a device), the kernel, its output read back to host memory',
    run: async () => {
      last = await readHandle(await kernel(...args));
    },
    output: async () => last,
    dispose: () => kernel.destroy?.(),
  };
}

/**
 * Every backend takes the path the collectives take: the array inputs put in place once by an immutable pipeline
 * copy, and one mutable pipeline output that every call overwrites, as STREAM's preallocated arrays are. Without a
 * mutable pipeline output, gpu.js cpu allocates a fresh result array on every call (0.54 against 3.9 GB/s for a
 * STREAM copy of 8 MiB, measured here): that would measure the allocator, not the kernel. gpu.js webasm copies
 * every result out of WebAssembly memory whatever the settings, and its figure includes that copy.
 */
async function residentKernel(ctx: SuiteKernelContext, spec: KernelSpec, inputs: readonly KernelInput[]): Promise<PreparedSuiteKernel> {
  const { gpu, backend } = ctx;
  const asyncMode = backend === 'webasm' ? { asyncMode: true } : {};
  const uploads = new Map<string, GpujsKernel>();
  const placed: unknown[] = [];
  const args: unknown[] = [];
  const release = () => {
    for (const handle of placed) releaseHandle(handle);
    for (const upload of uploads.values()) upload.destroy?.();
  };
  try {
    for (const input of inputs) {
      if (typeof input === 'number') {
        args.push(input);
        continue;
      }
      const dims = input instanceof Float32Array ? [input.length] : [...input.dims];
      const unfit = residentUnfit([input]);
      if (unfit) throw new Error(unfit);
      const key = dims.join('x');
      let upload = uploads.get(key);
      if (!upload) {
        upload = gpu.createKernel(dims.length === 1 ? copySource : identityKernelSource, { output: dims, pipeline: true, immutable: true, precision: 'single', ...asyncMode });
        uploads.set(key, upload);
      }
      const values = input instanceof Float32Array ? input : input.values;
      const handle = await upload(dims.length === 1 ? values : ctx.input(values, dims));
      placed.push(handle);
      args.push(handle);
    }
  } catch (error) {
    release();
    throw error;
  }
  const compute = gpu.createKernel(spec.source, { ...kernelSettings(ctx, spec), pipeline: true, immutable: false });
  const isDevice = backend === 'headlessgl' || backend === 'webgpu';
  let last: unknown;
  return {
    executed: () => {
      const ran = [compute, ...uploads.values()].map((k) => ctx.executedBy(k));
      return ran.find((e) => e.backend !== backend) ?? ran[0]!;
    },
    timingNote: isDevice
      ? 'one kernel call from device-resident inputs into a device-resident output, one synchronisation; no upload, no readback'
      : `one kernel call into a reused output; gpu.js ${backend} keeps arrays in host memory`,
    run: async () => {
      last = await compute(...args);
      await ctx.sync(compute);
    },
    output: () => readHandle(last),
    dispose: () => {
      release();
      compute.destroy?.();
    },
  };
}
