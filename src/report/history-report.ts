/**
 * A history as a table: one row per case, one column per run. A cell is the
 * case's figure, marked against the previous run: 'v' significantly worse,
 * '^' significantly better (compare's rule), then what kind of change it
 * is: STEP (the two runs before and the two from it on all differ the same
 * way), blip (they do not: one noisy run, before or at it), ? (the newest
 * run: not yet confirmed). The last column lists the steps.
 */
import type { History, HistoryCell } from '../compare/history.js';
import { renderTextTable } from './text-table.js';

function cell(c: HistoryCell): string {
  if (c.outcome === undefined) return '';
  if (c.value === undefined) return c.outcome.toUpperCase();
  const mark = c.verdict === 'regressed' ? ' v' : c.verdict === 'improved' ? ' ^' : '';
  const kind = c.kind === 'step' ? ' STEP' : c.kind === 'blip' ? ' blip' : c.kind === 'unconfirmed' ? ' ?' : '';
  return `${c.value.toPrecision(3)}${mark}${kind}`;
}

export function renderHistory(history: History): string {
  const headers = ['case', 'unit', ...history.runs.map((r, i) => `#${i + 1} ${r.startedAt.slice(0, 16)}${r.commit ? ` ${r.commit.slice(0, 7)}` : ''}`), 'lasting changes'];
  const rows = history.rows.map((row) => {
    const steps = row.cells.flatMap((c, i) => (c.kind === 'step' && c.change !== undefined ? [`${c.change >= 0 ? '+' : ''}${(100 * c.change).toFixed(1)}% at #${i + 1}`] : []));
    return [row.id, row.unit ?? '', ...row.cells.map(cell), steps.join(', ') || '-'];
  });
  const stepCount = history.rows.reduce((n, r) => n + r.cells.filter((c) => c.kind === 'step').length, 0);
  const blipCount = history.rows.reduce((n, r) => n + r.cells.filter((c) => c.kind === 'blip').length, 0);
  return [
    renderTextTable(headers, rows),
    '',
    `${history.runs.length} runs; ${stepCount} lasting step change(s), ${blipCount} one-run blip(s). ` +
      "Marks against the previous run: v worse, ^ better (past the threshold with confidence and significant, as 'chipbench compare'); " +
      'STEP: the two runs before and the two from it on all differ the same way; blip: they do not (one noisy run); ?: the newest run, not yet confirmed.',
  ].join('\n');
}
