/**
 * Charts as inline SVG: no script, no font or library to fetch, so a report
 * opens offline and shows the same thing everywhere. Two kinds:
 * - a line chart, log-log (GEMM rate against work, busbw against message
 *   size: both span decades, and nccl-tests users read busbw on log axes);
 * - a horizontal bar chart on a log axis (this machine beside datacenter
 *   chips: five or more decades apart).
 * Every chart has a title, axis titles with units, a legend, and a <title>
 * on every mark with its exact value (shown on hover). All text is escaped.
 * Small multiples (chart-figure.ts) are compact line charts that share one
 * extent, a line of one name drawn in one style in each.
 */
import { SI_PREFIXES } from '../metrics/units.js';
import { escapeHtml } from './escape.js';

/** A logarithmic axis: its title names the quantity, the unit and "log scale". */
export interface LogAxis {
  title: string;
  /** 10 for rates, 2 for byte sizes */
  base: 2 | 10;
  /** tick label, e.g. 1e9 -> '1 G' */
  tick: (value: number) => string;
}

export interface ChartPoint {
  x: number;
  y: number;
  /** the mark's hover text: the exact figure and its case */
  note: string;
}

export interface ChartSeries {
  name: string;
  points: ChartPoint[];
  /** its colour and dash, by palette index: a series of one name keeps its look across small multiples (default: its place) */
  style?: number;
}

export interface LineChart {
  kind: 'line';
  /** stable, for tests and anchors */
  id: string;
  title: string;
  x: LogAxis;
  y: LogAxis;
  series: ChartSeries[];
  /** ranges the axes cover besides the points: small multiples share one, so their scales can be compared */
  extent?: { x: [number, number]; y: [number, number] };
  /** narrower, one of several side by side (small multiples) */
  compact?: boolean;
}

export interface Bar {
  label: string;
  value: number;
  /** bars of one group share a colour and a legend entry */
  group: string;
  note: string;
}

export interface BarChart {
  kind: 'bar';
  id: string;
  title: string;
  axis: LogAxis;
  bars: Bar[];
}

export type Chart = LineChart | BarChart;

/** Okabe-Ito colours, told apart with colour-blindness too; black last. */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#999999', '#000000'];
/** Past eight series the colours repeat with a dash pattern. */
const DASHES = ['', '6 3', '2 3', '8 3 2 3'];

const WIDTH = 760;
/** a chart of small multiples: four fit side by side in a 1400-px window, each about 320 px wide */
const COMPACT_WIDTH = 400;
const FONT = 12;

function styleOf(index: number): { colour: string; dash: string } {
  return { colour: PALETTE[index % PALETTE.length]!, dash: DASHES[Math.floor(index / PALETTE.length) % DASHES.length]! };
}

const fmt = (v: number) => String(Math.round(v * 10) / 10);

/**
 * Ticks of a log axis covering [min, max]: every power of the base from the
 * one at or below min to the one at or above max, thinned to at most 9; on a
 * base-10 axis spanning two decades or less, 2x and 5x ticks as well.
 */
export function logTicks(min: number, max: number, base: 2 | 10): { domain: [number, number]; ticks: number[] } {
  // a non-finite end would make the tick loop below endless (found by fuzzing a result file with 1e308 GB/s)
  if (!(min > 0) || !(max >= min) || !Number.isFinite(max)) throw new RangeError(`a log axis needs finite 0 < min <= max, got ${min}, ${max}`);
  const log = (v: number) => Math.log(v) / Math.log(base);
  const first = Math.floor(log(min) + 1e-9);
  let last = Math.ceil(log(max) - 1e-9);
  if (last === first) last = first + 1;
  // the smallest step whose ticks, from a multiple of it at or below min to one at or above max, number 9 at most
  let step = 1;
  while ((Math.ceil(last / step) - Math.floor(first / step)) + 1 > 9) step++;
  const lo = Math.floor(first / step) * step;
  const hi = Math.ceil(last / step) * step;
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e += step) {
    ticks.push(base ** e);
    if (base === 10 && hi - lo <= 2 && e < hi) ticks.push(2 * 10 ** e, 5 * 10 ** e);
  }
  return { domain: [base ** lo, base ** hi], ticks: ticks.sort((a, b) => a - b) };
}

/**
 * Whether a value has a place on a log axis: positive and finite. Others stay in the table beside the chart. A
 * figure read from a file can overflow once scaled (1e308 GB/s is Infinity in B/s).
 */
export function drawable(v: number): boolean {
  return v > 0 && Number.isFinite(v);
}

/** A value's position between two pixel ends of a log axis. */
function scale(domain: [number, number], from: number, to: number): (v: number) => number {
  const [a, b] = [Math.log(domain[0]), Math.log(domain[1])];
  return (v) => from + ((Math.log(v) - a) / (b - a)) * (to - from);
}

/** formatSi's prefixes, and two below one: an axis can reach a thousandth of a GB/s. */
const TICK_PREFIXES: ReadonlyArray<[number, string]> = [...SI_PREFIXES, [1e-3, 'm'], [1e-6, 'µ']];

/** A compact SI tick label: 2e9 -> '2 G', 500 -> '500', 0.01 -> '10 m'. */
export function siTick(value: number): string {
  const [factor, prefix] = TICK_PREFIXES.find(([f]) => value >= f * 0.9999) ?? TICK_PREFIXES[TICK_PREFIXES.length - 1]!;
  return `${Number((value / factor).toPrecision(3))}${prefix ? ` ${prefix}` : ''}`;
}

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${fmt(x)}" y="${fmt(y)}"${attrs ? ` ${attrs}` : ''}>${escapeHtml(content)}</text>`;
}

/** Legend entries laid out in columns below the plot; returns the SVG and its height. */
function legend(entries: { name: string; index: number; swatch: 'line' | 'box' }[], top: number, width: number): { svg: string; height: number } {
  const columns = Math.max(1, Math.floor((width - 40) / 210));
  const columnWidth = (width - 40) / columns;
  const rowHeight = 18;
  const items = entries.map((e, i) => {
    const x = 20 + (i % columns) * columnWidth;
    const y = top + Math.floor(i / columns) * rowHeight;
    const { colour, dash } = styleOf(e.index);
    const swatch =
      e.swatch === 'line'
        ? `<line x1="${fmt(x)}" y1="${fmt(y)}" x2="${fmt(x + 22)}" y2="${fmt(y)}" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>` +
          `<circle cx="${fmt(x + 11)}" cy="${fmt(y)}" r="3" fill="${colour}"/>`
        : `<rect x="${fmt(x + 4)}" y="${fmt(y - 6)}" width="14" height="12" fill="${colour}"/>`;
    // a long name is cut in the legend only; the table below the chart has it whole
    const fits = Math.floor((columnWidth - 28) / 5.6);
    const name = e.name.length > fits ? `${e.name.slice(0, fits - 2)}…` : e.name;
    return `<g class="legend-item">${swatch}${text(x + 28, y + 4, name)}<title>${escapeHtml(e.name)}</title></g>`;
  });
  const rows = Math.ceil(entries.length / columns);
  return { svg: `<g class="legend">${items.join('')}</g>`, height: rows * rowHeight + 10 };
}

function svgOpen(chart: Chart, height: number, width = WIDTH): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="${escapeHtml(chart.id)}" role="img" ` +
    `aria-label="${escapeHtml(chart.title)}" viewBox="0 0 ${width} ${fmt(height)}" width="${width}" height="${fmt(height)}" ` +
    `font-family="sans-serif" font-size="${FONT}">` +
    `<title>${escapeHtml(chart.title)}</title>` +
    text(width / 2, 18, chart.title, 'text-anchor="middle" font-weight="bold" font-size="14"')
  );
}

/** A log-log line chart, one line with point marks per series; points with a non-positive value cannot be drawn and are left out. */
export function renderLineChart(chart: LineChart): string {
  const series = chart.series
    .map((s) => ({ ...s, points: s.points.filter((p) => drawable(p.x) && drawable(p.y)).sort((a, b) => a.x - b.x) }))
    .filter((s) => s.points.length > 0);
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) throw new RangeError(`chart ${chart.id}: no point to draw`);
  const range = (values: number[], extent: [number, number] | undefined) => (extent ? [...values, ...extent] : values);
  const xv = range(all.map((p) => p.x), chart.extent?.x);
  const yv = range(all.map((p) => p.y), chart.extent?.y);
  const xs = logTicks(Math.min(...xv), Math.max(...xv), chart.x.base);
  const ys = logTicks(Math.min(...yv), Math.max(...yv), chart.y.base);
  const width = chart.compact ? COMPACT_WIDTH : WIDTH;
  const plot = { left: 84, right: width - 24, top: 34, bottom: 34 + (chart.compact ? 220 : 300) };
  const X = scale(xs.domain, plot.left, plot.right);
  const Y = scale(ys.domain, plot.bottom, plot.top);
  const grid = [
    ...xs.ticks.map((t) => `<line x1="${fmt(X(t))}" y1="${plot.top}" x2="${fmt(X(t))}" y2="${plot.bottom}" stroke="#ddd"/>` + text(X(t), plot.bottom + 16, chart.x.tick(t), 'text-anchor="middle"')),
    ...ys.ticks.map((t) => `<line x1="${plot.left}" y1="${fmt(Y(t))}" x2="${plot.right}" y2="${fmt(Y(t))}" stroke="#ddd"/>` + text(plot.left - 6, Y(t) + 4, chart.y.tick(t), 'text-anchor="end"')),
  ];
  const axes =
    `<rect x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="none" stroke="#333"/>` +
    text((plot.left + plot.right) / 2, plot.bottom + 36, chart.x.title, 'text-anchor="middle" class="axis-title"') +
    text(16, (plot.top + plot.bottom) / 2, chart.y.title, `text-anchor="middle" class="axis-title" transform="rotate(-90 16 ${fmt((plot.top + plot.bottom) / 2)})"`);
  const lines = series.map((s, i) => {
    const { colour, dash } = styleOf(s.style ?? i);
    const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${fmt(X(p.x))},${fmt(Y(p.y))}`).join(' ');
    const marks = s.points.map((p) => `<circle cx="${fmt(X(p.x))}" cy="${fmt(Y(p.y))}" r="3.5" fill="${colour}"><title>${escapeHtml(`${s.name}: ${p.note}`)}</title></circle>`);
    return (
      `<g class="series" data-series="${escapeHtml(s.name)}"><path d="${d}" fill="none" stroke="${colour}" stroke-width="1.8"${dash ? ` stroke-dasharray="${dash}"` : ''}/>` +
      `${marks.join('')}</g>`
    );
  });
  const key = legend(series.map((s, i) => ({ name: s.name, index: s.style ?? i, swatch: 'line' as const })), plot.bottom + 60, width);
  return `${svgOpen(chart, plot.bottom + 60 + key.height, width)}${grid.join('')}${axes}${lines.join('')}${key.svg}</svg>`;
}

/** Horizontal bars on a log axis, largest first; a bar starts at the axis's lower end, so only its end carries the value. */
export function renderBarChart(chart: BarChart): string {
  const bars = chart.bars.filter((b) => drawable(b.value)).sort((a, b) => b.value - a.value);
  if (bars.length === 0) throw new RangeError(`chart ${chart.id}: no bar to draw`);
  // colours follow the order the groups are given in, not the bars' sizes: the first group keeps the first colour
  const groups = [...new Set(chart.bars.filter((b) => drawable(b.value)).map((b) => b.group))];
  // the axis starts a whole step below the smallest bar, so that bar has a length too
  const ticks = logTicks(Math.min(...bars.map((b) => b.value)) / chart.axis.base, Math.max(...bars.map((b) => b.value)), chart.axis.base);
  const barHeight = 16;
  const gap = 6;
  const plot = { left: 250, right: WIDTH - 24, top: 34 };
  const bottom = plot.top + bars.length * (barHeight + gap) + gap;
  const X = scale(ticks.domain, plot.left, plot.right);
  const grid = ticks.ticks.map(
    (t) => `<line x1="${fmt(X(t))}" y1="${plot.top}" x2="${fmt(X(t))}" y2="${fmt(bottom)}" stroke="#ddd"/>` + text(X(t), bottom + 16, chart.axis.tick(t), 'text-anchor="middle"'),
  );
  const marks = bars.map((b, i) => {
    const y = plot.top + gap + i * (barHeight + gap);
    const { colour } = styleOf(groups.indexOf(b.group));
    const label = b.label.length > 34 ? `${b.label.slice(0, 32)}…` : b.label;
    return (
      `<g class="bar" data-group="${escapeHtml(b.group)}">` +
      text(plot.left - 6, y + barHeight - 4, label, 'text-anchor="end"') +
      `<rect x="${plot.left}" y="${fmt(y)}" width="${fmt(Math.max(1, X(b.value) - plot.left))}" height="${barHeight}" fill="${colour}">` +
      `<title>${escapeHtml(`${b.label}: ${b.note}`)}</title></rect></g>`
    );
  });
  const axes =
    `<line x1="${plot.left}" y1="${plot.top}" x2="${plot.left}" y2="${fmt(bottom)}" stroke="#333"/>` +
    `<line x1="${plot.left}" y1="${fmt(bottom)}" x2="${plot.right}" y2="${fmt(bottom)}" stroke="#333"/>` +
    text((plot.left + plot.right) / 2, bottom + 36, chart.axis.title, 'text-anchor="middle" class="axis-title"');
  const key = legend(groups.map((g, i) => ({ name: g, index: i, swatch: 'box' as const })), bottom + 60, WIDTH);
  return `${svgOpen(chart, bottom + 60 + key.height)}${grid.join('')}${marks.join('')}${axes}${key.svg}</svg>`;
}

export function renderChart(chart: Chart): string {
  return chart.kind === 'line' ? renderLineChart(chart) : renderBarChart(chart);
}
