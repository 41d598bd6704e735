/**
 * A result file of imported figures as measured figures (src/reference/measurements.ts), so a user's own cluster can
 * be named as a source beside the public measurements: `chipbench claims --measured FILE`. Only figures whose devices
 * name a chip of the table, at a precision the table has a peak for: matmul rates per statistic, and each all-reduce
 * run's peak out-of-place busbw. An "f32" rate flagged above the FP32 non-tensor peak goes in marked as mislabelled
 * (likely TF32), so it is shown and never used as f32; any other figure flagged above its peak is left out.
 */
import type { ChipTable } from '../reference/chips.js';
import type { MeasuredFigure, MeasurementSource } from '../reference/measurements.js';
import { bytesLabel } from '../results/case-id.js';
import type { ImportedCase, RunResult } from '../results/schema.js';
import { chipOfCase, measuredPrecisionOf } from './chip-checks.js';

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'x';

function softwareOf(c: ImportedCase): string | undefined {
  const parts = [`${c.source.tool}${c.source.version ? ` ${c.source.version}` : ''}`, ...Object.entries(c.source.software).map(([k, v]) => `${k} ${v}`)];
  return parts.join(' + ').slice(0, 500);
}

function matmulFigure(c: ImportedCase, chip: string, sourceKey: string, id: string): MeasuredFigure | undefined {
  const precision = measuredPrecisionOf(c.precision);
  const peak = c.checks.find((k) => k.check === 'peak');
  if (!precision || !c.matmul || !c.metrics) return undefined;
  const tf32UnderF32 = peak?.status === 'flag' && precision === 'fp32';
  if (peak?.status === 'flag' && !tf32UnderF32) return undefined;
  const shape = c.matmul.shape ? `best shape ${c.matmul.shape.m}x${c.matmul.shape.n}x${c.matmul.shape.k}` : `over the ${c.matmul.shapesTried ?? ''} shapes tried`.replace('  ', ' ');
  return {
    id,
    chip,
    device: c.executed?.device.name ?? chip,
    quantity: 'matmul',
    precision,
    value: Number(c.metrics.value.toPrecision(6)),
    unit: 'TFLOP/s',
    method: { tool: c.source.tool, shape, statistic: c.matmul.statistic === 'geomean' ? 'mean' : c.matmul.statistic, ...(c.matmul.statistic === 'geomean' ? { detail: 'geometric mean over the shapes' } : {}) },
    ...(softwareOf(c) ? { software: softwareOf(c) } : {}),
    devices: Math.max(1, c.source.devices.length),
    sources: [sourceKey],
    ...(tf32UnderF32 ? { mislabelled: { likely: 'tf32' as const, note: `${c.source.tool} labelled it ${c.dtype}, but it lies above the chip's FP32 non-tensor peak` } } : {}),
  };
}

/** Each imported all-reduce run's best out-of-place busbw, one figure per run (file, devices, ranks, precision). */
function busbwFigures(cases: ImportedCase[], table: ChipTable, sourceKey: (c: ImportedCase) => string, nextId: () => string): MeasuredFigure[] {
  const runs = new Map<string, ImportedCase[]>();
  for (const c of cases.filter((x) => x.kind === 'collective' && x.operation === 'all_reduce' && x.outcome === 'ok' && x.metrics?.name === 'busbw' && x.collective)) {
    const k = [c.source.file, c.precision, c.source.ranks, c.source.hosts.length].join('|');
    runs.set(k, [...(runs.get(k) ?? []), c]);
  }
  return [...runs.values()].flatMap((run) => {
    const best = run.reduce((a, c) => (c.metrics!.value > a.metrics!.value ? c : a));
    const chip = chipOfCase(best, table);
    const precision = measuredPrecisionOf(best.precision);
    const link = best.checks.find((k) => k.check === 'link');
    if (!chip || !precision || link?.status === 'flag') return [];
    const sizes = run.map((c) => c.collective!.bytes);
    return [
      {
        id: nextId(),
        chip,
        device: best.executed?.device.name ?? chip,
        quantity: 'allreduce-busbw' as const,
        precision,
        value: Number(best.metrics!.value.toPrecision(6)),
        unit: 'GB/s' as const,
        method: { tool: `${best.source.tool} all_reduce`, shape: `${bytesLabel(Math.min(...sizes))} to ${bytesLabel(Math.max(...sizes))}, the best at ${bytesLabel(best.collective!.bytes)}, out-of-place`, statistic: 'max' as const },
        ...(softwareOf(best) ? { software: softwareOf(best) } : {}),
        environment: `${best.source.hosts.length || '?'} host(s)`,
        devices: best.source.ranks ?? Math.max(1, best.source.devices.length),
        sources: [sourceKey(best)],
      },
    ];
  });
}

/** The measured figures of result files written by `chipbench import`, with a source for each file. */
export function measuredFiguresOf(results: { label: string; run: RunResult }[], table: ChipTable): { figures: MeasuredFigure[]; sources: Record<string, MeasurementSource> } {
  const sources: Record<string, MeasurementSource> = {};
  const figures: MeasuredFigure[] = [];
  let n = 0;
  const nextId = () => `yours-${++n}`;
  results.forEach(({ label, run }, i) => {
    const key = `yours-${i + 1}-${slug(label)}`.slice(0, 80);
    sources[key] = { title: `${label}: chipbench import of ${[...new Set(run.cases.map((c) => c.backend))].join(', ')}`, accessed: run.startedAt.slice(0, 10) };
    const imported = run.cases.filter((c): c is ImportedCase => c.workload === 'imported');
    for (const c of imported.filter((x) => x.kind === 'matmul' && x.outcome === 'ok')) {
      const chip = chipOfCase(c, table);
      const figure = chip ? matmulFigure(c, chip, key, `yours-${n + 1}`) : undefined;
      if (figure) {
        n += 1;
        figures.push(figure);
      }
    }
    figures.push(...busbwFigures(imported, table, () => key, nextId));
  });
  return { figures, sources };
}
