/**
 * What `chipbench import` prints: for each imported run, its sections (imported-sections.ts) with the table fitted
 * to the terminal, the flags and failures under it (a table cell would cut them), and where the result went.
 */
import type { ImportedCase, RunResult } from '../results/schema.js';
import { renderFittedTable, wrapText } from './fit-width.js';
import { importedSections } from './imported-sections.js';

/** At most this many flagged or failed checks are listed per imported run; the report has them all. */
const MAX_LISTED_CHECKS = 8;

/** Flags and failures, one line per distinct finding: the same words on many cases (validation off) said once, counted. */
function checkLines(cases: ImportedCase[], width: number): string[] {
  const byFinding = new Map<string, string[]>();
  for (const c of cases) {
    for (const k of c.checks.filter((x) => x.status !== 'ok')) {
      const key = `${k.status === 'fail' ? 'FAILED' : 'flag'}\u0000${k.detail.replace(/^(?:out-of-place|in-place): /, '')}`;
      byFinding.set(key, [...new Set([...(byFinding.get(key) ?? []), c.id])]);
    }
  }
  const lines = [...byFinding].map(([key, ids]) => {
    const [status, detail] = key.split('\u0000');
    return `${status} ${ids.length === 1 ? ids[0] : `${ids.length} cases (${ids[0]}, ...)`}: ${detail}`;
  });
  const shown = lines.slice(0, MAX_LISTED_CHECKS).map((l) => wrapText(l, width));
  return lines.length > MAX_LISTED_CHECKS ? [...shown, `... and ${lines.length - MAX_LISTED_CHECKS} more (chipbench report shows every check)`] : shown;
}

/** The summary of an import: `ids` are the cases this import read, `path` the file written. */
export function renderImportSummary(run: RunResult, ids: string[], path: string, width: number): string {
  const wanted = new Set(ids);
  const imported = run.cases.filter((c): c is ImportedCase => c.workload === 'imported' && wanted.has(c.id));
  const view: RunResult = { ...run, cases: imported };
  const out: string[] = [];
  for (const section of importedSections(view)) {
    const keep = section.table.headers.map((_, i) => i).filter((i) => !(section.table.detailColumns ?? []).includes(i));
    const pick = (cells: string[]) => keep.map((i) => cells[i] ?? '');

    out.push(section.title, ...section.notes.map((n) => wrapText(n, width)), renderFittedTable(pick(section.table.headers), section.table.rows.map(pick), width, { drop: [], shrink: keep.map((_, i) => i) }), '');

  }
  out.push(...checkLines(imported, width));
  const failed = imported.filter((c) => c.outcome !== 'ok').length;
  out.push(`chipbench import: ${imported.length} case(s)${failed > 0 ? `, ${failed} FAILED` : ''}, written to ${path}`);
  return out.join('\n');
}
