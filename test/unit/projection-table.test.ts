import { describe, expect, it } from 'vitest';
import type { InterconnectChip } from '../../src/reference/interconnect.js';
import { renderRingProjection } from '../../src/report/projection-table.js';
import type { CollectiveCase } from '../../src/results/schema.js';

const table: InterconnectChip[] = [
  { id: 'x', chip: 'X', link: 'L', GBps: 2, convention: 'bidirectional-total', source: 's', confidence: 'datasheet' },
  { id: 'y', chip: 'Y', link: 'M', GBps: 2, convention: 'unstated', source: 's', confidence: 'secondary' },
];

function ring(bytes: number, seconds: number, algorithm = 'ring'): CollectiveCase {
  return {
    id: `allreduce-${algorithm}/fake/f32/r2-${bytes}B`, backend: 'fake', precision: 'f32', timing: 'resident', outcome: 'ok',
    startedAt: 'now', wallSeconds: 0, workload: 'allreduce', algorithm, ranks: 2, bytes, elements: bytes / 4, chunking: 'uneven', steps: 2,
    measurement: { samplesSeconds: [seconds], sampleCount: 1, medianSeconds: seconds, meanSeconds: seconds, minSeconds: seconds, maxSeconds: seconds, p99Seconds: seconds, sdSeconds: 0, rmePercent: null, medianCi: { lowSeconds: seconds, highSeconds: seconds, coverage: 0 }, warmupSamples: 0 },
  };
}

describe('ring projection table', () => {
  it('projects each chip with the alpha-beta model beside the measurement, as a range when the direction is unstated', () => {
    // R = 2, S = 1e9 B, alpha 0: t = 1 * S / B; X: B = 1 GB/s -> 1 s; Y: 1 or 2 GB/s -> 0.5 s to 1 s
    const text = renderRingProjection([ring(1e9, 3), ring(1e9, 9, 'direct')], table, 0)!;
    expect(text).toMatch(/X \(L, 2 GB\/s bidirectional-total\)\s+1 GB\/s\s+1\.00 s\n/);
    expect(text).toMatch(/Y \(M, 2 GB\/s unstated\)\s+1 or 2 GB\/s \(unstated\)\s+500 ms to 1\.00 s\n/);
    expect(text).toMatch(/measured here: fake, ring, 2 ranks in one process\s+-\s+3\.00 s/);
    expect(text).not.toContain('9.00 s'); // only ring cases are projected
  });
  it('prints nothing without a ring all-reduce', () => {
    expect(renderRingProjection([ring(4096, 1, 'direct')], table, 0)).toBeUndefined();
  });
});
