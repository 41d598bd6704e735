/**
 * The article's claims, evaluated: for each, the article's words and
 * figures, the article's own arithmetic first, how its words are read, every
 * check against the chip table's spec figures with the verdict they give,
 * then, where measured figures exist, the checks and verdict from those,
 * with each figure's method and source; then a one-line-per-claim summary.
 */
import type { CheckResult, ClaimResult, MeasuredUse } from '../reference/evaluate-claims.js';
import { formatArticleFigure } from '../reference/evaluate-claims.js';
import { renderFittedTable, wrapLine } from './fit-width.js';

/** '[yes]', '[no]', '[n/a]' (cannot be computed), '[info]' (shown beside, never judged). */
export function checkMark(check: CheckResult): string {
  if (check.kind === 'measured-figure') return 'info';
  return check.holds === undefined ? 'n/a' : check.holds ? 'yes' : 'no';
}

/** One measured figure as a claim lists it: device, value with precision and unit, its share of its own peak, method, versions, devices, source keys. */
export function describeMeasuredUse(u: MeasuredUse): string {
  const f = u.figure;
  const m = f.method;
  return [
    `[${u.ref}] ${f.device} (${f.chip}), ${f.quantity === 'matmul' ? 'matmul' : 'all-reduce busbw'}: ${u.peak.note}`,
    `${m.tool}, ${m.shape}, statistic ${m.statistic}`,
    f.software ?? 'versions not given',
    `${f.devices} device${f.devices === 1 ? '' : 's'}${f.quantity === 'allreduce-busbw' ? ' (ranks)' : ''}${f.environment ? `, ${f.environment}` : ''}`,
    ...(f.contributor ? [`by ${f.contributor}`] : []),
    ...(f.supersededBy ? [`later replaced by its contributor's re-run (${f.supersededBy})`] : []),
    `[${f.sources.join(', ')}]`,
  ].join('; ');
}

/** Each line wrapped to the width, its continuation lines indented under it, so a terminal can read the arithmetic. */
function fitLines(text: string, width: number): string {
  if (!Number.isFinite(width)) return text;
  return text
    .split('\n')
    .flatMap((line) => {
      const indent = /^\s*/.exec(line)![0];
      const room = Math.max(20, width - indent.length - 2);
      return wrapLine(line.slice(indent.length), room).map((part, i) => `${indent}${i > 0 ? '  ' : ''}${part}`);
    })
    .join('\n');
}

/** The claims as console text, fitted to `width` columns (unbounded by default). */
export function renderClaims(results: ClaimResult[], width = Infinity): string {
  const blocks = results.map(({ claim, figures, articleArithmetic, checks, verdict, measured }) => {
    const lines = [`Claim ${claim.number} (${claim.id}): ${claim.text}`];
    if (figures.length > 0) {
      lines.push(`  the article's figures: ${figures.map(formatArticleFigure).join('; ')}`);
    }
    if (articleArithmetic) lines.push(`  the article's arithmetic: ${articleArithmetic}`);
    lines.push(`  read as: ${claim.interpretation}`);
    if (measured) lines.push('  from the datasheets (chips.json):');
    for (const check of checks) {
      lines.push(`  [${checkMark(check)}] ${check.role === 'context' ? '(context) ' : ''}${check.label}: ${check.arithmetic}`);
    }
    lines.push(`  verdict${measured ? ' from the datasheets' : ''}: ${verdict.toUpperCase()}`);
    if (measured) {
      lines.push('  from measured figures (measurements.json):');
      for (const check of measured.checks) {
        lines.push(`  [${checkMark(check)}] ${check.role === 'context' ? '(context) ' : ''}${check.label}: ${check.arithmetic}`);
      }
      if (measured.figures.length > 0) {
        lines.push('  the measured figures:');
        for (const u of measured.figures) lines.push(`    ${describeMeasuredUse(u)}`);
        lines.push('  their sources:');
        for (const [key, source] of Object.entries(measured.sources)) lines.push(`    [${key}] ${source}`);
      }
      lines.push(`  verdict from measured figures: ${measured.verdict.toUpperCase()}`);
    }
    return lines.join('\n');
  });
  const summary = renderFittedTable(
    ['claim', 'verdict', 'statement', 'from measured figures'],
    results.map((r) => [String(r.claim.number), r.verdict, r.claim.text.length > 90 ? `${r.claim.text.slice(0, 87)}...` : r.claim.text, r.measured?.verdict ?? '-']),
    width,
    { shrink: [2] },
  );
  return [
    ...blocks.map((b) => fitLines(b, width)),
    summary,
    'Verdicts come from the primary checks only ([yes]/[no]; [n/a]: it cannot be computed; [info]: shown, never judged). Every ratio divides one quantity at one precision by the same ' +
      'quantity on the other chip. The first verdict uses the chip table\'s spec figures; the second, measured figures, each with its method and source. ' +
      'A measured f32 figure is only ever set against an FP32 non-tensor peak, and one above it (TF32 under an f32 label) is not used.',
  ]
    .map((part, i, all) => (i === all.length - 1 ? fitLines(part, width) : part))
    .join('\n\n');
}
