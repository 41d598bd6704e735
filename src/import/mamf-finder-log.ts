/**
 * The log of Stas Bekman's mamf-finder.py (stas00/ml-engineering, compute/accelerator/benchmarks), which sweeps
 * matmul shapes and reports TFLOPS = 2 m n k / seconds / 1e12. A header (`** Command line:`, `** Dtype: ...`,
 * `** Platform/Device info:`, `** Critical software versions:`; each item prefixed '- ' from October 2025), then
 * one progress line per shape ended by '\r', then the summary, which changed (git log of mamf-finder.py):
 * - May 2024 (mamaf-bench.py): `The best outcome was 123TFLOPS @ MxNxK: 1x2x3`;
 * - Aug 2024: `The best outcome was 821.0TFLOPS @ 11264x19712x1536 (MxNxK) (tried 493039 shapes)`;
 * - Dec 2024: `The best outcome was 5.1(max)/5.0(median) TFLOPS @ ... (MxNxK) (tried N shapes)`, the median of
 *   the fastest shape;
 * - Jan 2025: `Tried  N shapes => the best outcomes were:` and `max:`/`median:`/`mean:` lines, each the best shape
 *   by that statistic of its iteration times, with its shape (labelled `(MxKxN)` for a few days: then the numbers
 *   are in that order); mid-January a `geomean: X TFLOPS for N shapes in range: ...` line over every shape's mean;
 * - Oct 2025: `Across N shapes in range: ... in this run:` with `arithmetic mean:` and `geometric mean:` lines.
 * mamf-finder prints no matmul time, so `seconds` stays absent.
 */
import { ImportSyntaxError, type ImportedBlock, type MatmulRecord } from './imported-block.js';

type Statistic = MatmulRecord['statistic'];

const NUMBER = String.raw`(\S+?)`;
/** '11264x19712x1536 (MxNxK)' or the first version's 'MxNxK: 1x2x3'; the label says the order of the numbers. */
const SHAPE = String.raw`(?:(\d+)x(\d+)x(\d+)\s*\((Mx[NK]x[NK])\)|(Mx[NK]x[NK]):\s*(\d+)x(\d+)x(\d+))`;
const OLD_SUMMARY = new RegExp(String.raw`^The best outcome was\s+${NUMBER}\s*(?:\(max\)\s*/\s*${NUMBER}\s*\(median\)\s*)?TFLOPS\s*@\s*${SHAPE}?\s*(?:\(tried (\d+) shapes\))?\s*$`);
const TRIED = /^Tried\s+(\d+) shapes => the best outcomes were:\s*$/;
const BEST_LINE = new RegExp(String.raw`^(max|median|mean):\s+${NUMBER}\s+TFLOPS\s*@\s*${SHAPE}\s*$`);
const GEOMEAN = new RegExp(String.raw`^geomean:\s+${NUMBER}\s+TFLOPS for (\d+) shapes in range:`);
const ACROSS = /^Across (\d+) shapes in range: .* in this run:\s*$/;
const ALL_SHAPES_LINE = new RegExp(String.raw`^(arithmetic mean|geometric mean):\s+${NUMBER}\s+TFLOPS\s*$`);

interface Header {
  commandLine?: string;
  dtype?: string;
  software: Record<string, string>;
  settings: Record<string, string>;
  devices: { name: string }[];
}

/** A TFLOPS figure as printed, or the error naming it. */
function tflops(token: string, line: number): number {
  const n = Number(token);
  if (!Number.isFinite(n)) throw new ImportSyntaxError(line, `TFLOPS '${token}' is not a number`);
  if (n < 0) throw new ImportSyntaxError(line, `TFLOPS ${token} is negative; expected a figure >= 0`);
  return n;
}

/** m, n, k from the shape groups of SHAPE (starting at `at`), honouring the printed order label. */
function shapeOf(m: RegExpExecArray, at: number): MatmulRecord['shape'] {
  const [a, b, c, label] = m[at] !== undefined ? [m[at], m[at + 1], m[at + 2], m[at + 3]] : [m[at + 5], m[at + 6], m[at + 7], m[at + 4]];
  if (a === undefined) return undefined;
  const [x, y, z] = [Number(a), Number(b), Number(c)];
  return label === 'MxKxN' ? { m: x, n: z, k: y } : { m: x, n: y, k: z };
}

/** The '- ' of October 2025's header items, and a trailing '\r'. */
const item = (line: string) => line.replace(/\r$/, '').replace(/^- /, '').trim();

/** 'torch=2.4.0', 'hip=6.4.43480-9f04e2822, cuda=None' and 'benchmark version: 2' into name/value pairs. */
function readSoftware(line: string, software: Record<string, string>): void {
  for (const part of item(line).split(/,\s*/)) {
    const m = /^([\w.]+)=(.+)$/.exec(part);
    if (m && m[2] !== 'None') software[m[1]!] = m[2]!;
  }
}

/** The header's sections, keyed by the `** Section:` line each item follows. */
function readHeaderLine(section: string, line: string, header: Header): void {
  const text = item(line);
  if (text === '' || /^-{20,}$/.test(text)) return;
  if (section === 'Command line') header.commandLine ??= text;
  else if (section === 'Platform/Device info') {
    const name = /^_\w*DeviceProperties\(name='([^']+)'/.exec(text);
    if (name) header.devices.push({ name: name[1]! });
    else if (/^Apple Metal/.test(text)) header.devices.push({ name: text });
  } else if (section === 'Critical software versions') readSoftware(text, header.software);
  else if (section === 'Critical environment variables' || section === 'Additional notes') {
    const m = /^([\w ]+?)(?:=|:\s)\s*(.+)$/.exec(text);
    if (m) header.settings[m[1]!] = m[2]!;
  }
}

function record(statistic: Statistic, value: number, line: number, dtype: string, extra: Partial<MatmulRecord> = {}): MatmulRecord {
  return { kind: 'matmul', dtype, statistic, tflops: value, ...extra, line };
}

/** The records of the first version's one-line summary: the max, and from December 2024 the median. */
function oldSummary(m: RegExpExecArray, line: number, dtype: string): MatmulRecord[] {
  const shape = shapeOf(m, 3);
  const tried = m[11] !== undefined ? { shapesTried: Number(m[11]) } : {};
  const extra = { ...(shape ? { shape } : {}), ...tried };
  const out = [record('max', tflops(m[1]!, line), line, dtype, extra)];
  if (m[2] !== undefined) out.push(record('median', tflops(m[2], line), line, dtype, extra));
  return out;
}

/**
 * The one block of a mamf-finder log: a record per statistic the summary prints. A record with a shape is the best
 * shape's figure by that statistic of its iteration times (max, median, mean); one without is over every shape
 * tried (geomean, and October 2025's arithmetic mean as 'mean'). Throws ImportSyntaxError when the log has
 * no `** Dtype:` header or no summary, or when a summary is cut short or holds a figure that is not a number.
 */
export function readMamfFinderLog(text: string): ImportedBlock {
  const header: Header = { software: {}, settings: {}, devices: [] };
  const records: MatmulRecord[] = [];
  const lines = text.split('\n');
  let section = '';
  let expected: { after: number; left: number; what: string } | undefined;
  lines.forEach((raw, i) => {
    const n = i + 1;
    // a progress line ends in '\r' and the summary follows the last one on the same line in a raw log; a lone '\r'
    // at the end is a CRLF line end (a log saved on Windows or pasted from a browser), not a progress line's
    const crlf = raw.endsWith('\r') && raw.indexOf('\r') === raw.length - 1;
    const line = (crlf ? raw.slice(0, -1) : raw).split('\r').at(-1)!.replace(/^\x1b\[K/, '').trimEnd();
    const dtype = header.dtype ?? 'unknown';
    let m: RegExpExecArray | null;
    if ((m = /^\*\* (.+?):\s*(.*)$/.exec(line))) {
      section = m[1]!;
      if (section === 'Dtype') header.dtype = m[2]!.trim();
      return;
    }
    if (expected && expected.left > 0) {
      expected = readExpected(line, n, dtype, expected, records);
      return;
    }
    if (section === '' && /\bmamf-finder\.py\b/.test(line)) header.commandLine ??= line.trim();
    else if ((m = OLD_SUMMARY.exec(line))) records.push(...oldSummary(m, n, dtype));
    else if ((m = TRIED.exec(line))) expected = { after: Number(m[1]), left: 3, what: 'best' };
    else if ((m = GEOMEAN.exec(line))) records.push(record('geomean', tflops(m[1]!, n), n, dtype, { shapesTried: Number(m[2]) }));
    else if ((m = ACROSS.exec(line))) expected = { after: Number(m[1]), left: 2, what: 'all' };
    else if (/^The best outcome was|^(?:max|median|mean|geomean):|^(?:arithmetic|geometric) mean:/.test(line)) {
      throw new ImportSyntaxError(n, `summary line '${line.trim()}' is garbled; expected 'X TFLOPS @ MxNxK (MxNxK)'`);
    } else if (section !== '' && records.length === 0 && !/^(?:Warming up|accelerator warmup|Legend|Elapsed|\s*\d+ \|)/.test(line)) readHeaderLine(section, line, header);
  });
  if (expected && expected.left > 0) throw new ImportSyntaxError(lines.length, `summary ends after ${3 - expected.left} of its lines; expected mean:, median: and max:`);
  if (header.dtype === undefined) throw new ImportSyntaxError(1, "no '** Dtype:' header line; not a mamf-finder log");
  if (records.length === 0) throw new ImportSyntaxError(lines.length, "no summary ('The best outcome was' or 'Tried N shapes => the best outcomes were:'); the run may not have finished");
  return { source: sourceOf(header), records, failures: [] };
}

/** One of the lines a 'Tried N shapes' or 'Across N shapes' summary announced. */
function readExpected(
  line: string,
  n: number,
  dtype: string,
  expected: { after: number; left: number; what: string },
  records: MatmulRecord[],
): { after: number; left: number; what: string } {
  const all = ALL_SHAPES_LINE.exec(line);
  if (expected.what === 'all' && all) {
    const statistic: Statistic = all[1] === 'arithmetic mean' ? 'mean' : 'geomean';
    records.push(record(statistic, tflops(all[2]!, n), n, dtype, { shapesTried: expected.after }));
    return { ...expected, left: expected.left - 1 };
  }
  const best = BEST_LINE.exec(line);
  if (expected.what === 'best' && best) {
    const shape = shapeOf(best, 3);
    records.push(record(best[1] as Statistic, tflops(best[2]!, n), n, dtype, { ...(shape ? { shape } : {}), shapesTried: expected.after }));
    return { ...expected, left: expected.left - 1 };
  }
  const wanted = expected.what === 'best' ? "'mean:|median:|max: X TFLOPS @ MxNxK (MxNxK)'" : "'arithmetic mean: X TFLOPS' or 'geometric mean: X TFLOPS'";
  throw new ImportSyntaxError(n, `summary line '${line.trim()}' is not ${wanted}`);
}

function sourceOf(header: Header): ImportedBlock['source'] {
  const version = header.settings['benchmark version'];
  return {
    tool: 'mamf-finder',
    ...(version !== undefined ? { version } : {}),
    format: 'log',
    ...(header.commandLine !== undefined ? { commandLine: header.commandLine } : {}),
    software: header.software,
    settings: header.settings,
    hosts: [],
    devices: header.devices,
  };
}
