/**
 * rccl-tests' result files (`-x FILE -Z json|csv`, ROCm/rccl-tests src/common.cu, class Reporter): one row per
 * size and placement, in-place and out-of-place apart, which these readers merge into one record per size. By version:
 * - first (pull request 93, late 2024): one JSON object per line, keys sorted: `#wrong` ("0" or "N/A", a string),
 *   `algBw`, `busBw`, `gpus` (or, built with MPI, `nodes`, `ranks`, `ranksPerNode`, `gpusPerRank`), `inPlace` (0/1),
 *   `name` (the test's name: "AllReduce"), `redop`, `size`, `time`, `type`; the CSV's header has ", " between names.
 * - then the same lines in the writer's own order with `wrong` for `#wrong`; the MPI CSV header then lacked the
 *   `nodes` its rows carry (one value more than names).
 * - from pull request 140 (mid 2025): a proper JSON list, `numCycle` first (`-N` cycles), and a clean CSV header
 *   `numCycle,collective,nodes,ranks,ranksPerNode,gpusPerRank,size,type,redop,inplace,time,algbw,busbw,#wrong`.
 *   Real CSVs with `numCycle` still have the header without `nodes` (13 names, 14 values a row:
 *   `0,"AllReduce",1,8,8,1,4096,...`; MI355X runs of 2026 in ylerman-dn/amd-dev), so that header outlived the
 *   version before; which build wrote them is not known (the files name none).
 * Strings are quoted in the CSV too ("AllReduce","float"). `ranks` counts processes and `gpusPerRank` the GPUs of
 * each (nThreads x nGpus), so the collective's ranks are their product; without MPI `gpus` is that product alone.
 * `nodes` is no host count: the writer's ranksPerNode is args->nProcs, the processes of the communicator (all of
 * them unless NCCL_TESTS_SPLIT_MASK splits it), and nodes = ranks / ranksPerNode (Reporter::addResult), so a
 * 2-node, 16-rank run writes `1,16,16,1`. No hosts are taken from it; it is kept as the file wrote it, in settings.
 * Times are microseconds and bandwidths 1e9 B/s, as the text output prints them.
 */
import type { CollectiveFigures, CollectiveRecord, ImportedBlock, ImportSource } from './imported-block.js';
import { ImportSyntaxError } from './imported-block.js';
import { bandwidthOf, bytesOf, countOf, dtypeOf, timeOf, wrongOf } from './collective-fields.js';
import { isObject, parseLocatedJson, type JsonValue } from './located-json.js';

/** One row as written: one placement of one size. Keys are the JSON's; a CSV row is mapped onto them. */
interface Row {
  line: number;
  cycle?: number;
  name: string;
  size: number;
  type: string;
  redop?: string;
  inPlace: boolean;
  figures: CollectiveFigures;
  ranks?: number;
  settings: Record<string, string>;
}

/** The test names of nccl-tests' and rccl-tests' testColl structs, as their binaries name them. */
const TEST_NAMES: Record<string, string> = {
  AllReduce: 'all_reduce',
  AllGather: 'all_gather',
  ReduceScatter: 'reduce_scatter',
  Broadcast: 'broadcast',
  Reduce: 'reduce',
  AlltoAll: 'alltoall',
  AlltoAllv: 'alltoallv',
  Gather: 'gather',
  Scatter: 'scatter',
  SendRecv: 'sendrecv',
  HyperCube: 'hypercube',
};

const collectiveOf = (name: string): string => TEST_NAMES[name] ?? name.replace(/_perf(?:_mpi)?$/, '').toLowerCase();

/** inPlace as the writer puts it, 0 or 1 (std::to_string of an int); a string such as "true" is refused. */
function placementOf(value: unknown, line: number): boolean {
  if (value === 0 || value === 1 || value === '0' || value === '1') return Number(value) === 1;
  throw new ImportSyntaxError(line, `inPlace ${JSON.stringify(value)}: expected 0 (out-of-place) or 1 (in-place)`);
}

/** Turns one row's fields (JSON keys, or CSV cells under the JSON's key names) into a Row. */
function rowOf(fields: Record<string, unknown>, line: number): Row {
  for (const key of ['name', 'size', 'type', 'inPlace', 'time', 'algBw', 'busBw']) {
    if (fields[key] === undefined) throw new ImportSyntaxError(line, `a row has no "${key}": expected name, size, type, inPlace, time, algBw, busBw`);
  }
  if (typeof fields['name'] !== 'string' || fields['name'].trim() === '') throw new ImportSyntaxError(line, `name ${JSON.stringify(fields['name'])}: expected the test's name`);
  const wrongKey = '#wrong' in fields ? '#wrong' : 'wrong';
  const row: Row = {
    line,
    name: fields['name'].trim(),
    size: bytesOf(fields['size'], line),
    type: dtypeOf(fields['type'], line),
    inPlace: placementOf(fields['inPlace'], line),
    figures: {
      timeUs: timeOf(fields['time'], line),
      algbwGBps: bandwidthOf(fields['algBw'], line, 'algBw'),
      busbwGBps: bandwidthOf(fields['busBw'], line, 'busBw'),
      wrong: wrongOf(fields[wrongKey], line, wrongKey),
    },
    settings: {},
  };
  const cycle = countOf(fields['numCycle'], line, 'numCycle');
  if (cycle !== undefined) row.cycle = cycle;
  if (typeof fields['redop'] === 'string') row.redop = fields['redop'].trim();
  const processes = countOf(fields['ranks'], line, 'ranks');
  const perProcess = countOf(fields['gpusPerRank'] ?? fields['gpus'], line, 'gpusPerRank');
  if (processes !== undefined || perProcess !== undefined) row.ranks = (processes ?? 1) * (perProcess ?? 1);
  for (const key of ['nodes', 'ranks', 'ranksPerNode', 'gpusPerRank', 'gpus']) if (fields[key] !== undefined) row.settings[key] = String(fields[key]);
  return row;
}

/**
 * One record per size: the out-of-place row and the in-place row of the same cycle, name, type, op and size. A
 * placement seen twice for one key (cycles without numCycle) starts a new record. Order is the file's.
 */
function merge(rows: Row[]): CollectiveRecord[] {
  const records: CollectiveRecord[] = [];
  const open = new Map<string, { rec: CollectiveRecord; has: Set<boolean> }>();
  for (const row of rows) {
    const key = [row.cycle, row.name, row.type, row.redop, row.size].join('|');
    let entry = open.get(key);
    if (!entry || entry.has.has(row.inPlace)) {
      const rec: CollectiveRecord = {
        kind: 'collective',
        collective: collectiveOf(row.name),
        dtype: row.type,
        bytes: row.size,
        outOfPlace: { timeUs: null, algbwGBps: null, busbwGBps: null, wrong: null },
        line: row.line,
      };
      if (row.redop !== undefined) rec.redop = row.redop;
      entry = { rec, has: new Set() };
      open.set(key, entry);
      records.push(rec);
    }
    entry.has.add(row.inPlace);
    if (row.inPlace) entry.rec.inPlace = row.figures;
    else entry.rec.outOfPlace = row.figures;
  }
  return records;
}

/** One block per run of consecutive rows of one test name (a file holds one binary's run, -d all adds types). */
function blocksOf(rows: Row[], format: string): ImportedBlock[] {
  const blocks: ImportedBlock[] = [];
  for (let i = 0; i < rows.length; ) {
    let j = i;
    while (j < rows.length && rows[j]!.name === rows[i]!.name) j++;
    const run = rows.slice(i, j);
    const first = run[0]!;
    const source: ImportSource = { tool: 'rccl-tests', format, software: {}, settings: first.settings, hosts: [], devices: [] };
    if (first.ranks !== undefined) source.ranks = first.ranks;
    blocks.push({ source, records: merge(run), failures: [] });
    i = j;
  }
  return blocks;
}

function jsonRow(value: JsonValue, line: number): Row {
  if (!isObject(value)) throw new ImportSyntaxError(line, 'a row is not an object: expected {name, size, type, inPlace, time, ...}');
  return rowOf(value, line);
}

/** rccl-tests' JSON file: the newer list (`[{...},\n{...}]`) or the older one object per line. */
export function readRcclTestsJson(text: string): ImportedBlock[] {
  const start = text.search(/\S/);
  if (start < 0) throw new ImportSyntaxError(1, 'the file is empty: expected rccl-tests JSON rows');
  if (text[start] === '[') {
    const json = parseLocatedJson(text);
    if (!Array.isArray(json.value)) throw new ImportSyntaxError(1, 'not a JSON list: expected [ {name, size, ...}, ... ]');
    return blocksOf(json.value.map((v) => jsonRow(v, json.lineOf(v))), 'json-list');
  }
  const rows: Row[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    rows.push(jsonRow(parseLocatedJson(raw, i + 1).value, i + 1));
  });
  return blocksOf(rows, 'json-lines');
}

/** The CSV header's names (either version, any case) mapped onto the JSON's keys. */
const CSV_KEYS: Record<string, string> = {
  numcycle: 'numCycle',
  collective: 'name',
  name: 'name',
  nodes: 'nodes',
  ranks: 'ranks',
  rankspernode: 'ranksPerNode',
  gpusperrank: 'gpusPerRank',
  gpus: 'gpus',
  size: 'size',
  type: 'type',
  redop: 'redop',
  inplace: 'inPlace',
  time: 'time',
  algbw: 'algBw',
  busbw: 'busBw',
  '#wrong': '#wrong',
  wrong: '#wrong',
};

/** Cells of one line: split at commas, spaces around them dropped, the quotes of a quoted string removed. */
const cells = (line: string): string[] => line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));

function csvKeys(header: string): string[] {
  return cells(header).map((name) => {
    const key = CSV_KEYS[name.toLowerCase()];
    if (!key) throw new ImportSyntaxError(1, `CSV column "${name}" is unknown: expected rccl-tests' header (collective, size, type, ..., #wrong)`);
    return key;
  });
}

/**
 * The keys of a row of `width` values under the header's keys: the header's own, or, for the MPI writer whose header
 * names `ranks,rankspernode,gpusperrank` but no `nodes`, the header's with `nodes` before `ranks`, where the rows
 * carry it (one value more than names: `0,"AllReduce",1,8,8,1,4096,...`, the size the 7th value). Undefined when a
 * row fits neither.
 */
function rowKeys(keys: string[], width: number): string[] | undefined {
  if (width === keys.length) return keys;
  if (width === keys.length + 1 && keys.includes('ranks') && !keys.includes('nodes')) return keys.toSpliced(keys.indexOf('ranks'), 0, 'nodes');
  return undefined;
}

/** The row widths a header takes, for the refusal of a row that fits none. */
const widths = (header: string[]): string => (rowKeys(header, header.length + 1) ? `${header.length}, or ${header.length + 1} with the MPI writer's nodes` : String(header.length));

/** rccl-tests' CSV file: a header, then one line per size and placement. */
export function readRcclTestsCsv(text: string): ImportedBlock[] {
  const lines = text.replace(/\r/g, '').split('\n');
  if (!lines[0]?.trim()) throw new ImportSyntaxError(1, 'no header: expected rccl-tests CSV, starting with its column names');
  const header = csvKeys(lines[0]);
  const rows: Row[] = [];
  lines.forEach((line, i) => {
    if (i === 0 || line.trim() === '') return;
    const values = cells(line);
    const keys = rowKeys(header, values.length);
    if (!keys) throw new ImportSyntaxError(i + 1, `${values.length} values: expected ${widths(header)}, one per column of the header`);
    rows.push(rowOf(Object.fromEntries(keys.map((k, j) => [k, values[j]])), i + 1));
  });
  return blocksOf(rows, 'csv');
}
