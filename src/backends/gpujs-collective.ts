/**
 * Carries out a collective schedule with gpu.js kernels, the rank buffers
 * kept on the device across steps.
 *
 * Layout: every rank's buffer is cut at every boundary any transfer of the
 * schedule uses (ring: its R chunks; halving-doubling: its halves of
 * halves; direct: one piece), and each piece is one device buffer or
 * texture (a gpu.js pipeline handle).
 *
 * How a step's parallel transfers are executed: each transfer is one gpu.js
 * kernel per piece it covers, which reads the sender's piece (that read is
 * the transfer) and writes a new piece for the receiver, either the sender's
 * values (copy) or their sum with the receiver's (reduce). New pieces go to
 * outputs no rank holds, so every transfer of a step reads the senders'
 * state before the step, as parallel sends do; they replace the receivers'
 * pieces only after the step (several reductions into one receiver within a
 * step accumulate). The kernels of all steps are queued back to back on the
 * one device, in order, and the collective ends with one synchronisation.
 * The initial pieces are never overwritten, so every run starts from the
 * same inputs.
 *
 * Outputs are reused, not allocated per transfer: a pool of mutable
 * pipeline kernels per (operation, piece length), each owning one output
 * that its next call overwrites. A transfer takes a kernel whose output no
 * rank holds any more (ping-pong, generalised to R ranks). gpu.js's
 * immutable outputs instead copy the previous output on every call, which
 * on headless-gl cost 190 ms per 8 MiB piece against 4.3 ms for the kernel
 * itself (measured here, llvmpipe).
 */
import type { Schedule } from '../workloads/allreduce/schedule.js';
import { copySource, type GpujsInstance, type GpujsKernel } from './gpujs-kernels.js';
import type { KernelSpec } from '../suite/define.js';

type Handle = unknown;

/** Boundaries [0, ..., N] at which the schedule's transfers start or end. */
export function pieceBoundaries(schedule: Schedule): number[] {
  const cuts = new Set<number>([0, schedule.elements]);
  for (const step of schedule.steps) for (const t of step.transfers) cuts.add(t.start).add(t.end);
  return [...cuts].sort((a, b) => a - b);
}

export interface DeviceCollectiveHooks {
  /** waits until every queued kernel has finished (gl.finish, queue.onSubmittedWorkDone); nothing for host backends */
  sync(anyKernel: GpujsKernel): Promise<void>;
  /** frees a handle that no later kernel reads */
  release(handle: Handle): void;
  /** reads a piece back to host memory */
  read(handle: Handle): Promise<ArrayLike<number>>;
}

export class DeviceCollective {
  private readonly bounds: number[];
  private readonly initial: Handle[][];
  /** Mutable kernels by `${op}:${length}`, each with the output it last wrote. */
  private readonly pools = new Map<string, { kernel: GpujsKernel; output?: Handle }[]>();
  private current: Handle[][];

  private constructor(
    private readonly gpu: GpujsInstance,
    private readonly schedule: Schedule,
    private readonly reduce: KernelSpec,
    private readonly hooks: DeviceCollectiveHooks,
    private readonly settings: Record<string, unknown>,
  ) {
    this.bounds = pieceBoundaries(schedule);
    this.initial = [];
    this.current = [];
  }

  /**
   * Uploads the rank buffers, one piece per handle, with pipeline identity kernels (outside any timing). `reduce` is
   * the reduction a reduce transfer runs over a piece, out[i] = a[i] + b[i] (the receiver's piece, the sender's):
   * its source and settings, compiled once per piece length.
   */
  static async create(
    gpu: GpujsInstance,
    schedule: Schedule,
    buffers: Float32Array[],
    reduce: KernelSpec,
    hooks: DeviceCollectiveHooks,
    settings: Record<string, unknown> = {},
  ): Promise<DeviceCollective> {
    const collective = new DeviceCollective(gpu, schedule, reduce, hooks, settings);
    for (const buffer of buffers) {
      const pieces: Handle[] = [];
      for (let p = 0; p + 1 < collective.bounds.length; p++) {
        const start = collective.bounds[p]!;
        const end = collective.bounds[p + 1]!;
        pieces.push(await collective.uploader(end - start)(buffer.slice(start, end)));
      }
      collective.initial.push(pieces);
    }
    collective.current = collective.initial.map((pieces) => [...pieces]);
    return collective;
  }

  /** Kernels that put the initial pieces on the device, by piece length. Their outputs are immutable: they must outlive every run. */
  private readonly uploaders = new Map<number, GpujsKernel>();

  private uploader(length: number): GpujsKernel {
    let kernel = this.uploaders.get(length);
    if (!kernel) this.uploaders.set(length, (kernel = this.compile('copy', length, true)));
    return kernel;
  }

  private compile(op: 'copy' | 'add', length: number, immutable: boolean): GpujsKernel {
    // a copy transfer (and an upload) is out[i] = a[i]
    const source = op === 'copy' ? copySource : this.reduce.source;
    const own = op === 'copy' ? {} : { ...this.reduce.settings, ...(this.reduce.constants ? { constants: { ...this.reduce.constants } } : {}) };
    return this.gpu.createKernel(source, { ...own, output: [length], pipeline: true, immutable, precision: 'single', ...this.settings });
  }

  /**
   * Runs `op` into an output that no rank holds (`live`), compiling another
   * pool kernel only when every existing one's output is still held.
   * Compiling is far slower than running, so pools are kept across runs.
   */
  private async call(op: 'copy' | 'add', length: number, live: Set<Handle>, args: Handle[]): Promise<{ kernel: GpujsKernel; output: Handle }> {
    const key = `${op}:${length}`;
    let pool = this.pools.get(key);
    if (!pool) this.pools.set(key, (pool = []));
    let slot = pool.find((s) => s.output === undefined || !live.has(s.output));
    if (!slot) {
      slot = { kernel: this.compile(op, length, false) };
      pool.push(slot);
    }
    const previous = slot.output;
    slot.output = await slot.kernel(...args);
    // gpu.js webgpu wraps the kernel's one buffer in a new handle per call, each holding a reference: release the
    // old wrapper, or the buffer outlives the kernel. headless-gl returns the kernel's own texture every time.
    if (previous !== undefined && previous !== slot.output) this.hooks.release(previous);
    return { kernel: slot.kernel, output: slot.output };
  }

  /** Index range of the pieces covering [start, end). */
  private pieces(start: number, end: number): number[] {
    const out: number[] = [];
    for (let p = 0; p + 1 < this.bounds.length; p++) {
      if (this.bounds[p]! >= start && this.bounds[p + 1]! <= end && this.bounds[p]! < this.bounds[p + 1]!) out.push(p);
    }
    return out;
  }

  /** One whole collective from the initial buffers, then one synchronisation. */
  async run(): Promise<void> {
    const state = this.initial.map((pieces) => [...pieces]);
    // Pool outputs that a rank holds, or that a pending update of this step holds: never overwritten.
    const live = new Set<Handle>();
    let last: GpujsKernel | undefined;
    for (const step of this.schedule.steps) {
      // New pieces of this step, by rank and piece. Senders are read from `state` (before the step); several
      // reductions into one receiver's piece within a step (direct's reduce to rank 0) accumulate here.
      const updates = new Map<string, { rank: number; piece: number; handle: Handle }>();
      for (const t of step.transfers) {
        for (const p of this.pieces(t.start, t.end)) {
          const length = this.bounds[p + 1]! - this.bounds[p]!;
          const sent = state[t.from]![p];
          const key = `${t.to}:${p}`;
          const pending = updates.get(key);
          const { kernel, output } =
            t.op === 'copy'
              ? await this.call('copy', length, live, [sent])
              : await this.call('add', length, live, [pending ? pending.handle : state[t.to]![p], sent]);
          last = kernel;
          if (pending) live.delete(pending.handle);
          live.add(output);
          updates.set(key, { rank: t.to, piece: p, handle: output });
        }
      }
      for (const u of updates.values()) {
        live.delete(state[u.rank]![u.piece]);
        state[u.rank]![u.piece] = u.handle;
      }
    }
    if (last) await this.hooks.sync(last);
    this.current = state;
  }

  /** Every rank's buffer after the last run, read back to host memory (for verification, outside any timing). */
  async readBack(): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const pieces of this.current) {
      const buffer = new Float32Array(this.schedule.elements);
      for (let p = 0; p < pieces.length; p++) buffer.set(Array.from(await this.hooks.read(pieces[p])), this.bounds[p]!);
      out.push(buffer);
    }
    return out;
  }

  /** Every kernel compiled so far (uploads and pools), for reading what executed them. */
  allKernels(): GpujsKernel[] {
    return [...this.uploaders.values(), ...[...this.pools.values()].flat().map((s) => s.kernel)];
  }

  /** Frees the initial pieces, the pool outputs' handles, and every kernel. */
  dispose(): void {
    for (const h of this.initial.flat()) this.hooks.release(h);
    for (const slot of [...this.pools.values()].flat()) {
      // a handle that is the kernel's own texture (headless-gl) is freed by destroy(); a wrapper (webgpu) is not
      const own = (slot.kernel.kernel as { texture?: unknown }).texture;
      if (slot.output !== undefined && slot.output !== own) this.hooks.release(slot.output);
    }
    for (const kernel of this.allKernels()) kernel.destroy?.();
  }
}
