/**
 * A section's figure from its cases: one log-log line chart with a line per backend, or, when some backend has
 * more than one line (timings, kernels, algorithms), small multiples: a chart per backend, each with its few
 * lines, all on the same axes so their heights compare, a line of one name drawn alike in every chart. No chart
 * then carries a dozen lines. Chart ids are the section's id, or '<id>-<backend>' for a multiple ('gemm-webasm').
 */
import type { CaseResult } from '../results/schema.js';
import type { ReportFigure } from './report-model.js';
import { drawable, type ChartPoint, type ChartSeries, type LineChart, type LogAxis } from './svg-chart.js';

export interface LineFigureSpec<T extends CaseResult> {
  id: string;
  /** what is drawn, e.g. 'f32 GEMM throughput' */
  title: string;
  x: LogAxis;
  y: LogAxis;
  cases: T[];
  /** a case's line within its backend, e.g. 'resident, tuned' */
  line: (c: T) => string;
  /** its point, when it has one to draw (an ok case) */
  point: (c: T) => ChartPoint | undefined;
}

/**
 * Points grouped by backend, then by line, in the order they first appear. A point a log axis cannot show (a rate
 * of 0, or one that overflows to Infinity once scaled, which a result file may hold) is left to the table.
 */
function grouped<T extends CaseResult>(spec: LineFigureSpec<T>): Map<string, Map<string, ChartPoint[]>> {
  const byBackend = new Map<string, Map<string, ChartPoint[]>>();
  for (const c of spec.cases) {
    const p = spec.point(c);
    if (!p || !drawable(p.x) || !drawable(p.y)) continue;
    if (!byBackend.has(c.backend)) byBackend.set(c.backend, new Map());
    const lines = byBackend.get(c.backend)!;
    const name = spec.line(c);
    lines.set(name, [...(lines.get(name) ?? []), p]);
  }
  return byBackend;
}

const span = (values: number[]): [number, number] => [Math.min(...values), Math.max(...values)];

/** The figure, or undefined when no case has a point to draw (its table says why). */
export function lineFigure<T extends CaseResult>(spec: LineFigureSpec<T>): ReportFigure | undefined {
  const byBackend = grouped(spec);
  if (byBackend.size === 0) return undefined;
  const base = { kind: 'line' as const, x: spec.x, y: spec.y };
  if (![...byBackend.values()].some((lines) => lines.size > 1)) {
    const series: ChartSeries[] = [...byBackend].flatMap(([backend, lines]) => [...lines].map(([name, points]) => ({ name: `${backend} ${name}`, points })));
    const title = `${spec.title}, by backend`;
    return { title, charts: [{ ...base, id: spec.id, title, series }] };
  }
  const names = [...new Set([...byBackend.values()].flatMap((lines) => [...lines.keys()]))];
  const all = [...byBackend.values()].flatMap((lines) => [...lines.values()].flat());
  const extent = { x: span(all.map((p) => p.x)), y: span(all.map((p) => p.y)) };
  const charts: LineChart[] = [...byBackend].map(([backend, lines]) => ({
    ...base,
    id: `${spec.id}-${backend}`,
    title: `${backend}: ${spec.title}`,
    compact: true,
    extent,
    series: [...lines].map(([name, points]) => ({ name, points, style: names.indexOf(name) })),
  }));
  return { title: `${spec.title}, one chart per backend, on the same axes`, charts };
}
