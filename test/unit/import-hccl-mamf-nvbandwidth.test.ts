/**
 * The readers of hccl_test, mamf-finder and nvbandwidth outputs, on real outputs as people posted them
 * (test/fixtures/import/): the figures of each, the source they name, and garbled inputs refused with their line.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHcclTestText } from '../../src/import/hccl-test-text.js';
import { ImportSyntaxError } from '../../src/import/imported-block.js';
import { readMamfFinderLog } from '../../src/import/mamf-finder-log.js';
import { readNvbandwidthJson, readNvbandwidthText } from '../../src/import/nvbandwidth.js';

const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, '../fixtures/import', name), 'utf8');

/** The ImportSyntaxError a read throws, for its line and problem. */
function syntaxError(read: () => unknown): ImportSyntaxError {
  try {
    read();
  } catch (e) {
    if (e instanceof ImportSyntaxError) return e;
    throw e;
  }
  throw new Error('expected an ImportSyntaxError');
}

describe('hccl_test text', () => {
  it("the user guide's 8-NPU all_reduce: ranks, dtype and collective from the mpirun line, 14 rows, avg_time header", () => {
    const [block, ...rest] = readHcclTestText(fixture('hccl_test-guide-allreduce-8npu.txt'));
    expect(rest).toEqual([]);
    expect(block!.source).toMatchObject({ tool: 'hccl_test', format: 'text', ranks: 8, commandLine: 'mpirun -n 8 ./bin/all_reduce_test -b 8K -e 64M -f 2 -d fp32 -o sum -p 8' });
    expect(block!.source.settings).toEqual({ minbytes: '8192', maxbytes: '67108864', iters: '20', warmup_iters: '5' });
    expect(block!.records).toHaveLength(14);
    expect(block!.records[0]).toEqual({
      kind: 'collective',
      collective: 'all_reduce',
      dtype: 'fp32',
      bytes: 8192,
      outOfPlace: { timeUs: 764.55, algbwGBps: 0.00998, busbwGBps: null, wrong: null, check: 'success' },
      line: 5,
    });
    expect(block!.records.at(-1)).toMatchObject({ bytes: 67108864, outOfPlace: { timeUs: 2630.2, algbwGBps: 23.76245 }, line: 18 });
  });

  it('a 16-rank run in the hccl-vm simulator: the mpirun line continued over three lines, aveg_time header', () => {
    const [block] = readHcclTestText(fixture('hccl_test-vm-allreduce-16ranks.txt'));
    expect(block!.source.ranks).toBe(16);
    expect(block!.source.commandLine).toContain('all_reduce_test -b 2097152 -e 2097152 -d fp32');
    expect(block!.records).toEqual([
      {
        kind: 'collective',
        collective: 'all_reduce',
        dtype: 'fp32',
        bytes: 2097152,
        outOfPlace: { timeUs: 1000, algbwGBps: 2.09715, busbwGBps: null, wrong: null, check: 'success' },
        line: 11,
      },
    ]);
  });

  it('without a command line: no ranks, collective and dtype unknown; failed and NULL checks kept', () => {
    const text = ['data_size(Bytes): | aveg_time(us): | alg_bandwidth(GB/s): | check_result:', '64 | 12.50 | 0.00512 | failed', '128 | 13.00 | 0.00985 | NULL'].join('\n');
    const [block] = readHcclTestText(text);
    expect(block!.source.ranks).toBeUndefined();
    expect(block!.records.map((r) => r.kind === 'collective' && [r.collective, r.dtype, r.outOfPlace.check])).toEqual([
      ['unknown', 'unknown', 'failed'],
      ['unknown', 'unknown', 'NULL'],
    ]);
  });

  const header = 'data_size(Bytes): | aveg_time(us): | alg_bandwidth(GB/s): | check_result:';
  it.each([
    ['a row with fewer columns', `${header}\n8192 | 764.55 | 0.00998`, 2, /expected 4/],
    ['a negative time', `${header}\n8192 | -764.55 | 0.00998 | success`, 2, /aveg_time -764.55 is negative/],
    ['a non-numeric bandwidth', `${header}\n8192 | 764.55 | fast | success`, 2, /alg_bandwidth 'fast' is not a number/],
    ['an unknown check result', `${header}\n\n8192 | 764.55 | 0.00998 | maybe`, 3, /check_result 'maybe'/],
    ['no header at all', '8192 | 764.55 | 0.00998 | success', 1, /no 'data_size/],
  ])('refuses %s', (_what, text, line, problem) => {
    const e = syntaxError(() => readHcclTestText(text));
    expect(e.line).toBe(line);
    expect(e.problem).toMatch(problem);
  });
});

describe('mamf-finder log', () => {
  it('August 2024 (GH200): the one-line summary, a max with its shape and the shapes tried, the header', () => {
    const block = readMamfFinderLog(fixture('mamf-finder-2024-08-gh200.log'));
    expect(block.source).toMatchObject({
      tool: 'mamf-finder',
      format: 'log',
      commandLine: '/usr/bin/python ./mamf-finder.py --m_range 0 20480 256 --n_range 0 20480 256 --k_range 0 20480 256 --output_file=2024-08-09-04:29:13.txt',
      software: { torch: '2.4.0a0+f70bd71a48.nv24.06', cuda: '12.5' },
      devices: [{ name: 'NVIDIA GH200 480GB' }],
    });
    expect(block.records).toEqual([
      { kind: 'matmul', dtype: 'torch.bfloat16', statistic: 'max', tflops: 821, shape: { m: 11264, n: 19712, k: 1536 }, shapesTried: 493039, line: 16 },
    ]);
  });

  it('every log read with CRLF line ends (saved on Windows, pasted from a browser) gives the same records', () => {
    for (const name of ['mamf-finder-2024-08-gh200.log', 'mamf-finder-2025-01-strix-halo-docker.log', 'mamf-finder-2025-05-geomean-ai-max-390.log', 'mamf-finder-2025-10-arith-geomean-8060s.log']) {
      const lf = readMamfFinderLog(fixture(name));
      const crlf = readMamfFinderLog(fixture(name).replace(/\n/g, '\r\n'));
      expect(crlf.records).toEqual(lf.records);
      expect(crlf.source).toEqual(lf.source);
    }
  });

  it('January 2025 (Strix Halo in docker): Tried N shapes with mean, median and max, each with its shape', () => {
    const block = readMamfFinderLog(fixture('mamf-finder-2025-01-strix-halo-docker.log'));
    expect(block.source.version).toBe('2');
    expect(block.source.software).toEqual({ torch: '2.6.0a0+git90b83a9', hip: '6.4.43480-9f04e2822' });
    expect(block.source.devices).toEqual([{ name: 'AMD Radeon Graphics' }]);
    expect(block.records).toEqual([
      { kind: 'matmul', dtype: 'torch.bfloat16', statistic: 'mean', tflops: 35.1, shape: { m: 15360, n: 3072, k: 1024 }, shapesTried: 3375, line: 34 },
      { kind: 'matmul', dtype: 'torch.bfloat16', statistic: 'median', tflops: 35.1, shape: { m: 15360, n: 3072, k: 1024 }, shapesTried: 3375, line: 35 },
      { kind: 'matmul', dtype: 'torch.bfloat16', statistic: 'max', tflops: 36.9, shape: { m: 6144, n: 3072, k: 3072 }, shapesTried: 3375, line: 36 },
    ]);
  });

  it('2025 with geomean (AI MAX 390, interrupted): the geomean over every shape, without a shape', () => {
    const block = readMamfFinderLog(fixture('mamf-finder-2025-05-geomean-ai-max-390.log'));
    expect(block.records.map((r) => r.kind === 'matmul' && [r.statistic, r.tflops, r.line])).toEqual([
      ['mean', 22.3, 20],
      ['median', 22.3, 21],
      ['max', 22.9, 22],
      ['geomean', 16.5, 24],
    ]);
    expect(block.records[3]).not.toHaveProperty('shape');
  });

  it("October 2025 on ('- ' items): arithmetic and geometric mean over the shapes; the command line without its heading", () => {
    const block = readMamfFinderLog(fixture('mamf-finder-2025-10-arith-geomean-8060s.log'));
    expect(block.source.commandLine).toMatch(/^python mamf-finder.py --dtype float16/);
    expect(block.source.settings).toMatchObject({ PYTORCH_TUNABLEOP_ENABLED: '1', 'benchmark version': '2' });
    expect(block.source.devices).toEqual([{ name: 'Radeon 8060S Graphics' }]);
    expect(block.records).toEqual([
      { kind: 'matmul', dtype: 'torch.float16', statistic: 'mean', tflops: 32.3, shapesTried: 79, line: 20 },
      { kind: 'matmul', dtype: 'torch.float16', statistic: 'geomean', tflops: 31.9, shapesTried: 79, line: 21 },
    ]);
  });

  it('December 2024: max and median on one line; a (MxKxN) label puts the numbers in that order', () => {
    const text = ['** Dtype: torch.bfloat16', 'The best outcome was 5.1(max)/5.0(median) TFLOPS @ 1024x2048x4096 (MxKxN) (tried 8 shapes)'].join('\n');
    expect(readMamfFinderLog(text).records).toEqual([
      { kind: 'matmul', dtype: 'torch.bfloat16', statistic: 'max', tflops: 5.1, shape: { m: 1024, n: 4096, k: 2048 }, shapesTried: 8, line: 2 },
      { kind: 'matmul', dtype: 'torch.bfloat16', statistic: 'median', tflops: 5, shape: { m: 1024, n: 4096, k: 2048 }, shapesTried: 8, line: 2 },
    ]);
  });

  it("May 2024's first version: 'MxNxK: ' before the shape, a whole number and no count of shapes", () => {
    const text = ['** Dtype: torch.bfloat16', 'The best outcome was 281TFLOPS @ MxNxK: 4096x4096x8192'].join('\n');
    expect(readMamfFinderLog(text).records).toEqual([
      { kind: 'matmul', dtype: 'torch.bfloat16', statistic: 'max', tflops: 281, shape: { m: 4096, n: 4096, k: 8192 }, line: 2 },
    ]);
  });

  const head = '** Dtype: torch.bfloat16\n\nTried 3 shapes => the best outcomes were:';
  it.each([
    ['a truncated summary', `${head}\nmean:   21.6 TFLOPS @ 19200x4096x4096 (MxNxK)`, 4, /ends after 1 of its lines/],
    ['a non-numeric figure', `${head}\nmean:   lots TFLOPS @ 19200x4096x4096 (MxNxK)`, 4, /'lots' is not a number/],
    ['a negative figure', `${head}\nmean:   -21.6 TFLOPS @ 19200x4096x4096 (MxNxK)`, 4, /negative/],
    ['a summary line without its shape', `${head}\nmean:   21.6 TFLOPS`, 4, /is not 'mean:\|median:\|max:/],
    ['no header at all', 'The best outcome was 821.0TFLOPS @ 11264x19712x1536 (MxNxK) (tried 493039 shapes)', 1, /no '\*\* Dtype:'/],
    ['no summary', '** Dtype: torch.bfloat16\n\nWarming up the accelerator for 30 secs ... ', 3, /no summary/],
  ])('refuses %s', (_what, text, line, problem) => {
    const e = syntaxError(() => readMamfFinderLog(text));
    expect(e.line).toBe(line);
    expect(e.problem).toMatch(problem);
  });
});

describe('nvbandwidth', () => {
  it('v0.5 text (A10): versions, the device, one cell and the SUM', () => {
    const block = readNvbandwidthText(fixture('nvbandwidth-v0.5-a10-h2d.txt'));
    expect(block.source).toMatchObject({
      tool: 'nvbandwidth',
      version: 'v0.5',
      format: 'text',
      software: { git: 'v0.5-1-g4da7d7e', 'cuda runtime': '12040', 'cuda driver': '12040', driver: '550.54.15' },
      devices: [{ name: 'NVIDIA A10', index: 0 }],
    });
    expect(block.records).toEqual([
      { kind: 'copy', testcase: 'host_to_device_memcpy_ce', statistic: 'pair', from: '0', to: '0', GBps: 25.17, line: 17 },
      { kind: 'copy', testcase: 'host_to_device_memcpy_ce', statistic: 'sum', GBps: 25.17, line: 19 },
    ]);
  });

  it('v0.10.0 text (7 GPUs): N/A diagonals skipped, sub-matrices named by their SUM keys', () => {
    const block = readNvbandwidthText(fixture('nvbandwidth-v0.10.0-7gpu.txt'));
    expect(block.source.version).toBe('v0.10.0');
    expect(block.source.software['cuda runtime']).toBe('13.3 (13030)');
    const sums = block.records.filter((r) => r.kind === 'copy' && r.statistic === 'sum');
    expect(sums.map((r) => r.kind === 'copy' && [r.testcase, r.GBps])).toEqual([
      ['host_to_device_memcpy_ce', 389.15],
      ['device_to_host_memcpy_ce', 399.86],
      ['host_to_device_bidirectional_memcpy_ce', 359.96],
      ['device_to_host_bidirectional_memcpy_ce', 340.6],
      ['device_to_device_memcpy_read_ce', 32140.19],
      ['device_to_device_memcpy_write_ce', 32521.5],
      ['device_to_device_bidirectional_memcpy_read_ce_read1', 31945.78],
      ['device_to_device_bidirectional_memcpy_read_ce_read2', 31924.12],
      ['device_to_device_bidirectional_memcpy_read_ce_total', 63869.9],
    ]);
    const read = block.records.filter((r) => r.kind === 'copy' && r.statistic === 'pair' && r.testcase === 'device_to_device_memcpy_read_ce');
    expect(read).toHaveLength(42); // 7 x 7 less the diagonal's N/A
    expect(read[0]).toEqual({ kind: 'copy', testcase: 'device_to_device_memcpy_read_ce', statistic: 'pair', from: '0', to: '1', GBps: 764.71, line: 43 });
  });

  it('v0.5 JSON (DCGM test input): passed bandwidth testcases only, waived and latency ones left out', () => {
    const block = readNvbandwidthJson(fixture('nvbandwidth-v0.5-json-dcgm.json'));
    expect(block.source).toMatchObject({ version: 'v0.5', format: 'json', software: { 'cuda runtime': '12070', driver: '565.02' } });
    const sums = block.records.filter((r) => r.kind === 'copy' && r.statistic === 'sum');
    expect(sums).toHaveLength(14); // 8 CE and 6 SM testcases passed
    expect(block.records.slice(0, 2)).toEqual([
      { kind: 'copy', testcase: 'host_to_device_memcpy_ce', statistic: 'pair', from: '0', to: '0', GBps: 12.3964, line: 12 },
      { kind: 'copy', testcase: 'host_to_device_memcpy_ce', statistic: 'sum', GBps: 12.396361291250001, line: 22 },
    ]);
    expect(block.records.some((r) => r.kind === 'copy' && r.testcase === 'host_device_latency_sm')).toBe(false);
  });

  const h2d = ['Running host_to_device_memcpy_ce.', 'memcpy CE CPU(row) -> GPU(column) bandwidth (GB/s)', '           0         1'];
  it.each([
    ['a row with fewer columns', [...h2d, ' 0     25.17', '', 'SUM host_to_device_memcpy_ce 25.17'], 4, /has 1 values; expected 2/],
    ['a non-numeric cell', [...h2d, ' 0     25.17    fast', '', 'SUM host_to_device_memcpy_ce 25.17'], 4, /'fast' is not a number/],
    ['a negative SUM', [...h2d, ' 0     25.17    25.10', '', 'SUM host_to_device_memcpy_ce -50.27'], 6, /negative/],
    ['a matrix without its SUM', [...h2d, ' 0     25.17    25.10'], 4, /ends inside the matrix/],
    ['no testcase at all', ['nvbandwidth Version: v0.5'], 1, /no 'Running/],
  ])('text: refuses %s', (_what, lines, line, problem) => {
    const e = syntaxError(() => readNvbandwidthText(lines.join('\n')));
    expect(e.line).toBe(line);
    expect(e.problem).toMatch(problem);
  });

  it.each([
    ['text that is not JSON', 'Running host_to_device_memcpy_ce.', 1, /no JSON object/],
    ['JSON that does not parse', '{\n "nvbandwidth" : {\n "testcases" : [ }\n}', 3, /does not parse/],
    ['JSON without testcases', '{ "nvbandwidth" : {} }', 1, /no nvbandwidth.testcases/],
    ['a cell that is not a number', '{ "nvbandwidth" : { "testcases" : [\n{ "name" : "h2d", "status" : "Passed", "bandwidth_description" : "memcpy CE CPU(row) -> GPU(column) bandwidth (GB/s)",\n "bandwidth_matrix" : [ [ "x" ] ], "sum" : 1 } ] } }', 3, /'x' is not a number/],
  ])('JSON: refuses %s', (_what, text, line, problem) => {
    const e = syntaxError(() => readNvbandwidthJson(text));
    expect(e.line).toBe(line);
    expect(e.problem).toMatch(problem);
  });
});
