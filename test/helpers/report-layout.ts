/**
 * What a page of the HTML report must hold in Chromium, measured in the page itself (one round trip): nothing past
 * the window's right edge or scrolling sideways, every chart drawn, the first section in the first screenful.
 * Run by test/browser/report-chromium.test.ts at 1400 and 390 px, with every <details> shut and then open.
 */
import type { Page } from 'playwright-core';

export interface Layout {
  innerWidth: number;
  /** the page's own width: wider than the window means scrolling sideways */
  scrollWidth: number;
  /** 'tag#id.class: right edge' of every table, svg, pre and figure past the right edge, or wider than its own box */
  pastEdge: string[];
  /** any other element past the right edge (charts' insides excepted: an SVG clips what it draws) */
  elementsPastEdge: string[];
  /** an element that scrolls sideways inside the page: a box hiding a wide table does not count as fitting */
  scrollBoxes: string[];
  /** data-chart of every chart, with its marks and how many lie outside its box */
  charts: { id: string; marks: number; outside: number }[];
  /** the first section's heading top and its table's top and bottom, from the top of the page */
  first: { id: string; heading: number; tableTop: number; tableBottom: number };
  pageHeight: number;
}

export function measureLayout(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const W = window.innerWidth;
    const name = (e: Element) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.getAttribute('class') ? `.${e.getAttribute('class')!.split(' ').join('.')}` : ''}`;
    const right = (e: Element) => e.getBoundingClientRect().right;
    const pastEdge = [...document.querySelectorAll('table, svg, pre, figure')]
      .filter((e) => right(e) > W + 0.5 || e.scrollWidth > W)
      .map((e) => `${name(e)}: ${right(e)}`);
    const inChart = (e: Element) => e.closest('svg') !== null && e.tagName.toLowerCase() !== 'svg';
    const elementsPastEdge = [...document.querySelectorAll('body *')].filter((e) => !inChart(e) && right(e) > W + 0.5).map((e) => `${name(e)}: ${right(e)}`);
    const scrollBoxes = [...document.querySelectorAll('body *')]
      .filter((e) => !inChart(e) && e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
      .map(name);
    const charts = [...document.querySelectorAll('svg.chart')].map((svg) => {
      const box = svg.getBoundingClientRect();
      const marks = [...svg.querySelectorAll('g.series circle, g.bar rect')].map((m) => m.getBoundingClientRect());
      const outside = marks.filter((m) => m.width === 0 || m.left < box.left - 0.5 || m.right > box.right + 0.5 || m.top < box.top - 0.5 || m.bottom > box.bottom + 0.5);
      return { id: svg.getAttribute('data-chart')!, marks: marks.length, outside: outside.length };
    });
    const section = document.querySelector('section')!;
    const table = section.querySelector('table')!.getBoundingClientRect();
    return {
      innerWidth: W,
      scrollWidth: document.documentElement.scrollWidth,
      pastEdge,
      elementsPastEdge,
      scrollBoxes,
      charts,
      first: { id: section.id, heading: section.querySelector('h2')!.getBoundingClientRect().top + scrollY, tableTop: table.top + scrollY, tableBottom: table.bottom + scrollY },
      pageHeight: document.documentElement.scrollHeight,
    };
  });
}

/** Opens every <details>: folded text must fit as well once a reader opens it. */
export async function openAllDetails(page: Page): Promise<number> {
  return page.evaluate(() => {
    const all = [...document.querySelectorAll('details')];
    for (const d of all) d.open = true;
    return all.length;
  });
}
