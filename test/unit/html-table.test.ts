/** The HTML report's tables and notes: long columns folded per row with their flags in view, rows and tables folded, labels for narrow screens. */
import { describe, expect, it } from 'vitest';
import { openingOf, renderHtmlReport } from '../../src/report/html-report.js';
import { leadOf, renderTable } from '../../src/report/html-table.js';
import type { ReportTable } from '../../src/report/report-model.js';

const table: ReportTable = {
  headers: ['case', 'rate', 'evidence', 'verified'],
  rows: [
    ['gemm/cpu/f32/m256-n256-k256/resident', '1.20 GFLOP/s ±1.6%', '3 forks, spread 0.5% (model 0.9%, 3 df), NOT STEADY in 1/3', 'yes: err 1.6e-8 <= 1.5e-5'],
    ['gemm/cpu/f32/m64-n64-k64/resident', '1.10 GFLOP/s ±1.6%', '3 forks, spread 0.5%', 'NO: err 2e-3 > 1.5e-5'],
  ],
  marks: ['bad', undefined],
  detailColumns: [2, 3],
};

describe('leadOf', () => {
  it("keeps a folded cell's short first clause and every clause that raises a flag", () => {
    expect(leadOf('3 forks, spread 0.5% (model 0.9%, 3 df), NOT STEADY in 1/3, steadiness untested in 2/3')).toEqual(['3 forks', 'NOT STEADY in 1/3']);
    expect(leadOf('yes: err 1.6e-8 <= 1.5e-5')).toEqual(['yes']);
    expect(leadOf('NO: err 2e-3 > 1.5e-5')).toEqual(['NO']);
    expect(leadOf("'About two thirds' is read as within 10% of 2/3 (0.60 to 0.73)")).toEqual([]);
  });
});

describe('renderTable', () => {
  it('folds the detail columns into one <details> per row, named in the header, with each cell whole inside', () => {
    const html = renderTable(table);
    expect(html).toContain('<th scope="col">case</th><th scope="col">rate</th><th scope="col">evidence, verified</th></tr></thead>');
    expect(html.match(/<details>/g)).toHaveLength(2);
    expect(html).toContain('<summary><span class="narrow-label">evidence, verified: </span>3 forks · NOT STEADY in 1/3 · yes</summary>');
    expect(html).toContain('<dt>verified</dt><dd>yes: err 1.6e-8 &lt;= 1.5e-5</dd>');
    expect(html).toContain('3 forks · NO</summary>');
    // every cell names its column for the stacked layout; a long id may break anywhere; the mark stays on its row
    expect(html).toContain('<td class="long-word" data-label="case">gemm/cpu/f32/m256-n256-k256/resident</td>');
    expect(html).toContain('<td class="num" data-label="rate">1.20 GFLOP/s ±1.6%</td>');
    expect(html).toContain('<tr class="bad">');
  });

  it('says a fixed line in every fold where the table gives one', () => {
    const html = renderTable({ ...table, detailLabel: 'how it is read' });
    expect(html.match(/<summary>how it is read<\/summary>/g)).toHaveLength(2);
  });

  it('folds a whole table under its line, and named rows in a table of their own below the rows in view', () => {
    expect(renderTable({ ...table, fold: 'Every figure (2 rows)' })).toMatch(/^<details class="table-fold"><summary>Every figure \(2 rows\)<\/summary>\n<table/);
    const html = renderTable({ ...table, foldRows: { rows: [1], summary: '1 case(s) unchanged or inconclusive' } });
    const [inView, folded] = html.split('<details class="table-fold">');
    expect(inView).toContain('m256-n256-k256');
    expect(inView).not.toContain('m64-n64-k64');
    expect(folded).toMatch(/^<summary>1 case\(s\) unchanged or inconclusive<\/summary>/);
    expect(folded).toContain('m64-n64-k64');
  });

  it('renders a table of label/value pairs without a header row or labels', () => {
    const html = renderTable({ headers: ['', ''], rows: [['host', 'vm']] });
    expect(html).toBe('<table class="pairs"><tbody>\n<tr><td>host</td><td>vm</td></tr>\n</tbody></table>');
  });
});

describe('the page', () => {
  const section = (id: string, notes: string[]) => ({ id, title: id, notes, table: { headers: ['', ''], rows: [['a', 'b']] } });

  it('puts the first section right under the title, the contents folded in one line and the warnings before it', () => {
    const html = renderHtmlReport({ title: 'T', warnings: ['W'], sections: [section('summary', []), section('run', [])] });
    const body = html.slice(html.indexOf('<body>'));
    expect(body.indexOf('<h1>')).toBeLessThan(body.indexOf('<details class="contents">'));
    expect(body.indexOf('<details class="contents">')).toBeLessThan(body.indexOf('<p class="warning">W</p>'));
    expect(body.indexOf('<p class="warning">W</p>')).toBeLessThan(body.indexOf('<section id="summary">'));
    expect(body).toContain('<summary>Contents: 2 sections</summary><nav><a href="#summary">summary</a>');
  });

  it('folds a long note under its opening words and keeps a short one in view', () => {
    const long = `Each case runs in several worker processes (forks); ${'x '.repeat(200)}`;
    const html = renderHtmlReport({ title: 'T', warnings: [], sections: [section('s', ['short', long])] });
    expect(html).toContain('<p class="note">short</p>');
    expect(html).toContain('<details class="note"><summary>Each case runs in several worker processes (forks)…</summary>Each case');
  });

  it('cuts an opening without an early stop at a word', () => {
    expect(openingOf(`${'word '.repeat(30)}.`)).toBe(`${'word '.repeat(18).trimEnd()}…`);
  });
});
