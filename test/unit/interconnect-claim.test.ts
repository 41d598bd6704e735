import { describe, expect, it } from 'vitest';
import { loadChipTable } from '../../src/reference/chips.js';
import { interconnectChips, requireInterconnect } from '../../src/reference/interconnect.js';
import { overlapRangesFor, slowdown, stepSeconds, type StepModel } from '../../src/reference/interconnect-claim.js';

const A100 = { id: 'a100', chip: 'A100', link: 'NVLink', GBps: 600, convention: 'bidirectional-total' as const, source: 't', confidence: 'datasheet' as const };
const A800 = { ...A100, chip: 'A800', GBps: 400 };
// 1e10 f16 parameters on 8 GPUs, no latency: t_comm = 1.75 * 2e10 / (B/2 * 1e9)
const model: StepModel = { parameters: 1e10, bytesPerParameter: 2, gpus: 8, computeSeconds: 0.1, alphaSeconds: 0 };

describe('the claim-2 step model', () => {
  it('computes exposed communication exactly on tiny inputs', () => {
    const commA100 = (1.75 * 2e10) / 300e9; // 0.11667 s
    const commA800 = (1.75 * 2e10) / 200e9; // 0.175 s
    expect(stepSeconds(model, A100, 0)).toBeCloseTo(0.1 + commA100, 12);
    expect(stepSeconds(model, A800, 0)).toBeCloseTo(0.1 + commA800, 12);
    // half overlapped: 0.5 * 0.175 = 0.0875 hidden under 0.1 of compute
    expect(stepSeconds(model, A800, 0.5)).toBeCloseTo(0.1 + 0.0875, 12);
    // fully overlapped, communication longer than compute: the excess shows
    expect(stepSeconds(model, A800, 1)).toBeCloseTo(0.175, 12);
    expect(slowdown(model, A100, A800, 0)).toBeCloseTo((0.1 + commA800) / (0.1 + commA100) - 1, 12);
  });
  it('finds every overlap interval in which a slowdown band holds, or none', () => {
    const ranges = overlapRangesFor(model, A100, A800, 0.2, 0.35, 100);
    expect(ranges.length).toBeGreaterThan(0);
    for (let i = 0; i <= 100; i++) {
      const f = i / 100;
      const s = slowdown(model, A100, A800, f);
      const inside = ranges.some((r) => f >= r.from && f <= r.to);
      expect({ f, inside }).toEqual({ f, inside: s >= 0.2 && s <= 0.35 });
    }
    expect(overlapRangesFor(model, A100, A800, 0.9, 1)).toEqual([]);
  });
  it('refuses an overlap outside [0, 1]', () => {
    expect(() => stepSeconds(model, A100, 1.5)).toThrow(RangeError);
  });
});

describe('interconnect figures from the shipped chip table', () => {
  it('keep conventions and sources, and leave out chips whose link is unknown', () => {
    const table = loadChipTable();
    expect(requireInterconnect(table, 'a800-sxm4-80gb').GBps).toBe(400);
    expect(requireInterconnect(table, 'h100-sxm5').convention).toBe('bidirectional-total');
    expect(requireInterconnect(table, 'h100-sxm5').source).toContain('NVIDIA H100');
    expect(requireInterconnect(table, 'ascend-910c').convention).toBe('unstated');
    // 910B1's HCCS figure is unknown: it is not projected, and asking for it says so
    expect(interconnectChips(table).map((c) => c.id)).not.toContain('ascend-910b1');
    expect(() => requireInterconnect(table, 'ascend-910b1')).toThrow(/does not know ascend-910b1's interconnect bandwidth/);
    expect(() => requireInterconnect(table, 'b200')).toThrow(/no chip 'b200'/);
  });
});
