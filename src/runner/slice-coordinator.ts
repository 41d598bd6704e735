/**
 * The pairing of an interleaved run's two sides on one backend: which case
 * each side waits at, who takes a case's first slice, and the ABBA order of
 * the slices after it. Each side keeps running its cases in order; a case
 * waits ('ready') until the other side is ready for it too. A side whose case
 * failed (verification, a crash) or never comes leaves the other to finish
 * the case alone, in one slice of the whole budget: nothing waits forever,
 * and one side's failure costs the other nothing. Of two workers waiting at
 * different cases (the builds name their cases differently), the one whose
 * case head planned first samples it alone, and the other catches up.
 */
import { createHash } from 'node:crypto';
import type { RunnerCommand } from './protocol.js';
import type { SliceHooks } from './run-backend.js';

export const SIDES = ['base', 'head'] as const;
export type Side = (typeof SIDES)[number];

const other = (side: Side): Side => (side === 'base' ? 'head' : 'base');

export interface SlicePlan {
  /** slices per side of every case */
  slices: number;
  /** decides, per case, which side takes the first slice (the interleaved run's id: reproducible, yet not always the same side) */
  seed: string;
  /** head's case ids on this backend, in the order its worker runs them */
  order: string[];
  /** sampling time per side of every case, ms, spread evenly over its slices */
  timeBudgetMs: number;
  /** samples one case may keep per side, spread over its slices */
  maxSamples: number;
  /** the profile's fewest samples, for a case one side samples alone (a slice of an alternation needs only 1) */
  minSamples: number;
}

/** Pairs the two sides' cases and alternates their slices. One per backend. */
export class SliceCoordinator {
  private readonly channels: Partial<Record<Side, (command: RunnerCommand) => void>> = {};
  private readonly ready = { base: new Set<string>(), head: new Set<string>() };
  private readonly settled = { base: new Set<string>(), head: new Set<string>() };
  private readonly finished = { base: false, head: false };
  private readonly waiting = new Map<string, (ok: boolean) => void>();
  private readonly started = new Set<string>();
  private readonly leaders = new Map<string, Side>();
  /** cases whose slices alternated (not sampled alone) */
  private readonly alternated = new Set<string>();
  /** every alternation and solo case in flight, so a caller can wait for them (tests) */
  readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly plan: SlicePlan) {}

  /** The hooks of one side's runBackend. */
  hooksFor(side: Side): SliceHooks {
    return {
      onChannel: (send) => (this.channels[side] = send),
      onReady: (id) => {
        this.ready[side].add(id);
        this.consider(id);
      },
      onSliceDone: (id) => this.resolve(side, id, true),
    };
  }

  /** A side's case has its result (finished, failed or lost with its worker). */
  settle(side: Side, id: string): void {
    this.settled[side].add(id);
    this.ready[side].delete(id);
    this.resolve(side, id, false);
    this.consider(id);
  }

  /**
   * A side has run all it will run (its runBackend ended, normally or not): a slice it still owes will never
   * come, and whatever the other side waits for is the other side's alone.
   */
  finish(side: Side): void {
    this.finished[side] = true;
    this.ready[side].clear();
    for (const key of [...this.waiting.keys()]) if (key.startsWith(`${side} `)) this.resolve(side, key.slice(side.length + 1), false);
    for (const id of [...this.ready[other(side)]]) this.consider(id);
  }

  private consider(id: string): void {
    if (!this.started.has(id)) {
      const readySides = SIDES.filter((s) => this.ready[s].has(id));
      if (readySides.length === 2) this.launch(id, () => this.alternate(id));
      else if (readySides.length === 1) {
        const side = readySides[0]!;
        const peer = other(side);
        if (this.settled[peer].has(id) || this.finished[peer]) this.launch(id, () => this.alone(side, id, 0));
      }
    }
    this.unblockMismatch();
  }

  /**
   * Each worker waits at one case at a time, and both run the same jobs in the same order. Waiting at two
   * different cases, they would wait for each other forever: the builds name their cases differently (head added,
   * removed or renamed one). The side whose case comes first in head's plan (or is not in it at all) cannot be
   * joined by the other, so it samples its case alone; the other then catches up. compare reports such cases as
   * new or missing.
   */
  private unblockMismatch(): void {
    const waitingAt = (side: Side) => [...this.ready[side]].find((id) => !this.started.has(id));
    const base = waitingAt('base');
    const head = waitingAt('head');
    if (base === undefined || head === undefined || base === head) return;
    const position = (id: string) => {
      const i = this.plan.order.indexOf(id);
      return i < 0 ? -1 : i;
    };
    const [side, id] = position(base) < position(head) ? (['base', base] as const) : (['head', head] as const);
    this.launch(id, () => this.alone(side, id, 0));
  }

  private launch(id: string, body: () => Promise<void>): void {
    this.started.add(id);
    // A failure here is a worker gone mid-case; its runBackend reports that case. Nothing to add.
    const flight = body().catch(() => undefined);
    this.inFlight.add(flight);
    void flight.finally(() => this.inFlight.delete(flight));
  }

  /**
   * The side that takes a case's first slice. Measured here: on the cpu backend the side that went first was
   * persistently slower on some cases (the 32 KiB STREAM kernels: in 11 of 20 A/A runs, never the other way;
   * docs/figures.md). Always starting with base would turn that into a bias of every head against its base; a coin
   * per case, fixed by the seed, turns it into noise that falls on both sides alike.
   */
  leaderOf(id: string): Side {
    let leader = this.leaders.get(id);
    if (!leader) {
      leader = createHash('sha256').update(`${this.plan.seed}\n${id}`).digest()[0]! & 1 ? 'head' : 'base';
      this.leaders.set(id, leader);
    }
    return leader;
  }

  /** Whether `side` took the first slice of case `id`; undefined when the case was not alternated. */
  tookFirstSlice(side: Side, id: string): boolean | undefined {
    return this.alternated.has(id) ? this.leaderOf(id) === side : undefined;
  }

  private async alternate(id: string): Promise<void> {
    const { slices, timeBudgetMs } = this.plan;
    const taken = { base: 0, head: 0 };
    const first = this.leaderOf(id);
    this.alternated.add(id);
    for (let i = 0; i < slices; i++) {
      // ABBA from the leader: first, other, other, first, ...
      const order: Side[] = i % 2 === 0 ? [first, other(first)] : [other(first), first];
      for (const side of order) {
        if (await this.slice(side, id, taken[side] === 0, timeBudgetMs / slices)) {
          taken[side]++;
          continue;
        }
        // this side's case ended mid-way: the other keeps what it has (or samples alone if it has nothing)
        const peer = other(side);
        if (taken[peer] === 0) await this.alone(peer, id, 0);
        else this.measured(peer, id);
        return;
      }
    }
    for (const side of SIDES) this.measured(side, id);
  }

  /** One side samples the case by itself, like a plain run: its peer failed it or will never come. */
  private async alone(side: Side, id: string, taken: number): Promise<void> {
    if (await this.slice(side, id, taken === 0, this.plan.timeBudgetMs, true)) this.measured(side, id);
  }

  /** One slice: of an alternation (a share of the budget and of the samples), or of a case sampled alone (all of them). */
  private slice(side: Side, id: string, warmup: boolean, timeBudgetMs: number, alone = false): Promise<boolean> {
    const send = this.channels[side];
    if (!send || this.finished[side] || !this.ready[side].has(id)) return Promise.resolve(false);
    const { maxSamples, slices, minSamples } = this.plan;
    return new Promise((resolve) => {
      this.waiting.set(`${side} ${id}`, resolve);
      send({
        type: 'slice',
        id,
        timeBudgetMs,
        warmup,
        minSamples: alone ? minSamples : 1,
        maxSamples: alone ? maxSamples : Math.max(1, Math.floor(maxSamples / slices)),
      });
    });
  }

  private measured(side: Side, id: string): void {
    if (!this.ready[side].delete(id)) return;
    this.channels[side]?.({ type: 'measured', id });
  }

  private resolve(side: Side, id: string, ok: boolean): void {
    const key = `${side} ${id}`;
    const resolve = this.waiting.get(key);
    if (!resolve) return;
    this.waiting.delete(key);
    resolve(ok);
  }
}

