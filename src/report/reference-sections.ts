/**
 * The run beside the article's chips, and the article's claims, as report
 * sections:
 * - f32 GEMM: each backend's best f32 rate here beside every chip's FP32
 *   non-tensor dense peak, the one precision an f32 measurement may be set
 *   against (never a tensor-core peak), and the host CPU's estimated f32
 *   peak where the run recorded one;
 * - memory: each backend's best STREAM rate beside every chip's memory
 *   bandwidth;
 * - the claims: each with its verdict and the primary checks behind it.
 * Chip figures are spec-sheet peaks: the table gives each one's confidence
 * and sources; an unknown figure is listed as unknown and never drawn.
 */
import { BYTES_PER_TB, bytesPerSecond, FLOP_PER_TFLOP, flopsPerSecond, formatSi } from '../metrics/units.js';
import type { ChipTable, Figure } from '../reference/chips.js';
import type { CheckResult, ClaimResult } from '../reference/evaluate-claims.js';
import { formatArticleFigure } from '../reference/evaluate-claims.js';
import { checkMark, describeMeasuredUse } from './claims-report.js';
import type { CaseResult, RunResult } from '../results/schema.js';
import { describeDevice } from './describe.js';
import type { ReportSection, ReportTable, RowMark } from './report-model.js';
import { drawable, siTick, type Bar, type BarChart } from './svg-chart.js';
import { isCeilingId } from '../results/case-id.js';

const CONFIDENCE_WORDS = { datasheet: 'datasheet', secondary: 'secondary source', derived: 'derived', unknown: 'unknown' } as const;
const MEASURED_GROUP = 'measured here';

/** A figure's sources by title (and address), then the values other sources give. */
function sourcesOf(figure: Figure, table: ChipTable, scale: number, unit: string): string {
  const title = (key: string) => {
    const s = table.sources[key];
    return s ? `${s.title}${s.url ? ` <${s.url}>` : ''}` : key;
  };
  const titles = (keys: string[]) => keys.map(title).join('; ');
  const also = (figure.alternatives ?? []).map((a) => `also ${formatSi(a.value * scale, unit)} (${titles(a.sources)})`);
  return [titles(figure.sources), ...also].filter(Boolean).join('; ') || '-';
}

interface Measured {
  backend: string;
  value: number;
  case: CaseResult;
}

/** Each backend's best ok case by `value`, in the order backends first appear. */
function bestPerBackend(cases: CaseResult[], value: (c: CaseResult) => number | undefined): Measured[] {
  const best = new Map<string, Measured>();
  for (const c of cases) {
    const v = c.outcome === 'ok' ? value(c) : undefined;
    if (v === undefined || !drawable(v)) continue;
    const have = best.get(c.backend);
    if (!have || v > have.value) best.set(c.backend, { backend: c.backend, value: v, case: c });
  }
  return [...best.values()];
}

interface Against {
  id: string;
  title: string;
  /** the measured quantity, with its precision and unit */
  quantity: string;
  unit: 'FLOP/s' | 'B/s';
  /** the chip figure and its factor to `unit` */
  figure: (chip: ChipTable['chips'][number]) => Figure;
  scale: number;
  chipWhat: string;
  notes: string[];
  extra?: { label: string; value: number; group: string; what: string; source: string };
}

function againstChips(measured: Measured[], table: ChipTable, spec: Against): ReportSection | undefined {
  if (measured.length === 0) return undefined;
  const best = Math.max(...measured.map((m) => m.value));
  const bars: Bar[] = [];
  const rows: string[][] = [];
  const marks: (RowMark | undefined)[] = [];
  for (const m of measured) {
    const device = m.case.executed?.device;
    const described = `${m.backend} on ${device ? describeDevice(device) : 'an unknown device'}`;
    // the bar's label is short (the name only); its hover text and the table say what kind of device it is
    const label = `${m.backend} on ${device?.name ?? 'unknown device'}`;
    bars.push({ label, value: m.value, group: MEASURED_GROUP, note: `${formatSi(m.value, spec.unit)}, best of ${described} (${m.case.id})` });
    rows.push([described, formatSi(m.value, spec.unit), `measured here, best case: ${m.case.id}`, '-', 'this run']);
    marks.push(undefined);
  }
  if (spec.extra) {
    const e = spec.extra;
    bars.push({ label: e.label, value: e.value, group: e.group, note: `${formatSi(e.value, spec.unit)}, ${e.what}` });
    rows.push([e.label, formatSi(e.value, spec.unit), e.what, `${((100 * best) / e.value).toPrecision(2)}%`, e.source]);
    marks.push(undefined);
  }
  for (const chip of table.chips) {
    const f = spec.figure(chip);
    if (f.absent || f.value === null) {
      rows.push([chip.name, f.absent ? 'none: the chip lacks it' : 'unknown: not drawn', spec.chipWhat, '-', sourcesOf(f, table, spec.scale, spec.unit)]);
      marks.push(undefined);
      continue;
    }
    const value = f.value * spec.scale;
    const group = `chip figure, ${CONFIDENCE_WORDS[f.confidence]}`;
    bars.push({ label: chip.name, value, group, note: `${formatSi(value, spec.unit)}, ${spec.chipWhat} (${CONFIDENCE_WORDS[f.confidence]})` });
    rows.push([chip.name, formatSi(value, spec.unit), `${spec.chipWhat}, ${CONFIDENCE_WORDS[f.confidence]}`, `${((100 * best) / value).toPrecision(2)}%`, sourcesOf(f, table, spec.scale, spec.unit)]);
    marks.push(undefined);
  }
  // the chart draws every known figure: the table, with each figure's confidence and sources, is folded in HTML
  const table_: ReportTable = {
    headers: ['', `${spec.quantity} (${spec.unit})`, 'what', 'best here / this', 'source'],
    rows,
    marks,
    fold: `Every figure, its confidence and its sources (${rows.length} rows)`,
  };
  const chart: BarChart = { kind: 'bar', id: spec.id, title: spec.title, axis: { title: `${spec.quantity} (${spec.unit}, log scale)`, base: 10, tick: siTick }, bars };
  return { id: spec.id, title: spec.title, notes: spec.notes, figure: { title: spec.title, charts: [chart] }, table: table_ };
}

/** f32 GEMM against FP32 non-tensor peaks, and STREAM against memory bandwidth. */
export function chipSections(run: RunResult, table: ChipTable): ReportSection[] {
  // gpu.js's figures: the hand-written ceilings are what the API reaches, set beside them in the ceiling section
  const gemm = bestPerBackend(run.cases, (c) => (c.workload === 'gemm' && c.metrics && !isCeilingId(c.id) ? flopsPerSecond(c.metrics.medianTflops) : undefined));
  const stream = bestPerBackend(run.cases, (c) => (c.workload === 'stream' && c.metrics && !isCeilingId(c.id) ? bytesPerSecond(c.metrics.GBps) : undefined));
  const cpu = run.reference?.cpuPeak;
  return [
    againstChips(gemm, table, {
      id: 'chips-f32',
      title: "f32 here beside each chip's FP32 non-tensor peak",
      quantity: 'f32 throughput',
      unit: 'FLOP/s',
      figure: (chip) => chip.peaks.fp32,
      scale: FLOP_PER_TFLOP,
      chipWhat: 'FP32 non-tensor dense peak',
      notes: [
        "Each backend's best f32 GEMM rate in this run, beside every chip's FP32 non-tensor (CUDA core / vector) dense peak: the only chip figure an f32 measurement " +
          'is set against. Tensor-core peaks (TF32, FP16, FP8) are at other precisions and are never compared with f32.',
        'Chip figures are spec-sheet peaks, not measurements; "best here / this" is the best rate measured here as a share of the figure. ' +
          'Bars on a log axis start at the axis end: only where a bar ends carries its value.',
      ],
      ...(cpu
        ? { extra: { label: 'this host CPU, estimated f32 peak', value: cpu.flopsPerSecond, group: 'estimate, not measured', what: cpu.label, source: 'src/env/cpu-peak.ts' } }
        : {}),
    }),
    againstChips(stream, table, {
      id: 'chips-memory',
      title: "Memory bandwidth here beside each chip's",
      quantity: 'memory bandwidth',
      unit: 'B/s',
      figure: (chip) => chip.memory.bandwidthTBps,
      scale: BYTES_PER_TB,
      chipWhat: 'memory bandwidth',
      notes: [
        "Each backend's best STREAM rate in this run (bytes read plus written per second) beside every chip's memory bandwidth from the chip table.",
        'Chip figures are spec-sheet peaks, not measurements.',
      ],
    }),
  ].filter((s): s is ReportSection => s !== undefined);
}

/**
 * The claims table: first the article's own figures and arithmetic, then the verdict from the chip table's
 * spec figures, then (where measured figures exist) the verdict from those, each figure with its method and source.
 */
export function claimsSection(claims: ClaimResult[]): ReportSection | undefined {
  if (claims.length === 0) return undefined;
  const checksText = (checks: CheckResult[]) => checks.map((c) => `[${checkMark(c)}] ${c.role === 'context' ? '(context) ' : ''}${c.label}: ${c.arithmetic}`).join('; ');
  return {
    id: 'claims',
    title: "The article's claims, checked against the chip table and measured figures",
    notes: [
      "Each claim as the article states it, the article's own arithmetic, how it is read, the verdict of its primary checks against the chip table's spec figures " +
        '([yes]/[no]; [n/a]: it cannot be computed), and, for claims with public measurements, a second verdict from those ([info]: shown, never judged). ' +
        'Every measured figure names its precision, unit, method and source; a measured f32 figure is only set against an FP32 non-tensor peak. ' +
        '`chipbench claims` prints every check, context checks included.',
    ],
    table: {
      headers: ['claim', 'the article says', "the article's figures and arithmetic", 'verdict from the datasheets', 'verdict from measured figures', 'read as', 'datasheet checks', 'measured checks and figures'],
      rows: claims.map((r) => [
        String(r.claim.number),
        r.claim.text,
        [r.figures.map(formatArticleFigure).join('; ') || '-', ...(r.articleArithmetic ? [`arithmetic: ${r.articleArithmetic}`] : [])].join('; '),
        r.verdict,
        r.measured?.verdict ?? '-',
        r.claim.interpretation,
        checksText(r.checks.filter((c) => c.role === 'primary')),
        r.measured
          ? [
              checksText(r.measured.checks),
              ...r.measured.figures.map(describeMeasuredUse),
              ...Object.entries(r.measured.sources).map(([key, source]) => `[${key}] ${source}`),
            ].join('; ')
          : '-',
      ]),
      // how a claim is read and its checks' arithmetic: long, and folded per claim in HTML
      detailColumns: [5, 6, 7],
      detailLabel: 'how it is read, and its checks',
    },
  };
}
