/**
 * The article's claims, evaluated: for each, the article's words and
 * figures, how they are read as arithmetic, every check with its numbers,
 * and the verdict; then a one-line-per-claim summary.
 */
import type { ClaimResult } from '../reference/evaluate-claims.js';
import { formatArticleFigure } from '../reference/evaluate-claims.js';
import { renderTextTable } from './text-table.js';

export function renderClaims(results: ClaimResult[]): string {
  const blocks = results.map(({ claim, figures, checks, verdict }) => {
    const lines = [`Claim ${claim.number} (${claim.id}): ${claim.text}`];
    if (figures.length > 0) {
      lines.push(`  the article's figures: ${figures.map(formatArticleFigure).join('; ')}`);
    }
    lines.push(`  read as: ${claim.interpretation}`);
    for (const check of checks) {
      const mark = check.holds === undefined ? 'n/a' : check.holds ? 'yes' : 'no';
      lines.push(`  [${mark}] ${check.role === 'context' ? '(context) ' : ''}${check.label}: ${check.arithmetic}`);
    }
    lines.push(`  verdict: ${verdict.toUpperCase()}`);
    return lines.join('\n');
  });
  const summary = renderTextTable(
    ['claim', 'verdict', 'statement'],
    results.map((r) => [String(r.claim.number), r.verdict, r.claim.text.length > 90 ? `${r.claim.text.slice(0, 87)}...` : r.claim.text]),
  );
  return [
    ...blocks,
    summary,
    'Verdicts come from the primary checks only ([yes]/[no]; [n/a]: the table cannot compute it). Every ratio divides one quantity at one precision by the same ' +
      'quantity on the other chip. These are spec figures, not measurements.',
  ].join('\n\n');
}
