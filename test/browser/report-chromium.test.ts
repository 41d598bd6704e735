/**
 * The HTML report as a browser shows it: `chipbench report` run end to end
 * on a fixture RunResult and its baseline, and on a run the size of a real
 * default run (94 cases, four backends) and its baseline, then opened from
 * disk in headless Chromium (Debian's package, driven by playwright-core; no
 * browser is ever downloaded). Every chart must be there and drawn, with axis
 * titles that name units and a legend; nothing may be logged as an error or
 * fetched; the <script> and <img onerror> in a device name must show as text
 * and never run. At 1400x900 and at a 390-px phone width no table, chart,
 * code block or figure may reach past the window's right edge, with every
 * fold shut and open, and nothing may scroll sideways; at 1400 the first
 * section and its table lie in the first screenful. Full-page screenshots are
 * kept in test-artifacts/: report.png (the fixture), report-1400.png and
 * report-390.png (the real-sized run).
 *
 * Chromium missing fails the test on CI (.ci/run installs it) and skips it
 * elsewhere, saying so.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { INJECTED_DEVICE_NAME, reportRun } from '../helpers/report-fixture.js';
import { realSizedRun } from '../helpers/report-fixture-large.js';
import { onCi } from '../helpers/real-backends.js';
import { measureLayout, openAllDetails } from '../helpers/report-layout.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** As PLATFORM.md says: without the background-networking flags Chromium keeps trying to reach Google on this closed network. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');

/** chart id -> marks it must draw: points of the fixture's ok cases, or bars of measured figures and known chip peaks */
// the fixture's ok cases, a chart per backend where a backend has several lines: GEMM 6 + 6 of gpu.js and 1
// hand-written on webgpu, all-reduce 6 + 6, reduce-scatter 3 on cpu alone (one chart), STREAM 4 + 4 and 1 hand-written
const LINE_CHARTS = { 'gemm-cpu': 6, 'gemm-webgpu': 7, 'allreduce-cpu': 6, 'allreduce-webgpu': 6, reducescatter: 3, 'stream-cpu': 4, 'stream-webgpu': 5 };
const BAR_CHARTS = ['chips-f32', 'chips-memory'];

describe('the HTML report in headless Chromium', { timeout: 120_000 }, () => {
  let browser: Browser | undefined;
  let file = '';
  let large = '';
  let imported = '';
  let kernels = '';

  /** `chipbench report` of a run of a suite file (the fake backend): two cases, three sizes, both check methods */
  async function kernelReport(): Promise<string> {
    const dir = tempDir();
    const result = join(dir, 'kernels.json');
    const suite = resolve(import.meta.dirname, '../fixtures/suites/good.bench.ts');
    const run = await runCli(['run', '--backends', 'fake', '--profile', 'smoke', '--time-budget', '5', '--suite', suite, '-o', result]);
    expect(run.code).toBe(0);
    const out = join(dir, 'kernels.html');
    const r = await runCli(['report', result, '--out', out]);
    expect(r.code).toBe(0);
    return out;
  }

  /** `chipbench report` of real outputs of other tools read by `chipbench import`: a 16-GPU all-reduce and a matmul sweep */
  async function importedReport(): Promise<string> {
    const dir = tempDir();
    const fixtures = resolve(import.meta.dirname, '../fixtures/import');
    const result = join(dir, 'imported.json');
    const i = await runCli(['import', join(fixtures, 'nccl-tests-2.18.3-allreduce-16ranks.txt'), join(fixtures, 'mamf-finder-2025-01-strix-halo-docker.log'), '-o', result]);
    expect(i.code).toBe(0);
    const out = join(dir, 'imported.html');
    const r = await runCli(['report', result, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return out;
  }

  /** `chipbench report` of a run against its baseline (GEMM 30% faster there) */
  async function report(name: string, run: (gemmScale?: number) => unknown): Promise<string> {
    const dir = tempDir();
    const head = join(dir, `${name}.json`);
    const base = join(dir, 'base.json');
    writeFileSync(head, JSON.stringify(run()));
    writeFileSync(base, JSON.stringify(run(1.3)));
    const out = join(dir, `${name}.html`);
    const r = await runCli(['report', head, '--baseline', base, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return out;
  }

  beforeAll(async () => {
    file = await report('report', reportRun);
    large = await report('default-run', realSizedRun);
    imported = await importedReport();
    kernels = await kernelReport();
    if (!existsSync(CHROMIUM)) {
      if (onCi) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium package (.ci/run does)`);
      return;
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    // a suite run (the fake backend) and three reports: well past vitest's 10 s for a hook on a loaded machine
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('draws every chart, logs no error, fetches nothing, and runs no injected script', async (ctx) => {
    if (!browser) return ctx.skip(`no Chromium at ${CHROMIUM}: install Debian's chromium package, or set CHROMIUM_PATH`);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(file).href;
    await page.goto(url, { waitUntil: 'load' });

    for (const [id, marks] of Object.entries(LINE_CHARTS)) {
      const chart = page.locator(`svg[data-chart="${id}"]`);
      await expect(chart.count()).resolves.toBe(1);
      const box = await chart.boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      expect(box!.height).toBeGreaterThan(200);
      await expect(chart.locator('g.series circle').count()).resolves.toBe(marks);
      // each mark lies inside the chart's box: drawn, not placed off the axes
      for (const mark of await chart.locator('g.series circle').all()) {
        const m = (await mark.boundingBox())!;
        expect(m.x).toBeGreaterThanOrEqual(box!.x);
        expect(m.x + m.width).toBeLessThanOrEqual(box!.x + box!.width);
      }
    }
    for (const id of BAR_CHARTS) {
      const chart = page.locator(`svg[data-chart="${id}"]`);
      await expect(chart.count()).resolves.toBe(1);
      const widths = await chart.locator('g.bar rect').evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('width'))));
      expect(widths.length).toBeGreaterThanOrEqual(3);
      expect(Math.max(...widths)).toBeGreaterThan(100);
    }
    // every chart: two axis titles with a unit in parentheses (a bar chart has one axis), and a legend
    const charts = await page.locator('svg.chart').all();
    expect(charts).toHaveLength(Object.keys(LINE_CHARTS).length + BAR_CHARTS.length);
    for (const chart of charts) {
      const titles = await chart.locator('text.axis-title').allTextContents();
      expect(titles.length).toBeGreaterThanOrEqual(1);
      for (const t of titles) expect(t).toMatch(/\((FLOP|FLOP\/s|B\/s|bytes)[ ,][^)]*log scale\)$/);
      await expect(chart.locator('g.legend-item').count()).resolves.toBeGreaterThan(0);
    }
    // the regressions of the comparison are highlighted, and in view: only the unremarkable cases are folded
    await expect(page.locator('section#comparison tr.bad').count()).resolves.toBe(12);
    for (const row of await page.locator('section#comparison tr.bad').all()) await expect(row.isVisible()).resolves.toBe(true);

    // the injected markup shows as text, and none of it ran or became an element
    await expect(page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).resolves.toBeUndefined();
    await expect(page.locator('script, img, iframe').count()).resolves.toBe(0);
    const cells = await page.locator('td').allTextContents();
    expect(cells.some((t) => t.includes(INJECTED_DEVICE_NAME))).toBe(true);

    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    await page.close();
  });

  const VIEWPORTS = [
    { width: 1400, height: 900 },
    { width: 390, height: 844 },
  ];

  it.each(VIEWPORTS)('fits a $width-px window: nothing past its right edge, nothing scrolling sideways, every chart drawn', async ({ width, height }, ctx) => {
    if (!browser) return ctx.skip(`no Chromium at ${CHROMIUM}: install Debian's chromium package, or set CHROMIUM_PATH`);
    for (const [name, path] of [['fixture', file], ['real-sized run', large]] as const) {
      const page = await browser.newPage({ viewport: { width, height } });
      const errors: string[] = [];
      page.on('console', (m) => errors.push(`${m.type()}: ${m.text()}`));
      await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
      for (const state of ['folded', 'unfolded']) {
        if (state === 'unfolded') expect(await openAllDetails(page)).toBeGreaterThan(10);
        const layout = await measureLayout(page);
        const where = `${name}, ${width} px, ${state}`;
        expect(layout.scrollWidth, where).toBeLessThanOrEqual(layout.innerWidth);
        expect(layout.pastEdge, where).toEqual([]);
        expect(layout.elementsPastEdge, where).toEqual([]);
        expect(layout.scrollBoxes, where).toEqual([]);
        expect(layout.charts.length, where).toBeGreaterThanOrEqual(9);
        for (const chart of layout.charts) {
          expect(chart.marks, `${where}: ${chart.id}`).toBeGreaterThan(0);
          expect(chart.outside, `${where}: ${chart.id}`).toBe(0);
        }
        if (width === 1400 && state === 'folded') {
          // the first section (the summary) and its whole table in the first screenful
          expect(layout.first.heading, where).toBeLessThan(height);
          expect(layout.first.tableBottom, where).toBeLessThanOrEqual(height);
        }
      }
      if (name === 'real-sized run') {
        // small multiples: four backends, no chart with more than four lines
        const lines = await page.locator('svg.chart').evaluateAll((svgs) => svgs.map((s) => s.querySelectorAll('g.series').length));
        expect(lines).toHaveLength(16);
        expect(Math.max(...lines)).toBeLessThanOrEqual(4);
        await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = false)));
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, `report-${width}.png`), fullPage: true });
      }
      expect(errors).toEqual([]);
      await page.close();
    }
  });
  it.each(VIEWPORTS)('an imported run fits a $width-px window, its busbw chart drawn', async ({ width, height }, ctx) => {
    if (!browser) return ctx.skip(`no Chromium at ${CHROMIUM}: install Debian's chromium package, or set CHROMIUM_PATH`);
    const page = await browser.newPage({ viewport: { width, height } });
    const errors: string[] = [];
    page.on('console', (m) => errors.push(`${m.type()}: ${m.text()}`));
    await page.goto(pathToFileURL(imported).href, { waitUntil: 'load' });
    for (const state of ['folded', 'unfolded']) {
      if (state === 'unfolded') await openAllDetails(page);
      const layout = await measureLayout(page);
      const where = `imported, ${width} px, ${state}`;
      expect(layout.scrollWidth, where).toBeLessThanOrEqual(layout.innerWidth);
      expect(layout.pastEdge, where).toEqual([]);
      expect(layout.elementsPastEdge, where).toEqual([]);
      expect(layout.scrollBoxes, where).toEqual([]);
      const busbw = layout.charts.filter((c) => c.id.startsWith('imported-'));
      expect(busbw.length, where).toBe(1);
      // the 24 sizes of the run, every one drawn inside the chart
      expect(busbw[0]!.marks, where).toBe(24);
      expect(busbw[0]!.outside, where).toBe(0);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = false)));
    await page.screenshot({ path: join(ARTIFACTS, `report-imported-${width}.png`), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each(VIEWPORTS)("a suite file's run fits a $width-px window, its kernels chart drawn", async ({ width, height }, ctx) => {
    if (!browser) return ctx.skip(`no Chromium at ${CHROMIUM}: install Debian's chromium package, or set CHROMIUM_PATH`);
    const page = await browser.newPage({ viewport: { width, height } });
    const errors: string[] = [];
    page.on('console', (m) => errors.push(`${m.type()}: ${m.text()}`));
    await page.goto(pathToFileURL(kernels).href, { waitUntil: 'load' });
    for (const state of ['folded', 'unfolded']) {
      if (state === 'unfolded') await openAllDetails(page);
      const layout = await measureLayout(page);
      const where = `kernels, ${width} px, ${state}`;
      expect(layout.scrollWidth, where).toBeLessThanOrEqual(layout.innerWidth);
      expect(layout.pastEdge, where).toEqual([]);
      expect(layout.elementsPastEdge, where).toEqual([]);
      expect(layout.scrollBoxes, where).toEqual([]);
      const chart = layout.charts.filter((c) => c.id.startsWith('kernels'));
      // good.scale at 2 sizes and good.rowsum at 1, every one drawn inside the chart
      expect([chart.length, chart[0]?.marks, chart[0]?.outside], where).toEqual([1, 3, 0]);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, `report-kernels-${width}.png`), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
