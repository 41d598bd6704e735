/**
 * The four gpu.js Node backends behind one session type. Each worker
 * process holds exactly one (headless-gl and Dawn cannot share a process:
 * whichever starts second fails or crashes it, measured here).
 *
 * What is timed, per backend:
 * - end-to-end: one kernel call with host Float32Arrays; gpu.js uploads A
 *   and B, computes and reads C back into host arrays.
 * - resident: A and B were put on the device once (an identity kernel with
 *   pipeline: true); the GEMM kernel writes a device-resident output; one
 *   synchronisation per sample (gl.finish() / queue.onSubmittedWorkDone()).
 *   cpu and webasm have no device memory: there, resident is the same call
 *   with the output kept in gpu.js's own arrays, and the note says so.
 */
import type { BackendStatus, Device, Executed, TimingMode } from '../results/schema.js';
import type { GemmOperands } from '../workloads/gemm/inputs.js';
import { KERNEL_CLASS_TO_BACKEND } from './fallback.js';
import { describeGlDriver, NO_DRIVER_LIBRARIES, readProcMaps } from './gl-driver.js';
import {
  identityKernelSource,
  probeGemmSource,
  copySource,
  type GpujsInstance,
  type GpujsKernel,
  type GpujsModule,
} from './gpujs-kernels.js';
import { hostCpuDevice } from './host-cpu.js';
import { GPUJS_BACKENDS, type GpujsBackend } from './names.js';
import type { BackendSession, CeilingGemm, CeilingStream, GemmOutput, PreparedCollective, PreparedGemm, PreparedSuiteKernel, ProbeResult, GemmSource } from './session.js';
import type { KernelInput, KernelSpec, KernelTiming } from '../suite/define.js';
import { readHandle, releaseHandle } from './gpujs-handles.js';
import { prepareGpujsSuiteKernel } from './gpujs-suite-kernel.js';
import type { StreamKernel } from '../metrics/bandwidth.js';
import { DeviceCollective } from './gpujs-collective.js';
import type { Schedule } from '../workloads/allreduce/schedule.js';
import { installNavigatorGpu, type DawnAdapters } from './webgpu-shim.js';
import { selectorMatchedNothing } from './webgpu-adapters.js';
import { webgpuDeviceLossCall } from './test-faults.js';
import { makeGemmOperands } from '../workloads/gemm/inputs.js';
import { float64Gemm, verifyGemm } from '../workloads/gemm/verify.js';
import {
  GEMM_VARIANTS,
  layoutOperands,
  outputDims,
  unpackOutput,
  variantUnfit,
  type GemmVariant,
  type GemmVariantId,
} from '../workloads/gemm/variants.js';
import { formatShape, type GemmShape } from '../metrics/gemm-work.js';
import { errorLine } from '../errors/error-message.js';
import { ADAPTER_SELECTOR_REMEDY, dawnUnavailable, headlessGlUnavailable, NO_ADAPTER_REMEDY, type Unavailable } from './install-advice.js';
import { glContextDevice, gpujsDeviceLimits, headlessGlDevice, webasmDevice, webgpuAdapterDevice, webgpuDevice } from './gpujs-device.js';
import { prepareWasmCeilingGemm } from './ceiling/wasm-gemm.js';
import { prepareWebgpuCeilingGemm } from './ceiling/webgpu-gemm.js';
import { prepareWebgpuCeilingStream } from './ceiling/webgpu-stream.js';
import { prepareWasmCeilingStream } from './ceiling/wasm-stream.js';
import { headlessGlContext, prepareWebglCeilingGemm } from './ceiling/webgl-gemm.js';
import type { GpuDeviceLike } from './ceiling/webgpu-device.js';

/** A shape small and odd enough to catch indexing bugs, cheap enough for every probe. */
const PROBE_SHAPE = { m: 7, n: 5, k: 3 };

export class GpujsSession implements BackendSession {
  private gpu: GpujsInstance | undefined;
  /** headlessgl: the GL driver found in /proc/self/maps, once a kernel has loaded one (see device()) */
  private glDriver: Device | undefined;

  private constructor(
    private readonly backend: GpujsBackend,
    private readonly gpujs: GpujsModule | undefined,
    private readonly unavailable: Unavailable | undefined,
    private readonly dawn: DawnAdapters | undefined,
    /** the worker's environment: only the tests' fault switches are read from it here (test-faults.ts) */
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  static async create(backend: string, env: NodeJS.ProcessEnv = process.env): Promise<GpujsSession> {
    if (!(GPUJS_BACKENDS as readonly string[]).includes(backend)) throw new Error(`not a gpu.js backend: ${backend}`);
    const name = backend as GpujsBackend;
    let dawn: DawnAdapters | undefined;
    if (name === 'webgpu') {
      try {
        dawn = await installNavigatorGpu(env);
      } catch (error) {
        return new GpujsSession(name, undefined, dawnUnavailable(error), undefined);
      }
    }
    if (name === 'headlessgl') {
      const missing = headlessGlUnavailable(env);
      if (missing) return new GpujsSession(name, undefined, missing, undefined);
    }
    const imported = (await import('gpu.js')) as unknown as GpujsModule & { default?: GpujsModule };
    const gpujs = imported.GPU ? imported : imported.default!;
    return new GpujsSession(name, gpujs, undefined, dawn, env);
  }

  private instance(): GpujsInstance {
    if (!this.gpujs) throw new Error(this.unavailable?.reason ?? 'gpu.js not loaded');
    this.gpu ??= new this.gpujs.GPU({ mode: this.backend });
    return this.gpu;
  }

  async probe(): Promise<ProbeResult> {
    const result = await this.probeKernel();
    if (this.dawn) result.status.webgpuAdapters = { adapters: this.dawn.adapters, choice: this.dawn.choice };
    return result;
  }

  private async probeKernel(): Promise<ProbeResult> {
    const down = (reason: string, remedy?: string): ProbeResult => ({
      status: { backend: this.backend, available: false, reason, ...(remedy ? { remedy } : {}) },
      limits: {},
    });
    if (this.unavailable) return down(this.unavailable.reason, this.unavailable.remedy);
    if (this.dawn && this.dawn.choice.chosen === null) {
      return down(this.dawn.choice.reason, selectorMatchedNothing(this.dawn.choice) ? ADAPTER_SELECTOR_REMEDY : NO_ADAPTER_REMEDY);
    }
    let prepared: PreparedGemm | undefined;
    try {
      const ops = makeGemmOperands(PROBE_SHAPE, 1);
      prepared = await this.prepareGemm(ops, 'naive', probeGemmSource);
      const output = await prepared.endToEnd();
      const executed = prepared.executed('end-to-end');
      const check = verifyGemm(prepared.toRowMajor(output), float64Gemm(ops), PROBE_SHAPE.k);
      if (!check.passed) return down(`a ${formatShape(PROBE_SHAPE)} test GEMM gave wrong results (max error ${check.maxRelError})`);
      const status: BackendStatus = { backend: this.backend, available: true, executed };
      return { status, limits: await gpujsDeviceLimits(this.backend, (prepared as GemmKernels).host.kernel) };
    } catch (error) {
      if (this.backend === 'webgpu' && /adapter/i.test(errorLine(error))) {
        return down(`no WebGPU adapter: ${errorLine(error)}`, NO_ADAPTER_REMEDY);
      }
      return down(`gpu.js '${this.backend}' failed a test kernel: ${errorLine(error)}`);
    } finally {
      prepared?.dispose();
    }
  }

  /** The device a kernel really ran on, read after it ran (gpujs-device.ts). */
  private device(kernel: GpujsKernel, executedBackend: string): Device {
    if (executedBackend === 'headlessgl') return headlessGlDevice(kernel, this.loadedGlDriver());
    if (executedBackend === 'webgpu') return webgpuDevice(kernel, this.dawn);
    if (executedBackend === 'webasm') return webasmDevice(kernel, this.gpujs);
    return hostCpuDevice();
  }

  /**
   * The GL driver headless-gl loaded. The driver libraries are loaded with the first context and stay: read
   * /proc/self/maps until they show, then keep the answer. Reading it for every kernel of a collective (over a
   * hundred, each a read of a map that llvmpipe's JIT makes long) took 3.2 of a headlessgl worker's 26 s of CPU (a
   * V8 CPU profile, 2026-12-02).
   */
  private loadedGlDriver(): Device {
    const driver = this.glDriver ?? describeGlDriver(readProcMaps());
    if (driver.details?.driverLibraries !== NO_DRIVER_LIBRARIES) this.glDriver = driver;
    return driver;
  }

  private executedBy(kernel: GpujsKernel): Executed {
    const kernelClass = kernel.kernel.constructor.name;
    const backend = KERNEL_CLASS_TO_BACKEND[kernelClass] ?? kernel.kernel.constructor.mode ?? 'unknown';
    return { backend, kernelClass, device: this.device(kernel, backend) };
  }

  /**
   * A GEMM of `ops` with one variant's kernel, ready to time: the kernels compiled, A and B resident where the
   * backend has device memory. Steps: compileGemm, placeGemmOperands, assembleGemm.
   */
  async prepareGemm(ops: GemmOperands, variantId: GemmVariantId, source: GemmSource): Promise<PreparedGemm> {
    const compiled = this.compileGemm(ops, variantId, source);
    const placed = await this.placeGemmOperands(compiled);
    return this.assembleGemm(compiled, placed);
  }

  /**
   * Step 1 of prepareGemm: checks that the variant fits the shape (throws if not), lays A and B out for it and
   * creates its two kernels (gpu.js compiles each on its first call): `host`, called with host arrays, and
   * `resident`, a pipeline kernel on headlessgl and webgpu whose output stays on the device.
   */
  private compileGemm(ops: GemmOperands, variantId: GemmVariantId, source: GemmSource): CompiledGemm {
    const gpu = this.instance();
    const gpujs = this.gpujs!;
    const variant = GEMM_VARIANTS[variantId];
    const unfit = variantUnfit(ops.shape, variant);
    if (unfit) throw new Error(`variant ${variantId} cannot run ${formatShape(ops.shape)}: ${unfit}`);
    const laid = layoutOperands(ops, variant);
    const { m, n, k } = laid.shape;
    const common = gemmKernelSettings(laid.shape, variant, this.backend);
    const host = gpu.createKernel(source, { ...common });
    const bDims = variant.transposedB ? [k, n] : [n, k];
    const a = variant.flat ? laid.a : gpujs.input(laid.a, [k, m]);
    const b = variant.flat ? laid.b : gpujs.input(laid.b, bDims);
    const isDevice = this.backend === 'headlessgl' || this.backend === 'webgpu';
    const resident = gpu.createKernel(source, { ...common, pipeline: isDevice });
    return { gpu, ops, variant, laid, m, k, bDims, a, b, host, resident, isDevice };
  }

  /**
   * Step 2 of prepareGemm: on headlessgl and webgpu, puts A and B on the device once, each through an immutable
   * pipeline copy kernel (identity for 2D operands, the STREAM copy for flat ones), so that no resident sample
   * uploads them. Host backends have no device memory: there the resident kernel reads the host operands.
   */
  private async placeGemmOperands(compiled: CompiledGemm): Promise<ResidentOperands> {
    const { gpu, variant, m, k, bDims, a, b, isDevice } = compiled;
    let residentA: unknown = a;
    let residentB: unknown = b;
    const uploads: GpujsKernel[] = [];
    let uploadA: ((x: unknown) => Promise<unknown>) | undefined;
    if (isDevice) {
      const upload = (dims: number[]) =>
        variant.flat
          ? gpu.createKernel(copySource, { output: [dims[0]! * dims[1]!], pipeline: true, immutable: true, precision: 'single' })
          : gpu.createKernel(identityKernelSource, { output: dims, pipeline: true, immutable: true, precision: 'single' });
      const upA = upload([k, m]);
      const upB = upload(bDims);
      uploads.push(upA, upB);
      uploadA = async (x) => await upA(x);
      residentA = await upA(a);
      residentB = await upB(b);
    }
    return { a: residentA, b: residentB, uploads, uploadA };
  }

  /**
   * Step 3 of prepareGemm: the PreparedGemm itself. endToEnd() and resident() are what a sample times, so they hold
   * only the kernel call and, for resident(), the device-loss fault switch, the handle check and one synchronisation;
   * readResident(), toRowMajor() and runDoubled() run outside the timed region (session.ts).
   */
  private assembleGemm(compiled: CompiledGemm, placed: ResidentOperands): GemmKernels {
    const { ops, variant, a, b, host, resident, isDevice } = compiled;
    const { a: residentA, b: residentB, uploads } = placed;
    let lastResident: unknown;
    let readbacks = 0;
    const loseDeviceAt = this.backend === 'webgpu' ? webgpuDeviceLossCall(this.env, ops.shape) : undefined;
    let residentCalls = 0;
    const backend = this.backend;
    const kernels: GemmKernels = {
      host,
      variant,
      toRowMajor: (output) => unpackOutput(output, ops.shape, variant),
      timingNotes: gemmTimingNotes(variant, backend, isDevice),
      // Resident timing is only resident if the upload kernels ran on the device too: a fallback of any of them counts.
      executed: (timing) => {
        if (timing === 'end-to-end') return this.executedBy(host);
        const ran = [resident, ...uploads].map((kernel) => this.executedBy(kernel));
        return ran.find((e) => e.backend !== backend) ?? ran[0]!;
      },
      endToEnd: async (): Promise<GemmOutput> => (await host(a, b)) as GemmOutput,
      resident: async () => {
        if (loseDeviceAt !== undefined && ++residentCalls === loseDeviceAt) (resident.kernel._device as { destroy(): void }).destroy();
        lastResident = await resident(residentA, residentB);
        // on a device, a pipeline kernel returns a handle; host data here would mean gpu.js read C back inside the sample
        if (isDevice && typeof (lastResident as { toArray?: unknown } | null)?.toArray !== 'function') {
          throw new Error(`the resident ${backend} kernel returned host data, not a device handle: a readback happened inside the timed region`);
        }
        await this.sync(resident);
      },
      readResident: async () => {
        readbacks++;
        return (await readHandle(lastResident)) as GemmOutput;
      },
      readbacks: () => readbacks,
      runDoubled: (timing) => this.runDoubledGemm(compiled, placed, timing),
      dispose: () => {
        for (const handle of [residentA, residentB]) releaseHandle(handle);
        for (const kernel of [host, resident, ...uploads]) kernel.destroy?.();
      },
    };
    return kernels;
  }

  /**
   * PreparedGemm.runDoubled, after the timed samples: the GEMM once more with every element of A doubled (laid out,
   * and on a device uploaded, here), C read back to the host; a stale output gives C, not 2C (session.ts).
   */
  private async runDoubledGemm(compiled: CompiledGemm, placed: ResidentOperands, timing: TimingMode): Promise<GemmOutput> {
    const { variant, laid, m, k, b, host, resident } = compiled;
    const { b: residentB, uploadA } = placed;
    const gpujs = this.gpujs!;
    // made here, once per case, not kept beside every prepared variant (a copy of A each)
    const doubledA = laid.a.map((x) => 2 * x);
    const a2 = variant.flat ? doubledA : gpujs.input(doubledA, [k, m]);
    if (timing === 'end-to-end') return (await host(a2, b)) as GemmOutput;
    if (!uploadA) return (await resident(a2, residentB)) as GemmOutput;
    const doubledOnDevice = await uploadA(a2);
    try {
      const handle = await resident(doubledOnDevice, residentB);
      await this.sync(resident);
      return (await readHandle(handle)) as GemmOutput;
    } finally {
      releaseHandle(doubledOnDevice);
    }
  }

  async prepareCollective(schedule: Schedule, buffers: Float32Array[], reduce: KernelSpec): Promise<PreparedCollective> {
    const backend = this.backend;
    const collective = await DeviceCollective.create(
      this.instance(),
      schedule,
      buffers,
      reduce,
      {
        sync: (kernel) => this.sync(kernel),
        release: releaseHandle,
        read: async (handle) => (await readHandle(handle)) as ArrayLike<number>,
      },
      backend === 'webasm' ? { asyncMode: true } : {},
    );
    const isDevice = backend === 'headlessgl' || backend === 'webgpu';
    return {
      executed: () => {
        const ran = collective.allKernels().map((k) => this.executedBy(k));
        return ran.find((e) => e.backend !== backend) ?? ran[0]!;
      },
      timingNote: isDevice
        ? 'one whole collective on device-resident rank buffers: one gpu.js kernel per transfer and piece into a reused output, all queued, one synchronisation at the end; no upload, no readback'
        : `one whole collective: one gpu.js kernel per transfer and piece into a reused output; gpu.js ${backend} keeps the rank buffers in host memory`,
      run: () => collective.run(),
      readBack: () => collective.readBack(),
      dispose: () => collective.dispose(),
    };
  }

  /** A suite file's kernel, end to end or resident (gpujs-suite-kernel.ts). */
  async prepareSuiteKernel(spec: KernelSpec, inputs: readonly KernelInput[], timing: KernelTiming): Promise<PreparedSuiteKernel> {
    const context = { gpu: this.instance(), input: this.gpujs!.input, backend: this.backend, sync: (k: GpujsKernel) => this.sync(k), executedBy: (k: GpujsKernel) => this.executedBy(k) };
    return prepareGpujsSuiteKernel(context, spec, inputs, timing);
  }

  /** Waits for every kernel queued on the device; host backends have nothing to wait for. */
  private async sync(kernel: GpujsKernel): Promise<void> {
    if (this.backend === 'headlessgl') (kernel.kernel.context as { finish(): void }).finish();
    else if (this.backend === 'webgpu') {
      await (kernel.kernel._device as { queue: { onSubmittedWorkDone(): Promise<void> } }).queue.onSubmittedWorkDone();
    }
  }

  /**
   * The hand-written GEMM on this backend's API and device: WebAssembly SIMD on every core for webasm, a WebGL
   * fragment shader on RGBA float textures for headlessgl, a tiled WGSL kernel for webgpu. cpu has none (hasCeiling
   * plans none for it).
   */
  async prepareCeilingGemm(ops: GemmOperands, isRight: (c: Float32Array) => boolean, pinned?: string): Promise<CeilingGemm> {
    if (this.backend === 'webasm') return prepareWasmCeilingGemm(ops, hostCpuDevice());
    if (this.backend === 'headlessgl') {
      // a context of its own on the driver gpu.js's kernels use: neither disturbs the other's GL state
      const gl = headlessGlContext();
      try {
        return await prepareWebglCeilingGemm(ops, gl, glContextDevice(gl, this.loadedGlDriver()), isRight, pinned);
      } catch (error) {
        (gl.getExtension('STACKGL_destroy_context') as { destroy(): void } | null)?.destroy();
        throw error;
      }
    }
    const { gpu, device } = await this.webgpuDevice();
    return prepareWebgpuCeilingGemm(ops, gpu, device, isRight, pinned);
  }

  /** The hand-written STREAM kernel on this backend's API and device: WebAssembly SIMD for webasm, WGSL for webgpu. */
  async prepareCeilingStream(kernel: StreamKernel, x: Float32Array, y: Float32Array, scalar: number): Promise<CeilingStream> {
    if (this.backend === 'webasm') return prepareWasmCeilingStream(kernel, x, y, scalar, hostCpuDevice());
    const { gpu, device } = await this.webgpuDevice();
    return prepareWebgpuCeilingStream(kernel, x, y, scalar, gpu, device);
  }

  /** gpu.js's own WebGPU device, on the adapter the run pinned: the ceilings and gpu.js's kernels share a device and a queue. */
  private async webgpuDevice(): Promise<{ gpu: GpuDeviceLike; device: Device }> {
    const acquire = this.gpujs?.WebGPUContext?.acquire;
    if (this.backend !== 'webgpu' || !acquire) throw new Error(`chipbench has no hand-written kernels on ${this.backend}`);
    const context = await acquire();
    return { gpu: context.device as GpuDeviceLike, device: webgpuAdapterDevice(context.adapter.info ?? {}, this.dawn) };
  }

  async dispose(): Promise<void> {
    await this.gpu?.destroy();
    if (this.backend === 'webgpu') await this.gpujs?.WebGPUContext?.destroy?.();
  }
}

/** PreparedGemm with the host kernel visible, for reading limits from its context. */
interface GemmKernels extends PreparedGemm {
  host: GpujsKernel;
}

/** prepareGemm's first step: a variant laid out for one shape, with its two kernels (GpujsSession.compileGemm). */
interface CompiledGemm {
  /** the gpu.js instance the kernels belong to (the upload kernels are made on it too) */
  gpu: GpujsInstance;
  /** the operands as the caller gave them: their shape is the one toRowMajor() unpacks to */
  ops: GemmOperands;
  variant: GemmVariant;
  /** A and B laid out for the variant (padded, B transposed where it reads B^T) */
  laid: ReturnType<typeof layoutOperands>;
  /** the laid-out M and K, in elements: A is M rows of K, given to gpu.js input() as [K, M] ([width, height]) */
  m: number;
  k: number;
  /** B's [width, height] for gpu.js input(): [K, N] when the variant reads B^T (N rows of K), else [N, K] */
  bDims: number[];
  /** A and B as the host kernel takes them: the flat arrays (flat variants) or gpu.js inputs of the dims above */
  a: unknown;
  b: unknown;
  /** the kernel end-to-end calls, with host arrays */
  host: GpujsKernel;
  /** the kernel resident calls: a pipeline kernel (device-resident output) on headlessgl and webgpu */
  resident: GpujsKernel;
  /** headlessgl and webgpu: the backend has device memory */
  isDevice: boolean;
}

/** prepareGemm's second step: A and B where the resident kernel reads them (GpujsSession.placeGemmOperands). */
interface ResidentOperands {
  /** device handles on headlessgl and webgpu; on host backends the host kernel's own operands */
  a: unknown;
  b: unknown;
  /** the upload kernels (none on host backends): disposed with the GEMM, and read for fallbacks by executed() */
  uploads: GpujsKernel[];
  /** puts another A on the device, for runDoubled(); undefined on host backends */
  uploadA: ((x: unknown) => Promise<unknown>) | undefined;
}

/** The gpu.js settings both GEMM kernels of a variant share; `shape` is the laid-out (padded) shape. */
function gemmKernelSettings(shape: GemmShape, variant: GemmVariant, backend: GpujsBackend): Record<string, unknown> {
  // webasm: asyncMode is a kernel setting; it enables gpu.js's worker-thread pool (one thread per core) for
  // outputs of at least 4096 cells, the fastest webasm path here. Calls then return promises, which we await anyway.
  return {
    output: outputDims(shape, variant),
    constants: { K: shape.k },
    precision: 'single',
    tactic: 'precision',
    ...(variant.rows * variant.cols > 1 ? { returnType: `Array(${variant.rows * variant.cols})` } : {}),
    ...(backend === 'webasm' ? { asyncMode: true } : {}),
  };
}

/** What each GEMM timing mode measures on this backend, as the results record it. */
function gemmTimingNotes(variant: GemmVariant, backend: GpujsBackend, isDevice: boolean): Record<TimingMode, string> {
  const deviceNote =
    backend === 'headlessgl'
      ? 'A and B resident as textures; the kernel renders into a texture; one gl.finish() per sample; no upload, no readback'
      : 'A and B resident in GPU buffers; the kernel writes a GPU buffer; one queue.onSubmittedWorkDone() per sample; no upload, no readback';
  return {
    'end-to-end':
      variant.id === 'naive'
        ? 'one gpu.js call with host Float32Arrays: upload A and B, compute, read C back into host arrays'
        : `one gpu.js call with host Float32Arrays: upload A and B, compute, read C back into host arrays; A and B were laid out for ${variant.id} ` +
          '(padded, B transposed where it reads B^T) and C is unpacked from its cells outside the timed region',
    resident: isDevice
      ? deviceNote
      : `gpu.js ${backend} has no device memory: the same call as end-to-end, with the output kept in gpu.js's own arrays`,
  };
}
