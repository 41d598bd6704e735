/**
 * What the chipbench package exports to suite files: `import { defineSuite, kernelCase } from 'chipbench'`
 * (docs/suites.md). The command line is the package's bin, not an export.
 */
export { defineSuite, kernelCase } from './define.js';
export type { CheckResult, HostInput, KernelCase, KernelInput, KernelSpec, KernelThis, KernelTiming, KernelTolerance, KernelWork, SeededRandom, Suite, SuiteRun, SuiteSize } from './define.js';
