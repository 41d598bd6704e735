/**
 * Assembles a report from a RunResult, the chip table, the evaluated claims
 * and, with a baseline, the comparison: the summary first (run-summary.ts:
 * the answers, and the verdict), then the comparison first after the run
 * (a reader with a baseline looks for regressions), then the devices, the
 * measured workloads, the chips, the claims, and what failed.
 */
import type { ChipTable } from '../reference/chips.js';
import type { ClaimResult } from '../reference/evaluate-claims.js';
import type { GemmCase, KernelCase, RunResult, StreamCase } from '../results/schema.js';
import { isCollective } from '../results/schema.js';
import { comparisonSummary, comparisonWarnings } from './compare-report.js';
import { gateExitCode, type RunComparison } from '../compare/compare-runs.js';
import { summariseRun, summarySection } from './run-summary.js';
import { chipSections, claimsSection } from './reference-sections.js';
import type { Report, ReportSection } from './report-model.js';
import { backendsSection, comparisonSection, failuresSection, runSection } from './run-sections.js';
import { ceilingSection } from './ceiling-section.js';
import { importedSections } from './imported-sections.js';
import { collectiveSections, gemmSection, streamSection } from './workload-sections.js';
import { kernelSection } from './kernel-section.js';

export interface ReportInputs {
  run: RunResult;
  /** the result file's path, as given */
  source: string;
  chips: ChipTable;
  claims: ClaimResult[];
  comparison?: RunComparison;
}

export function buildReport({ run, source, chips, claims, comparison }: ReportInputs): Report {
  const gemm = run.cases.filter((c): c is GemmCase => c.workload === 'gemm');
  const streams = run.cases.filter((c): c is StreamCase => c.workload === 'stream');
  const collectives = run.cases.filter(isCollective);
  const verdict = comparison ? `${comparisonSummary(comparison)}: the gate ${gateExitCode(comparison) === 0 ? 'passes' : 'fails'}` : undefined;
  const sections: (ReportSection | undefined)[] = [
    summarySection(summariseRun(run, { chips, ...(verdict ? { verdict } : {}) })),
    runSection(run, source),
    comparison ? comparisonSection(comparison) : undefined,
    run.backends.length > 0 ? backendsSection(run) : undefined,
    gemmSection(gemm),
    ...collectiveSections(collectives),
    streamSection(streams),
    kernelSection(run.cases.filter((c): c is KernelCase => c.workload === 'kernel')),
    ...importedSections(run),
    ceilingSection(run),
    ...chipSections(run, chips),
    claimsSection(claims),
    failuresSection(run),
  ];
  const failed = run.cases.filter((c) => c.outcome !== 'ok').length;
  const warnings = [
    ...(run.status !== 'complete' ? [`This run is ${run.status}: it holds ${run.cases.length} case(s), not every planned one.`] : []),
    ...(failed > 0 ? [`${failed} case(s) failed or were skipped: see "Failed or skipped cases".`] : []),
    ...(comparison ? comparisonWarnings(comparison) : []),
  ];
  return {
    title: `chipbench report: ${source}`,
    warnings,
    sections: sections.filter((s): s is ReportSection => s !== undefined),
  };
}
