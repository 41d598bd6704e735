/**
 * Imported results (`chipbench import`) as report sections and console tables: a collective run as nccl-tests
 * prints it (size, time, algbw, busbw, #wrong, out-of-place and in-place) with what chipbench checked, closing with
 * its peak busbw and the tool's "Avg bus bandwidth" labelled as the mean over every row it is, never a peak;
 * matmul sweeps per statistic and precision; copies as bandwidth, never as busbw. Every figure names its tool,
 * version, precision and devices.
 */
import { bytesLabel } from '../results/case-id.js';
import type { ImportedCase, RunResult } from '../results/schema.js';
import { lineFigure } from './chart-figure.js';
import { describeEvidence } from './describe.js';
import { siTick } from './svg-chart.js';
import type { ReportSection, RowMark } from './report-model.js';

/** A figure as the tool printed it (it was read from its text): no digits added or lost. */
const num = (x: number | null | undefined) => (x === null || x === undefined ? 'N/A' : String(x));
const int = (x: number | null | undefined) => (x === null || x === undefined ? 'N/A' : String(x));

/** Cases of one run of the tool: same file, tool, operation, precision, hosts and ranks. */
function groupsOf(cases: ImportedCase[]): ImportedCase[][] {
  const groups = new Map<string, ImportedCase[]>();
  for (const c of cases) {
    const s = c.source;
    const key = [s.file, s.tool, c.kind, c.operation, c.precision, s.hosts.length, s.ranks ?? '?'].join('|');
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.values()];
}

/** 'NVIDIA H800 x16 on 2 hosts (node0, node1)' */
export function describeImportedDevices(c: ImportedCase): string {
  const { devices, hosts } = c.source;
  const names = [...new Set(devices.map((d) => d.name))];
  const what = names.length === 0 ? 'devices not printed' : names.map((n) => `${n} x${devices.filter((d) => d.name === n).length}`).join(', ');
  const where = hosts.length === 0 ? '' : ` on ${hosts.length} host${hosts.length === 1 ? '' : 's'} (${hosts.slice(0, 4).join(', ')}${hosts.length > 4 ? ', ...' : ''})`;
  return `${what}${where}`;
}

/** 'nccl-tests 2.18.3 (text), NCCL 2.30.3+cuda13.0' */
export function describeImportedTool(c: ImportedCase): string {
  const s = c.source;
  const software = Object.entries(s.software).map(([k, v]) => `${k} ${v}`);
  return [`${s.tool} ${s.version ?? '(version not printed)'} (${s.format})`, ...software].join(', ');
}

/** The checks worth a reader's look: flags and failures, each once. */
function checkCell(c: ImportedCase): string {
  const shown = c.checks.filter((k) => k.status !== 'ok');
  if (shown.length === 0) return c.checks.length > 0 ? 'ok' : '-';
  return [...new Set(shown.map((k) => `${k.status === 'fail' ? 'FAILED' : 'flag'}: ${k.detail}`))].join('; ');
}

const markOf = (c: ImportedCase): RowMark | undefined => (c.outcome !== 'ok' ? 'bad' : undefined);

const COLLECTIVE_HEADERS = ['size', 'time (us)', 'algbw (GB/s)', 'busbw (GB/s)', '#wrong', 'in-place time (us)', 'in-place busbw (GB/s)', 'in-place #wrong', 'runs', 'checks'];

function collectiveRow(c: ImportedCase): string[] {
  const k = c.collective;
  const out = k?.outOfPlace;
  const inPlace = k?.inPlace;
  const runs = !c.measurement ? '-' : c.measurement.forkCount === 1 ? '1 run' : `${c.measurement.forkCount} runs: ${describeEvidence(c.measurement)}`;
  return [k ? bytesLabel(k.bytes) : '-', num(out?.timeUs), num(out?.algbwGBps), num(out?.busbwGBps), int(out?.wrong), num(inPlace?.timeUs), num(inPlace?.busbwGBps), int(inPlace?.wrong), runs, checkCell(c)];
}

/** The peak out-of-place busbw of a run, with its size; the tool's average, said for what it is. */
export function collectivePeakNotes(cases: ImportedCase[]): string[] {
  const ok = cases.filter((c) => c.outcome === 'ok' && c.metrics);
  const notes: string[] = [];
  const best = ok.reduce<ImportedCase | undefined>((a, c) => (!a || c.metrics!.value > a.metrics!.value ? c : a), undefined);
  const largest = ok.reduce<ImportedCase | undefined>((a, c) => (!a || (c.collective?.bytes ?? 0) > (a.collective?.bytes ?? 0) ? c : a), undefined);
  if (best) notes.push(`Peak ${best.metrics!.name} ${best.metrics!.value.toFixed(2)} GB/s (${best.precision}, out-of-place) at ${bytesLabel(best.collective!.bytes)}.`);
  const link = best?.checks.find((k) => k.check === 'link');
  if (link) notes.push(`Beside its chip${link.status === 'flag' ? ' (FLAG)' : ''}: ${link.detail.replace(/^\w+ busbw: /, '')}.`);
  if (largest && largest !== best) notes.push(`At the largest size, ${bytesLabel(largest.collective!.bytes)}: ${largest.metrics!.name} ${largest.metrics!.value.toFixed(2)} GB/s.`);
  const avg = cases[0]?.source.avgBusbwGBps;
  if (avg !== undefined) notes.push(`The tool's "Avg bus bandwidth" ${avg} GB/s is the mean busbw over every row, in-place and out-of-place, small sizes included: not a peak, and not set beside a link's rate.`);
  return notes;
}

function collectiveSection(cases: ImportedCase[], index: number): ReportSection {
  const first = cases[0]!;
  const s = first.source;
  const ranks = s.ranks !== undefined ? `${s.ranks} ranks${s.ranksFrom === 'option' ? ' (from --ranks)' : ''}` : 'ranks unknown';
  const figure = lineFigure({
    id: `imported-${index}`,
    title: `${first.operation} busbw, ${ranks}, ${first.precision} (${s.tool})`,
    x: { title: 'message size (bytes, log scale)', base: 2, tick: bytesLabel },
    y: { title: 'busbw, out-of-place (B/s, log scale)', base: 10, tick: siTick },
    cases,
    line: () => 'out-of-place',
    point: (c) =>
      c.outcome === 'ok' && c.metrics && c.collective
        ? { x: c.collective.bytes, y: c.metrics.value * 1e9, note: `${bytesLabel(c.collective.bytes)}: busbw ${c.metrics.value.toPrecision(4)} GB/s (${c.precision}), ${describeImportedDevices(c)}` }
        : undefined,
  });
  return {
    id: `imported-${index}`,
    title: `Imported: ${first.operation}, ${first.precision} (${first.dtype}), ${ranks}: ${s.tool}`,
    ...(figure ? { figure } : {}),
    notes: [
      `${describeImportedTool(first)}; from ${s.file}.`,
      `Devices: ${describeImportedDevices(first)}.`,
      ...(s.commandLine ? [`Command: ${s.commandLine}`] : []),
      `busbw = size / time x ${first.collective?.busbwFactor?.toPrecision(4) ?? '?'} (nccl-tests' factor for ${first.operation} on ${s.ranks ?? '?'} ranks), ${
        first.collective?.outOfPlace.busbwGBps === null ? `from the time: ${s.tool} prints algbw only, checked against size / time` : 'checked against the printed figure on every row'
      }.`,
      ...collectivePeakNotes(cases),
    ],
    table: { headers: COLLECTIVE_HEADERS, rows: cases.map(collectiveRow), marks: cases.map(markOf), detailColumns: [8, 9] },
  };
}

function figureCell(c: ImportedCase): string {
  if (!c.metrics) return c.outcome.toUpperCase();
  return `${c.metrics.value.toPrecision(4)} ${c.metrics.unit}`;
}

function matmulSection(cases: ImportedCase[]): ReportSection {
  return {
    id: 'imported-matmul',
    title: 'Imported: matmul sweeps',
    notes: [
      "Each figure at the precision its tool names. With a shape, the figure is of the sweep's best shape (mamf-finder's max, and the mean and median of that shape's timings); without one, it is over every shape tried.",
    ],
    table: {
      headers: ['device', 'precision (dtype)', 'statistic', 'figure', 'shape', 'beside its chip', 'tool', 'checks'],
      rows: cases.map((c) => [
        describeImportedDevices(c),
        `${c.precision} (${c.dtype})`,
        c.matmul ? `${c.matmul.shape ? 'best shape' : 'all shapes'}, ${c.matmul.statistic}` : '-',
        figureCell(c),
        c.matmul?.shape ? `${c.matmul.shape.m}x${c.matmul.shape.n}x${c.matmul.shape.k}` : '-',
        chipCell(c),
        describeImportedTool(c),
        checkCell(c),
      ]),
      marks: cases.map(markOf),
      detailColumns: [6, 7],
    },
  };
}

/** What the peak check said, or why there is none: the device names no chip of the table. */
function chipCell(c: ImportedCase): string {
  const peak = c.checks.find((k) => k.check === 'peak');
  if (!peak) return 'no chip of the table';
  // the check's words without the figure the row already shows: '94.7% of H20 96GB's FP16/BF16 tensor peak (148 TFLOP/s)'
  const said = peak.detail.replace(/^[\d.]+ TFLOP\/s \w+ is /, '').replace(/; not compared as \w+$/, '').replace(/, (?:datasheet|secondary|derived)\)/, ')');
  return `${peak.status === 'flag' ? 'FLAG: ' : ''}${said}`;
}

function copySection(cases: ImportedCase[]): ReportSection {
  return {
    id: 'imported-copy',
    title: 'Imported: copy bandwidth',
    notes: ['Point-to-point and host-device copies: bandwidth of one copy, never a collective\'s bus bandwidth.'],
    table: {
      headers: ['device', 'testcase', 'cell', 'bandwidth', 'tool'],
      rows: cases.map((c) => [describeImportedDevices(c), c.operation, c.copy?.statistic === 'sum' ? 'SUM' : `${c.copy?.from ?? '?'} -> ${c.copy?.to ?? '?'}`, figureCell(c), describeImportedTool(c)]),
      marks: cases.map(markOf),
      detailColumns: [4],
    },
  };
}

/** What the chip check said of a case: '; 75.3% of H100 SXM5 80GB's NVLink 4 ...', or a flag's words; '' without one. */
function chipNote(c: ImportedCase, check: 'link' | 'peak'): string {
  const found = c.checks.find((k) => k.check === check);
  if (!found) return '';
  return `; ${found.status === 'flag' ? 'FLAG: ' : ''}${found.detail.replace(/^\w+ busbw: /, '')}`;
}

/** The best figure of each imported run (peak busbw, a sweep's max, a copy's SUM), for the summary, labelled by what it is. */
export function importedSummaryLines(cases: ImportedCase[]): { label: string; text: string; figure: string }[] {
  const ok = cases.filter((c) => c.outcome === 'ok' && c.metrics);
  const lines: { label: string; text: string; figure: string }[] = [];
  for (const group of groupsOf(ok)) {
    const first = group[0]!;
    const best = group.reduce((a, c) => (c.metrics!.value > a.metrics!.value ? c : a));
    const figure = `${best.metrics!.value.toPrecision(4)} ${best.metrics!.unit}`;
    if (first.kind === 'collective') {
      const ranks = first.source.ranks !== undefined ? `, ${first.source.ranks} ranks` : '';
      lines.push({ label: `${first.operation} ${first.precision}`, figure, text: `peak busbw ${figure} at ${bytesLabel(best.collective!.bytes)} (out-of-place${ranks}, ${describeImportedDevices(first)})${chipNote(best, 'link')}` });
    } else if (first.kind === 'matmul') {
      for (const c of group) {
        const f = `${c.metrics!.value.toPrecision(4)} ${c.metrics!.unit}`;
        lines.push({ label: `matmul ${c.precision} ${c.matmul!.shape ? 'best shape' : 'all shapes'} ${c.matmul!.statistic}`, figure: f, text: `${f} (${c.precision}, ${c.source.tool})${chipNote(c, 'peak')}` });
      }
    } else if (best.copy?.statistic === 'sum' || group.every((c) => c.copy?.statistic !== 'sum')) {
      lines.push({ label: first.operation, figure, text: `${figure} (${best.copy?.statistic === 'sum' ? 'SUM' : 'best pair'}, copy bandwidth, not busbw)` });
    }
  }
  return lines;
}

/** The report's sections for a run's imported cases: one per collective run, one for matmul, one for copies. */
export function importedSections(run: RunResult): ReportSection[] {
  const imported = run.cases.filter((c): c is ImportedCase => c.workload === 'imported');
  const collectives = imported.filter((c) => c.kind === 'collective' && c.collective);
  const matmul = imported.filter((c) => c.kind === 'matmul');
  const copies = imported.filter((c) => c.kind === 'copy');
  return [...groupsOf(collectives).map(collectiveSection), ...(matmul.length > 0 ? [matmulSection(matmul)] : []), ...(copies.length > 0 ? [copySection(copies)] : [])];
}
