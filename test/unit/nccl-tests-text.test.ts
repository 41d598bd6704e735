/**
 * nccl-tests' text output read from real outputs of several versions, as people posted them (test/fixtures/import/):
 * every column by its header's name, the rank lines of each version, the footer, the failures, and what pasting
 * adds (MPI prefixes, NCCL INFO lines, other programs' lines).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNcclTestsText } from '../../src/import/nccl-tests-text.js';

const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, '../fixtures/import', name), 'utf8');

describe('nccl-tests text', () => {
  it('2.18.3: version, collective, settings, 16 ranks on 2 hosts, 24 rows with #wrong, the footer', () => {
    const [block, ...rest] = parseNcclTestsText(fixture('nccl-tests-2.18.3-allreduce-16ranks.txt'));
    expect(rest).toEqual([]);
    expect(block!.tool).toBe('nccl-tests');
    expect(block!.version).toBe('2.18.3');
    expect(block!.collective).toBe('all_reduce_perf');
    expect(block!.ncclVersion).toBe('NCCL version 2.30.3+cuda13.0');
    expect(block!.settings).toMatchObject({ nThread: '1', nGpus: '1', minBytes: '1024', maxBytes: '8589934592', iters: '20', validation: '1', unalign: '0' });
    expect(block!.ranks).toHaveLength(16);
    expect(block!.ranks[9]).toEqual({ rank: 9, group: 0, pid: 16480, host: 'R6KD-CX8aaS-GPU-15', device: 1, busId: '0000:09:00', name: 'NVIDIA Graphics Device' });
    expect(block!.columns).toEqual(['size', 'count', 'type', 'redop', 'root', 'time', 'algbw', 'busbw', '#wrong', 'time', 'algbw', 'busbw', '#wrong']);
    expect(block!.rows).toHaveLength(24);
    expect(block!.rows.at(-1)).toMatchObject({
      bytes: 8589934592,
      count: 2147483648,
      type: 'float',
      redop: 'sum',
      root: -1,
      outOfPlace: { timeUs: 459108, algbwGBps: 18.71, busbwGBps: 35.08, wrong: 0, error: null },
      inPlace: { timeUs: 459602, algbwGBps: 18.69, busbwGBps: 35.04, wrong: 0, error: null },
    });
    expect(block!.rows.at(-1)!.line).toBe(51);
    expect(block!.outOfBounds).toEqual({ count: 0, ok: true });
    expect(block!.avgBusbwGBps).toBe(17.8413);
    expect(block!.failures).toEqual([]);
  });

  it('2.18.0 under mpirun --tag-output: the prefixes and the stderr lines are dropped, the rows kept', () => {
    const [block] = parseNcclTestsText(fixture('nccl-tests-2.18.0-allreduce-mpi-tagged.txt'));
    expect(block!.version).toBe('2.18.0');
    expect(block!.collective).toBe('all_reduce_perf_mpi');
    expect(block!.ranks.map((r) => [r.rank, r.host, r.busId])).toEqual([
      [0, 'lab', '0000:02:00'],
      [1, 'lab', '0000:02:00'],
    ]);
    expect(block!.rows.map((r) => r.bytes)).toEqual([1048576, 2097152, 4194304, 8388608, 16777216, 33554432, 67108864, 134217728]);
    expect(block!.rows[5]!.outOfPlace).toEqual({ timeUs: 14977.1, algbwGBps: 2.24, busbwGBps: 2.24, wrong: 0, error: null });
    expect(block!.avgBusbwGBps).toBe(1.57614);
  });

  it('before 2.13: error columns, rank lines without Group, bus ids like 0x00, an NCCL INFO line before the rows', () => {
    const [block] = parseNcclTestsText(fixture('nccl-tests-old-k80-allreduce.txt'));
    expect(block!.version).toBeUndefined();
    expect(block!.columns).toEqual(['size', 'count', 'type', 'redop', 'time', 'algbw', 'busbw', 'error', 'time', 'algbw', 'busbw', 'error']);
    expect(block!.ranks[2]).toEqual({ rank: 2, pid: 198, host: '2e3f9af7241040529530e810ce60fe5d000002', device: 2, busId: '0x00', name: 'Tesla K80' });
    expect(block!.rows).toHaveLength(7);
    expect(block!.rows[0]).toMatchObject({
      bytes: 33554432,
      count: 8388608,
      type: 'float',
      redop: 'sum',
      outOfPlace: { timeUs: 19902, algbwGBps: 1.69, busbwGBps: 2.53, wrong: null, error: 2e-7 },
      inPlace: { timeUs: 19898, algbwGBps: 1.69, busbwGBps: 2.53, wrong: null, error: 2e-7 },
    });
    expect(block!.avgBusbwGBps).toBe(2.54225);
  });

  it('2.17.6, a run that failed on its first row: no row, every failure line kept', () => {
    const [block] = parseNcclTestsText(fixture('nccl-tests-2.17.6-alltoall-failure.txt'));
    expect(block!.collective).toBe('alltoall_perf');
    expect(block!.ranks).toHaveLength(16);
    expect(block!.rows).toEqual([]);
    expect(block!.failures).toHaveLength(7);
    expect(block!.failures[0]).toContain("Test CUDA failure common.cu:389 'an illegal memory access was encountered'");
    expect(block!.avgBusbwGBps).toBeUndefined();
  });

  it('reads header lines whose # Markdown ate, N/A values, and several collectives in one paste', () => {
    const text = [
      '# nThread 1 nGpus 8 minBytes 1 maxBytes 8 step: 2(factor) warmup iters: 5 iters: 20 validation: 0',
      '  Rank  0 Pid 112372 on localhost device  0 [0x00] A100-SXM4-40GB',
      '      size         count    type     time   algbw   busbw  error     time   algbw   busbw  error',
      '          32             1   float    35.03    0.00    0.00    N/A    34.15    0.00    0.00    N/A',
      '# nThread 1 nGpus 8 minBytes 1 maxBytes 8 step: 2(factor) warmup iters: 5 iters: 20 validation: 0',
      '#       size         count      type   redop     time   algbw   busbw  error     time   algbw   busbw  error',
      '           8             2     float     sum    35.93    0.00    0.00  1e-07    35.72    0.00    0.00  1e-07',
    ].join('\n');
    const blocks = parseNcclTestsText(text);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]!.ranks).toHaveLength(1);
    expect(blocks[0]!.rows[0]!.redop).toBeUndefined(); // all_gather had no redop column
    expect(blocks[0]!.rows[0]!.outOfPlace.error).toBeNull();
    expect(blocks[1]!.rows[0]!.redop).toBe('sum');
    expect(blocks[1]!.rows[0]!.inPlace.error).toBe(1e-7);
  });
  it('-S timestamps after the row and -C 1 cputime columns (constructed after src/util.cu of 2.19; no posted output found)', () => {
    const text = [
      '# nccl-tests version 2.19.2 nccl-headers=21903 nccl-library=21903',
      '# Collective test starting: all_reduce_perf',
      '# nThread 1 nGpus 8 minBytes 1024 maxBytes 2048 step: 2(factor) warmup iters: 5 iters: 20 agg iters: 1 validation: 1 graph: 0',
      '#  Rank  0 Group  0 Pid  1234 on node0 device  0 [0000:06:00] NVIDIA H100 80GB HBM3',
      '#       size         count      type   redop    root  cputime   algbw   busbw  #wrong  cputime   algbw   busbw  #wrong',
      '        1024           256     float     sum      -1    61.09    0.02    0.03       0    53.35    0.04    0.04       0  2025-01-01 12:00:00',
      '        2048           512     float     sum      -1    57.54    0.04    0.07       0    57.20    0.04    0.07       0  2025-01-01 12:00:01',
    ].join('\n');
    const [block] = parseNcclTestsText(text);
    expect(block!.timeColumn).toBe('cputime');
    expect(block!.rows[1]).toMatchObject({ bytes: 2048, outOfPlace: { timeUs: 57.54, busbwGBps: 0.07, wrong: 0 }, inPlace: { timeUs: 57.2 }, trailing: '2025-01-01 12:00:01', line: 7 });
  });
});
