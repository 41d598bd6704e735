/**
 * Imported blocks as cases of a RunResult: one case per collective size, per matmul statistic, per copy; each with
 * one fork (one run of the tool, one process), checked (src/import/check-imported.ts). A case id joins runs of the
 * same configuration months apart, as a measured case's does: tool, operation, precision, hosts, ranks and size.
 */
import { ncclTestsBusbwFactor } from '../metrics/bandwidth.js';
import { BYTES_PER_GB } from '../metrics/units.js';
import { bytesLabel } from '../results/case-id.js';
import { importedMetrics } from '../results/case-figures.js';
import type { ForkMeasurement, ImportCheck, ImportedCase, ImportSource as SourceRecord, Measurement } from '../results/schema.js';
import { forkSampleFields } from '../stats/fork-samples.js';
import { blockChecks, collectiveChecks } from './check-imported.js';
import { ImportSyntaxError, type CollectiveRecord, type CopyRecord, type ImportedBlock, type MatmulRecord } from './imported-block.js';
import { precisionOf } from './precision.js';

/** What the user said beside the files. */
export interface ImportSettings {
  /** the file as given, for the record and for messages */
  file: string;
  /** --ranks: the rank count, for outputs that do not print it (hccl_test) */
  ranks?: number;
  /** --collective: the collective, for nccl-tests before 2.17 (no 'Collective test starting' line) */
  collective?: string;
  /** --dtype: the data type, for outputs that print it only in their command line (hccl_test's -d) */
  dtype?: string;
  /** when the import ran (ISO 8601) */
  importedAt: string;
}

/** One fork of the tool's own timings (seconds): a run of the tool is one process, the unit of evidence. */
function forkOf(seconds: number[], warmupIterations: number): ForkMeasurement {
  return {
    ...forkSampleFields(seconds),
    warmupSamples: warmupIterations,
    // the tools do not print how long they warmed up
    warmupSeconds: 0,
    warmupState: 'unchecked',
    steadyState: { status: 'unchecked', tested: 0 },
  };
}

/** A one-fork measurement; `chipbench import` merges the forks of a case read from several files. */
export function oneForkMeasurement(fork: ForkMeasurement): Measurement {
  return {
    medianSeconds: fork.medianSeconds,
    medianCi: { ...fork.medianCi },
    intervalFrom: 'samples',
    sampleCount: fork.sampleCount,
    forkCount: 1,
    betweenForkSdLog: null,
    withinForkSdLog: 0,
    steadyForks: 0,
    driftingForks: 0,
    uncheckedForks: 1,
    movedForks: 0,
    forks: [fork],
  };
}

const warmupOf = (source: ImportedBlock['source']) => Number(source.settings['warmup iters'] ?? 0) || 0;

function precisionFor(dtype: string, line: number, tool = ''): string {
  const precision = precisionOf(dtype);
  if (dtype === 'unknown') throw new ImportSyntaxError(line, `the output does not name its data type (${tool} prints it only in its command line): give --dtype, e.g. --dtype fp32`);
  if (!precision) throw new ImportSyntaxError(line, `unknown data type '${dtype}': expected one the tools print (float, half, bfloat16, double, int8, ...)`);
  return precision;
}

function sourceRecord(block: ImportedBlock, settings: ImportSettings, line: number, ranks: number | undefined): SourceRecord {
  const s = block.source;
  return {
    tool: s.tool,
    ...(s.version !== undefined ? { version: s.version } : {}),
    format: s.format,
    file: settings.file,
    line,
    ...(s.commandLine !== undefined ? { commandLine: s.commandLine } : {}),
    software: s.software,
    hosts: s.hosts,
    ...(ranks !== undefined ? { ranks, ranksFrom: s.ranks !== undefined ? 'output' : 'option' } : {}),
    devices: s.devices,
    ...(block.avgBusbwGBps !== undefined ? { avgBusbwGBps: block.avgBusbwGBps } : {}),
  };
}

/** The device of the run for compare's 'same device' test: the devices' one name, or their names joined. */
function executedOf(block: ImportedBlock, operation: string): ImportedCase['executed'] {
  const names = [...new Set(block.source.devices.map((d) => d.name))];
  const name = names.length === 0 ? 'unknown' : names.join(' + ');
  const gpuTools = ['nccl-tests', 'rccl-tests', 'nvbandwidth'];
  return {
    backend: block.source.tool,
    kernelClass: operation,
    device: {
      executesOn: gpuTools.includes(block.source.tool) || /\b(NVIDIA|AMD|Instinct|Tesla|GeForce|RTX)\b/i.test(name) ? 'gpu' : 'unknown',
      name,
      details: { hosts: String(block.source.hosts.length), devices: String(block.source.devices.length) },
    },
  };
}

const hostsPart = (block: ImportedBlock) => (block.source.hosts.length > 0 ? `h${block.source.hosts.length}-` : '');

/** The case's outcome from its checks: a failing check fails the case, with the first such check's words. */
function outcomeOf(checks: ImportCheck[]): Pick<ImportedCase, 'outcome' | 'reason'> {
  const failed = checks.find((c) => c.status === 'fail');
  return failed ? { outcome: 'error', reason: failed.detail } : { outcome: 'ok' };
}

/**
 * nccl-tests before 2.13 gave each collective its own header: a redop column without root (all_reduce,
 * reduce_scatter), root without redop (broadcast, gather, scatter), neither (all_gather, alltoall, sendrecv,
 * hypercube). A --collective the header contradicts would give every row the wrong busbw factor: refused. With both
 * columns (reduce, and every collective from 2.13 on) the header cannot tell.
 */
function refuseContradictedCollective(collective: string, r: CollectiveRecord): void {
  const redop = r.redop !== undefined;
  const root = r.root !== undefined;
  if (redop && root) return;
  const fits = redop ? ['all_reduce', 'reduce_scatter'] : root ? ['broadcast', 'gather', 'scatter'] : ['all_gather', 'alltoall', 'sendrecv', 'hypercube'];
  if (fits.includes(collective)) return;
  const header = redop ? 'a redop column and no root' : root ? 'a root column and no redop' : 'neither a redop nor a root column';
  throw new ImportSyntaxError(r.line, `--collective ${collective}, but the header has ${header}: it is ${fits.join(', ')}`);
}

function collectiveCase(block: ImportedBlock, r: CollectiveRecord, settings: ImportSettings): ImportedCase {
  const collective = r.collective === 'unknown' ? settings.collective : r.collective;
  if (!collective) {
    const why = block.source.tool === 'hccl_test' ? 'hccl_test names it only in its mpirun line, which is not in this output' : "nccl-tests before 2.17 prints no 'Collective test starting' line";
    throw new ImportSyntaxError(r.line, `the output does not name its collective (${why}): give --collective, e.g. --collective all_reduce`);
  }
  if (r.collective === 'unknown' && (block.source.tool === 'nccl-tests' || block.source.tool === 'rccl-tests')) refuseContradictedCollective(collective, r);
  if (settings.ranks !== undefined && block.source.ranks !== undefined && settings.ranks !== block.source.ranks) {
    throw new ImportSyntaxError(r.line, `--ranks ${settings.ranks}, but the output names ${block.source.ranks} ranks: leave --ranks out for this file`);
  }
  const ranks = block.source.ranks ?? settings.ranks;
  if (ranks === undefined) {
    throw new ImportSyntaxError(r.line, `the output does not say how many ranks ran (${block.source.tool} prints no rank count; it is mpirun's -n): give --ranks N`);
  }
  const factor = ncclTestsBusbwFactor(collective, ranks);
  if (factor === undefined) throw new ImportSyntaxError(r.line, `unknown collective '${collective}': expected all_reduce, all_gather, reduce_scatter, alltoall, broadcast, reduce, sendrecv, gather, scatter or hypercube`);
  const dtype = r.dtype === 'unknown' && settings.dtype ? settings.dtype : r.dtype;
  const precision = precisionFor(dtype, r.line, block.source.tool);
  const op = `${collective}${r.redop && r.redop !== 'none' ? `-${r.redop}` : ''}${r.root !== undefined && r.root >= 0 ? `-root${r.root}` : ''}`;
  // -C 1 times the CPU's side of the call: another figure than the GPU's time, never joined with it
  const clock = block.source.settings.timeColumn === 'cputime' ? '/cputime' : '';
  const id = `${block.source.tool}/${op}/${precision}/${hostsPart(block)}r${ranks}-${bytesLabel(r.bytes)}${clock}`;
  // checked as the collective it is: --collective where the output does not name it
  const checks = [...collectiveChecks({ ...r, collective }, factor, ranks), ...blockChecks(block)];
  const { outcome, reason } = outcomeOf(checks);
  const time = r.outOfPlace.timeUs;
  // an iteration the tool wrote as nan or inf (kept in place by the reader) is no time: the others stand
  const iterations = r.outOfPlace.iterationsUs?.filter((us) => Number.isFinite(us) && us > 0);
  const seconds = iterations && iterations.length > 0 ? iterations.map((us) => us * 1e-6) : time !== null && time > 0 ? [time * 1e-6] : [];
  const base: ImportedCase = {
    id,
    backend: block.source.tool,
    precision,
    dtype,
    workload: 'imported',
    kind: 'collective',
    operation: collective,
    outcome: seconds.length === 0 && outcome === 'ok' ? 'error' : outcome,
    ...(reason ? { reason } : seconds.length === 0 ? { reason: 'the tool printed no out-of-place time for this size' } : {}),
    executed: executedOf(block, collective),
    startedAt: settings.importedAt,
    wallSeconds: 0,
    source: sourceRecord(block, settings, r.line, ranks),
    collective: {
      bytes: r.bytes,
      ...(r.count !== undefined ? { count: r.count } : {}),
      ...(r.redop !== undefined ? { redop: r.redop } : {}),
      ...(r.root !== undefined ? { root: r.root } : {}),
      busbwFactor: factor,
      outOfPlace: halfRecord(r.outOfPlace),
      ...(r.inPlace ? { inPlace: halfRecord(r.inPlace) } : {}),
      ...(r.trailing !== undefined ? { trailing: r.trailing } : {}),
    },
    checks,
  };
  // one rank moves nothing between ranks: nccl-tests' busbw is 0 there, and the figure is size / time, algbw, named so
  const name = factor > 0 ? 'busbw' : 'algbw';
  return withFigure(base, seconds, { name, unit: 'GB/s', work: Math.max(r.bytes, 1), factor: factor > 0 ? factor : 1, timed: true }, warmupOf(block.source));
}

const halfRecord = (h: CollectiveRecord['outOfPlace']) => ({
  timeUs: h.timeUs,
  algbwGBps: h.algbwGBps,
  busbwGBps: h.busbwGBps,
  wrong: h.wrong,
  ...(h.maxError !== undefined ? { maxError: h.maxError } : {}),
  ...(h.check !== undefined ? { check: h.check } : {}),
});

/** The case with its one fork and the figure from it; a case with no time keeps no measurement. */
function withFigure(c: ImportedCase, seconds: number[], figure: Pick<NonNullable<ImportedCase['metrics']>, 'name' | 'unit' | 'work' | 'factor' | 'timed'>, warmup: number): ImportedCase {
  if (seconds.length === 0 || c.outcome !== 'ok') return c;
  const measurement = oneForkMeasurement(forkOf(seconds, warmup));
  return { ...c, measurement, metrics: importedMetrics(figure, measurement) };
}

/**
 * mamf-finder's sweep from its command line: '--m_range 0 20480 256 --n_range ... --k_range ...' as
 * 'm0-20480-256_n0-20480-256_k0-20480-256', a fixed '--m 4096' as 'm4096'; 'sweep-unknown' without a command line.
 */
function sweepOf(commandLine: string | undefined): string {
  if (!commandLine) return 'sweep-unknown';
  const dims = ['m', 'n', 'k'].map((d) => {
    const range = new RegExp(`--${d}_range[ =]+(\\d+)\\s+(\\d+)\\s+(\\d+)`).exec(commandLine);
    if (range) return `${d}${range[1]}-${range[2]}-${range[3]}`;
    const fixed = new RegExp(`--${d}[ =]+((?:\\d+\\s*)+)`).exec(commandLine);
    return fixed ? `${d}${fixed[1]!.trim().split(/\s+/).join('.')}` : `${d}-default`;
  });
  return dims.join('_');
}

function matmulCase(block: ImportedBlock, r: MatmulRecord, settings: ImportSettings): ImportedCase {
  const precision = precisionFor(r.dtype, r.line);
  // mamf-finder's mean, median and max lines with a shape are of its best shape's timings; without one, over every shape;
  // the sweep is part of the configuration: the best of 10 shapes and of 493,039 are not one figure
  const id = `${block.source.tool}/matmul/${precision}/${r.shape ? 'best-shape' : 'all-shapes'}-${r.statistic}/${sweepOf(block.source.commandLine)}`;
  const shaped = r.shape && r.seconds !== undefined && r.seconds > 0;
  // a mean over shapes has no time of its own: it is recorded as the time of 1e12 FLOP at its rate
  const work = shaped ? 2 * r.shape!.m * r.shape!.n * r.shape!.k : 1e12;
  const seconds = shaped ? r.seconds! : 1 / r.tflops;
  const base: ImportedCase = {
    id,
    backend: block.source.tool,
    precision,
    dtype: r.dtype,
    workload: 'imported',
    kind: 'matmul',
    operation: 'matmul',
    outcome: 'ok',
    executed: executedOf(block, 'matmul'),
    startedAt: settings.importedAt,
    wallSeconds: 0,
    source: sourceRecord(block, settings, r.line, undefined),
    matmul: { statistic: r.statistic, ...(r.shape ? { shape: r.shape } : {}), ...(r.shapesTried !== undefined ? { shapesTried: r.shapesTried } : {}) },
    checks: blockChecks(block),
  };
  return withFigure({ ...base, ...outcomeOf(base.checks) }, r.tflops > 0 ? [seconds] : [], { name: `${r.statistic} matmul rate`, unit: 'TFLOP/s', work, factor: 1, timed: Boolean(shaped) }, 0);
}

function copyCase(block: ImportedBlock, r: CopyRecord, settings: ImportSettings): ImportedCase {
  const where = r.statistic === 'sum' ? 'sum' : `${r.from ?? '?'}-to-${r.to ?? '?'}`;
  const base: ImportedCase = {
    id: `${block.source.tool}/${r.testcase}/${where}`,
    backend: block.source.tool,
    // a copy moves bytes: it has no arithmetic precision
    precision: 'n/a',
    dtype: 'bytes',
    workload: 'imported',
    kind: 'copy',
    operation: r.testcase,
    outcome: 'ok',
    executed: executedOf(block, r.testcase),
    startedAt: settings.importedAt,
    wallSeconds: 0,
    source: sourceRecord(block, settings, r.line, undefined),
    copy: { statistic: r.statistic, ...(r.from !== undefined ? { from: r.from } : {}), ...(r.to !== undefined ? { to: r.to } : {}), ...(r.bytes !== undefined ? { bytes: r.bytes } : {}) },
    checks: blockChecks(block),
  };
  // a bandwidth with no time of its own is recorded as the time of 1 GB at its rate
  return withFigure({ ...base, ...outcomeOf(base.checks) }, r.GBps > 0 ? [1 / r.GBps] : [], { name: r.statistic === 'sum' ? 'copy bandwidth, sum' : 'copy bandwidth', unit: 'GB/s', work: BYTES_PER_GB, factor: 1, timed: false }, 0);
}

/** A block whose tool printed a failure gets one failed case for the run, so a gate sees it even with no row. */
function failureCase(block: ImportedBlock, settings: ImportSettings): ImportedCase | undefined {
  const first = block.failures[0];
  if (!first) return undefined;
  const r = block.records.find((x): x is CollectiveRecord => x.kind === 'collective');
  // a run that failed before its first row has no record: the collective is the one the output named
  const named = [r?.collective, block.collective].find((c) => c !== undefined && c !== 'unknown');
  const collective = named ?? settings.collective ?? 'unknown';
  const ranks = block.source.ranks ?? settings.ranks;
  return {
    id: `${block.source.tool}/${collective}/run/${hostsPart(block)}r${ranks ?? '?'}`,
    backend: block.source.tool,
    precision: r ? (precisionOf(r.dtype) ?? 'unknown') : 'unknown',
    dtype: r?.dtype ?? 'unknown',
    workload: 'imported',
    kind: 'collective',
    operation: collective,
    outcome: 'error',
    reason: `${block.source.tool} failed: ${first}${block.failures.length > 1 ? ` (and ${block.failures.length - 1} more failure lines)` : ''}`,
    executed: executedOf(block, collective),
    startedAt: settings.importedAt,
    wallSeconds: 0,
    source: sourceRecord(block, settings, 1, ranks),
    checks: [...blockChecks(block).filter((k) => k.check !== 'failure'), { check: 'failure', status: 'fail', detail: `${block.source.tool} failed: ${first}` }],
  };
}

/** Every case of one file's blocks, in the order the tool printed them. */
export function casesOfBlocks(blocks: ImportedBlock[], settings: ImportSettings): ImportedCase[] {
  return blocks.flatMap((block) => {
    // a 0-byte row (nccl-tests -b 0) has a time but no bandwidth: nothing to set beside a link or gate on
    const records = block.records.filter((r) => r.kind !== 'collective' || r.bytes > 0);
    const cases = records.map((r) => (r.kind === 'collective' ? collectiveCase(block, r, settings) : r.kind === 'matmul' ? matmulCase(block, r, settings) : copyCase(block, r, settings)));
    const failed = failureCase(block, settings);
    return failed ? [...cases, failed] : cases;
  });
}
