/**
 * Real outputs, as the tools printed them or users posted them (test/fixtures/import/README.md names each one's
 * source), read end to end: format detection and reader (readImport), then the cases chipbench records
 * (casesOfBlocks), with the figures each output prints checked exactly.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { casesOfBlocks, type ImportSettings } from '../../src/import/import-cases.js';
import { ImportSyntaxError, type CollectiveRecord } from '../../src/import/imported-block.js';
import { readImport } from '../../src/import/read-import.js';

const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, '../fixtures/import', name), 'utf8');

/** A fixture read and turned into cases, with the settings a user would give beside it. */
function imported(name: string, settings: Partial<ImportSettings> = {}) {
  const { format, blocks } = readImport(fixture(name));
  const cases = casesOfBlocks(blocks, { file: name, importedAt: '2026-01-01T00:00:00.000Z', ...settings });
  return { format, blocks, cases };
}

const collectives = (records: unknown[]) => records as CollectiveRecord[];

describe('nccl-tests text before 2.13 (SuperBench test data: 8 A100-SXM4-40GB in one process)', () => {
  it('all_reduce: error columns N/A (validation off), busbw 235.26 GB/s at 8 GiB, every case ok', () => {
    const { format, blocks, cases } = imported('nccl-tests-2021-superbench-8xa100-all_reduce.txt', { collective: 'all_reduce' });
    expect(format).toBe('nccl-tests text');
    expect(blocks).toHaveLength(1);
    const [block] = blocks;
    expect(block!.source).toMatchObject({ tool: 'nccl-tests', format: 'text', ranks: 8, hosts: ['localhost'] });
    expect(block!.source.version).toBeUndefined();
    expect(block!.source.settings).toMatchObject({ nThread: '1', nGpus: '8', validation: '0' });
    expect(block!.source.devices[7]).toEqual({ name: 'A100-SXM4-40GB', busId: '0x00', host: 'localhost', rank: 7, index: 7 });
    const rows = collectives(block!.records);
    expect(rows).toHaveLength(34);
    expect(rows.at(-1)).toMatchObject({ bytes: 8589934592, count: 2147483648, dtype: 'float', redop: 'sum', outOfPlace: { timeUs: 63896, algbwGBps: 134.44, busbwGBps: 235.26, wrong: null } });
    expect(block!.avgBusbwGBps).toBe(68.4048);
    // the two 0-byte rows (-b 0) have no bandwidth: left out
    expect(cases).toHaveLength(32);
    expect(cases.every((c) => c.outcome === 'ok')).toBe(true);
    expect(cases.at(-1)!.id).toBe('nccl-tests/all_reduce-sum/f32/h1-r8-8GiB');
    expect(cases.at(-1)!.executed.device.name).toBe('A100-SXM4-40GB');
  });

  it('all_gather: no redop column; size is the whole buffer, count per rank; busbw 223.39 GB/s at 8 GiB', () => {
    const { blocks, cases } = imported('nccl-tests-2021-superbench-8xa100-all_gather.txt', { collective: 'all_gather' });
    const rows = collectives(blocks[0]!.records);
    expect(rows).toHaveLength(34);
    expect(rows.at(-1)).toMatchObject({ bytes: 8589934592, count: 268435456, outOfPlace: { timeUs: 33646, algbwGBps: 255.31, busbwGBps: 223.39 } });
    expect(rows.at(-1)!.redop).toBeUndefined();
    expect(cases.at(-1)!.id).toBe('nccl-tests/all_gather/f32/h1-r8-8GiB');
    expect(cases.at(-1)!.collective!.busbwFactor).toBe(7 / 8);
    expect(cases.every((c) => c.outcome === 'ok')).toBe(true);
  });

  it('broadcast: a root column, busbw = algbw (232.81 GB/s at 8 GiB)', () => {
    const { blocks, cases } = imported('nccl-tests-2021-superbench-8xa100-broadcast.txt', { collective: 'broadcast' });
    const rows = collectives(blocks[0]!.records);
    expect(rows.at(-1)).toMatchObject({ bytes: 8589934592, root: 0, outOfPlace: { algbwGBps: 232.81, busbwGBps: 232.81 } });
    expect(rows.at(-1)!.redop).toBeUndefined();
    expect(cases.at(-1)!.id).toBe('nccl-tests/broadcast-root0/f32/h1-r8-8GiB');
    expect(cases.every((c) => c.outcome === 'ok')).toBe(true);
    expect(blocks[0]!.avgBusbwGBps).toBe(64.8653);
  });

  it('alltoall: its redop column printed blank, every row one token short of the header, read all the same', () => {
    const { blocks, cases } = imported('nccl-tests-2021-superbench-8xa100-alltoall.txt', { collective: 'alltoall' });
    const rows = collectives(blocks[0]!.records);
    expect(rows).toHaveLength(34);
    expect(rows[0]).toMatchObject({ bytes: 0, count: 0, dtype: 'float', outOfPlace: { timeUs: 1.63, algbwGBps: 0, busbwGBps: 0 } });
    expect(rows.at(-1)).toMatchObject({ bytes: 8589934592, count: 268435456, outOfPlace: { timeUs: 33508, algbwGBps: 256.36, busbwGBps: 224.31 }, inPlace: { timeUs: 33234, busbwGBps: 226.16 } });
    expect(rows.every((r) => r.redop === undefined)).toBe(true);
    expect(cases.at(-1)!.id).toBe('nccl-tests/alltoall/f32/h1-r8-8GiB');
    expect(blocks[0]!.avgBusbwGBps).toBe(58.6481);
  });
});

describe('nccl-tests text 2.14.1-2.16 (Group, bus ids 0000:04:00, no version line): 16 H100 on 2 hosts', () => {
  it('as printed: 31 rows, busbw 338.82 GB/s at 8 GiB, the footer', () => {
    const { blocks, cases } = imported('nccl-tests-2.14-2.16-16xh100-allreduce.txt', { collective: 'all_reduce' });
    const [block] = blocks;
    expect(block!.source).toMatchObject({ ranks: 16, hosts: ['ztan-mig-235z', 'ztan-mig-gq73'] });
    expect(block!.source.devices[8]).toEqual({ name: 'NVIDIA H100 80GB HBM3', busId: '0000:04:00', host: 'ztan-mig-gq73', rank: 8, index: 0 });
    const rows = collectives(block!.records);
    expect(rows).toHaveLength(31);
    expect(rows.at(-1)).toMatchObject({ bytes: 8589934592, redop: 'sum', root: -1, outOfPlace: { timeUs: 47535, algbwGBps: 180.71, busbwGBps: 338.82, wrong: 0 } });
    expect(block!.outOfBounds).toEqual({ count: 0, ok: true });
    expect(block!.avgBusbwGBps).toBe(70.742);
    expect(cases.at(-1)!.id).toBe('nccl-tests/all_reduce-sum/f32/h2-r16-8GiB');
    expect(cases.every((c) => c.outcome === 'ok')).toBe(true);
  });

  it("the same run re-pasted after Markdown ate the first lines' '#': settings and all 16 ranks still read", () => {
    const text = fixture('nccl-tests-2.14-2.16-16xh100-markdown-ate-hash.txt');
    expect(text.split('\n').slice(0, 4)).toEqual([
      'nThread 1 nGpus 1 minBytes 8 maxBytes 8589934592 step: 2(factor) warmup iters: 5 iters: 20 agg iters: 1 validation: 1 graph: 0',
      '',
      'Using devices',
      '  Rank  0 Group  0 Pid   6899 on ztan-mig-235z device  0 [0000:04:00] NVIDIA H100 80GB HBM3',
    ]);
    const { blocks, cases } = imported('nccl-tests-2.14-2.16-16xh100-markdown-ate-hash.txt', { collective: 'all_reduce' });
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.source.settings).toMatchObject({ nThread: '1', minBytes: '8', maxBytes: '8589934592', iters: '20', validation: '1' });
    expect(blocks[0]!.source.ranks).toBe(16);
    expect(blocks[0]!.source.devices[0]).toMatchObject({ rank: 0, host: 'ztan-mig-235z', busId: '0000:04:00' });
    expect(collectives(blocks[0]!.records).at(-1)!.outOfPlace.busbwGBps).toBe(338.82);
    expect(cases).toHaveLength(31);
  });
});

describe('nccl-tests text 2.13-2.14.0 (shared header, Group, bus ids still 0x19): 16 H100 on 2 hosts under a kubectl launcher', () => {
  it('the launcher\'s shell trace before the output is left aside; 5 rows from 512 MiB, busbw 196.52 GB/s at 8 GiB', () => {
    const { format, blocks, cases } = imported('nccl-tests-2.13-16xh100-k8s-allreduce.txt', { collective: 'all_reduce' });
    expect(format).toBe('nccl-tests text');
    expect(blocks).toHaveLength(1);
    const [block] = blocks;
    expect(block!.source).toMatchObject({ ranks: 16, hosts: ['nccl-tests-h100-worker-0', 'nccl-tests-h100-worker-1'] });
    expect(block!.source.devices[3]).toEqual({ name: 'NVIDIA H100 80GB HBM3', busId: '0x5c', host: 'nccl-tests-h100-worker-0', rank: 3, index: 3 });
    const rows = collectives(block!.records);
    expect(rows.map((r) => r.bytes)).toEqual([536870912, 1073741824, 2147483648, 4294967296, 8589934592]);
    expect(rows.at(-1)).toMatchObject({ redop: 'sum', root: -1, outOfPlace: { timeUs: 81958, algbwGBps: 104.81, busbwGBps: 196.52, wrong: 0 }, inPlace: { timeUs: 81960, busbwGBps: 196.51 } });
    expect(block!.avgBusbwGBps).toBe(194.675);
    expect(cases.at(-1)!.id).toBe('nccl-tests/all_reduce-sum/f32/h2-r16-8GiB');
    expect(cases.every((c) => c.outcome === 'ok')).toBe(true);
  });
});

describe('nccl-tests text 2.19', () => {
  it('2.19.4, 8 A100-SXM4-80GB driven by one process (-g 8): the prompt line kept, 25 rows, busbw 181.32 GB/s at 128 MiB', () => {
    const { blocks, cases } = imported('nccl-tests-2.19.4-8xa100-80gb-allreduce-one-process.txt');
    const [block] = blocks;
    expect(block!.source).toMatchObject({ tool: 'nccl-tests', version: '2.19.4', ranks: 8, hosts: ['dkh'] });
    expect(block!.source.settings).toMatchObject({ nThread: '1', nGpus: '8', iters: '20', unalign: '0' });
    expect(new Set(block!.source.devices.map((d) => d.name))).toEqual(new Set(['NVIDIA A100-SXM4-80GB']));
    const rows = collectives(block!.records);
    expect(rows).toHaveLength(25);
    expect(rows.at(-1)).toMatchObject({ bytes: 134217728, collective: 'all_reduce', outOfPlace: { timeUs: 1295.41, algbwGBps: 103.61, busbwGBps: 181.32, wrong: 0 } });
    expect(block!.avgBusbwGBps).toBe(34.9024);
    // the collective is named by the output itself (2.17 on): no --collective needed
    expect(cases.at(-1)!.id).toBe('nccl-tests/all_reduce-sum/f32/h1-r8-128MiB');
    expect(cases.every((c) => c.outcome === 'ok')).toBe(true);
  });

  it('2.19.6 all_gather on 2 GB10 (DGX Spark) over RoCE: redop none, busbw half the algbw, 23.74 GB/s at 16 GiB', () => {
    const { blocks, cases } = imported('nccl-tests-2.19.6-2xgb10-all_gather.txt');
    const rows = collectives(blocks[0]!.records);
    expect(blocks[0]!.source).toMatchObject({ version: '2.19.6', ranks: 2, hosts: ['spark-101', 'spark-102'] });
    expect(rows).toHaveLength(6);
    expect(rows.at(-1)).toMatchObject({ collective: 'all_gather', bytes: 17179869184, count: 2147483648, redop: 'none', outOfPlace: { timeUs: 361820, algbwGBps: 47.48, busbwGBps: 23.74, wrong: 0 } });
    expect(cases.at(-1)!.id).toBe('nccl-tests/all_gather/f32/h2-r2-16GiB');
    expect(cases.at(-1)!.collective!.busbwFactor).toBe(0.5);
    expect(cases.every((c) => c.outcome === 'ok')).toBe(true);
  });

  it('2.19.7 on 4 H200, a CUDA failure before the first row: one failed case for the run with every failure line', () => {
    const { blocks, cases } = imported('nccl-tests-2.19.7-4xh200-allreduce-cuda-failure.txt');
    const [block] = blocks;
    expect(block!.source).toMatchObject({ version: '2.19.7', ranks: 4, hosts: ['nccltest08192'] });
    expect(block!.records).toEqual([]);
    expect(block!.failures).toHaveLength(7);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ id: 'nccl-tests/all_reduce/run/h1-r4', outcome: 'error', operation: 'all_reduce' });
    expect(cases[0]!.reason).toBe("nccl-tests failed: nccltest08192: Test CUDA failure common.cu:502 'an illegal memory access was encountered' (and 6 more failure lines)");
    expect(cases[0]!.executed.device.name).toBe('NVIDIA H200');
  });
});

describe('rccl-tests text', () => {
  it('develop:a7809b3, 8 MI300X in one node (Group, 0000:05:00): busbw 315.69 GB/s at 8 GiB, the asterisks note', () => {
    const { format, blocks, cases } = imported('rccl-tests-develop-a7809b3-8xmi300x-allreduce.txt', { collective: 'all_reduce' });
    expect(format).toBe('nccl-tests text');
    const [block] = blocks;
    expect(block!.source).toMatchObject({ tool: 'rccl-tests', version: 'develop:a7809b3', ranks: 8, hosts: ['1942ef50-8240-449e-82ca-4ce7993f70b4-78bfb5d4f4-4z9xh'] });
    expect(block!.source.devices[5]).toMatchObject({ name: 'AMD Instinct MI300X', busId: '0000:a5:00' });
    const rows = collectives(block!.records);
    expect(rows).toHaveLength(31);
    expect(rows.at(-1)).toMatchObject({ bytes: 8589934592, outOfPlace: { timeUs: 47617, algbwGBps: 180.4, busbwGBps: 315.69, wrong: 0 } });
    expect(block!.avgBusbwGBps).toBe(110.464);
    expect(cases.at(-1)!.id).toBe('rccl-tests/all_reduce-sum/f32/h1-r8-8GiB');
    expect(cases.every((c) => c.outcome === 'ok')).toBe(true);
  });

  it("develop:448c4c7, 16 MI300X on 2 nodes: rank lines without Group, bus ids 0000:05:00.0, 'RCCL version : ...'", () => {
    const { blocks, cases } = imported('rccl-tests-develop-448c4c7-16xmi300x-allreduce.txt', { collective: 'all_reduce' });
    const [block] = blocks;
    expect(block!.source).toMatchObject({ tool: 'rccl-tests', version: 'develop:448c4c7', ranks: 16, hosts: ['gpu-53', 'gpu-56'], software: { RCCL: '2.22.3-HEAD:7d8d67c' } });
    expect(block!.source.devices[9]).toEqual({ name: 'AMD Instinct MI300X', busId: '0000:25:00.0', host: 'gpu-56', rank: 9, index: 1 });
    const rows = collectives(block!.records);
    expect(rows).toHaveLength(32);
    expect(rows.at(-1)).toMatchObject({ bytes: 17179869184, count: 4294967296, outOfPlace: { timeUs: 90115, algbwGBps: 190.64, busbwGBps: 357.46, wrong: 0 } });
    expect(block!.avgBusbwGBps).toBe(92.3318);
    expect(cases.at(-1)!.id).toBe('rccl-tests/all_reduce-sum/f32/h2-r16-16GiB');
    expect(cases.every((c) => c.outcome === 'ok')).toBe(true);
  });

  it("built outside git ('rccl-tests: Version :+'), 8 MI300X VF in one process: no version recorded, bus ids with domain", () => {
    const { blocks, cases } = imported('rccl-tests-unversioned-8xmi300x-vf-allreduce.txt', { collective: 'all_reduce' });
    const [block] = blocks;
    expect(block!.source.tool).toBe('rccl-tests');
    expect(block!.source.version).toBeUndefined();
    expect(block!.source).toMatchObject({ ranks: 8, hosts: ['c42f4555f685'] });
    expect(block!.source.devices[7]).toEqual({ name: 'AMD Instinct MI300X VF', busId: '0009:00:00.0', host: 'c42f4555f685', rank: 7, index: 7 });
    const rows = collectives(block!.records);
    expect(rows).toHaveLength(25);
    expect(rows.at(-1)).toMatchObject({ bytes: 134217728, outOfPlace: { timeUs: 801.4, algbwGBps: 167.47, busbwGBps: 293.07, wrong: 0 } });
    expect(block!.avgBusbwGBps).toBe(54.8575);
    expect(cases.at(-1)!.id).toBe('rccl-tests/all_reduce-sum/f32/h1-r8-128MiB');
    expect(cases.at(-1)!.executed.device.name).toBe('AMD Instinct MI300X VF');
    expect(cases.every((c) => c.outcome === 'ok')).toBe(true);
  });
});

describe('rccl-tests CSV (-x FILE -Z csv), MI355X runs of 2026 (ylerman-dn/amd-dev): a 13-name header over 14-value rows', () => {
  const MI355X_CSVS = [
    'rccl-tests-csv-mi355x-8ranks-allreduce.csv',
    'rccl-tests-csv-mi355x-8ranks-allgather.csv',
    'rccl-tests-csv-mi355x-8ranks-alltoall.csv',
    'rccl-tests-csv-mi355x-8ranks-broadcast.csv',
    'rccl-tests-csv-mi355x-16ranks-2nodes-allreduce.csv',
  ];

  it('all_reduce on 8 ranks: nodes read before ranks, the size the 7th value; 18 sizes 4 KiB-512 MiB, busbw 397.574395 GB/s at 512 MiB', () => {
    const { format, blocks, cases } = imported('rccl-tests-csv-mi355x-8ranks-allreduce.csv');
    expect(format).toBe('rccl-tests CSV');
    expect(blocks).toHaveLength(1);
    const [block] = blocks;
    expect(block!.source).toEqual({ tool: 'rccl-tests', format: 'csv', software: {}, settings: { nodes: '1', ranks: '8', ranksPerNode: '8', gpusPerRank: '1' }, hosts: [], devices: [], ranks: 8 });
    const rows = collectives(block!.records);
    expect(rows).toHaveLength(18);
    // 0,"AllReduce",1,8,8,1,4096,"float","sum",0,23.939725,0.171096,0.299419,"0" and its in-place line
    expect(rows[0]).toEqual({
      kind: 'collective',
      collective: 'all_reduce',
      dtype: 'float',
      redop: 'sum',
      bytes: 4096,
      outOfPlace: { timeUs: 23.939725, algbwGBps: 0.171096, busbwGBps: 0.299419, wrong: 0 },
      inPlace: { timeUs: 22.736738, algbwGBps: 0.180149, busbwGBps: 0.315261, wrong: 0 },
      line: 2,
    });
    expect(rows.at(-1)).toMatchObject({
      bytes: 536870912,
      outOfPlace: { timeUs: 2363.14035, algbwGBps: 227.185369, busbwGBps: 397.574395, wrong: 0 },
      inPlace: { timeUs: 2365.860238, algbwGBps: 226.924187, busbwGBps: 397.117328, wrong: 0 },
      line: 36,
    });
    expect(cases).toHaveLength(18);
    expect(cases.map((c) => c.id).slice(0, 2)).toEqual(['rccl-tests/all_reduce-sum/f32/r8-4KiB', 'rccl-tests/all_reduce-sum/f32/r8-8KiB']);
    const largest = cases.at(-1)!;
    expect(largest.id).toBe('rccl-tests/all_reduce-sum/f32/r8-512MiB');
    expect(largest.collective!.busbwFactor).toBe(1.75);
    expect(largest.metrics!.value).toBeCloseTo((536870912 / 2363.14035e-6 / 1e9) * 1.75, 9);
    expect(largest.metrics!.value.toFixed(2)).toBe('397.57');
    expect(cases.every((c) => c.outcome === 'ok' && c.checks.every((k) => k.status === 'ok'))).toBe(true);
  });

  it.each(MI355X_CSVS)('%s: every half of every size has algbw = size / time / 1e3 (to its 6 printed decimals), sizes 4 KiB x 2 to 512 MiB', (name) => {
    const rows = collectives(imported(name).blocks[0]!.records);
    expect(rows.map((r) => r.bytes)).toEqual(Array.from({ length: 18 }, (_, i) => 4096 * 2 ** i));
    for (const half of rows.flatMap((r) => [r.outOfPlace, r.inPlace!].map((h) => ({ bytes: r.bytes, ...h })))) {
      const algbw = half.bytes / half.timeUs! / 1e3;
      // half the last printed digit of algbw, plus what the time's own rounding (to 1e-6 us) moves it by
      expect(Math.abs(half.algbwGBps! - algbw)).toBeLessThanOrEqual(5e-7 + (algbw * 5e-7) / half.timeUs! + 1e-12);
    }
  });

  it("alltoall: the in-place #wrong \"N/A\" is null beside the out-of-place \"0\", flagged as a half the tool never checks", () => {
    const { blocks, cases } = imported('rccl-tests-csv-mi355x-8ranks-alltoall.csv');
    const rows = collectives(blocks[0]!.records);
    expect(rows).toHaveLength(18);
    expect(rows[0]).toMatchObject({
      collective: 'alltoall',
      redop: 'none',
      bytes: 4096,
      outOfPlace: { timeUs: 15.115538, algbwGBps: 0.270979, busbwGBps: 0.237107, wrong: 0 },
      inPlace: { timeUs: 12.552213, algbwGBps: 0.326317, busbwGBps: 0.285527, wrong: null },
    });
    expect(rows.every((r) => r.outOfPlace.wrong === 0 && r.inPlace!.wrong === null)).toBe(true);
    expect(rows.at(-1)!.outOfPlace).toEqual({ timeUs: 1367.171587, algbwGBps: 392.687295, busbwGBps: 343.601383, wrong: 0 });
    expect(cases.at(-1)!.id).toBe('rccl-tests/alltoall/f32/r8-512MiB');
    expect(cases.at(-1)!.collective!.busbwFactor).toBe(7 / 8);
    expect(cases.every((c) => c.outcome === 'ok')).toBe(true);
    for (const c of cases) {
      expect(c.checks.filter((k) => k.status !== 'ok')).toEqual([
        { check: 'validation', status: 'flag', detail: "in-place: not validated by the tool (N/A: the tool never checks alltoall's in-place result)" },
      ]);
      expect(c.checks).toContainEqual({ check: 'wrong', status: 'ok', detail: 'out-of-place: #wrong 0' });
    }
  });

  it('broadcast: no root column; busbw = algbw on every row (factor 1), 350.662482 GB/s at 512 MiB', () => {
    const { blocks, cases } = imported('rccl-tests-csv-mi355x-8ranks-broadcast.csv');
    const rows = collectives(blocks[0]!.records);
    expect(rows.every((r) => r.outOfPlace.busbwGBps === r.outOfPlace.algbwGBps && r.inPlace!.busbwGBps === r.inPlace!.algbwGBps)).toBe(true);
    expect(rows.at(-1)).toMatchObject({ collective: 'broadcast', redop: 'none', bytes: 536870912, outOfPlace: { timeUs: 1531.018969, algbwGBps: 350.662482, busbwGBps: 350.662482, wrong: 0 } });
    expect(rows.at(-1)!.root).toBeUndefined();
    expect(cases.at(-1)!.id).toBe('rccl-tests/broadcast/f32/r8-512MiB');
    expect(cases.at(-1)!.collective!.busbwFactor).toBe(1);
    expect(cases.every((c) => c.outcome === 'ok' && c.checks.every((k) => k.status === 'ok'))).toBe(true);
  });

  it('all_gather: factor 7/8, busbw 384.444262 GB/s at 512 MiB', () => {
    const { blocks, cases } = imported('rccl-tests-csv-mi355x-8ranks-allgather.csv');
    expect(collectives(blocks[0]!.records).at(-1)!.outOfPlace).toEqual({ timeUs: 1221.924981, algbwGBps: 439.364871, busbwGBps: 384.444262, wrong: 0 });
    expect(cases.at(-1)!.id).toBe('rccl-tests/all_gather/f32/r8-512MiB');
    expect(cases.at(-1)!.collective!.busbwFactor).toBe(7 / 8);
    expect(cases.every((c) => c.outcome === 'ok' && c.checks.every((k) => k.status === 'ok'))).toBe(true);
  });

  it("all_reduce on 16 ranks over 2 nodes: 16 ranks and factor 1.875; the writer's nodes says 1 and gives no host count", () => {
    const { blocks, cases } = imported('rccl-tests-csv-mi355x-16ranks-2nodes-allreduce.csv');
    const [block] = blocks;
    // nodes = ranks / ranksPerNode, and ranksPerNode is every process of the communicator: 1,16,16,1 on 2 nodes
    expect(block!.source).toMatchObject({ ranks: 16, settings: { nodes: '1', ranks: '16', ranksPerNode: '16', gpusPerRank: '1' }, hosts: [] });
    const rows = collectives(block!.records);
    expect(rows[0]!.outOfPlace).toEqual({ timeUs: 38.460441, algbwGBps: 0.106499, busbwGBps: 0.199686, wrong: 0 });
    expect(rows.at(-1)).toMatchObject({
      bytes: 536870912,
      outOfPlace: { timeUs: 2658.468769, algbwGBps: 201.947421, busbwGBps: 378.651415, wrong: 0 },
      inPlace: { timeUs: 2650.206313, algbwGBps: 202.577026, busbwGBps: 379.831923, wrong: 0 },
    });
    expect(cases).toHaveLength(18);
    expect(cases.at(-1)!.id).toBe('rccl-tests/all_reduce-sum/f32/r16-512MiB');
    expect(cases.at(-1)!.collective!.busbwFactor).toBe(1.875);
    expect(cases.every((c) => c.outcome === 'ok' && c.checks.every((k) => k.status === 'ok'))).toBe(true);
  });

  it("either layout reads, row by row (the header's 13 values, or 14 with nodes); a row of neither width is refused with its line", () => {
    const lines = fixture('rccl-tests-csv-mi355x-8ranks-allreduce.csv').split('\n');
    const edited = (row: number, edit: (l: string) => string) => lines.map((l, i) => (i === row - 1 ? edit(l) : l)).join('\n');
    // line 4 (8 KiB, out-of-place) without the writer's nodes value: the header's own layout, the same record
    const headerLayout = edited(4, (l) => l.replace('0,"AllReduce",1,8,8,1,', '0,"AllReduce",8,8,1,'));
    expect(headerLayout.split('\n')[3]).toBe('0,"AllReduce",8,8,1,8192,"float","sum",0,26.797050,0.305705,0.534984,"0"');
    expect(readImport(headerLayout).blocks).toEqual(readImport(lines.join('\n')).blocks);
    const refusal = (text: string) => {
      try {
        readImport(text);
      } catch (e) {
        return e as ImportSyntaxError;
      }
      throw new Error('not refused');
    };
    const widths = "expected 13, or 14 with the MPI writer's nodes, one per column of the header";
    const extra = refusal(edited(5, (l) => `${l},"0"`));
    expect(extra).toBeInstanceOf(ImportSyntaxError);
    expect(extra).toMatchObject({ line: 5, problem: `15 values: ${widths}` });
    expect(refusal(edited(7, (l) => l.split(',').slice(0, 12).join(',')))).toMatchObject({ line: 7, problem: `12 values: ${widths}` });
    // a 14-value row that lost its #wrong has the header's width: read the header's way, its size "1", its type "32768"
    const lostWrong = refusal(edited(9, (l) => l.replace(/,"0"$/, '')));
    expect(lostWrong).toMatchObject({ line: 9 });
    expect(lostWrong.problem).toMatch(/^data type "32768" is unknown/);
  });
});

describe('nvbandwidth -j JSON v0.8, 4 GeForce RTX 5090 in one host (wubh576/nvbandwidth_5090)', () => {
  it('17 passed bandwidth testcases give 4 cells and a sum each (85 cases); the 17 waived and the latency one give nothing', () => {
    const text = fixture('nvbandwidth-v0.8-json-4xrtx5090.json');
    const { format, blocks, cases } = imported('nvbandwidth-v0.8-json-4xrtx5090.json');
    expect(format).toBe('nvbandwidth JSON');
    const [block] = blocks;
    expect(block!.source).toMatchObject({ tool: 'nvbandwidth', format: 'json', version: 'v0.8', software: { git: 'v0.8', 'cuda runtime': '12080', driver: '570.86.16' } });
    expect(block!.source.devices).toHaveLength(4);
    expect(block!.source.devices[3]).toEqual({ name: 'NVIDIA GeForce RTX 5090', index: 3, busId: '00000000:e0:00', host: 'nf5468-m7' });
    const testcases = (JSON.parse(text) as { nvbandwidth: { testcases: { name: string; status: string }[] } }).nvbandwidth.testcases;
    expect(testcases).toHaveLength(35);
    const waived = testcases.filter((t) => t.status === 'Waived').map((t) => t.name);
    expect(waived).toHaveLength(17);
    expect(waived).toContain('device_to_device_memcpy_read_ce');
    const read = new Set(block!.records.map((r) => (r.kind === 'copy' ? r.testcase : '')));
    expect(read.size).toBe(17);
    expect(waived.filter((n) => read.has(n))).toEqual([]);
    expect(read.has('host_device_latency_sm')).toBe(false); // Passed, but ns of latency, not a copy
    expect(block!.records).toHaveLength(85);
    expect(block!.records.slice(0, 2)).toEqual([
      { kind: 'copy', testcase: 'host_to_device_memcpy_ce', statistic: 'pair', from: '0', to: '0', GBps: 56.3829, line: 18 },
      { kind: 'copy', testcase: 'host_to_device_memcpy_ce', statistic: 'pair', from: '0', to: '1', GBps: 56.3762, line: 18 },
    ]);
    expect(block!.records[4]).toEqual({ kind: 'copy', testcase: 'host_to_device_memcpy_ce', statistic: 'sum', GBps: 225.54936446300002, line: 29 });
    expect(block!.records.slice(-2)).toEqual([
      { kind: 'copy', testcase: 'device_local_copy', statistic: 'pair', from: '0', to: '3', GBps: 760.912, line: 341 },
      { kind: 'copy', testcase: 'device_local_copy', statistic: 'sum', GBps: 3043.7825317299998, line: 352 },
    ]);
    expect(cases).toHaveLength(85);
    expect(cases.every((c) => c.outcome === 'ok')).toBe(true);
    const byId = (id: string) => cases.find((c) => c.id === id)!;
    expect(byId('nvbandwidth/host_to_device_memcpy_ce/0-to-3').metrics!.value).toBeCloseTo(56.3959, 9);
    expect(byId('nvbandwidth/device_to_host_bidirectional_memcpy_sm/sum').metrics!.value).toBeCloseTo(170.09182915900001, 9);
    expect(byId('nvbandwidth/device_local_copy/sum').metrics!.value).toBeCloseTo(3043.7825317299998, 9);
    expect(byId('nvbandwidth/device_local_copy/sum').executed.device.name).toBe('NVIDIA GeForce RTX 5090');
  });
});

describe('nccl-tests -J JSON (file version 3), 2 Tesla T4 in one process on Kaggle (gpu-systems-lab results)', () => {
  it('one 128 MiB half all_reduce with -I 1: busbw 5.731221 GB/s, 50 iteration times per placement, NCCL 2.29.3', () => {
    const { format, blocks, cases } = imported('nccl-tests-json-v3-2xt4-allreduce-per-iter.json');
    expect(format).toBe('nccl-tests JSON');
    expect(blocks).toHaveLength(1);
    const [block] = blocks;
    expect(block!.source).toMatchObject({ tool: 'nccl-tests', format: 'json-v3', ranks: 2, hosts: ['22f64f592750'], software: { NCCL: '2.29.3' } });
    expect(block!.source.settings).toMatchObject({ nthreads: '1', ngpus: '2', iterations: '50', per_iter_timing: 'true', per_iter_skip: '0' });
    // one entry per process: the second GPU of the -g 2 process is not listed
    expect(block!.source.devices).toEqual([{ name: 'Tesla T4', busId: '0000:00:04', host: '22f64f592750', rank: 0, index: 0 }]);
    const rows = collectives(block!.records);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ collective: 'all_reduce', bytes: 134217728, count: 67108864, dtype: 'half', redop: 'sum', root: -1 });
    expect(rows[0]!.outOfPlace).toMatchObject({ timeUs: 23418.69756, algbwGBps: 5.731221, busbwGBps: 5.731221, wrong: 0 });
    expect(rows[0]!.inPlace).toMatchObject({ timeUs: 23475.41604, busbwGBps: 5.717374, wrong: 0 });
    expect(rows[0]!.outOfPlace.iterationsUs).toHaveLength(50);
    expect(rows[0]!.outOfPlace.iterationsUs![0]).toBe(23677.312851);
    expect(rows[0]!.inPlace!.iterationsUs!.at(-1)).toBe(23526.432037);
    expect(block!.avgBusbwGBps).toBe(5.724297);
    expect(block!.outOfBounds).toEqual({ count: 0, ok: true });
    // "errors":[""]: the writer's empty string is no failure
    expect(block!.failures).toEqual([]);
    expect(cases).toHaveLength(1);
    expect(cases[0]!.id).toBe('nccl-tests/all_reduce-sum/f16/h1-r2-128MiB');
    expect(cases[0]!.outcome).toBe('ok');
    expect(cases[0]!.executed.device.name).toBe('Tesla T4');
    expect(cases[0]!.measurement!.sampleCount).toBe(50);
  });

  it('an earlier attempt of the same run, whose file stops after config (no devices, no results): refused as holding no figure', () => {
    expect(() => readImport(fixture('nccl-tests-json-v3-2xt4-no-results.json'))).toThrow(/nccl-tests JSON without a single figure/);
  });
});

describe('nccl-tests -J JSON (file version 1), 8 H100 on 2 Snellius nodes, one GPU per process (Simulon validation results)', () => {
  it('11 sizes 8 MiB-8 GiB, busbw 97.744674 GB/s at 8 GiB, 8 ranks from 8 per-process devices on 2 hosts, NCCL 2.26.6', () => {
    const { format, blocks, cases } = imported('nccl-tests-json-v1-nccl2.26.6-8xh100-2hosts-allreduce.json');
    expect(format).toBe('nccl-tests JSON');
    expect(blocks).toHaveLength(1);
    const [block] = blocks;
    expect(block!.source).toMatchObject({ tool: 'nccl-tests', format: 'json-v1', ranks: 8, hosts: ['gcn106', 'gcn107'], software: { NCCL: '2.26.6' } });
    expect(block!.source.settings).toMatchObject({ nthreads: '1', ngpus: '1', iterations: '1', warmup_iters: '5' });
    expect(block!.source.commandLine).toMatch(/all_reduce_perf_mpi -b 8M -e 8192M -f 2 -n 1 -w 5 -g 1 -a 1 -J /);
    expect(block!.source.devices).toHaveLength(8);
    expect(block!.source.devices[5]).toEqual({ name: 'NVIDIA H100', busId: '0000:26:00', host: 'gcn107', rank: 5, index: 1 });
    const rows = collectives(block!.records);
    expect(rows).toHaveLength(11);
    expect(rows[0]).toMatchObject({ bytes: 8388608, outOfPlace: { timeUs: 215.834, algbwGBps: 38.866017, busbwGBps: 68.01553, wrong: 0 } });
    expect(rows.at(-1)).toMatchObject({ collective: 'all_reduce', bytes: 8589934592, count: 2147483648, dtype: 'float', redop: 'sum', root: -1 });
    expect(rows.at(-1)!.outOfPlace).toEqual({ timeUs: 153792.374375, algbwGBps: 55.8541, busbwGBps: 97.744674, wrong: 0 });
    expect(rows.at(-1)!.inPlace).toEqual({ timeUs: 153812.1045, algbwGBps: 55.846935, busbwGBps: 97.732136, wrong: 0 });
    expect(block!.avgBusbwGBps).toBe(91.212335);
    expect(block!.outOfBounds).toEqual({ count: 0, ok: true });
    expect(block!.failures).toEqual([]);
    expect(cases).toHaveLength(11);
    expect(cases.at(-1)!.id).toBe('nccl-tests/all_reduce-sum/f32/h2-r8-8GiB');
    expect(cases.at(-1)!.executed.device.name).toBe('NVIDIA H100');
    expect(cases.every((c) => c.outcome === 'ok')).toBe(true);
  });
});

describe('one rank (hccl_test table with --ranks 1)', () => {
  it("the figure is algbw, named so: busbw's factor is 0 on one rank, and the figure is set beside no link", () => {
    const table = fixture('hccl_test-guide-allreduce-8npu.txt').split('\n').filter((l) => !l.includes('mpirun')).join('\n');
    const blocks = readImport(table).blocks;
    const cases = casesOfBlocks(blocks, { file: 'one-rank.txt', importedAt: '2026-01-01T00:00:00.000Z', ranks: 1, collective: 'all_reduce', dtype: 'fp32' });
    const largest = cases.find((c) => c.id === 'hccl_test/all_reduce/f32/r1-64MiB')!;
    expect(largest.collective!.busbwFactor).toBe(0);
    expect(largest.metrics).toMatchObject({ name: 'algbw', unit: 'GB/s' });
    expect(largest.metrics!.value).toBeCloseTo(67108864 / 2630.2e-6 / 1e9, 6);
  });
});

describe('one rank of nccl-tests on a chip of the table', () => {
  it('its algbw is neither a busbw figure for the claims nor a measured link', async () => {
    const { measuredFiguresOf } = await import('../../src/import/measured-figures.js');
    const { measuredLinks } = await import('../../src/import/measured-links.js');
    const { withChipChecks } = await import('../../src/import/chip-checks.js');
    const { loadChipTable } = await import('../../src/reference/chips.js');
    const { RESULT_SCHEMA_VERSION } = await import('../../src/results/schema.js');
    const table = loadChipTable();
    // the 8 x A100 one-process run cut to its first rank line: the rows read as a one-rank run
    const lines = fixture('nccl-tests-2.19.4-8xa100-80gb-allreduce-one-process.txt').split('\n');
    const oneRank = lines.filter((l) => !/^#\s+Rank\s+[1-7]\s/.test(l)).join('\n');
    const cases = withChipChecks(casesOfBlocks(readImport(oneRank).blocks, { file: 'one.txt', importedAt: '2026-01-01T00:00:00.000Z' }), table);
    expect(cases[0]!.id).toMatch(/\/h1-r1-/);
    expect(cases.every((c) => c.metrics?.name === 'algbw' && !c.checks.some((k) => k.check === 'link'))).toBe(true);
    const run = { schemaVersion: RESULT_SCHEMA_VERSION, startedAt: '2026-01-01T00:00:00.000Z', cases } as unknown as Parameters<typeof measuredLinks>[0][0]['run'];
    expect(measuredFiguresOf([{ label: 'one.json', run }], table).figures).toEqual([]);
    expect(measuredLinks([{ label: 'one.json', run }], table)).toEqual([]);
  });
});
