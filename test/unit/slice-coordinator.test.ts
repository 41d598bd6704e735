/**
 * The runner's side of interleaved runs without processes: two stand-in
 * workers that answer every 'slice' command, and the order, budgets and
 * endings the coordinator gives them, including when one side fails.
 */
import { describe, expect, it } from 'vitest';
import { SliceCoordinator, type Side } from '../../src/runner/slice-coordinator.js';
import type { RunnerCommand } from '../../src/runner/protocol.js';

interface Logged {
  side: Side;
  command: RunnerCommand;
}

/** Stand-in workers: each slice is answered on the next tick unless `failOn` says that side dies at that slice. */
function setup(slices: number, failOn?: { side: Side; slice: number }, order = ['c1']) {
  const coordinator = new SliceCoordinator({ slices, timeBudgetMs: 400, maxSamples: 1000, minSamples: 6, seed: 'run-1', order });
  const log: Logged[] = [];
  const taken: Record<Side, number> = { base: 0, head: 0 };
  const hooks = { base: coordinator.hooksFor('base'), head: coordinator.hooksFor('head') };
  for (const side of ['base', 'head'] as const) {
    hooks[side].onChannel((command) => {
      log.push({ side, command });
      if (command.type !== 'slice') return;
      setImmediate(() => {
        if (failOn && failOn.side === side && failOn.slice === taken[side]) coordinator.settle(side, command.id);
        else {
          taken[side]++;
          hooks[side].onSliceDone(command.id, 5);
        }
      });
    });
  }
  const settled = async () => {
    while (coordinator.inFlight.size > 0) await Promise.all([...coordinator.inFlight]);
  };
  return { coordinator, hooks, log, settled };
}

const slicesOf = (log: Logged[]) => log.filter((l) => l.command.type === 'slice');
const other = (side: Side): Side => (side === 'base' ? 'head' : 'base');

describe('SliceCoordinator', () => {
  it('alternates the two sides ABBA from the case\'s leader, and then ends the case on both', async () => {
    const { coordinator, hooks, log, settled } = setup(4);
    hooks.base.onReady('c1');
    expect(log).toEqual([]); // waits for the other side
    hooks.head.onReady('c1');
    await settled();
    const a = coordinator.leaderOf('c1');
    const b = other(a);
    expect(slicesOf(log).map((l) => l.side)).toEqual([a, b, b, a, a, b, b, a]);
    expect(coordinator.tookFirstSlice(a, 'c1')).toBe(true);
    expect(coordinator.tookFirstSlice(b, 'c1')).toBe(false);
    for (const l of slicesOf(log)) {
      expect(l.command).toMatchObject({ id: 'c1', timeBudgetMs: 100, minSamples: 1, maxSamples: 250 });
    }
    // only each side's first slice warms up
    expect(slicesOf(log).filter((l) => l.command.type === 'slice' && l.command.warmup).map((l) => l.side)).toEqual([a, b]);
    expect(log.slice(-2).map((l) => [l.side, l.command.type])).toEqual([
      ['base', 'measured'],
      ['head', 'measured'],
    ]);
  });

  it('lets one side sample a case alone, with the whole budget, when the other failed it', async () => {
    const { coordinator, hooks, log, settled } = setup(4);
    coordinator.settle('head', 'c1'); // e.g. its verification failed
    hooks.base.onReady('c1');
    await settled();
    expect(log.map((l) => [l.side, l.command.type])).toEqual([
      ['base', 'slice'],
      ['base', 'measured'],
    ]);
    // like a plain run: the whole budget, the profile's fewest samples, all the samples it may keep
    expect(log[0]!.command).toMatchObject({ timeBudgetMs: 400, warmup: true, minSamples: 6, maxSamples: 1000 });
  });

  it('ends the case for the survivor, with the slices it has, when the other side dies mid-case', async () => {
    const leader = new SliceCoordinator({ slices: 4, timeBudgetMs: 400, maxSamples: 1000, minSamples: 6, seed: 'run-1', order: [] }).leaderOf('c1');
    const { hooks, log, settled } = setup(4, { side: other(leader), slice: 2 });
    hooks.base.onReady('c1');
    hooks.head.onReady('c1');
    await settled();
    // A, B, B, A, A, B (dies): A keeps its 3 slices and is told the case is measured
    const [a, b] = [leader, other(leader)];
    expect(log.map((l) => `${l.side} ${l.command.type}`)).toEqual([
      `${a} slice`,
      `${b} slice`,
      `${b} slice`,
      `${a} slice`,
      `${a} slice`,
      `${b} slice`,
      `${a} measured`,
    ]);
  });

  it('lets base lead some cases and head others, the same way for the same seed', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `case-${i}`);
    const leaders = (seed: string) => ids.map((id) => new SliceCoordinator({ slices: 4, timeBudgetMs: 1, maxSamples: 1, minSamples: 1, seed, order: [] }).leaderOf(id));
    const first = leaders('run-1');
    const headLeads = first.filter((l) => l === 'head').length;
    // a fair coin: 200 throws land within 70..130 heads with probability 1 - 2e-5
    expect(headLeads).toBeGreaterThan(70);
    expect(headLeads).toBeLessThan(130);
    expect(leaders('run-1')).toEqual(first);
    expect(leaders('run-2')).not.toEqual(first);
  });

  it('does not leave a side waiting for a peer whose backend run has ended', async () => {
    const { coordinator, hooks, log, settled } = setup(4);
    hooks.head.onReady('c1');
    coordinator.finish('base');
    await settled();
    expect(log.map((l) => `${l.side} ${l.command.type}`)).toEqual(['head slice', 'head measured']);
  });

  it('ends an alternation whose side stops for good mid-slice (interrupted, or its file could not be written)', async () => {
    const coordinator = new SliceCoordinator({ slices: 4, timeBudgetMs: 400, maxSamples: 1000, minSamples: 6, seed: 'run-1', order: ['c1'] });
    const log: Logged[] = [];
    const a = coordinator.leaderOf('c1');
    const b = other(a);
    for (const side of ['base', 'head'] as const) {
      coordinator.hooksFor(side).onChannel((command) => {
        log.push({ side, command });
        // the leader answers; the other side never does: its run ends instead
        if (command.type === 'slice' && side === a) setImmediate(() => coordinator.hooksFor(a).onSliceDone('c1', 5));
        if (command.type === 'slice' && side === b) setImmediate(() => coordinator.finish(b));
      });
    }
    coordinator.hooksFor('base').onReady('c1');
    coordinator.hooksFor('head').onReady('c1');
    while (coordinator.inFlight.size > 0) await Promise.all([...coordinator.inFlight]);
    expect(log.map((l) => `${l.side} ${l.command.type}`)).toEqual([`${a} slice`, `${b} slice`, `${a} measured`]);
  });

  it('lets the side whose case head planned first go alone when the builds name their cases differently', async () => {
    // head added case 'new' before 'z'; base does not have it
    const { hooks, log, settled } = setup(2, undefined, ['new', 'z']);
    hooks.base.onReady('z');
    hooks.head.onReady('new');
    await settled();
    expect(log.map((l) => `${l.side} ${l.command.type} ${l.command.id}`)).toEqual(['head slice new', 'head measured new']);
    hooks.head.onReady('z');
    await settled();
    expect(log.slice(2).filter((l) => l.command.type === 'slice').map((l) => l.command.id)).toEqual(['z', 'z', 'z', 'z']);
  });

  it("lets base go alone on a case head does not plan at all (renamed), then pairs them again", async () => {
    const { hooks, log, settled } = setup(2, undefined, ['x', 'z']);
    hooks.head.onReady('x');
    hooks.base.onReady('x-old');
    await settled();
    expect(log.map((l) => `${l.side} ${l.command.type} ${l.command.id}`)).toEqual(['base slice x-old', 'base measured x-old']);
    hooks.base.onReady('z'); // base has no 'x': head, waiting at the earlier case, goes alone
    await settled();
    expect(log.slice(2, 4).map((l) => `${l.side} ${l.command.type} ${l.command.id}`)).toEqual(['head slice x', 'head measured x']);
    hooks.head.onReady('z');
    await settled();
    expect(log.slice(4).filter((l) => l.command.type === 'slice').map((l) => l.side).sort()).toEqual(['base', 'base', 'head', 'head']);
  });
});
