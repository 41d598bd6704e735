/**
 * A deterministic fake backend for tests of the runner (CLI end to end,
 * fallback detection, crash and hang handling) on machines without any GPU.
 * It computes GEMM with a plain JS loop, so its results verify; each
 * variant misbehaves in exactly one documented way (see FAKE_BACKENDS).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { hostCpuDevice } from './host-cpu.js';
import type { FakeBackend } from './names.js';
import type { BackendSession, GemmOutput, GemmSource, PreparedCollective, PreparedGemm, PreparedSuiteKernel, ProbeResult } from './session.js';
import type { KernelInput, KernelSpec, KernelTiming } from '../suite/define.js';
import { runOnHost } from './host-kernel.js';
import { executeOnHost } from '../workloads/allreduce/host-executor.js';
import type { Schedule } from '../workloads/allreduce/schedule.js';
import type { GemmOperands } from '../workloads/gemm/inputs.js';
import { GEMM_VARIANTS, type GemmVariantId } from '../workloads/gemm/variants.js';

function plainGemm(ops: GemmOperands): Float32Array {
  const { m, n, k } = ops.shape;
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = ops.a[i * k + p]!;
      for (let j = 0; j < n; j++) c[i * n + j]! += aip * ops.b[p * n + j]!;
    }
  }
  return c;
}

export class FakeSession implements BackendSession {
  constructor(
    private readonly name: FakeBackend,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async probe(): Promise<ProbeResult> {
    // CHIPBENCH_FAKE_ADAPTER_GONE=FILE: once FILE exists (fake-crash creates it as it crashes), the device is gone,
    // as a GPU adapter can be after a driver reset: a worker started after the crash finds none
    const gone = this.env.CHIPBENCH_FAKE_ADAPTER_GONE;
    if (gone && existsSync(gone)) {
      return { status: { backend: this.name, available: false, reason: 'no adapter: the fake device went away', remedy: 'reset the fake driver' }, limits: {} };
    }
    if (this.name === 'fake-unavailable') {
      return {
        status: { backend: this.name, available: false, reason: 'the fake backend is unavailable by design', remedy: 'use --backends fake' },
        limits: {},
      };
    }
    return { status: { backend: this.name, available: true, executed: this.executedInfo() }, limits: { maxBufferBytes: 64 * 1024 * 1024, source: 'the fake backend (64 MiB per buffer)' } };
  }

  private executedInfo() {
    // fake-fallback says what gpu.js says after a silent fallback: another backend ran.
    const backend = this.name === 'fake-fallback' ? 'cpu' : this.name;
    return { backend, kernelClass: 'FakeKernel', device: { ...hostCpuDevice(), details: { fake: 'true' } } };
  }

  async prepareGemm(ops: GemmOperands, variantId: GemmVariantId, _source: GemmSource): Promise<PreparedGemm> {
    const name = this.name;
    let last: Float32Array = new Float32Array(0);
    let readbacks = 0;
    // A variant named in CHIPBENCH_FAKE_BROKEN_VARIANT returns zeros at once: the fastest variant, and a wrong
    // one, so a test can check that the autotuner never picks a variant that fails verification.
    const broken = this.env.CHIPBENCH_FAKE_BROKEN_VARIANT === variantId;
    const compute = (operands: GemmOperands = ops): Float32Array => {
      if (broken) return new Float32Array(ops.shape.m * ops.shape.n);
      // the naive kernel is the slow one, as on the real backends: it does the work twice
      if (variantId === 'naive') plainGemm(operands);
      const c = plainGemm(operands);
      if (name === 'fake-wrong' && c.length > 0) c[c.length >> 1]! += 1;
      return c;
    };
    const misbehave = () => {
      if (name === 'fake-crash') {
        if (this.env.CHIPBENCH_FAKE_ADAPTER_GONE) writeFileSync(this.env.CHIPBENCH_FAKE_ADAPTER_GONE, 'gone\n');
        process.kill(process.pid, 'SIGKILL');
      }
      if (name === 'fake-hang') for (;;) Math.random(); // never returns; only the watchdog ends it
    };
    return {
      variant: GEMM_VARIANTS[variantId],
      // the fake computes row-major C whatever the variant: the layout is the real kernels' concern
      toRowMajor: (output) => output as Float32Array,
      executed: () => this.executedInfo(),
      timingNotes: { 'end-to-end': 'fake: a JS loop', resident: 'fake: a JS loop' },
      endToEnd: (): GemmOutput => compute(),
      resident: () => {
        misbehave();
        last = compute();
        // CHIPBENCH_FAKE_RESIDENT_READBACK=1: a resident call that reads its output back, as a careless backend would
        if (this.env.CHIPBENCH_FAKE_RESIDENT_READBACK === '1') readbacks++;
      },
      readResident: () => {
        readbacks++;
        return last;
      },
      readbacks: () => readbacks,
      // CHIPBENCH_FAKE_STALE_OUTPUT=1: a kernel that stopped computing after its first call and hands back the
      // output it already had, as headlessgl did once (see PreparedGemm.runDoubled)
      runDoubled: () => (this.env.CHIPBENCH_FAKE_STALE_OUTPUT === '1' ? compute() : compute({ ...ops, a: ops.a.map((x) => 2 * x) })),
      dispose: () => undefined,
    };
  }

  async prepareCollective(schedule: Schedule, buffers: Float32Array[], _reduce: KernelSpec): Promise<PreparedCollective> {
    let last: Float32Array[] = [];
    const corrupt = this.name === 'fake-wrong';
    return {
      executed: () => this.executedInfo(),
      timingNote: 'fake: the host reference executor',
      run: () => {
        last = buffers.map((b) => b.slice());
        executeOnHost(schedule, last);
        if (corrupt) last[0]![0]! += 1;
      },
      readBack: () => last,
      dispose: () => undefined,
    };
  }

  /**
   * A suite kernel run thread by thread on the host, as gpu.js's cpu mode would (host-kernel.ts); misbehaving as the
   * name says. Both timings run the same loop: the fake has no device to keep anything on.
   */
  async prepareSuiteKernel(spec: KernelSpec, inputs: readonly KernelInput[], timing: KernelTiming): Promise<PreparedSuiteKernel> {
    let last: Float32Array = new Float32Array(0);
    const run = async () => {
      if (this.name === 'fake-hang') for (;;) Math.random(); // never returns; only the watchdog ends it
      last = runOnHost(spec, inputs);
      if (this.name === 'fake-wrong' && last.length > 0) last[0]! += 1;
    };
    await run();
    const timingNote = timing === 'resident' ? 'fake: the kernel function called per thread on the host into a fresh array' : 'fake: the kernel function called per thread on the host';
    return { executed: () => this.executedInfo(), timingNote, run, output: async () => last, dispose: () => undefined };
  }

  dispose(): void {}
}
