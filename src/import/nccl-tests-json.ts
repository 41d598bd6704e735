/**
 * nccl-tests' JSON file (`-J file.json`, NVIDIA/nccl-tests src/util.cu), one file per run of one binary:
 * `{version, start_time, args, env, nccl_version, config: {..., devices}, results: [...], out_of_bounds,
 * average_bus_bandwidth, errors, end_time}`. By JSON file version:
 * - 1 (2.17.3 to 2.19.1): each result `{size, count, type, redop, root, out_of_place, in_place, actual_iterations,
 *   experiment_name}`, each half `{time | cpu_time, alg_bw, bus_bw, nwrong}`. Up to 2.17.8 the footer's keys were
 *   misspelt `average_bus_bandwidith` / `bandwidith` (fixed by commit 85ca91d, in 2.17.9).
 * - 2 (2.19.2 on, with `-I 1`): `out_of_place_per_iter` / `in_place_per_iter` with `times_us`, every iteration's
 *   time in microseconds (the max over processes), and per-process rows.
 * - 3 (2.19.6 on): the per-iteration objects gain `skipped_iterations` (`-K`), and config `per_iter_skip`; the
 *   summary skips them, `times_us` keeps them all.
 * The writer is hand-rolled printf: booleans are the strings "true"/"false", a NaN double is "nan" (an infinite
 * one bare inf), `root` is the text column's "%6i" string ("    -1"), `nwrong` is null with validation off and
 * `out_of_place` null where only in-place ran. `config.devices` holds one entry per process, parsed from the first
 * rank line of each (parseRankInfo), so ranks = processes x nthreads x ngpus. The file names no nccl-tests version
 * and no collective: the collective is the binary in `args[0]`.
 */
import type { CollectiveFigures, CollectiveRecord, ImportedBlock, ImportedDevice, ImportSource } from './imported-block.js';
import { ImportSyntaxError } from './imported-block.js';
import { bandwidthOf, bytesOf, collectiveFromBinary, countOf, dtypeOf, timeOf, wrongOf } from './collective-fields.js';
import { isObject, parseLocatedJson, type JsonObject, type JsonValue, type LocatedJson } from './located-json.js';

/** NCCL_VERSION_CODE as ncclGetVersion gives it: 22803 -> '2.28.3' (2.9 on), 2708 -> '2.7.8' (before). */
function ncclVersionText(code: number): string {
  const [major, rest] = code >= 10000 ? [Math.floor(code / 10000), code % 10000] : [Math.floor(code / 1000), code % 1000];
  return `${major}.${Math.floor(rest / 100)}.${rest % 100}`;
}

/** A boolean as the writer puts it ("true"/"false"), or a real one; anything else is refused. */
function flagOf(value: JsonValue | undefined, line: number, key: string): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new ImportSyntaxError(line, `${key} ${JSON.stringify(value)}: expected "true" or "false"`);
}

function figures(half: JsonObject, line: number, perIter: JsonValue | undefined): CollectiveFigures {
  const timeKey = 'cpu_time' in half ? 'cpu_time' : 'time';
  for (const key of [timeKey, 'alg_bw', 'bus_bw']) {
    if (!(key in half)) throw new ImportSyntaxError(line, `a result half has no "${key}": expected time, alg_bw, bus_bw and nwrong`);
  }
  const out: CollectiveFigures = {
    timeUs: timeOf(half[timeKey], line, timeKey),
    algbwGBps: bandwidthOf(half['alg_bw'], line, 'alg_bw'),
    busbwGBps: bandwidthOf(half['bus_bw'], line, 'bus_bw'),
    wrong: wrongOf(half['nwrong'], line, 'nwrong'),
  };
  if (isObject(perIter) && Array.isArray(perIter['times_us'])) {
    // NaN keeps a "nan" iteration in its place, so index i stays iteration i
    out.iterationsUs = perIter['times_us'].map((t) => timeOf(t, line, 'times_us') ?? NaN);
  }
  return out;
}

const EMPTY: CollectiveFigures = { timeUs: null, algbwGBps: null, busbwGBps: null, wrong: null };

function record(result: JsonValue, collective: string, json: LocatedJson): CollectiveRecord {
  const line = json.lineOf(result);
  if (!isObject(result)) throw new ImportSyntaxError(line, 'a result is not an object: expected {size, count, type, ...}');
  for (const key of ['size', 'type']) {
    if (!(key in result)) throw new ImportSyntaxError(line, `a result has no "${key}": expected size, count, type, redop, root`);
  }
  const oop = result['out_of_place'];
  const ip = result['in_place'];
  if (oop !== null && !isObject(oop)) throw new ImportSyntaxError(line, 'out_of_place is missing or not an object: expected {time, alg_bw, bus_bw, nwrong} or null');
  const rec: CollectiveRecord = {
    kind: 'collective',
    collective,
    dtype: dtypeOf(result['type'], line),
    bytes: bytesOf(result['size'], line),
    outOfPlace: oop === null ? { ...EMPTY } : figures(oop, json.lineOf(oop), result['out_of_place_per_iter']),
    line,
  };
  const count = countOf(result['count'], line, 'count');
  if (count !== undefined) rec.count = count;
  if (typeof result['redop'] === 'string') rec.redop = result['redop'].trim();
  const root = countOf(result['root'], line, 'root'); // "    -1": the text column's padded string
  if (root !== undefined) rec.root = root;
  if (isObject(ip)) rec.inPlace = figures(ip, json.lineOf(ip), result['in_place_per_iter']);
  else if (ip !== undefined && ip !== null) throw new ImportSyntaxError(line, 'in_place is not an object: expected {time, alg_bw, bus_bw, nwrong}');
  return rec;
}

function devicesOf(config: JsonObject): ImportedDevice[] {
  const list = Array.isArray(config['devices']) ? config['devices'] : [];
  return list.filter(isObject).map((d) => {
    const device: ImportedDevice = { name: String(d['device_info'] ?? '') };
    if (typeof d['device_hex'] === 'string') device.busId = d['device_hex'];
    if (typeof d['hostname'] === 'string') device.host = d['hostname'];
    if (typeof d['rank'] === 'number') device.rank = d['rank'];
    if (typeof d['device'] === 'number') device.index = d['device'];
    return device;
  });
}

/** The config's scalars as the settings, under the file's own names (nthreads, ngpus, minimum_bytes, ...). */
function settingsOf(config: JsonObject): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const [key, v] of Object.entries(config)) if (v !== null && typeof v !== 'object') settings[key] = String(v);
  return settings;
}

function sourceOf(doc: JsonObject, version: number, line: number): ImportSource {
  const config = isObject(doc['config']) ? doc['config'] : {};
  const args = Array.isArray(doc['args']) ? doc['args'].map(String) : [];
  const devices = devicesOf(config);
  const source: ImportSource = {
    tool: 'nccl-tests',
    format: `json-v${version}`,
    software: {},
    settings: settingsOf(config),
    hosts: [...new Set(devices.flatMap((d) => (d.host ? [d.host] : [])))],
    devices,
  };
  if (args.length > 0) source.commandLine = args.join(' ');
  if (typeof doc['nccl_version'] === 'number') source.software['NCCL'] = ncclVersionText(doc['nccl_version']);
  const perProcess = (countOf(config['nthreads'], line, 'nthreads') ?? 1) * (countOf(config['ngpus'], line, 'ngpus') ?? 1);
  if (devices.length > 0) source.ranks = devices.length * perProcess;
  return source;
}

/** The footer, under either spelling: 'average_bus_bandwidth'/'bandwidth' or 2.17.3-2.17.8's 'bandwidith'. */
function footer(block: ImportedBlock, doc: JsonObject, json: LocatedJson): void {
  const avg = doc['average_bus_bandwidth'] ?? doc['average_bus_bandwidith'];
  if (isObject(avg)) {
    const bw = bandwidthOf(avg['bandwidth'] ?? avg['bandwidith'], json.lineOf(avg), 'bandwidth');
    if (bw !== null) block.avgBusbwGBps = bw;
  }
  const oob = doc['out_of_bounds'];
  if (isObject(oob)) {
    const line = json.lineOf(oob);
    block.outOfBounds = { count: countOf(oob['count'], line, 'count') ?? 0, ok: flagOf(oob['okay'], line, 'okay') };
  }
  if (Array.isArray(doc['errors'])) block.failures = doc['errors'].filter((e): e is string => typeof e === 'string' && e !== '');
}

/** The one block of an nccl-tests JSON file. */
export function readNcclTestsJson(text: string): ImportedBlock[] {
  const json = parseLocatedJson(text);
  const doc = json.value;
  if (!isObject(doc)) throw new ImportSyntaxError(1, 'not an nccl-tests JSON file: expected an object with version, args, config, results');
  const version = doc['version'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ImportSyntaxError(1, `version ${JSON.stringify(version)}: expected nccl-tests' JSON file version (1, 2, 3)`);
  }
  const args = doc['args'];
  if (!Array.isArray(args) || typeof args[0] !== 'string') throw new ImportSyntaxError(1, 'no args: expected the command line, whose first word names the test binary');
  const collective = collectiveFromBinary(args[0]);
  const results = doc['results'] ?? [];
  if (!Array.isArray(results)) throw new ImportSyntaxError(json.lineOf(results), 'results is not a list: expected [ {size, count, type, ...}, ... ]');
  const block: ImportedBlock = { source: sourceOf(doc, version, 1), records: results.map((r) => record(r, collective, json)), failures: [] };
  footer(block, doc, json);
  return [block];
}
