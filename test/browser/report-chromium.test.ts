/**
 * The HTML report as a browser shows it: `chipbench report` run end to end
 * on a fixture RunResult and its baseline, then opened from disk in headless
 * Chromium (Debian's package, driven by playwright-core; no browser is ever
 * downloaded). Every chart must be there and drawn, with axis titles that
 * name units and a legend; nothing may be logged as an error or fetched; the
 * <script> and <img onerror> in a device name must show as text and never
 * run. A full-page screenshot is kept in test-artifacts/report.png.
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
import { onCi } from '../helpers/real-backends.js';

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
// the fixture's ok cases: GEMM 12 of gpu.js and 1 hand-written, STREAM 8 of gpu.js and 1 hand-written
const LINE_CHARTS = { gemm: 13, allreduce: 12, reducescatter: 3, stream: 9 };
const BAR_CHARTS = ['chips-f32', 'chips-memory'];

describe('the HTML report in headless Chromium', { timeout: 120_000 }, () => {
  let browser: Browser | undefined;
  let file = '';

  beforeAll(async () => {
    const dir = tempDir();
    const head = join(dir, 'head.json');
    const base = join(dir, 'base.json');
    writeFileSync(head, JSON.stringify(reportRun()));
    writeFileSync(base, JSON.stringify(reportRun(1.3)));
    file = join(dir, 'report.html');
    const r = await runCli(['report', head, '--baseline', base, '--out', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    if (!existsSync(CHROMIUM)) {
      if (onCi) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium package (.ci/run does)`);
      return;
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('draws every chart, logs no error, fetches nothing, and runs no injected script', async (ctx) => {
    if (!browser) return ctx.skip(`no Chromium at ${CHROMIUM}: install Debian's chromium package, or set CHROMIUM_PATH`);
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
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
    // the regressions of the comparison are highlighted
    await expect(page.locator('section#comparison tr.bad').count()).resolves.toBe(12);

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
});
