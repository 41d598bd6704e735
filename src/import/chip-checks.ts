/**
 * An imported figure set beside its own chip, once the device it names is a chip of the table: a matmul rate
 * against the peak at its stated precision (an "f32" rate above the FP32 non-tensor peak is TF32 under an f32 label,
 * flagged and never compared as f32), a bus bandwidth against the link's per-direction rate (above it: in-network
 * reduction, NVLS or SHARP, where busbw no longer maps to the wire). src/reference/measured-check.ts holds the rules.
 */
import type { ChipTable } from '../reference/chips.js';
import { checkAgainstPeak, chipIdForDevice, type PeakBasis } from '../reference/measured-check.js';
import { chipById } from '../reference/chips.js';
import type { MeasuredPrecision } from '../reference/measurements.js';
import type { ImportCheck, ImportedCase } from '../results/schema.js';

/** chipbench's precision names (src/import/precision.ts) as the measured figures' (src/reference/measurements.ts). */
const MEASURED: Record<string, MeasuredPrecision> = { f64: 'fp64', f32: 'fp32', tf32: 'tf32', f16: 'fp16', bf16: 'bf16', f8e4m3: 'fp8', f8e5m2: 'fp8', i8: 'int8' };

export function measuredPrecisionOf(precision: string): MeasuredPrecision | undefined {
  return MEASURED[precision];
}

/** The chip id an imported case's devices name, where they all name one chip of the table. */
export function chipOfCase(c: ImportedCase, table: ChipTable): string | undefined {
  const names = [...new Set(c.source.devices.map((d) => d.name))];
  const name = names.length === 1 ? names[0]! : c.executed?.device.name;
  return name && !name.includes(' + ') ? chipIdForDevice(table, name) : undefined;
}

/** The peak or link check of one ok imported case, or none where its chip or precision is not known. */
export function chipCheck(c: ImportedCase, table: ChipTable): ImportCheck | undefined {
  if (c.outcome !== 'ok' || !c.metrics) return undefined;
  const chipId = chipOfCase(c, table);
  const chip = chipId ? chipById(table, chipId) : undefined;
  if (!chip) return undefined;
  if (c.kind === 'matmul') {
    const precision = measuredPrecisionOf(c.precision);
    if (!precision) return undefined;
    const r = checkAgainstPeak(chip, precision, c.metrics.value * 1e12);
    return { check: 'peak', status: r.flag ? 'flag' : 'ok', detail: r.note };
  }
  // an algbw (one rank: no bus traffic) says nothing of a link
  if (c.kind === 'collective' && c.metrics.name === 'busbw') {
    const basis: PeakBasis = 'allreduce-busbw';
    const r = checkAgainstPeak(chip, basis, c.metrics.value * 1e9);
    const across = c.source.hosts.length > 1 ? ` (${c.source.hosts.length} hosts: between them the network, not ${chip.interconnect.link}, bounds it)` : '';
    return { check: 'link', status: r.flag ? 'flag' : 'ok', detail: `${c.operation} busbw: ${r.note}${across}` };
  }
  return undefined;
}

/** Every case with its chip check added (a flag is kept beside the figure; it never fails the case). */
export function withChipChecks(cases: ImportedCase[], table: ChipTable): ImportedCase[] {
  return cases.map((c) => {
    const check = chipCheck(c, table);
    return check ? { ...c, checks: [...c.checks, check] } : c;
  });
}
