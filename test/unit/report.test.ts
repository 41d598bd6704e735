/**
 * The report's content from a fixture RunResult: the sections and charts it
 * must have, the numbers each chart draws, chips compared at f32 only, the
 * comparison with its regressions marked, escaping in both formats, and a
 * snapshot of the whole Markdown report.
 */
import { describe, expect, it } from 'vitest';
import { compareRuns, DEFAULT_COMPARE_OPTIONS } from '../../src/compare/compare-runs.js';
import { loadChipTable } from '../../src/reference/chips.js';
import { loadClaims } from '../../src/reference/claims.js';
import { evaluateClaims } from '../../src/reference/evaluate-claims.js';
import { loadMeasurements } from '../../src/reference/measurements.js';
import { buildReport } from '../../src/report/build-report.js';
import { REPORT_CSP, renderHtmlReport } from '../../src/report/html-report.js';
import { renderMarkdownReport } from '../../src/report/markdown-report.js';
import type { LineChart, BarChart } from '../../src/report/svg-chart.js';
import type { GemmCase } from '../../src/results/schema.js';
import { INJECTED_DEVICE_NAME, reportRun } from '../helpers/report-fixture.js';

const chips = loadChipTable();
const claims = evaluateClaims(loadClaims(), chips, { measurements: loadMeasurements() });
const report = (withBaseline = false) => {
  const run = reportRun();
  // the baseline's GEMM was 30% faster: every ok GEMM case of head regressed
  const comparison = withBaseline ? compareRuns(reportRun(1.3), run, { base: 'base.json', head: 'head.json' }, DEFAULT_COMPARE_OPTIONS) : undefined;
  return buildReport({ run, source: 'results/head.json', chips, claims, ...(comparison ? { comparison } : {}) });
};
const section = (id: string, withBaseline = false) => report(withBaseline).sections.find((s) => s.id === id)!;

describe('the report content', () => {
  it('has the sections a reader expects, in order, and the comparison only with a baseline', () => {
    expect(report().sections.map((s) => s.id)).toEqual(['summary', 'run', 'backends', 'gemm', 'allreduce', 'reducescatter', 'stream', 'ceilings', 'chips-f32', 'chips-memory', 'claims', 'failures']);
    expect(report(true).sections.map((s) => s.id)).toContain('comparison');
    expect(report(true).sections[2]!.id).toBe('comparison');
  });

  it('answers first: per backend and device, the best GEMM beside the hand-written kernel, STREAM, busbw, the nearest chip, and the verdict', () => {
    const summary = report(true).sections[0]!;
    expect(summary.title).toBe('Summary');
    const { headers, rows } = summary.table;
    // the fixture's cases carry no chip comparison: run-summary.test.ts has the nearest chip
    expect(headers).toEqual(['backend and device', 'GEMM f32', 'STREAM f32', 'all-reduce']);
    const webgpu = rows.find((r) => r[0]!.startsWith('webgpu on '))!;
    // resident 256^3: gpu.js 0.78 GFLOP/s against the hand-written 3.90 (as in the ceilings section)
    expect(webgpu[1]).toMatch(/^780 MFLOP\/s ±\d+\.\d% gpu\.js .*256x256x256 resident; hand-written 3\.90 GFLOP\/s: gpu\.js 20\.0% of it$/);
    const cpu = rows.find((r) => r[0]!.startsWith('cpu on '))!;
    expect(cpu[1]).toContain('no hand-written kernel on this API');
    expect(summary.notes.join(' ')).toMatch(/Against the base: \d+ regressed, .*: the gate fails/);
    expect(summary.notes.join(' ')).toMatch(/Failed or skipped: .*gemm\/webgpu\/f32\/m33-n33-k33\/resident/);
  });

  it("sets gpu.js's best beside the hand-written kernel per backend and workload, the share only where both ran at one point", () => {
    const { headers, rows } = section('ceilings').table;
    const cell = (backend: string, workload: string, header: string) => rows.find((r) => r[0] === backend && r[1] === workload)![headers.indexOf(header)];
    // webgpu resident 256^3: gpu.js 1.3 * 1.2 * 0.5 = 0.78 GFLOP/s, hand-written 3.9: 20%
    expect(cell('webgpu', 'gemm', 'gpu.js best')).toBe('780 MFLOP/s f32');
    expect(cell('webgpu', 'gemm', 'hand-written')).toBe('3.90 GFLOP/s f32');
    expect(cell('webgpu', 'gemm', 'gpu.js / hand-written')).toBe('20%');
    // copy at 1 MiB: gpu.js 0.9 GB/s, hand-written 3.6: 25%; no hand-written triad in the file
    expect(cell('webgpu', 'stream-copy', 'gpu.js / hand-written')).toBe('25%');
    expect(cell('webgpu', 'stream-triad', 'hand-written')).toBe('not in this run');
    expect(cell('cpu', 'gemm', 'hand-written')).toBe('none on this API');
  });

  it('draws GEMM as f32 FLOP/s against 2MNK in a chart per backend on shared axes, a line per timing and kernel, leaving failed cases to the table', () => {
    const figure = section('gemm').figure!;
    const charts = figure.charts as LineChart[];
    expect(charts.map((c) => c.id)).toEqual(['gemm-cpu', 'gemm-webgpu']);
    expect(charts.map((c) => c.series.map((s) => s.name))).toEqual([['end-to-end', 'resident'], ['end-to-end', 'resident', 'resident, hand-written']]);
    for (const chart of charts) expect(chart.y.title).toMatch(/f32.*FLOP\/s.*log scale/);
    // one line name, one look in every chart
    expect(charts.map((c) => c.series.map((s) => s.style))).toEqual([[0, 1], [0, 1, 2]]);
    // shared axes: each chart's extent covers every point of the figure
    const all = charts.flatMap((c) => c.series.flatMap((s) => s.points));
    for (const chart of charts) {
      expect(chart.extent!.y).toEqual([Math.min(...all.map((p) => p.y)), Math.max(...all.map((p) => p.y))]);
      expect(chart.extent!.x).toEqual([Math.min(...all.map((p) => p.x)), Math.max(...all.map((p) => p.x))]);
    }
    const cpuResident = charts[0]!.series[1]!;
    expect(cpuResident.points.map((p) => p.x)).toEqual([2 * 64 ** 3, 2 * 128 ** 3, 2 * 256 ** 3]);
    // 0.9, 1.1, 1.3 GFLOP/s times 1.2 for resident, as the fixture made them
    expect(cpuResident.points.map((p) => p.y / 1e9)).toEqual([0.9 * 1.2, 1.1 * 1.2, 1.3 * 1.2].map((v) => expect.closeTo(v, 9)));
    const table = section('gemm').table;
    expect(table.rows).toHaveLength(14);
    const failed = table.rows.findIndex((r) => r[3] === '33x33x33');
    expect(table.rows[failed]![table.headers.indexOf('f32 rate (95% CI)')]).toBe('ERROR: verification failed | 3 "wrong" elements');
    expect(table.marks![failed]).toBe('bad');
  });

  it('names each backend\'s device once, above the table, not in every row', () => {
    for (const id of ['gemm', 'allreduce', 'stream', 'ceilings']) {
      const s = section(id);
      expect(s.table.headers, id).not.toContain('executed on');
      const note = s.notes.find((n) => n.startsWith('Executed on: '))!;
      expect(note, id).toContain('llvmpipe (LLVM 15.0.6, 256 bits) [software renderer, runs on the CPU]');
    }
    expect(section('gemm').notes.at(-1)).toBe(
      `Executed on: cpu: ${INJECTED_DEVICE_NAME} [CPU]; webgpu: llvmpipe (LLVM 15.0.6, 256 bits) [software renderer, runs on the CPU].`,
    );
  });

  it('keeps a device column where a backend ran on more than one device', () => {
    const run = reportRun();
    const first = run.cases.findIndex((c) => c.workload === 'gemm' && c.backend === 'cpu');
    run.cases[first] = { ...run.cases[first]!, executed: { backend: 'cpu', kernelClass: 'CPUKernel', device: { executesOn: 'cpu', name: 'another CPU' } } };
    const gemm = buildReport({ run, source: 'x.json', chips, claims }).sections.find((s) => s.id === 'gemm')!;
    expect(gemm.table.headers).toContain('executed on');
    expect(gemm.table.rows[0]![gemm.table.headers.indexOf('executed on')]).toBe('another CPU [CPU]');
    expect(gemm.notes.some((n) => n.startsWith('Executed on'))).toBe(false);
  });

  it('draws all-reduce busbw against bytes per rank, a chart per backend with a line per algorithm, on log-log axes', () => {
    const charts = section('allreduce').figure!.charts as LineChart[];
    expect(charts.map((c) => c.id)).toEqual(['allreduce-cpu', 'allreduce-webgpu']);
    const chart = charts[0]!;
    expect(chart.x.base).toBe(2);
    expect(chart.y.base).toBe(10);
    expect(chart.x.title).toMatch(/bytes per rank.*log scale/);
    expect(chart.y.title).toMatch(/busbw.*B\/s.*log scale/);
    expect(charts.map((c) => c.series.map((s) => s.name))).toEqual([['ring', 'direct'], ['ring', 'direct']]);
    expect(chart.series[0]!.points.map((p) => [p.x, p.y])).toEqual([[4096, 0.01e9], [65536, 0.08e9], [2 ** 20, 0.4e9]].map(([x, y]) => [x, expect.closeTo(y!, 3)]));
  });

  it('draws one chart, a line per backend, where no backend has more than one line (reduce-scatter: ring on cpu only)', () => {
    const { title, charts } = section('reducescatter').figure!;
    expect(charts.map((c) => c.id)).toEqual(['reducescatter']);
    expect((charts[0] as LineChart).series.map((s) => s.name)).toEqual(['cpu ring']);
    expect(title).toBe('Reduce-scatter busbw, 8 ranks, f32, by backend');
  });

  it('sets f32 only beside FP32 non-tensor peaks, and lists unknown peaks without drawing them', () => {
    const s = section('chips-f32');
    const chart = s.figure!.charts[0] as BarChart;
    const h100 = chips.chips.find((c) => c.id === 'h100-sxm5')!;
    const bar = chart.bars.find((b) => b.label === h100.name)!;
    expect(bar.value).toBe(h100.peaks.fp32.value! * 1e12);
    expect(bar.value).not.toBe(h100.peaks['fp16-tensor'].value! * 1e12);
    expect(chart.axis.title).toMatch(/^f32 throughput \(FLOP\/s, log scale\)$/);
    const unknown = chips.chips.filter((c) => c.peaks.fp32.value === null);
    expect(unknown.length).toBeGreaterThan(0);
    for (const chip of unknown) {
      expect(chart.bars.some((b) => b.label === chip.name)).toBe(false);
      expect(s.table.rows.find((r) => r[0] === chip.name)![1]).toMatch(/^(unknown|none)/);
    }
    // each backend's best: cpu's best GEMM is 1.3 * 1.2 GFLOP/s (256^3 resident)
    expect(chart.bars.find((b) => b.group === 'measured here' && b.label.startsWith('cpu'))!.value).toBeCloseTo(1.56e9, 0);
    // every chip row names its source
    for (const chip of chips.chips.filter((c) => c.peaks.fp32.value !== null)) expect(s.table.rows.find((r) => r[0] === chip.name)![4]).not.toBe('-');
  });

  it('marks the regressions of a comparison, and only them', () => {
    const s = section('comparison', true);
    const regressed = s.table.rows.map((r, i) => [r[0], s.table.marks![i]] as const);
    expect(regressed.filter(([, mark]) => mark === 'bad').map(([verdict]) => verdict)).toEqual(Array(12).fill('REGRESSED'));
    expect(regressed.filter(([verdict]) => verdict === 'unchanged').every(([, mark]) => mark === undefined)).toBe(true);
  });
});

describe('rendering', () => {
  it('HTML: self-contained, with no script, a CSP that forbids scripts and requests, and the injected device name as text', () => {
    const html = renderHtmlReport(report(true));
    expect(html).toContain(`content="${REPORT_CSP}"`);
    expect(REPORT_CSP).toContain("default-src 'none'");
    // no element that could run or fetch anything; the name's 'onerror=' survives only as escaped text
    expect(html).not.toMatch(/<script|<img|<iframe|<link|<object|src=["']?http|href=["']?http/i);
    expect(html).toContain('EPYC &lt;script&gt;window.__injected = true&lt;/script&gt;&lt;img src=x onerror=&quot;window.__injected = true&quot;&gt;');
    // GEMM and all-reduce and STREAM a chart per backend (cpu, webgpu), reduce-scatter one, and the two chip charts
    expect(html.match(/<svg /g)).toHaveLength(9);
    expect(html.match(/<tr class="bad">/g)!.length).toBeGreaterThanOrEqual(12);
  });

  it('Markdown: the same sections and tables, no chart, every name escaped', () => {
    const md = renderMarkdownReport(report(true));
    expect(md).not.toContain('<script');
    expect(md).not.toContain('<img');
    expect(md).toContain('EPYC &lt;script&gt;window.\\_\\_injected = true&lt;/script&gt;');
    expect(md.match(/^## /gm)).toHaveLength(13);
    expect(md).not.toContain('<svg');
  });

  it('Markdown: a pipe, quotes or a line break in file text keep every row whole and start no heading', () => {
    const md = renderMarkdownReport(report(true));
    const host = md.split('\n').find((l) => l.startsWith('| host |'))!;
    expect(host).toBe('| host | lab "gpu" \\| rack 3 # not a heading |');
    expect(md).not.toMatch(/^# not a heading/m);
    const failed = md.split('\n').find((l) => l.startsWith('| **gemm/webgpu/f32/m33-n33-k33/resident** ✗ |'))!;
    // three cells: the escaped pipe does not split the row
    expect(failed.split(/(?<!\\)\|/).length - 2).toBe(3);
  });

  it('HTML: quotes and pipes in file text are escaped in text and attributes', () => {
    const html = renderHtmlReport(report());
    expect(html).toContain('<td>lab &quot;gpu&quot; | rack 3\n# not a heading</td>');
  });

  it('leaves a chart out, not fails, when a file holds only rates a log axis cannot show (0)', () => {
    const run = reportRun();
    run.cases = run.cases.map((c) => (c.workload === 'gemm' && c.metrics ? { ...c, metrics: { ...c.metrics, medianTflops: 0 } } : c));
    const r = buildReport({ run, source: 'x.json', chips, claims });
    const gemm = r.sections.find((s) => s.id === 'gemm')!;
    expect(gemm.figure).toBeUndefined();
    expect(gemm.table.rows).toHaveLength(14);
    expect(r.sections.find((s) => s.id === 'chips-f32')).toBeUndefined();
    expect(() => renderHtmlReport(r)).not.toThrow();
  });

  it('leaves out of the charts a rate that overflows once scaled (1e300 TFLOP/s is Infinity in FLOP/s), and keeps it in the table', () => {
    const pointsOf = (section: ReturnType<typeof buildReport>['sections'][number]) =>
      (section.figure?.charts ?? []).flatMap((chart) => (chart.kind === 'line' ? chart.series.flatMap((s) => s.points) : []));
    const drawnBefore = pointsOf(buildReport({ run: reportRun(), source: 'x.json', chips, claims }).sections.find((s) => s.id === 'gemm')!).length;
    const run = reportRun();
    const first = run.cases.findIndex((c) => c.workload === 'gemm' && c.metrics);
    const c = run.cases[first] as GemmCase;
    run.cases[first] = { ...c, metrics: { ...c.metrics!, medianTflops: 1e300 } };
    const r = buildReport({ run, source: 'x.json', chips, claims });
    const gemm = r.sections.find((s) => s.id === 'gemm')!;
    expect(gemm.table.rows).toHaveLength(14);
    const points = pointsOf(gemm);
    expect(points).toHaveLength(drawnBefore - 1);
    expect(points.every((p) => Number.isFinite(p.y))).toBe(true);
    expect(renderHtmlReport(r)).toContain('<svg');
  });

  it('Markdown snapshot of the fixture run with a baseline', async () => {
    await expect(renderMarkdownReport(report(true))).toMatchFileSnapshot('__snapshots__/report.md');
  });
});
