/** The SVG charts: log axes with exact ticks, every point and bar drawn, every text escaped. */
import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown } from '../../src/report/escape.js';
import { logTicks, renderBarChart, renderLineChart, siTick, type LineChart } from '../../src/report/svg-chart.js';
import { bytesLabel } from '../../src/results/case-id.js';

describe('escaping', () => {
  it('turns every HTML special character into an entity', () => {
    expect(escapeHtml(`<script>alert("x" & 'y')</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;');
  });

  it('keeps Markdown from reading HTML, emphasis, code or links in a name', () => {
    expect(escapeMarkdown('<b>*x*</b> `y` [z](u) a_b')).toBe('&lt;b&gt;\\*x\\*&lt;/b&gt; \\`y\\` \\[z\\](u) a\\_b');
  });
});

describe('logTicks', () => {
  it('covers the data with whole decades, adding 2x and 5x ticks when it spans two decades or less', () => {
    expect(logTicks(3e8, 2e9, 10)).toEqual({ domain: [1e8, 1e10], ticks: [1e8, 2e8, 5e8, 1e9, 2e9, 5e9, 1e10] });
  });

  it('gives decades only over a wider range', () => {
    expect(logTicks(1e6, 5e13, 10)).toEqual({ domain: [1e6, 1e14], ticks: [1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14] });
  });

  it('thins powers of two to at most 9 ticks', () => {
    const { domain, ticks } = logTicks(4096, 2 ** 30, 2);
    expect(domain).toEqual([2 ** 12, 2 ** 30]);
    // 18 powers of two apart: every third one
    expect(ticks.map(bytesLabel)).toEqual(['4KiB', '32KiB', '256KiB', '2MiB', '16MiB', '128MiB', '1GiB']);
  });

  it('never gives more than 9 ticks, whatever the span', () => {
    for (const [min, max, base] of [[2, 2 ** 17, 2], [1, 2 ** 40, 2], [1e-3, 1e15, 10], [3, 3e9, 10]] as const) {
      const { domain, ticks } = logTicks(min, max, base);
      expect(ticks.length, `${min}..${max}`).toBeLessThanOrEqual(9);
      expect(domain[0]).toBeLessThanOrEqual(min);
      expect(domain[1]).toBeGreaterThanOrEqual(max);
    }
  });

  it('widens a single value to one whole step', () => {
    expect(logTicks(1e9, 1e9, 10).domain).toEqual([1e9, 1e10]);
  });

  it('refuses a range a log axis cannot show', () => {
    expect(() => logTicks(0, 1, 10)).toThrow(RangeError);
    expect(() => logTicks(5, 1, 10)).toThrow(RangeError);
    // Infinity made the tick loop endless: the fuzzer's result file with 1e308 GB/s (1e317 B/s) hung the report
    expect(() => logTicks(1, Infinity, 10)).toThrow(RangeError);
  });
});

describe('siTick', () => {
  it('labels with SI prefixes and at most 3 significant digits', () => {
    expect([2e9, 5e8, 1e12, 500, 0.01, 1.5e3].map(siTick)).toEqual(['2 G', '500 M', '1 T', '500', '10 m', '1.5 k']);
  });
});

const chart = (series: LineChart['series']): LineChart => ({
  kind: 'line',
  id: 'c',
  title: 'T <i>',
  x: { title: 'x (B, log scale)', base: 2, tick: bytesLabel },
  y: { title: 'y (B/s, log scale)', base: 10, tick: siTick },
  series,
});

describe('renderLineChart', () => {
  it('draws one path per series and one mark per point, with titles and the legend escaped', () => {
    const svg = renderLineChart(
      chart([
        { name: 'cpu <script>', points: [{ x: 4096, y: 1e6, note: 'a' }, { x: 8192, y: 2e6, note: 'b' }] },
        { name: 'webgpu', points: [{ x: 4096, y: 3e5, note: 'c' }] },
      ]),
    );
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg.match(/<circle /g)!.length).toBe(3 + 2); // 3 marks, and one swatch dot per legend entry
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('cpu &lt;script&gt;');
    expect(svg).toContain('T &lt;i&gt;');
    expect(svg).toContain('x (B, log scale)');
    expect(svg).toContain('y (B/s, log scale)');
    expect(svg).toContain('>4KiB</text>');
  });

  it('places points on log axes: the geometric middle of the domain at the pixel middle', () => {
    // domain 1e6..1e8 on y (decades), 4KiB..16KiB on x: 1e7 and 8KiB are the middles
    const svg = renderLineChart(chart([{ name: 's', points: [{ x: 4096, y: 1e6, note: '' }, { x: 8192, y: 1e7, note: '' }, { x: 16384, y: 1e8, note: '' }] }]));
    const marks = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)" r="3.5"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(marks).toHaveLength(3);
    const [first, middle, last] = marks as [number, number][];
    expect(middle[0]).toBeCloseTo((first[0] + last[0]) / 2, 0);
    expect(middle[1]).toBeCloseTo((first[1] + last[1]) / 2, 0);
    // and the ends are the plot's edges: 4KiB on the left axis, 1e8 at the top
    expect(first[0]).toBe(84);
    expect(last[1]).toBe(34);
  });

  it('orders each line by x and leaves out points a log axis cannot show', () => {
    const svg = renderLineChart(
      chart([{ name: 's', points: [{ x: 8, y: 2, note: '' }, { x: 2, y: 1, note: '' }, { x: 4, y: 0, note: 'zero' }, { x: 16, y: Infinity, note: 'overflowed' }] }]),
    );
    const d = /<path d="([^"]+)"/.exec(svg)![1]!;
    const xs = d.split(' ').map((step) => Number(step.slice(1).split(',')[0]));
    expect(xs).toHaveLength(2);
    expect(xs[0]).toBeLessThan(xs[1]!);
    expect(svg).not.toContain('zero');
    expect(svg).not.toContain('overflowed');
  });

  it('covers the extent it is given as well as its points, so small multiples share their scales', () => {
    const points = [{ x: 4096, y: 1e6, note: '' }, { x: 8192, y: 2e6, note: '' }];
    const own = renderLineChart(chart([{ name: 's', points }]));
    const shared = renderLineChart({ ...chart([{ name: 's', points }]), extent: { x: [4096, 65536], y: [1e4, 1e9] } });
    expect(own).not.toContain('>64KiB</text>');
    expect(shared).toContain('>64KiB</text>');
    expect(shared).toContain('>10 k</text>');
    expect(shared).toContain('>1 G</text>');
  });

  it('draws a compact chart narrower, and a series in the look its style names', () => {
    const svg = renderLineChart({ ...chart([{ name: 'third', points: [{ x: 4096, y: 1e6, note: '' }], style: 2 }]), compact: true });
    expect(svg).toContain('viewBox="0 0 400 ');
    // the third colour of the palette, whatever the series' place
    expect(svg).toContain('fill="#009E73"');
  });

  it('refuses a chart with nothing to draw', () => {
    expect(() => renderLineChart(chart([{ name: 's', points: [{ x: 1, y: 0, note: '' }] }]))).toThrow(/no point/);
  });
});

describe('renderBarChart', () => {
  it('draws bars largest first, each as long as its value on the log axis, coloured by group in the order given', () => {
    const svg = renderBarChart({
      kind: 'bar',
      id: 'b',
      title: 'bars',
      axis: { title: 'f32 throughput (FLOP/s, log scale)', base: 10, tick: siTick },
      bars: [
        { label: 'here', value: 1e9, group: 'measured here', note: '' },
        { label: 'H100', value: 6.7e13, group: 'chip figure, datasheet', note: '' },
        { label: 'A100', value: 1.95e13, group: 'chip figure, datasheet', note: '' },
        { label: 'unknown', value: 0, group: 'chip figure, datasheet', note: '' },
      ],
    });
    const bars = [...svg.matchAll(/<g class="bar" data-group="([^"]+)"><text[^>]*>([^<]+)<\/text><rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*fill="([^"]+)"/g)];
    expect(bars.map((b) => b[2])).toEqual(['H100', 'A100', 'here']);
    const widths = bars.map((b) => Number(b[4]));
    // the axis starts a decade below the smallest bar and runs from 1e8 to 1e14 over 486 px (81 px a decade):
    // a bar's length is 81 px per decade above 1e8
    const perDecade = (760 - 24 - 250) / 6;
    expect(widths[0]).toBeCloseTo(perDecade * Math.log10(6.7e13 / 1e8), 0);
    expect(widths[1]).toBeCloseTo(perDecade * Math.log10(1.95e13 / 1e8), 0);
    expect(widths[2]).toBeCloseTo(perDecade, 0);
    const colours = new Map(bars.map((b) => [b[1], b[5]]));
    expect(colours.get('measured here')).toBe('#0072B2');
    expect(colours.get('chip figure, datasheet')).toBe('#D55E00');
  });
});
