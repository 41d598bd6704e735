/**
 * The layers of src/, top first: a module may import its own layer and the layers below it, never one above.
 * docs/architecture.md says what each layer is for. `npm test` runs this check (npm run check:layers), so an
 * import that points up the stack fails CI.
 */
const LAYERS = [
  'cli', // argv, commands, printing; the only layer that knows the command line
  'runner', // the run: probing, preflight, worker processes, forks, interleaving, the result file as it grows
  'jobs', // one planned job in a worker: prepare, choose the variant, verify, measure, re-check
  'plan', // the cases of a run, built once from the options
  'backends', // gpu.js (cpu, webasm, headlessgl, webgpu) and the fake: kernels, sessions, devices
  'harness', // timing: warm-up to a steady state, samples, forks, slices
  'report', // console, Markdown and HTML from saved results
  'export', // saved results in other tools' formats
  'import', // other tools' outputs (nccl-tests, rccl-tests, ...) read into what chipbench records
  'compare', // verdicts between saved runs
  'reference', // the chip table, the article's claims, rooflines
  'stats', // intervals and tests on timings
  'env', // the machine and the package a run records
  'config', // declared defaults and profiles
  'suite', // the suite file API users import (defineSuite), loading a suite file, its listing, checking a kernel's output
  'workloads', // what each workload computes: inputs, variants, schedules, exact results and checks
  'results', // the result file's schema, reading and atomic writing; what a saved case says
  'metrics', // units and formulas: FLOP, bytes, TFLOP/s, algbw and busbw
  'errors', // the input error and the one-line form of an error
];

const layerPath = (layer) => `^src/${layer}/`;

module.exports = {
  forbidden: [
    ...LAYERS.map((layer, i) => ({
      name: `layer-${layer}`,
      comment: `src/${layer}/ may import only ${LAYERS.slice(i).join(', ')} (the layers at or below it; .dependency-cruiser.cjs)`,
      severity: 'error',
      from: { path: layerPath(layer) },
      to: { path: i === 0 ? '^$' : `^src/(${LAYERS.slice(0, i).join('|')})/` },
    })),
    {
      name: 'src-in-a-layer',
      comment: 'every module of src/ lives in one of the layers listed in .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: '^src/', pathNot: `^src/(${LAYERS.join('|')})/` },
      to: {},
    },
    {
      name: 'src-stands-alone',
      comment: 'src/ never imports bench/ or test/: the scripts and tests build on src, not the other way',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(bench|test)/' },
    },
    {
      name: 'no-circular',
      comment: 'a cycle of imports has no order to read it in',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      comment: 'an import that resolves to nothing',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
