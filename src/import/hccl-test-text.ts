/**
 * Huawei hccl_test's text output (CANN toolkit, tools/hccl_test): one header row
 * `data_size(Bytes): | aveg_time(us): | alg_bandwidth(GB/s): | check_result:` (the user guide prints `avg_time`,
 * the binary `aveg_time`) and one `|`-separated row per size. The size is per NPU and the bandwidth is the
 * algorithm bandwidth, size / time in 1e9 bytes per second (HCCL Test guide, 结果说明); there is no bus bandwidth.
 * The output never names the rank count: only a pasted `mpirun -n N ./bin/all_reduce_test ...` line says it.
 */
import { ImportSyntaxError, type CollectiveRecord, type ImportedBlock } from './imported-block.js';

const HEADER = /^\s*data_size\(Bytes\):\s*\|\s*a(?:ve|v)g_time\(us\):\s*\|\s*alg_bandwidth\(GB\/s\):\s*\|\s*check_result:\s*$/;
/** A data row begins with the size, in bytes. */
const ROW_START = /^\s*\d+\s*\|/;
const CHECKS = new Set(['success', 'failed', 'NULL']);
/** The launch line: an MPI launcher and one of the tool's binaries (bin/all_reduce_test, ...). */
const COMMAND = /\bmpirun\b.*?(?:^|[\s/])(\w+)_test(?=\s|$)/;

/** The line hccl_test prints before its table: 'the minbytes is 8192, maxbytes is 67108864, iters is 20, ...'. */
const SETTINGS = /^\s*the minbytes is \d+/;

function parseSettings(line: string): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const m of line.matchAll(/(\w+) is (\S+?)(?:,|$)/g)) settings[m[1]!] = m[2]!;
  return settings;
}

interface Launch {
  commandLine: string;
  collective: string;
  ranks?: number;
  dtype?: string;
  line: number;
}

/** Lines with shell continuations ('\' at the end) joined, each keeping the number of its first line. */
function logicalLines(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const joined = pending ? { text: `${pending.text} ${line.trim()}`, line: pending.line } : { text: line, line: i + 1 };
    if (/\\\s*$/.test(line)) pending = { text: joined.text.replace(/\s*\\\s*$/, ''), line: joined.line };
    else {
      out.push(joined);
      pending = undefined;
    }
  });
  if (pending) out.push(pending);
  return out;
}

/** The mpirun line's rank count (-n/-np N), binary (all_reduce_test -> all_reduce) and data type (-d fp32). */
function parseLaunch(text: string, line: number): Launch | undefined {
  const m = COMMAND.exec(text);
  if (!m) return undefined;
  const commandLine = text.replace(/^[#$]\s*/, '').trim();
  const launch: Launch = { commandLine, collective: m[1]!, line };
  const ranks = /\s-(?:n|np)\s+(\d+)\b/.exec(text.slice(0, m.index + m[0].length));
  if (ranks) launch.ranks = Number(ranks[1]);
  const dtype = /\s-d\s+(\w+)/.exec(text.slice(m.index + m[0].length));
  if (dtype) launch.dtype = dtype[1]!;
  return launch;
}

/** A finite, non-negative number, or the error naming the field. */
function numberField(token: string, name: string, line: number): number {
  const n = Number(token);
  if (token === '' || !Number.isFinite(n)) throw new ImportSyntaxError(line, `${name} '${token}' is not a number`);
  if (n < 0) throw new ImportSyntaxError(line, `${name} ${token} is negative; expected a size, time or bandwidth >= 0`);
  return n;
}

function parseRow(text: string, line: number, dtype: string, collective: string): CollectiveRecord {
  const fields = text.split('|').map((f) => f.trim());
  if (fields.length < 4 || fields.slice(0, 4).some((f) => f === '')) {
    throw new ImportSyntaxError(line, `row has ${fields.filter((f) => f !== '').length} columns; expected 4: data_size | aveg_time | alg_bandwidth | check_result`);
  }
  const check = fields[3]!;
  if (!CHECKS.has(check)) throw new ImportSyntaxError(line, `check_result '${check}' is not success, failed or NULL`);
  return {
    kind: 'collective',
    collective,
    dtype,
    bytes: numberField(fields[0]!, 'data_size', line),
    outOfPlace: {
      timeUs: numberField(fields[1]!, 'aveg_time', line),
      algbwGBps: numberField(fields[2]!, 'alg_bandwidth', line),
      busbwGBps: null,
      wrong: null,
      check,
    },
    line,
  };
}

/**
 * Every table of hccl_test output in a text: one block per header row. Rows take the collective, rank count and data
 * type of the last mpirun line before them; without one the collective and data type are 'unknown' and the ranks
 * absent. A text with no header row, or a row that is not four valid columns, throws ImportSyntaxError.
 */
export function readHcclTestText(text: string): ImportedBlock[] {
  const blocks: ImportedBlock[] = [];
  let launch: Launch | undefined;
  let settings: Record<string, string> = {};
  let block: ImportedBlock | undefined;
  for (const { text: line, line: n } of logicalLines(text)) {
    const found = parseLaunch(line, n);
    if (found) launch = found;
    else if (SETTINGS.test(line)) settings = parseSettings(line);
    else if (HEADER.test(line)) blocks.push((block = newBlock(launch, settings)));
    else if (block && ROW_START.test(line)) block.records.push(parseRow(line, n, launch?.dtype ?? 'unknown', launch?.collective ?? 'unknown'));
    else if (block && /^\s*\d+\s*$/.test(line)) throw new ImportSyntaxError(n, 'row has 1 column; expected 4: data_size | aveg_time | alg_bandwidth | check_result');
  }
  if (blocks.length === 0) throw new ImportSyntaxError(1, "no 'data_size(Bytes): | aveg_time(us): | alg_bandwidth(GB/s): | check_result:' header; not hccl_test output");
  return blocks;
}

function newBlock(launch: Launch | undefined, settings: Record<string, string>): ImportedBlock {
  return {
    source: {
      tool: 'hccl_test',
      format: 'text',
      ...(launch ? { commandLine: launch.commandLine } : {}),
      software: {},
      settings,
      hosts: [],
      ...(launch?.ranks !== undefined ? { ranks: launch.ranks } : {}),
      devices: [],
    },
    records: [],
    failures: [],
  };
}
