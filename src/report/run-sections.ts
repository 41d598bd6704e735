/**
 * The report sections about the run itself: where and how it ran, which
 * backends and devices really executed, the comparison with a baseline
 * (regressions marked), and the cases that failed or were skipped.
 */
import type { RunComparison } from '../compare/compare-runs.js';
import type { RunResult } from '../results/schema.js';
import { comparisonHeader, comparisonRow, comparisonSummary, COMPARISON_HEADERS, orderedCases } from './compare-report.js';
import { describeDevice } from './describe.js';
import type { ReportSection } from './report-model.js';

const GIB = 2 ** 30;

export function runSection(run: RunResult, source: string): ReportSection {
  const env = run.environment;
  const facts: [string, string | undefined][] = [
    ['result file', source],
    ['status', run.status === 'incomplete' ? 'incomplete: the run was interrupted; the finished cases are all here' : run.status],
    ['started', run.startedAt],
    ['finished', run.finishedAt],
    ['command', run.command.join(' ')],
    ['profile', run.options.profile],
    ['chipbench', `${run.tool.version}${env.gitCommit ? `, commit ${env.gitCommit}${env.gitDirty ? ' (with uncommitted changes)' : ''}` : ''}`],
    ['host', env.hostname],
    ['CPU', `${env.cpu.model}, ${env.cpu.logicalCores} logical cores${env.cpu.speedMHz ? `, ${env.cpu.speedMHz} MHz` : ''}`],
    ['memory', `${(env.memoryBytes / GIB).toFixed(1)} GiB`],
    ['OS', `${env.os.platform} ${env.os.release} ${env.os.arch}`],
    ['Node.js', env.node],
    ['gpu.js', env.gpujs],
    ['tinybench', env.tinybench],
    ['webgpu package (Dawn)', env.webgpuPackage],
    ['interleaved run', run.interleave ? `${run.interleave.side} side of ${run.interleave.id}, ${run.interleave.slices} slices per case; base from ${run.interleave.base}` : undefined],
    ['chip tables', run.reference?.chipTables.join(', ')],
  ];
  return {
    id: 'run',
    title: 'The run',
    notes: [],
    table: { headers: ['', ''], rows: facts.filter((f): f is [string, string] => f[1] !== undefined) },
  };
}

/** One row per backend asked for: whether it ran, and what gpu.js really ran it on. */
export function backendsSection(run: RunResult): ReportSection {
  return {
    id: 'backends',
    title: 'Backends, and the devices that really ran',
    notes: [
      'The device is read from gpu.js after a probe kernel ran, not from the backend asked for. A backend that gpu.js quietly ran on another ' +
        'is marked unavailable and its cases fail: no figure is ever reported under a backend that did not run it. ' +
        'A software renderer (llvmpipe, SwiftShader) runs on the CPU, whatever the API.',
    ],
    table: {
      headers: ['backend asked for', 'available', 'ran as (gpu.js mode, kernel)', 'device', 'driver', 'reason'],
      rows: run.backends.map((b) => [
        b.backend,
        b.available ? 'yes' : b.replacedBy ? `NO: gpu.js ran ${b.replacedBy} instead` : 'no',
        b.executed ? `${b.executed.backend}, ${b.executed.kernelClass}` : '-',
        b.executed ? describeDevice(b.executed.device) : '-',
        b.executed?.device.driver ?? '-',
        [b.reason, b.remedy].filter(Boolean).join(' ') || '-',
      ]),
      marks: run.backends.map((b) => (b.available ? undefined : 'bad')),
    },
  };
}

/** The comparison with a baseline; regressions and new failures are marked bad, improvements good. */
export function comparisonSection(comparison: RunComparison): ReportSection {
  const cases = orderedCases(comparison);
  const quiet = cases.flatMap((c, i) => ((c.verdict === 'unchanged' || c.verdict === 'inconclusive') && !c.newlyFailed ? [i] : []));
  return {
    id: 'comparison',
    title: 'Against the baseline',
    notes: [...comparisonHeader(comparison), comparisonSummary(comparison)],
    table: {
      headers: COMPARISON_HEADERS,
      rows: cases.map((c) => comparisonRow(c, false)),
      marks: cases.map((c) => (c.verdict === 'regressed' || c.newlyFailed ? 'bad' : c.verdict === 'improved' ? 'good' : undefined)),
      // forks, spreads and steadiness of both runs: folded per case in HTML
      detailColumns: [COMPARISON_HEADERS.indexOf('evidence')],
      // a regression, a failure or an improvement stays in view; the cases that say nothing new are folded in HTML
      foldRows: { rows: quiet, summary: `${quiet.length} case(s) unchanged or inconclusive` },
    },
  };
}

export function failuresSection(run: RunResult): ReportSection | undefined {
  const problems = run.cases.filter((c) => c.outcome !== 'ok');
  if (problems.length === 0) return undefined;
  return {
    id: 'failures',
    title: 'Failed or skipped cases',
    notes: ['A failed case has no figure anywhere in this report; its reason is what the worker reported.'],
    table: {
      headers: ['case', 'outcome', 'reason'],
      rows: problems.map((c) => [c.id, c.outcome, c.reason ?? 'no reason recorded']),
      marks: problems.map(() => 'bad' as const),
    },
  };
}
