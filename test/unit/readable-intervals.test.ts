/**
 * How intervals are printed: exact strings for a rate with its interval, an
 * interval past +-50% (shown as beyond it), one process's interval (spread
 * unknown), the evidence column with the noise model's spread, a change's
 * bounds in compare, and the exports of a one-fork case.
 */
import { describe, expect, it } from 'vitest';
import { describeEvidence, describeRate, describeRelative, describeWithInterval } from '../../src/report/describe.js';
import { comparisonRow } from '../../src/report/compare-report.js';
import { toBencherMetricFormat, toGithubActionBenchmark } from '../../src/export/exports.js';
import { restateHeadlines } from '../../src/harness/forks.js';
import { gemmCase, runWith } from '../helpers/run-result.js';
import type { CaseComparison } from '../../src/compare/compare-runs.js';
import { RESULT_SCHEMA_VERSION, type GemmCase, type Measurement, type RunResult } from '../../src/results/schema.js';
import { parseRunResult } from '../../src/results/read-result.js';
import { withMeasurement } from '../../src/results/case-figures.js';
import { compareRuns } from '../../src/compare/compare-runs.js';

/** A GEMM case of 1000^3 (2 GFLOP) whose interval is [low, high] seconds around 1 s. */
function withInterval(lowSeconds: number, highSeconds: number): GemmCase {
  const c = gemmCase([[1], [1], [1]]);
  return {
    ...c,
    measurement: { ...c.measurement!, medianSeconds: 1, medianCi: { lowSeconds, highSeconds, coverage: 0.95 }, intervalFrom: 'model' },
    metrics: { flop: 2e9, medianTflops: 2e-3, tflopsCi: { low: 2e-3 / highSeconds, high: 2e-3 / lowSeconds } },
  };
}

describe('a rate and its interval', () => {
  it('prints the larger side of the interval in percent: 2 GFLOP/s, [1.6, 2.5] -> ±25.0%', () => {
    expect(describeRate(withInterval(0.8, 1.25))).toBe('2.00 GFLOP/s ±25.0%');
  });
  it('prints an interval past ±50% as beyond it, never ±2255.6%', () => {
    expect(describeRate(withInterval(0.5, 1.01))).toBe('2.00 GFLOP/s ±>50%');
    expect(describeRate(withInterval(1 / 1.5, 1.5))).toBe('2.00 GFLOP/s ±50.0%');
  });
  it('one process\'s interval, with no model to lend it a spread: spread unknown, and no ±', () => {
    const lone = restateHeadlines([gemmCase([[1, 1.1, 1.2]])])[0] as GemmCase;
    expect(lone.measurement!.intervalFrom).toBe('samples');
    expect(describeRate(lone)).toBe('1.82 GFLOP/s, spread unknown');
    expect(describeWithInterval(1.82, { low: 1, high: 2 }, lone.measurement)).toBe('1.82, spread unknown');
  });
  it('a bandwidth with its interval, or beyond ±50%', () => {
    const m = withInterval(0.9, 1.1).measurement;
    expect(describeWithInterval(10, { low: 9, high: 11.5 }, m)).toBe('10.0 [9.00, 11.5]');
    expect(describeWithInterval(10, { low: 4.9, high: 11 }, m)).toBe('10.0 ±>50%');
  });
});

describe('the evidence column', () => {
  it('gives the forks, their own spread, and the model\'s spread and degrees of freedom', () => {
    const m: Measurement = {
      ...withInterval(0.9, 1.1).measurement!,
      forkCount: 3,
      betweenForkSdLog: 0.021,
      spreadModel: { sdLog: 0.04, df: 37.6, prior: { sdLog: 0.05, df: 33.6, scope: 'group', key: 'fake gemm', cases: 12 } },
    };
    expect(describeEvidence(m)).toMatch(/^3 forks, spread 2\.1% \(model 4\.0%, 38 df\)/);
  });
});

describe('a change and its bounds in compare', () => {
  it('prints bounds past ±50% as beyond it: [-99.1%, +10852.1%] becomes [<-50%, >+50%]', () => {
    expect(describeRelative(-0.991)).toBe('<-50%');
    expect(describeRelative(108.521)).toBe('>+50%');
    expect(describeRelative(0.041)).toBe('+4.1%');
    expect(describeRelative(-0.5)).toBe('-50.0%');
    const c: CaseComparison = {
      id: 'gemm/cpu/f32/m256-n256-k256/resident',
      workload: 'gemm',
      backend: 'cpu',
      verdict: 'inconclusive',
      threshold: 0.05,
      change: -0.088,
      changeCi: { low: -0.991, high: 108.521, level: 0.9997 },
      mdc: 0.68,
      figure: { name: 'f32 rate', unit: 'GFLOP/s', base: 1.13, head: 1.02 },
    };
    expect(comparisonRow(c, false)[3]).toBe('-8.8% [<-50%, >+50%] 99.97%');
  });
});

describe('exports of a case whose spread is unknown', () => {
  const run = runWith(restateHeadlines([gemmCase([[1, 1.1, 1.2]])]));
  it('github-action-benchmark: no range, and the extra says why', () => {
    const [entry] = toGithubActionBenchmark(run);
    expect(entry!.range).toBeUndefined();
    expect(entry!.extra).toMatch(/spread unknown, 1 fork/);
  });
  it('Bencher: no bounds', () => {
    const bmf = toBencherMetricFormat(run);
    expect(Object.values(bmf)[0]).toEqual({ 'f32-gflops': { value: expect.any(Number) }, latency: { value: expect.any(Number) } });
  });
});

describe('result files of schemaVersion 2, from before the noise model', () => {
  // as version 2 wrote them: intervals over each case's own forks, no spreadModel, no movedForks
  const v2 = (factor: number) => {
    const run = runWith(
      Array.from({ length: 6 }, (_, i) => {
        const c = gemmCase([[0.01 * factor], [0.0102 * factor], [0.0099 * factor]], {}, 100 + i);
        return withMeasurement(c, c.measurement!);
      }),
    );
    return { ...run, schemaVersion: 2 } as unknown as RunResult;
  };
  it('still read, print their own intervals, and compare with a file of this version', () => {
    const old = parseRunResult(JSON.stringify(v2(1)), 'old.json');
    expect(old.schemaVersion).toBe(2);
    expect(old.cases[0]!.measurement).toMatchObject({ intervalFrom: 'forks' });
    expect(old.cases[0]!.measurement!.spreadModel).toBeUndefined();
    expect(describeRate(old.cases[0] as GemmCase)).toMatch(/^\d+ MFLOP\/s ±\d+\.\d%$/);
    const head = runWith(restateHeadlines(v2(1.3).cases));
    const c = compareRuns(old, head, { base: 'old.json', head: 'new.json' });
    expect(c.counts.regressed).toBe(6);
  });
  it('a file newer than this version is refused with the fix', () => {
    expect(() => parseRunResult(JSON.stringify({ ...v2(1), schemaVersion: RESULT_SCHEMA_VERSION + 1 }), 'future.json')).toThrow(/upgrade chipbench/);
  });
});
