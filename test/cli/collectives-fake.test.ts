/**
 * Collectives through the CLI with the fake backend: ids, the nccl-tests
 * table, the figures in the file, a wrong result, and bad input.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRunResult } from '../../src/results/read-result.js';
import type { CollectiveCase, StreamCase } from '../../src/results/schema.js';
import { runCli, tempDir } from '../helpers/cli.js';

const FAST = ['--profile', 'smoke', '--time-budget', '5', '--min-samples', '6', '--warmup-time', '0', '--warmup-iterations', '0'];

describe('collectives with the fake backend', { timeout: 60_000 }, () => {
  it('runs every collective and algorithm over the byte sweep, prints nccl-tests columns, and records algbw and busbw', async () => {
    const out = join(tempDir(), 'run.json');
    const r = await runCli(['run', '--backends', 'fake', '--workloads', 'allreduce,reducescatter,allgather', '--ranks', '5', '-b', '4K', '-e', '64K', '-f', '4', ...FAST, '--wide', '-o', out]);
    expect(r.code).toBe(0);
    const result = readRunResult(out);
    const ids = result.cases.map((c) => c.id);
    expect(ids).toEqual(
      ['allreduce-ring', 'allreduce-halving-doubling', 'allreduce-direct', 'reducescatter-ring', 'allgather-ring'].flatMap((w) =>
        ['4KiB', '16KiB', '64KiB'].map((s) => `${w}/fake/f32/r5-${s}`),
      ),
    );
    for (const c of result.cases as CollectiveCase[]) {
      expect(c.outcome).toBe('ok');
      expect(c.wrong).toBe(0);
      expect(c.elements).toBe(c.bytes / 4);
      const m = c.metrics!;
      expect(m.algbwGBps).toBeCloseTo(c.bytes / c.measurement!.medianSeconds / 1e9, 12);
      const factor = c.workload === 'allreduce' ? (2 * 4) / 5 : 4 / 5;
      expect(m.busbwFactor).toBeCloseTo(factor, 15);
      expect(m.busbwGBps).toBeCloseTo(m.algbwGBps * factor, 12);
      const traffic = c.workload === 'allreduce' ? 5 : c.workload === 'reducescatter' ? 3 : 2;
      expect(m.memoryBytes).toBe(traffic * 4 * c.bytes);
      expect(m.memoryGBps).toBeCloseTo(m.memoryBytes / c.measurement!.medianSeconds / 1e9, 12);
    }
    expect(result.options.ranks).toBe(5);
    expect(result.options.collectiveBytes).toEqual([4096, 16384, 65536]);
    expect(r.stdout).toContain('# allreduce, ring, 5 ranks, f32, on fake');
    expect(r.stdout).toMatch(/size \(B\)\s+count \(elements\)\s+type\s+redop\s+time \(us\)\s+algbw \(GB\/s\)\s+busbw \(GB\/s\)\s+#wrong\s+busbw \/ copy bw\s+busbw \/ hand-written copy\s+memory \(GB\/s\)\s+memory \/ copy bw\s+memory \/ hand-written copy\s+evidence\n/);
    // no STREAM in this run: every share of copy bandwidth says so with '-'
    expect(r.stdout).toMatch(/\n4096\s+1024\s+float\s+sum\s+\S+\s+\S+\s+\S+\s+0\s+-\s+-\s+\S+\s+-\s+-\s+\d+ forks?, spread [^\n]*\n/);
    expect(r.stdout).toMatch(/\n4096\s+1024\s+float\s+none\s+/); // all-gather has no reduction
    expect(r.stdout).toMatch(/# average busbw over 3 size\(s\), a mean, not a peak: \S+ GB\/s/);
    expect(r.stdout).toMatch(/# peak busbw: \S+ GB\/s at \d+ B/);
  });

  it('sets each busbw beside the same backend\'s STREAM copy bandwidth at the same size', async () => {
    const out = join(tempDir(), 'run.json');
    const r = await runCli(['run', '--backends', 'fake', '--workloads', 'stream,allreduce', '--algorithms', 'ring', '-b', '4K', '-e', '4K', ...FAST, '--wide', '-o', out]);
    expect(r.code).toBe(0);
    const result = readRunResult(out);
    expect(result.cases.map((c) => c.id)).toEqual(['stream-copy/fake/f32/4KiB', 'stream-triad/fake/f32/4KiB', 'allreduce-ring/fake/f32/r8-4KiB']);
    const copy = result.cases[0] as StreamCase;
    const triad = result.cases[1] as StreamCase;
    expect(copy.metrics!.bytesMoved).toBe(8192);
    expect(triad.metrics!.bytesMoved).toBe(12288);
    expect(copy.metrics!.GBps).toBeCloseTo(8192 / copy.measurement!.medianSeconds / 1e9, 12);
    const allreduce = result.cases[2] as CollectiveCase;
    const share = (gbps: number) => ((100 * gbps) / copy.metrics!.GBps).toFixed(1).replace('.', '\\.');
    const busbwShare = share(allreduce.metrics!.busbwGBps);
    const memoryShare = share(allreduce.metrics!.memoryGBps);
    expect(r.stdout).toMatch(new RegExp(`\\n4096\\s+1024\\s+float\\s+sum\\s+\\S+\\s+\\S+\\s+\\S+\\s+0\\s+${busbwShare}%\\s+-\\s+\\S+\\s+${memoryShare}%\\s+-\\s+\\d+ forks?, spread [^\\n]*\\n`));
    expect(r.stdout).toContain('# memory bandwidth, STREAM kernels');
  });

  it('handles sizes that do not divide into R chunks with uneven chunks, and says so', async () => {
    const out = join(tempDir(), 'run.json');
    const r = await runCli(['run', '--backends', 'fake', '--workloads', 'allreduce', '--ranks', '3', '-b', '20', '-e', '20', ...FAST, '-o', out]);
    expect(r.code).toBe(0);
    for (const c of readRunResult(out).cases as CollectiveCase[]) {
      expect(c.elements).toBe(5);
      expect(c.chunking).toBe('uneven');
      expect(c.wrong).toBe(0);
    }
  });

  it('fails a collective with wrong elements, with its #wrong, and never times it', async () => {
    const out = join(tempDir(), 'run.json');
    const r = await runCli(['run', '--backends', 'fake-wrong', '--workloads', 'allreduce', '--algorithms', 'ring', '-b', '4K', '-e', '4K', ...FAST, '--wide', '-o', out]);
    expect(r.code).toBe(1);
    const c = readRunResult(out).cases[0] as CollectiveCase;
    expect(c.outcome).toBe('error');
    expect(c.wrong).toBe(1);
    expect(c.reason).toMatch(/verification failed: #wrong 1/);
    expect(c.measurement).toBeUndefined();
  });
});

const PREVIOUS = '{"previous": true}\n';

describe('bad collective input', { timeout: 60_000 }, () => {
  it.each([
    ['fewer than 2 ranks', ['--ranks', '1'], /--ranks: '1' is not a rank count; a collective needs an integer of at least 2/],
    ['fractional ranks', ['--ranks', '2.5'], /--ranks: '2.5' is not a rank count/],
    ['unknown algorithm', ['--algorithms', 'tree'], /--algorithms: unknown 'tree'; choose from ring, halving-doubling, direct/],
    ['size not a multiple of 4 bytes', ['-b', '6'], /--min-bytes: '6' is not a whole number of f32 values; give a multiple of 4 bytes/],
    ['size that is not a size', ['-e', 'lots'], /--max-bytes: 'lots' is not a size; give bytes like 4096, 4K or 64MiB/],
    ['min above max', ['-b', '1M', '-e', '4K'], /--min-bytes 1048576 is larger than --max-bytes 4096; give min <= max/],
    ['step factor below 2', ['-f', '1'], /--step-factor: '1' must be an integer of at least 2/],
    ['size beyond host memory', ['-b', '4K', '-e', '4096G'], /--max-bytes: 8 ranks of \d+ bytes need about [\d.]+ GiB of host memory but [\d.]+ GiB is available/],
    ['size beyond the device limit', ['-b', '128M', '-e', '128M'], /--max-bytes: a 0\.13 GiB rank buffer exceeds the fake backend \(64 MiB per buffer\)'s 0\.06 GiB on fake/],
  ])('%s: one line, exit 2, nothing overwritten', async (_name, args, message) => {
    const out = join(tempDir(), 'result.json');
    writeFileSync(out, PREVIOUS);
    const r = await runCli(['run', '--backends', 'fake', '--workloads', 'allreduce', ...args, '-o', out]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(readFileSync(out, 'utf8')).toBe(PREVIOUS);
  });
});
