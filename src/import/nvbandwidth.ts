/**
 * NVIDIA nvbandwidth's output (github.com/NVIDIA/nvbandwidth). Text (output.cpp, inline_common.h): a header
 * (`nvbandwidth Version: v0.5`, `CUDA Runtime Version: 12040`, `Driver Version: 550.54.15`, `Device 0: NAME`), then
 * per testcase `Running <testcase>.`, a description such as `memcpy CE CPU(row) -> GPU(column) bandwidth (GB/s)`,
 * a matrix (column labels, then a row label and one value or N/A per column) and `SUM <key> <value>`; bidirectional
 * device tests print several matrices, each with its own key (`..._read1`, `..._total`), and v0.10 adds a
 * `COEFFICIENT_OF_VARIATION` line. With -j the same results come as one JSON object (json_output.cpp):
 * nvbandwidth.testcases[] with name, status, bandwidth_description, bandwidth_matrix (strings) and sum.
 * Latency testcases (ns) are not copies and are left out. Every figure is GB/s, 1e9 bytes per second.
 */
import { ImportSyntaxError, type CopyRecord, type ImportedBlock, type ImportSource } from './imported-block.js';

/** Only matrices of copy bandwidth in GB/s give copy records. */
const BANDWIDTH = /bandwidth\s*\(GB\/s\)/;

function emptySource(format: string): ImportSource {
  return { tool: 'nvbandwidth', format, software: {}, settings: {}, hosts: [], devices: [] };
}

/** A bandwidth as printed, or the error naming it. */
function gbps(token: string, what: string, line: number): number {
  const n = Number(token);
  if (token === '' || !Number.isFinite(n)) throw new ImportSyntaxError(line, `${what} '${token}' is not a number`);
  if (n < 0) throw new ImportSyntaxError(line, `${what} ${token} is negative; expected a bandwidth >= 0 GB/s`);
  return n;
}

interface Matrix {
  testcase: string;
  bandwidth: boolean;
  columns?: string[];
  cells: CopyRecord[];
  line: number;
}

/** The header's versions and devices into the source. */
function readHeader(line: string, source: ImportSource): boolean {
  let m: RegExpExecArray | null;
  if ((m = /^nvbandwidth Version:\s*(\S+)/.exec(line))) source.version = m[1]!;
  else if ((m = /^Built from Git version:\s*(\S+)/.exec(line))) source.software['git'] = m[1]!;
  else if ((m = /^CUDA Runtime Version:\s*(.+)$/.exec(line))) source.software['cuda runtime'] = m[1]!.trim();
  else if ((m = /^CUDA Driver Version(?: \(API\))?:\s*(.+)$/.exec(line))) source.software['cuda driver'] = m[1]!.trim();
  else if ((m = /^Driver Version:\s*(.+)$/.exec(line))) source.software['driver'] = m[1]!.trim();
  else if ((m = /^Device (\d+): (.+?)(?: \(([0-9a-f]+:[0-9a-f]+:[0-9a-f]+)\))?\s*$/.exec(line))) {
    source.devices.push({ name: m[2]!, index: Number(m[1]), ...(m[3] ? { busId: m[3] } : {}) });
  } else return false;
  return true;
}

/** One row of a matrix: its label and a value or N/A per column; N/A cells give no record. */
function readRow(matrix: Matrix, tokens: string[], line: number): void {
  const columns = matrix.columns!;
  if (tokens.length !== columns.length + 1) {
    throw new ImportSyntaxError(line, `matrix row has ${tokens.length - 1} values; expected ${columns.length}, one per column`);
  }
  const [from, ...values] = tokens;
  values.forEach((token, i) => {
    if (token === 'N/A') return;
    const value = gbps(token, 'bandwidth', line);
    if (matrix.bandwidth) matrix.cells.push({ kind: 'copy', testcase: matrix.testcase, statistic: 'pair', from: from!, to: columns[i]!, GBps: value, line });
  });
}

/**
 * The one block of nvbandwidth's text output: per matrix a 'sum' record (the SUM line) and a 'pair' record per
 * cell, named by the SUM line's key. Throws ImportSyntaxError on a text with no `Running <testcase>.` line, a
 * matrix without its SUM line, a row of the wrong width, or a value that is not a number.
 */
export function readNvbandwidthText(text: string): ImportedBlock {
  const source = emptySource('text');
  const records: CopyRecord[] = [];
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  let testcase: string | undefined;
  let matrix: Matrix | undefined;
  lines.forEach((line, i) => {
    const n = i + 1;
    const trimmed = line.trim();
    let m: RegExpExecArray | null;
    if (readHeader(trimmed, source)) return;
    if ((m = /^Running (\S+?)\.?$/.exec(trimmed))) {
      if (matrix) throw new ImportSyntaxError(matrix.line, `matrix of ${matrix.testcase} has no SUM line; expected 'SUM ${matrix.testcase} <GB/s>'`);
      testcase = m[1]!;
    } else if ((m = /^SUM (\S+)(?:\s+(\S+))?$/.exec(trimmed))) {
      if (m[2] === undefined) throw new ImportSyntaxError(n, `SUM line has no value; expected 'SUM ${m[1]} <GB/s>'`);
      const value = gbps(m[2], 'SUM', n);
      if (matrix?.bandwidth) records.push(...matrix.cells.map((c) => ({ ...c, testcase: m![1]! })), { kind: 'copy', testcase: m[1]!, statistic: 'sum', GBps: value, line: n });
      matrix = undefined;
    } else if (testcase && /\((?:row|column)\)/.test(trimmed)) {
      if (matrix) throw new ImportSyntaxError(matrix.line, `matrix of ${matrix.testcase} has no SUM line; expected 'SUM ${matrix.testcase} <GB/s>'`);
      matrix = { testcase, bandwidth: BANDWIDTH.test(trimmed), cells: [], line: n };
    } else if (matrix && trimmed !== '') {
      const tokens = trimmed.split(/\s+/);
      if (matrix.columns === undefined) matrix.columns = tokens;
      else readRow(matrix, tokens, n);
    }
  });
  if (matrix) throw new ImportSyntaxError(lines.length, `output ends inside the matrix of ${matrix.testcase}; expected 'SUM ${matrix.testcase} <GB/s>'`);
  if (testcase === undefined) throw new ImportSyntaxError(1, "no 'Running <testcase>.' line; not nvbandwidth output");
  return { source, records, failures: [] };
}

interface JsonTestcase {
  name?: unknown;
  status?: unknown;
  bandwidth_description?: unknown;
  bandwidth_matrix?: unknown;
  sum?: unknown;
}

/** The 1-based line of the first `"key" : value` at or after a line, for records' line numbers. */
function lineOf(lines: string[], pattern: RegExp, from: number): number {
  for (let i = Math.max(0, from - 1); i < lines.length; i++) if (pattern.test(lines[i]!)) return i + 1;
  return from;
}

/** One testcase of the JSON: its sum and cells; waived and latency testcases give nothing. */
function jsonTestcase(tc: JsonTestcase, lines: string[], at: number): CopyRecord[] {
  const name = String(tc.name);
  if (tc.status !== 'Passed' || typeof tc.bandwidth_description !== 'string' || !BANDWIDTH.test(tc.bandwidth_description)) return [];
  const sumLine = lineOf(lines, /"sum"\s*:/, at);
  const matrixLine = lineOf(lines, /"bandwidth_matrix"\s*:/, at);
  if (typeof tc.sum !== 'number') throw new ImportSyntaxError(sumLine, `testcase ${name} has no numeric "sum"; expected GB/s`);
  if (!Array.isArray(tc.bandwidth_matrix)) throw new ImportSyntaxError(matrixLine, `testcase ${name} has no "bandwidth_matrix" array`);
  const cells: CopyRecord[] = [];
  tc.bandwidth_matrix.forEach((row: unknown, r) => {
    if (!Array.isArray(row)) throw new ImportSyntaxError(matrixLine, `row ${r} of ${name}'s bandwidth_matrix is not an array`);
    row.forEach((cell: unknown, c) => {
      if (cell === 'N/A') return;
      const value = gbps(String(cell), 'bandwidth', matrixLine);
      cells.push({ kind: 'copy', testcase: name, statistic: 'pair', from: String(r), to: String(c), GBps: value, line: matrixLine });
    });
  });
  return [...cells, { kind: 'copy', testcase: name, statistic: 'sum', GBps: gbps(String(tc.sum), 'sum', sumLine), line: sumLine }];
}

/** Whether a prefix of a JSON text is merely cut short, rather than wrong. */
function onlyCutShort(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (e) {
    const message = (e as Error).message;
    const at = /at position (\d+)/.exec(message);
    return /end of (?:JSON )?(?:input|data)|Unterminated string/i.test(message) || (at !== null && Number(at[1]) >= prefix.length);
  }
}

/**
 * Where a JSON text that does not parse goes wrong: the shortest prefix that is wrong rather than cut short. Node's
 * messages name no position from V8 11 on, so it is searched for (each prefix of the good part is only cut short).
 */
function badPosition(json: string): number {
  let [good, bad] = [0, json.length];
  while (bad - good > 1) {
    const mid = (good + bad) >> 1;
    if (onlyCutShort(json.slice(0, mid))) good = mid;
    else bad = mid;
  }
  return bad;
}

/**
 * The one block of nvbandwidth's -j output. Text before or after the object (warnings on the same stream) is
 * skipped. Throws ImportSyntaxError where there is no JSON object, it does not parse, or it has no
 * nvbandwidth.testcases array.
 */
export function readNvbandwidthJson(text: string): ImportedBlock {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end < start) throw new ImportSyntaxError(1, 'no JSON object; expected the output of nvbandwidth -j');
  const offset = text.slice(0, start).split('\n').length - 1;
  let root: unknown;
  try {
    root = JSON.parse(text.slice(start, end + 1));
  } catch (e) {
    const json = text.slice(start, end + 1);
    const line = offset + json.slice(0, badPosition(json)).split('\n').length;
    throw new ImportSyntaxError(line, `JSON does not parse (${(e as Error).message.split('\n')[0]})`);
  }
  const nvb = (root as { nvbandwidth?: Record<string, unknown> }).nvbandwidth;
  if (!nvb || !Array.isArray(nvb['testcases'])) throw new ImportSyntaxError(offset + 1, 'no nvbandwidth.testcases array; not nvbandwidth -j output');
  const source = emptySource('json');
  if (typeof nvb['version'] === 'string') source.version = nvb['version'];
  if (nvb['git_version']) source.software['git'] = String(nvb['git_version']);
  if (nvb['CUDA Runtime Version'] !== undefined) source.software['cuda runtime'] = String(nvb['CUDA Runtime Version']);
  if (nvb['Driver Version'] !== undefined) source.software['driver'] = String(nvb['Driver Version']);
  for (const d of Array.isArray(nvb['GPU Device list']) ? nvb['GPU Device list'] : []) {
    const m = /^(\d+): (.+?)(?: \(([0-9a-f:]+)\))?(?:: \((.+)\))?$/.exec(String(d));
    if (m) source.devices.push({ name: m[2]!, index: Number(m[1]), ...(m[3] ? { busId: m[3] } : {}), ...(m[4] ? { host: m[4] } : {}) });
  }
  const lines = text.split('\n');
  const records: CopyRecord[] = [];
  let at = 1;
  for (const tc of nvb['testcases'] as JsonTestcase[]) {
    at = lineOf(lines, new RegExp(`"name"\\s*:\\s*"${String(tc.name)}"`), at);
    // the testcase's other keys come before its name (jsoncpp sorts them), so look from its opening brace
    let open = at;
    while (open > 1 && !/^\s*\{\s*$/.test(lines[open - 1]!)) open--;
    records.push(...jsonTestcase(tc, lines, open));
  }
  return { source, records, failures: [] };
}
