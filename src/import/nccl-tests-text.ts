/**
 * nccl-tests' text output (NVIDIA/nccl-tests; rccl-tests prints the same), read as people paste it: every version
 * in use, through OpenMPI's `[1,0]<stdout>:` prefixes, NCCL INFO lines between the rows, and header lines whose
 * leading '#' was eaten by Markdown. The format, by version (src/common.cu, src/util.cu):
 * - up to 2.12: each collective prints its own header; the fourth column of each half is `error` (a max delta, or
 *   N/A with validation off); all_gather has no `redop`, broadcast and reduce a `root`;
 * - 2.13 on: one header `size count type redop root`, and `#wrong`, a count of wrong elements; rank lines gain
 *   `Group` (2.13.4) and PCI bus ids `[0000:04:00]` (2.14.1);
 * - 2.17 on: `# Collective test starting: X` and `concluded: X`; `# nccl-tests version V` (2.17.4); `-S` adds a
 *   timestamp after the row (2.17.6); `-C 1` names the time column `cputime` (2.19.2).
 * The columns are read by their header's names, not their positions, so a version that adds one keeps the others.
 * The footer's "Avg bus bandwidth" is the mean busbw over every row, in-place and out-of-place: not a peak.
 */

import { ImportSyntaxError, type CollectiveFigures, type CollectiveRecord, type ImportedBlock } from './imported-block.js';

export interface NcclRank {
  rank: number;
  /** absent before 2.13.4 */
  group?: number;
  pid: number;
  host: string;
  /** the device's index on its host */
  device: number;
  /** the PCI bus id as printed: '0x0f' before 2.14.1, '0000:06:00' from it */
  busId: string;
  name: string;
}

/** One half of a row (out-of-place or in-place); null where the tool printed N/A or nothing. */
export interface NcclHalf {
  /** microseconds, of the GPU's time (or of the CPU's, when the column is `cputime`) */
  timeUs: number | null;
  /** 1e9 bytes per second */
  algbwGBps: number | null;
  busbwGBps: number | null;
  /** elements that differ from the expected result (2.13 on); null when validation was off */
  wrong: number | null;
  /** the largest error (before 2.13) */
  error: number | null;
}

export interface NcclRow {
  /** bytes of the whole buffer (for all_gather and reduce_scatter; count is per rank) */
  bytes: number;
  count: number;
  type: string;
  redop?: string;
  root?: number;
  outOfPlace: NcclHalf;
  inPlace: NcclHalf;
  /** what followed the columns, e.g. the timestamp of `-S` */
  trailing?: string;
  /** 1-based line of the input */
  line: number;
}

export interface NcclBlock {
  tool: 'nccl-tests' | 'rccl-tests';
  /** '2.18.3' from '# nccl-tests version', 'develop:a7809b3' from 'rccl-tests: Version'; absent before 2.17.4 */
  version?: string;
  /** 'all_reduce_perf' from '# Collective test starting' (2.17 on) */
  collective?: string;
  /** 'NCCL version 2.30.3+cuda13.0', as NCCL printed it */
  ncclVersion?: string;
  /** the '# nThread ...' line's settings: nThread, nGpus, minBytes, maxBytes, iters, validation, ... */
  settings: Record<string, string>;
  ranks: NcclRank[];
  /** the header's names, e.g. size count type redop root time algbw busbw #wrong time algbw busbw #wrong */
  columns: string[];
  timeColumn: 'time' | 'cputime';
  rows: NcclRow[];
  outOfBounds?: { count: number; ok: boolean };
  /** the footer's mean busbw over every row, GB/s: not a peak */
  avgBusbwGBps?: number;
  /** lines that report a failure ('Test failure common.cu:519', 'Test CUDA failure ...') */
  failures: string[];
}

/** OpenMPI's --tag-output prefix, e.g. '[1,0]<stdout>:'. */
const MPI_PREFIX = /^\[\d+,\d+\]<std(?:out|err)>:\s?/;
const RANK_LINE = /^#?\s*Rank\s+(\d+)\s+(?:Group\s+(\d+)\s+)?Pid\s+(\d+)\s+on\s+(\S+)\s+device\s+(\d+)\s+\[([^\]]+)\]\s+(.*?)\s*$/;
const HEADER_LINE = /^#?\s*size\s+count\s+type\b.*\b(?:cpu)?time\s+algbw\s+busbw\b/;
const DATA_LINE = /^\s*\d+\s+\d+\s+[A-Za-z_]\w*\s/;
const FAILURE = /Test (?:CUDA |HIP |NCCL |RCCL )?failure/;

function newBlock(): NcclBlock {
  return { tool: 'nccl-tests', settings: {}, ranks: [], columns: [], timeColumn: 'time', rows: [], failures: [] };
}

/** The '# nThread 1 nGpus 1 minBytes 8 ... step: 2(factor) warmup iters: 5 ...' line as name/value pairs. */
function parseSettings(line: string): Record<string, string> {
  const settings: Record<string, string> = {};
  const text = line.replace(/^#\s*/, '');
  for (const m of text.matchAll(/([A-Za-z][A-Za-z ]*?):?\s+(-?[\w.()]+)(?=\s|$)/g)) settings[m[1]!.trim()] = m[2]!;
  return settings;
}

const value = (token: string | undefined): number | null => {
  if (token === undefined || token === 'N/A' || token === 'nan' || token === '-') return null;
  const n = Number(token);
  return Number.isFinite(n) ? n : null;
};

/** A figure of a row: a number, or N/A (null); anything else, or a negative time or bandwidth, is garbled input. */
function figure(token: string | undefined, column: string, line: number): number | null {
  const n = value(token);
  if (n === null && token !== undefined && !['N/A', 'nan', '-'].includes(token)) throw new ImportSyntaxError(line, `'${token}' in the ${column} column is not a number`);
  if (n !== null && n < 0 && column !== 'error') throw new ImportSyntaxError(line, `negative ${column} ${token}`);
  return n;
}

/** The names of one half's columns: from the first time column to the one before the second. */
function halfColumns(columns: string[]): { prefix: number; half: string[] } {
  const first = columns.findIndex((c) => c === 'time' || c === 'cputime');
  const second = columns.findIndex((c, i) => i > first && (c === 'time' || c === 'cputime'));
  return { prefix: first, half: columns.slice(first, second > first ? second : undefined) };
}

function halfOf(names: string[], tokens: string[], line: number): NcclHalf {
  const at = (name: string) => {
    const i = names.indexOf(name);
    return i < 0 ? null : figure(tokens[i], name, line);
  };
  return { timeUs: at('time') ?? at('cputime'), algbwGBps: at('algbw'), busbwGBps: at('busbw'), wrong: at('#wrong'), error: at('error') };
}

function parseRow(block: NcclBlock, line: string, lineNumber: number): NcclRow {
  const tokens = line.trim().split(/\s+/);
  const { prefix, half } = halfColumns(block.columns);
  const wanted = prefix + 2 * half.length;
  // before 2.13, alltoall printed its `redop` column blank: the row is one token short, a time where the redop is
  const redopAt = block.columns.indexOf('redop');
  if (tokens.length === wanted - 1 && redopAt >= 0 && redopAt < prefix && value(tokens[redopAt]) !== null) tokens.splice(redopAt, 0, '');
  if (prefix < 0 || tokens.length < wanted) {
    throw new ImportSyntaxError(lineNumber, `a row of ${tokens.length} columns under a header of ${block.columns.length} (${block.columns.join(' ')}): the row is cut short`);
  }
  const head = block.columns.slice(0, prefix);
  const field = (name: string) => tokens[head.indexOf(name)];
  const row: NcclRow = {
    bytes: Number(tokens[0]),
    count: Number(tokens[1]),
    type: tokens[2]!,
    outOfPlace: halfOf(half, tokens.slice(prefix, prefix + half.length), lineNumber),
    inPlace: halfOf(half, tokens.slice(prefix + half.length, prefix + 2 * half.length), lineNumber),
    line: lineNumber,
  };
  if (head.includes('redop') && field('redop') !== '') row.redop = field('redop')!;
  if (head.includes('root')) row.root = Number(field('root'));
  const rest = tokens.slice(prefix + 2 * half.length).join(' ');
  if (rest) row.trailing = rest;
  return row;
}

/** A line as nccl-tests printed it: without MPI's prefix or a carriage return. */
const clean = (line: string) => line.replace(/\r$/, '').replace(MPI_PREFIX, '');

/** Whether a line opens a new block, given the block being read (one that has rows or settings already ends). */
function opensBlock(line: string, block: NcclBlock): boolean {
  if (/^# nccl-tests version /.test(line) || /^# Collective test starting: /.test(line)) return block.rows.length > 0 || block.columns.length > 0 || block.collective !== undefined;
  if (/^#?\s*nThread \d+/.test(line)) return Object.keys(block.settings).length > 0;
  return false;
}

function readLine(block: NcclBlock, line: string, lineNumber: number): void {
  let m: RegExpExecArray | null;
  if ((m = /^# nccl-tests version (\S+)/.exec(line))) block.version = m[1]!;
  else if ((m = /^rccl-tests: Version(?: (\S+))?/.exec(line))) {
    // built outside a git checkout, rccl-tests prints 'Version Unknown' or 'Version :+' (an empty describe): no version
    const v = m[1];
    Object.assign(block, { tool: 'rccl-tests' }, v !== undefined && v !== 'Unknown' && /[0-9A-Za-z]/.test(v.replace(/^[^:]*:/, '')) ? { version: v } : {});
  }
  else if ((m = /^# Collective test starting: (\S+)/.exec(line))) block.collective = m[1]!;
  else if (/^#?\s*nThread \d+/.test(line)) block.settings = parseSettings(line);
  else if ((m = /^(?:R|N)CCL version (\S+)/.exec(line))) block.ncclVersion = line.trim();
  else if ((m = RANK_LINE.exec(line))) {
    block.ranks.push({
      rank: Number(m[1]),
      ...(m[2] !== undefined ? { group: Number(m[2]) } : {}),
      pid: Number(m[3]),
      host: m[4]!,
      device: Number(m[5]),
      busId: m[6]!,
      name: m[7]!,
    });
  } else if (HEADER_LINE.test(line)) {
    block.columns = line.replace(/^#/, '').trim().split(/\s+/);
    block.timeColumn = block.columns.includes('cputime') ? 'cputime' : 'time';
  } else if ((m = /^#?\s*Out of bounds values\s*:\s*(\d+)\s+(OK|FAILED)/.exec(line))) block.outOfBounds = { count: Number(m[1]), ok: m[2] === 'OK' };
  else if ((m = /^#?\s*Avg bus bandwidth\s*:\s*(\S+)/.exec(line))) {
    const avg = value(m[1]);
    if (avg !== null) block.avgBusbwGBps = avg;
  } else if (FAILURE.test(line)) block.failures.push(line.trim());
  else if (DATA_LINE.test(line) && block.columns.length > 0) block.rows.push(parseRow(block, line, lineNumber));
}

/** Every block of nccl-tests or rccl-tests output in a text; blocks without a header or rank are left out. */
export function parseNcclTestsText(text: string): NcclBlock[] {
  const blocks: NcclBlock[] = [];
  let block = newBlock();
  for (const [i, raw] of text.split('\n').entries()) {
    const line = clean(raw);
    if (opensBlock(line, block)) {
      blocks.push(block);
      const carried = block.tool === 'rccl-tests' ? { tool: block.tool } : {};
      block = Object.assign(newBlock(), carried);
    }
    readLine(block, line, i + 1);
  }
  blocks.push(block);
  return blocks.filter((b) => b.columns.length > 0 || b.ranks.length > 0);
}

const half = (h: NcclHalf): CollectiveFigures => ({ timeUs: h.timeUs, algbwGBps: h.algbwGBps, busbwGBps: h.busbwGBps, wrong: h.wrong, ...(h.error !== null ? { maxError: h.error } : {}) });

/** The ranks a block ran on: its rank lines, else nThread x nGpus when the settings say one process ran them all. */
function ranksOf(block: NcclBlock): number | undefined {
  if (block.ranks.length > 0) return block.ranks.length;
  return undefined;
}

/** nccl-tests' (or rccl-tests') text as ImportedBlocks: one per collective the output holds. */
export function readNcclTestsText(text: string): ImportedBlock[] {
  return parseNcclTestsText(text).map((block) => {
    const hosts = [...new Set(block.ranks.map((r) => r.host))];
    const ranks = ranksOf(block);
    // 'NCCL version 2.18.3+cuda12.2'; rccl-tests from 2025 print 'RCCL version : 2.22.3-HEAD:7d8d67c'
    const nccl = block.ncclVersion?.match(/^(?:N|R)CCL version\s*:?\s*(\S+)/)?.[1];
    const collective = block.collective?.replace(/_perf(?:_mpi)?$/, '');
    const records: CollectiveRecord[] = block.rows.map((r) => ({
      kind: 'collective',
      collective: collective ?? 'unknown',
      dtype: r.type,
      ...(r.redop !== undefined ? { redop: r.redop } : {}),
      ...(r.root !== undefined ? { root: r.root } : {}),
      bytes: r.bytes,
      count: r.count,
      outOfPlace: half(r.outOfPlace),
      inPlace: half(r.inPlace),
      ...(r.trailing !== undefined ? { trailing: r.trailing } : {}),
      line: r.line,
    }));
    return {
      source: {
        tool: block.tool,
        ...(block.version !== undefined ? { version: block.version } : {}),
        format: 'text',
        software: nccl ? { [block.tool === 'rccl-tests' ? 'RCCL' : 'NCCL']: nccl } : {},
        settings: { ...block.settings, ...(block.timeColumn === 'cputime' ? { timeColumn: 'cputime' } : {}) },
        hosts,
        ...(ranks !== undefined ? { ranks } : {}),
        devices: block.ranks.map((r) => ({ name: r.name, busId: r.busId, host: r.host, rank: r.rank, index: r.device })),
      },
      records,
      ...(collective !== undefined ? { collective } : {}),
      ...(block.avgBusbwGBps !== undefined ? { avgBusbwGBps: block.avgBusbwGBps } : {}),
      ...(block.outOfBounds ? { outOfBounds: block.outOfBounds } : {}),
      // every version closes a run with its out-of-bounds line: rows without it are a run killed mid-way (a timeout,
      // a hang, a crash that printed nothing) or a file cut short, and the sizes it never reached must not pass a gate
      failures: block.rows.length > 0 && !block.outOfBounds && block.failures.length === 0 ? [`the output stops after line ${block.rows.at(-1)!.line}, before ${block.tool}' closing 'Out of bounds values' line: the run was killed or the file is cut short`] : block.failures,
    };
  });
}
