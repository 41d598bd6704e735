/**
 * nccl-tests' JSON and rccl-tests' JSON and CSV files read into ImportedBlock (test/fixtures/import/): every figure
 * of a fixture's row, the source (ranks, devices, hosts, NCCL version, settings), in- and out-of-place merged into
 * one record per size, each writer version's keys, and the garbled inputs each reader refuses, with their line.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportSyntaxError, type CollectiveRecord, type ImportedBlock } from '../../src/import/imported-block.js';
import { readNcclTestsJson } from '../../src/import/nccl-tests-json.js';
import { readRcclTestsCsv, readRcclTestsJson } from '../../src/import/rccl-tests-files.js';

const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, '../fixtures/import', name), 'utf8');
const records = (block: ImportedBlock | undefined) => block!.records as CollectiveRecord[];

/** The error a reader throws, for its line and problem. */
function refusal(read: () => unknown): ImportSyntaxError {
  try {
    read();
  } catch (e) {
    if (e instanceof ImportSyntaxError) return e;
    throw e;
  }
  throw new Error('the reader accepted the input');
}

/** A pretty-printed nccl-tests JSON document (people paste them so), one result per object, for line numbers. */
const ncclDoc = (version: number, results: string[], footer = '"average_bus_bandwidth":{"bandwidth":1.5,"okay":"unchecked"}') =>
  [
    '{',
    `  "version": ${version},`,
    '  "args": ["/opt/nccl-tests/build/all_gather_perf", "-b", "8", "-e", "16", "-I", "1"],',
    '  "nccl_version": 22803,',
    '  "config": {"nthreads": 1, "ngpus": 2, "per_iter_timing": "true", "devices": [',
    '    {"rank": 0, "group": 0, "pid": 7, "hostname": "node1", "device": 0, "device_hex": "0000:1b:00", "device_info": "NVIDIA H100 80GB HBM3"}',
    '  ]},',
    '  "results": [',
    results.join(',\n'),
    '  ],',
    '  "out_of_bounds": {"count": 0, "okay": "true"},',
    `  ${footer}`,
    '}',
  ].join('\n');

const half = (time: string, nwrong = '0.000000') => `{"time":${time},"alg_bw":0.000040,"bus_bw":0.000020,"nwrong":${nwrong}}`;

describe('nccl-tests JSON', () => {
  it('version 1 (constructed from the 2.18.3 text): 24 records, 16 ranks on 2 hosts, NCCL 2.30.3, the footer', () => {
    const [block, ...rest] = readNcclTestsJson(fixture('nccl-tests-json-v1-constructed-from-2.18.3.json'));
    expect(rest).toEqual([]);
    expect(block!.source).toMatchObject({ tool: 'nccl-tests', format: 'json-v1', ranks: 16, software: { NCCL: '2.30.3' } });
    expect(block!.source.version).toBeUndefined(); // the file names no nccl-tests version
    expect(block!.source.commandLine).toBe('./build/all_reduce_perf -b 1024 -e 8589934592 -f 2 -w 1 -n 20');
    expect(block!.source.settings).toMatchObject({ nthreads: '1', ngpus: '1', minimum_bytes: '1024', iterations: '20', validation: '1', blocking_collectives: 'false' });
    expect(block!.source.hosts).toEqual(['R6KD-CX8aaS-GPU-14', 'R6KD-CX8aaS-GPU-15']);
    expect(block!.source.devices).toHaveLength(16);
    expect(block!.source.devices[9]).toEqual({ name: 'NVIDIA Graphics Device', busId: '0000:09:00', host: 'R6KD-CX8aaS-GPU-15', rank: 9, index: 1 });
    const rows = records(block);
    expect(rows).toHaveLength(24);
    expect(rows[0]).toMatchObject({ bytes: 1024, count: 256, outOfPlace: { timeUs: 61.09, algbwGBps: 0.02, busbwGBps: 0.03, wrong: 0 } });
    expect(rows.at(-1)).toEqual({
      kind: 'collective',
      collective: 'all_reduce',
      dtype: 'float',
      redop: 'sum',
      root: -1,
      bytes: 8589934592,
      count: 2147483648,
      outOfPlace: { timeUs: 459108, algbwGBps: 18.71, busbwGBps: 35.08, wrong: 0 },
      inPlace: { timeUs: 459602, algbwGBps: 18.69, busbwGBps: 35.04, wrong: 0 },
      line: 1, // the writer puts the whole file on one line
    });
    expect(block!.avgBusbwGBps).toBe(17.8413);
    expect(block!.outOfBounds).toEqual({ count: 0, ok: true });
    expect(block!.failures).toEqual([]);
  });

  it('reads a pretty-printed file: each record on its own line, NaN as "nan", nwrong null, padded root, no out-of-place', () => {
    const text = ncclDoc(1, [
      `    {"size":8,"count":1,"type":"float","redop":"none","root":"    -1","out_of_place":${half('"nan"', 'null')},"in_place":${half('12.5', 'null')}}`,
      `    {"size":16,"count":2,"type":"bfloat16","redop":"none","root":"     3","out_of_place":null,"in_place":${half('13.000000')}}`,
    ]);
    const rows = records(readNcclTestsJson(text)[0]);
    expect(rows.map((r) => [r.line, r.collective, r.dtype, r.root])).toEqual([
      [9, 'all_gather', 'float', -1],
      [10, 'all_gather', 'bfloat16', 3],
    ]);
    expect(rows[0]!.outOfPlace).toEqual({ timeUs: null, algbwGBps: 0.00004, busbwGBps: 0.00002, wrong: null });
    expect(rows[0]!.inPlace!.timeUs).toBe(12.5);
    expect(rows[1]!.outOfPlace).toEqual({ timeUs: null, algbwGBps: null, busbwGBps: null, wrong: null });
    expect(rows[1]!.inPlace!.wrong).toBe(0);
  });

  it("2.17.3-2.17.8's misspelt footer ('bandwidith'), and a bare inf that printf wrote for a zero time", () => {
    const text = ncclDoc(1, [`    {"size":8,"count":1,"type":"float","redop":"none","root":"    -1","out_of_place":{"time":0.000000,"alg_bw":inf,"bus_bw":inf,"nwrong":0.000000},"in_place":${half('1.0')}}`], '"average_bus_bandwidith":{"bandwidith":2.25,"okay":"unchecked"}');
    const [block] = readNcclTestsJson(text);
    expect(block!.avgBusbwGBps).toBe(2.25);
    expect(records(block)[0]!.outOfPlace).toEqual({ timeUs: 0, algbwGBps: null, busbwGBps: null, wrong: 0 });
    expect(block!.source).toMatchObject({ format: 'json-v1', ranks: 2, software: { NCCL: '2.28.3' }, hosts: ['node1'] });
  });

  it('versions 2 and 3: every iteration time of -I 1 as iterationsUs, skipped iterations kept', () => {
    const perIter = (skip: string) => `{${skip}"min_us":10.0,"max_us":30.0,"avg_us":20.0,"p50_us":20.0,"p95_us":30.0,"p99_us":30.0,"stdev_us":8.1,"cv_pct":40.8,"times_us":[30.000000,10.000000,20.000000]}`;
    const result = (skip: string) =>
      `    {"size":8,"count":1,"type":"float","redop":"none","root":"    -1","out_of_place":${half('20.0')},"out_of_place_per_iter":${perIter(skip)},"in_place":${half('21.0')},"in_place_per_iter":${perIter(skip)}}`;
    const v2 = readNcclTestsJson(ncclDoc(2, [result('')]))[0]!;
    const v3 = readNcclTestsJson(ncclDoc(3, [result('"skipped_iterations":1,')]))[0]!;
    expect(v2.source.format).toBe('json-v2');
    expect(v3.source.format).toBe('json-v3');
    expect(records(v2)[0]!.outOfPlace.iterationsUs).toEqual([30, 10, 20]);
    expect(records(v3)[0]!.inPlace!.iterationsUs).toEqual([30, 10, 20]);
    expect(v3.source.settings['per_iter_timing']).toBe('true');
  });

  it('refuses truncated JSON, a result without size, a negative time, an unknown type, a boolean that is neither', () => {
    const whole = fixture('nccl-tests-json-v1-constructed-from-2.18.3.json');
    expect(refusal(() => readNcclTestsJson(whole.slice(0, whole.length / 2)))).toMatchObject({ line: 1 });
    const ok = `    {"size":8,"count":1,"type":"float","redop":"none","root":"    -1","out_of_place":${half('1.0')},"in_place":${half('1.0')}}`;
    const noSize = refusal(() => readNcclTestsJson(ncclDoc(1, [ok, ok.replace('"size":8,', '')])));
    expect(noSize.line).toBe(10);
    expect(noSize.problem).toContain('"size"');
    const negative = refusal(() => readNcclTestsJson(ncclDoc(1, [ok.replace('"out_of_place":{"time":1.0', '"out_of_place":{"time":-4.5')])));
    expect(negative).toMatchObject({ line: 9 });
    expect(negative.problem).toContain('negative');
    const dtype = refusal(() => readNcclTestsJson(ncclDoc(1, [ok, ok, ok.replace('"float"', '"float128"')])));
    expect(dtype.line).toBe(11);
    expect(dtype.problem).toContain('float128');
    const flag = refusal(() => readNcclTestsJson(ncclDoc(1, [ok]).replace('"okay": "true"', '"okay": "yes"')));
    expect(flag).toMatchObject({ line: 11 });
    expect(flag.problem).toContain('"true" or "false"');
    const cut = refusal(() => readNcclTestsJson(ncclDoc(1, [ok, ok]).split('\n').slice(0, 10).join('\n')));
    expect(cut.problem).toMatch(/^not JSON/);
  });
});

/** The one real MI300X row both constructed rccl-tests files (the JSON list and the CSV) were built from. */
const MI300X_ROW = {
  kind: 'collective',
  collective: 'all_reduce',
  dtype: 'float',
  redop: 'sum',
  bytes: 8388608,
  outOfPlace: { timeUs: 91.1, algbwGBps: 92.08, busbwGBps: 161.14, wrong: 0 },
  inPlace: { timeUs: 94.94, algbwGBps: 88.36, busbwGBps: 154.63, wrong: 0 },
  line: 2,
};

describe('rccl-tests JSON', () => {
  it('the first writer (one object per line, #wrong): out- and in-place merged per size, 4 GPUs', () => {
    const [block, ...rest] = readRcclTestsJson(fixture('rccl-tests-pr93-allreduce.jsonl'));
    expect(rest).toEqual([]);
    expect(block!.source).toMatchObject({ tool: 'rccl-tests', format: 'json-lines', ranks: 4, settings: { gpus: '4' }, hosts: [], devices: [] });
    const rows = records(block);
    expect(rows.map((r) => [r.line, r.bytes, r.inPlace !== undefined])).toEqual([
      [1, 1024, true],
      [3, 2048, true],
      [5, 4096, false], // the sample's in-place line of 4096 B was cut off
    ]);
    expect(rows[0]).toEqual({
      kind: 'collective',
      collective: 'all_reduce',
      dtype: 'float',
      redop: 'sum',
      bytes: 1024,
      outOfPlace: { timeUs: 19.184150000000002, algbwGBps: 0.05337739748698796, busbwGBps: 0.08006609623048194, wrong: 0 },
      inPlace: { timeUs: 19.897650000000002, algbwGBps: 0.05146336376406259, busbwGBps: 0.07719504564609389, wrong: 0 },
      line: 1,
    });
  });

  it('the JSON list (constructed from the writer): numCycle, wrong, 8 GPUs in one process', () => {
    const [block] = readRcclTestsJson(fixture('rccl-tests-json-list-constructed-mi300x.json'));
    expect(block!.source).toMatchObject({ format: 'json-list', ranks: 8 });
    expect(records(block)).toEqual([MI300X_ROW]);
  });

  it('MPI keys: ranks are processes x gpusPerRank; N/A wrong is null; cycles repeat a size as new records', () => {
    const line = (cycle: number, inPlace: number) =>
      `{"numCycle":${cycle}, "name":"ReduceScatter", "nodes":2, "ranks":16, "ranksPerNode":8, "gpusPerRank":1, "size":4096, "type":"half", "redop":"sum", "inPlace":${inPlace}, "time":30.500000, "algBw":0.134295, "busBw":0.125902, "wrong":"N/A"}`;
    const [block] = readRcclTestsJson([line(0, 0), line(0, 1), line(1, 0), line(1, 1)].join('\n') + '\n');
    expect(block!.source.ranks).toBe(16);
    expect(block!.source.settings).toEqual({ nodes: '2', ranks: '16', ranksPerNode: '8', gpusPerRank: '1' });
    expect(records(block).map((r) => [r.collective, r.dtype, r.line, r.outOfPlace.wrong, r.inPlace?.timeUs])).toEqual([
      ['reduce_scatter', 'half', 1, null, 30.5],
      ['reduce_scatter', 'half', 3, null, 30.5],
    ]);
  });

  it('refuses garbled lines with their line: not JSON, no size, a negative time, inPlace "true", an unknown type', () => {
    const good = '{"#wrong":"0","algBw":1.0,"busBw":1.5,"gpus":4,"inPlace":0,"name":"AllReduce","redop":"sum","size":1024,"time":19.5,"type":"float"}';
    const at = (bad: string) => refusal(() => readRcclTestsJson([good, good.replace('"inPlace":0', '"inPlace":1'), bad].join('\n')));
    expect(at(good.slice(0, 60))).toMatchObject({ line: 3 });
    expect(at(good.replace('"size":1024,', '')).problem).toContain('"size"');
    expect(at(good.replace('"time":19.5', '"time":-19.5'))).toMatchObject({ line: 3 });
    expect(at(good.replace('"inPlace":0', '"inPlace":"true"')).problem).toContain('expected 0 (out-of-place) or 1 (in-place)');
    expect(at(good.replace('"float"', '"float8"'))).toMatchObject({ line: 3 });
    expect(at(good.replace('"size":1024', '"size":"1k"')).problem).toContain('whole number of bytes');
    const list = fixture('rccl-tests-json-list-constructed-mi300x.json');
    expect(refusal(() => readRcclTestsJson(list.replace('"type":"float", "redop":"sum", "inPlace":1', '"type":"fp4", "redop":"sum", "inPlace":1')))).toMatchObject({ line: 3 });
    expect(refusal(() => readRcclTestsJson(list.slice(0, -4))).problem).toMatch(/^not JSON/);
  });
});

describe('rccl-tests CSV', () => {
  it('the clean CSV (constructed from the writer, MPI build): quoted strings, one record, 8 ranks', () => {
    const [block] = readRcclTestsCsv(fixture('rccl-tests-csv-constructed-mi300x.csv'));
    expect(block!.source).toMatchObject({ tool: 'rccl-tests', format: 'csv', ranks: 8, settings: { nodes: '1', ranks: '1', ranksPerNode: '1', gpusPerRank: '8' } });
    expect(records(block)).toEqual([MI300X_ROW]);
  });

  it("the older CSVs: ', ' between cells, and the MPI header that names no 'nodes' its rows carry", () => {
    const first = ['collective, gpus, size, type, redop, inplace, time, algbw, busbw, #wrong', '"AlltoAll", 4, 1024, "float", "none", 0, 19.184150, 0.053377, 0.040033, "N/A"'].join('\n');
    expect(records(readRcclTestsCsv(first)[0])[0]).toMatchObject({ collective: 'alltoall', bytes: 1024, outOfPlace: { timeUs: 19.18415, wrong: null } });
    const mpi = ['collective, ranks, rankspernode, gpusperrank, size, type, redop, inplace, time, algbw, busbw, #wrong', '"AllGather", 2, 16, 8, 2, 2048, "bfloat16", "none", 1, 25.000000, 0.081920, 0.076800, "0"'].join('\n');
    const [block] = readRcclTestsCsv(mpi);
    expect(block!.source.ranks).toBe(32);
    expect(records(block)[0]).toMatchObject({ collective: 'all_gather', dtype: 'bfloat16', bytes: 2048, inPlace: { timeUs: 25, wrong: 0 } });
  });

  it('refuses a row of the wrong width, a negative time, a non-numeric size, an unknown type, an unknown column', () => {
    const csv = fixture('rccl-tests-csv-constructed-mi300x.csv').trimEnd().split('\n');
    const withRow3 = (row: string) => refusal(() => readRcclTestsCsv([csv[0], csv[1], row].join('\n')));
    expect(withRow3(csv[2]!.replace(',94.940000,', ',-94.940000,'))).toMatchObject({ line: 3 });
    expect(withRow3(csv[2]!.replace(',8388608,', ',8MB,')).problem).toContain('size "8MB"');
    expect(withRow3(csv[2]!.replace('"float"', '"tf32"')).problem).toContain('"tf32"');
    expect(withRow3(csv[2]!.replace(',"sum",', ','))).toMatchObject({ line: 3 });
    expect(withRow3(csv[2]!.replace(',1,94.94', ',"true",94.94')).problem).toContain('inPlace');
    expect(refusal(() => readRcclTestsCsv('collective,size,speed\n"AllReduce",8,1'))).toMatchObject({ line: 1 });
  });
});
