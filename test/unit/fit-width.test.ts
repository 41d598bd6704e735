/**
 * Fitting console text to a terminal: wrapping at spaces, cutting with an ellipsis, leaving columns out in the
 * order given and shortening cells, all counted in UTF-8 bytes (mawk's length) so '±' and 'µ' cannot push a line
 * past the width; and the width itself from --wide, COLUMNS, the terminal or a pipe.
 */
import { describe, expect, it } from 'vitest';
import { cutLine, fitTable, lineWidth, renderFittedTable, wrapLine } from '../../src/report/fit-width.js';
import { consoleWidth } from '../../src/cli/console-width.js';

describe('wrapLine and cutLine', () => {
  it('breaks after spaces, keeping the indent and a list item\'s hanging indent', () => {
    expect(wrapLine('aaa bbb ccc ddd', 8)).toEqual(['aaa bbb', 'ccc ddd']);
    expect(wrapLine('  aaa bbb ccc', 9)).toEqual(['  aaa bbb', '  ccc']);
    expect(wrapLine('  - aaa bbb ccc', 11)).toEqual(['  - aaa bbb', '    ccc']);
    expect(wrapLine('short', 80)).toEqual(['short']);
    expect(wrapLine('a very long line', Infinity)).toEqual(['a very long line']);
  });

  it('cuts a word longer than the line, and counts bytes: ± is two', () => {
    expect(wrapLine('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(lineWidth('±1%')).toBe(4);
    expect(wrapLine('x ±1% y', 5)).toEqual(['x', '±1%', 'y']);
  });

  it('cuts one line to the width with an ellipsis (three bytes)', () => {
    expect(cutLine('abcdefghij', 7)).toBe('abcd…');
    expect(lineWidth(cutLine('abcdefghij', 7))).toBe(7);
    expect(cutLine('abc', 7)).toBe('abc');
  });
});

describe('fitTable', () => {
  const headers = ['a', 'bbbbbbbbbb', 'c', 'd'];
  const rows = [['1', 'x'.repeat(30), '3', 'yyyy']];

  it('leaves a table that fits as it is', () => {
    expect(fitTable(headers, rows, 200)).toEqual({ headers, rows, dropped: [] });
  });

  it('drops columns in the order given, only as far as needed', () => {
    // full: 1 + 2 + 30 + 2 + 1 + 2 + 4 = 42; without d: 36; without d and c: 33
    const fitted = fitTable(headers, rows, 36, { drop: [3, 2] });
    expect(fitted.headers).toEqual(['a', 'bbbbbbbbbb', 'c']);
    expect(fitted.dropped).toEqual(['d']);
  });

  it('then shortens the shrinkable column with an ellipsis, never below its header', () => {
    const fitted = fitTable(headers, rows, 20, { drop: [3], shrink: [1] });
    // 20 bytes: 1 + 2 + 14 + 2 + 1, the ellipsis being 3 bytes of the 14
    expect(fitted.rows[0]![1]).toBe(`${'x'.repeat(11)}…`);
    const text = renderFittedTable(headers, rows, 20, { drop: [3], shrink: [1] });
    for (const l of text.split('\n').slice(0, 3)) expect(lineWidth(l)).toBeLessThanOrEqual(20);
    expect(text.split('\n').slice(3).join(' ')).toContain('left out to fit the terminal: d;');
  });
});

describe('consoleWidth', () => {
  it('is unlimited with --wide, COLUMNS when set, the terminal\'s width, else 120; never under 60', () => {
    expect(consoleWidth(true, { isTTY: true, columns: 80 }, {})).toBe(Infinity);
    expect(consoleWidth(false, { isTTY: true, columns: 80 }, { COLUMNS: '100' })).toBe(100);
    expect(consoleWidth(false, { isTTY: true, columns: 80 }, {})).toBe(80);
    expect(consoleWidth(false, { isTTY: false }, {})).toBe(120);
    expect(consoleWidth(false, { isTTY: false }, { COLUMNS: 'wide' })).toBe(120);
    expect(consoleWidth(false, { isTTY: true, columns: 40 }, {})).toBe(60);
  });
});
