/**
 * The RunResult: the one file a run saves, and the one type every exporter,
 * comparison and report reads. Validated with zod on every read, so a file
 * from another tool, a future version or a truncated write is refused with
 * the JSON path of the problem.
 *
 * Units are in the field names: seconds, bytes, TFLOP/s.
 */
import { z } from 'zod';

/**
 * Bumped whenever a field changes meaning or a required field is added. 2: a case's measurement holds its forks
 * (one worker process each) and the headline figure comes from them. 3: a headline interval may be drawn with the
 * run's noise model (intervalFrom 'model', spreadModel) and a sliced fork's level may have moved with the machine
 * (steadyState 'moved'): values a reader of version 2 does not know. 4: cases imported from other tools' outputs
 * (workload 'imported', at their own precision) and a file of them (options.profile 'import'). 5: cases of a suite
 * file's kernels (workload 'kernel') and the suite files a run loaded (options.suites). Files of version 2 to 4 are
 * still read.
 */
export const RESULT_SCHEMA_VERSION = 5;

/** The oldest result file this version reads: 2 (version 1 measured each case in one process; see read-result.ts). */
const OLDEST_READABLE_RESULT_VERSION = 2;

const finite = z.number().finite();
const nonNegative = finite.nonnegative();
const positive = finite.positive();
const count = z.number().int().nonnegative();

export const DeviceSchema = z.object({
  /** where the arithmetic physically ran: a CPU core, or a GPU (a software renderer such as llvmpipe runs on the CPU); unknown when it cannot be told */
  executesOn: z.enum(['cpu', 'gpu', 'unknown']),
  /** human name, e.g. 'AMD EPYC 7B13' or 'llvmpipe (LLVM 15.0.6, 256 bits)' or 'NVIDIA H200' */
  name: z.string().max(1000),
  vendor: z.string().max(1000).optional(),
  /** driver / API description, e.g. WebGL VERSION string or Dawn adapter description */
  driver: z.string().max(1000).optional(),
  /** true when name identifies a software rasteriser (llvmpipe, lavapipe, SwiftShader, softpipe) */
  softwareRenderer: z.boolean().optional(),
  /** other facts the backend reported, verbatim */
  details: z.record(z.string(), z.string().max(1000)).optional(),
});
export type Device = z.infer<typeof DeviceSchema>;

/** What really executed a case, read from gpu.js after the kernel ran. */
export const ExecutedSchema = z.object({
  /** gpu.js mode of the kernel that ran, e.g. 'webgpu' (from kernel.kernel.constructor.mode) */
  backend: z.string().max(100),
  /** gpu.js kernel class, e.g. 'WebGPUKernel' */
  kernelClass: z.string().max(200),
  device: DeviceSchema,
});
export type Executed = z.infer<typeof ExecutedSchema>;

export const GemmShapeSchema = z.object({ m: z.number().int().positive(), n: z.number().int().positive(), k: z.number().int().positive() });

export const VerificationSchema = z.object({
  passed: z.boolean(),
  /** max over elements of |c - ref| / sum|a||b| (see src/workloads/gemm/verify.ts); null when it is not finite */
  maxRelError: nonNegative.nullable(),
  /** the accepted bound, gamma_{K+1} for f32 */
  bound: nonNegative,
  checkedElements: count,
  wrongElements: count,
  /**
   * GEMM: after the timed samples, one more call with A doubled returned 2C within the same bound, so the timed
   * kernel was still computing and not leaving an earlier correct C in place (absent in files from before this check,
   * and on cases that failed before timing)
   */
  recheckedAfterTiming: z.boolean().optional(),
});
export type Verification = z.infer<typeof VerificationSchema>;

/** The changepoint test's verdict on a series of timings (src/harness/steady-state.ts). */
export const SteadyStateSchema = z.object({
  /**
   * steady: no significant changepoint larger than the tolerance; drifting: one; unchecked: too few samples to tell;
   * moved: one between slices only, every slice steady and the warm-up done (the machine's moment; not flagged)
   */
  status: z.enum(['steady', 'drifting', 'unchecked', 'moved']),
  /** samples the test saw (evenly thinned past 2000) */
  tested: count,
  /** Pettitt's strongest changepoint: the first sample after it, its p-value, and median(after) / median(before) - 1 */
  changepoint: z.object({ index: count, p: finite.min(0).max(1), shift: finite.min(-1) }).optional(),
});

/**
 * One fork: the samples one worker process took of a case. A process can run
 * the same code at its own steady speed (JIT state, memory placement), so a
 * fork is the unit of evidence and its median one observation of the case.
 */
export const ForkMeasurementSchema = z.object({
  /** raw timed samples in seconds, in the order they were taken (warm-up excluded) */
  samplesSeconds: z.array(nonNegative).min(1),
  sampleCount: z.number().int().positive(),
  medianSeconds: nonNegative,
  meanSeconds: nonNegative,
  minSeconds: nonNegative,
  maxSeconds: nonNegative,
  p99Seconds: nonNegative,
  sdSeconds: nonNegative,
  /** relative margin of error of the mean at 95%, percent (Student t); null with a single sample */
  rmePercent: nonNegative.nullable(),
  /** distribution-free 95% interval for this fork's median, seconds, and its actual coverage */
  medianCi: z.object({ lowSeconds: nonNegative, highSeconds: nonNegative, coverage: finite.min(0).max(1) }),
  warmupSamples: count,
  /** seconds spent warming up: until the warm-up samples were steady, or the profile's bound */
  warmupSeconds: nonNegative,
  /** the warm-up's last window: steady ended the warm-up early; drifting or unchecked means it ran to its bound */
  warmupState: z.enum(['steady', 'drifting', 'unchecked']),
  /** the timed samples themselves, tested for a change of state */
  steadyState: SteadyStateSchema,
  /**
   * Interleaved runs only (`chipbench run --against`): the samples came in slices, alternating with the other
   * build's slices of the same case; slice i is samplesSeconds[sum of earlier counts, + count). Slice i of the
   * base file and slice i of the head file were taken back to back, so their ratio is free of the machine's
   * slower spells (see src/compare/paired-slices.ts).
   */
  slices: z.array(z.object({ count: z.number().int().positive(), medianSeconds: nonNegative })).optional(),
  /** interleaved runs: this side took the case's first slice (the sides then alternate ABBA; src/runner/slice-coordinator.ts) */
  tookFirstSlice: z.boolean().optional(),
})
  // compare pairs slice i with slice i: slices that do not partition the samples would pair the wrong moments
  .refine((m) => m.slices === undefined || m.slices.reduce((n, s) => n + s.count, 0) === m.sampleCount, {
    message: 'the slices do not add up to sampleCount',
    path: ['slices'],
  })
  .refine((m) => m.tookFirstSlice === undefined || m.slices !== undefined, {
    message: 'tookFirstSlice without slices',
    path: ['tookFirstSlice'],
  })
  .refine((m) => m.samplesSeconds.length === m.sampleCount, { message: 'sampleCount is not the number of samples', path: ['sampleCount'] });
export type ForkMeasurement = z.infer<typeof ForkMeasurementSchema>;
export type Slice = NonNullable<ForkMeasurement['slices']>[number];

/**
 * A case's measurement: its forks, and the headline figure taken from them
 * (src/harness/forks.ts), never from the pooled samples.
 */
export const MeasurementSchema = z.object({
  /** the geometric mean of the forks' medians: exp(mean of ln median) */
  medianSeconds: nonNegative,
  /**
   * 95% interval of medianSeconds. model: Student t over the forks' ln medians with the spread and degrees of
   * freedom of the noise model shared across the run's cases (spreadModel); forks: the same with the case's own
   * spread and n - 1 degrees of freedom (files written before the model, and a case with no prior); samples: one
   * fork and no prior, so the order-statistic interval of its median, which says nothing of the next process
   */
  medianCi: z.object({ lowSeconds: nonNegative, highSeconds: nonNegative, coverage: finite.min(0).max(1) }),
  intervalFrom: z.enum(['forks', 'samples', 'model']),
  /**
   * The spread between processes that medianCi was drawn with (intervalFrom 'model'): the case's own sd of ln fork
   * medians moderated towards a prior fitted from the cases like it (src/stats/noise-model.ts), and the degrees of
   * freedom of its t
   */
  spreadModel: z
    .object({
      sdLog: nonNegative,
      df: positive,
      prior: z.object({
        sdLog: nonNegative,
        df: positive,
        /** group: the run's cases of its backend, workload and kind (gpu.js or hand-written); backend: of its backend and kind; kind: of its kind; run: every case */
        scope: z.enum(['group', 'backend', 'kind', 'run', 'runner']),
        key: z.string().max(200),
        /** cases with 2 or more forks it was fitted from */
        cases: count,
      }),
    })
    .optional(),
  /** timed samples of all forks together */
  sampleCount: z.number().int().positive(),
  forkCount: z.number().int().positive(),
  /** between-fork spread: the sample standard deviation of the forks' ln medians; null with one fork */
  betweenForkSdLog: nonNegative.nullable(),
  /** within-fork spread: the median over forks of the sample standard deviation of ln samples */
  withinForkSdLog: nonNegative,
  /** how many forks' timed samples were steady, drifting or unchecked (too few to test) */
  steadyForks: count,
  driftingForks: count,
  uncheckedForks: count,
  /** forks whose level moved between slices only (steadyState 'moved'); absent in files from before it was told apart */
  movedForks: count.optional(),
  forks: z.array(ForkMeasurementSchema).min(1).max(1000),
})
  .refine((m) => m.forks.length === m.forkCount, { message: 'forkCount is not the number of forks', path: ['forkCount'] })
  .refine((m) => m.forks.reduce((n, f) => n + f.sampleCount, 0) === m.sampleCount, { message: 'sampleCount is not the forks\' total', path: ['sampleCount'] })
  .refine((m) => m.steadyForks + m.driftingForks + m.uncheckedForks + (m.movedForks ?? 0) === m.forkCount, {
    message: 'the steady-state counts do not add up to forkCount',
    path: ['steadyForks'],
  });
export type Measurement = z.infer<typeof MeasurementSchema>;

export const GemmMetricsSchema = z.object({
  /** 2*M*N*K */
  flop: positive,
  /** flop / medianSeconds / 1e12 */
  medianTflops: nonNegative,
  /** TFLOP/s at the ends of the median's 95% interval (high time -> low rate) */
  tflopsCi: z.object({ low: nonNegative, high: nonNegative }),
});

export const TIMING_MODES = ['end-to-end', 'resident'] as const;
export type TimingMode = (typeof TIMING_MODES)[number];

export const CaseOutcomeSchema = z.enum(['ok', 'error', 'skipped']);

/** A [low, high] interval in the unit of the field it belongs to. */
const range = z.object({ low: nonNegative, high: nonNegative });

/**
 * One case set beside one chip of the chip table (src/reference/compare-case.ts).
 * Figures are in base units (FLOP/s, B/s, s); a range where the source does
 * not state a link's direction (low = read as a bidirectional total).
 */
export const ChipComparisonSchema = z.object({
  /** chip id in the chip table */
  chip: z.string().max(100),
  /** the chip's figure for the compared quantity, in the measured unit; null: the table does not know it */
  reference: range.nullable(),
  confidence: z.enum(['datasheet', 'secondary', 'derived', 'unknown']),
  /** measured / reference */
  fraction: range.nullable(),
  /** the case's roofline time on the chip, max(compute, memory, link) at the case's precision; null when a figure it needs is unknown */
  projectedSeconds: range.nullable(),
  bound: z.enum(['compute', 'memory', 'link']).nullable(),
});
export type ChipComparison = z.infer<typeof ChipComparisonSchema>;

export const ReferenceComparisonSchema = z.object({
  /** what of the case is compared: f32 FLOP/s (GEMM), STREAM B/s read plus written, busbw B/s (collectives) */
  measured: z.object({ what: z.string().max(200), value: nonNegative, unit: z.enum(['FLOP/s', 'B/s']) }),
  /** the chip quantity it is set against, always at the case's precision: f32 work against FP32 non-tensor peaks */
  against: z.enum(['fp32', 'memory-bandwidth', 'interconnect']),
  /** the executing device's own ceiling: its chip-table entry, or for a CPU an estimated peak, labelled as an estimate */
  ownPeak: z
    .object({
      /** a chip id, or 'cpu-estimate' */
      source: z.string().max(100),
      what: z.string().max(200),
      value: positive,
      unit: z.enum(['FLOP/s', 'B/s']),
      fraction: nonNegative,
      label: z.string().max(1000),
    })
    .optional(),
  chips: z.array(ChipComparisonSchema),
});
export type ReferenceComparison = z.infer<typeof ReferenceComparisonSchema>;

/** Fields every case has, whatever its workload. */
const caseCommon = {
  /** stable id, e.g. gemm/webasm/f32/m1024-n1024-k1024/resident or allreduce-ring/webgpu/f32/r8-64MiB; never changes meaning */
  id: z.string().min(1).max(500),
  /** the backend that was asked for */
  backend: z.string().max(100),
  precision: z.literal('f32'),
  timing: z.enum(TIMING_MODES),
  outcome: CaseOutcomeSchema,
  /** why a case is error or skipped, with the remedy where there is one */
  reason: z.string().max(10000).optional(),
  executed: ExecutedSchema.optional(),
  measurement: MeasurementSchema.optional(),
  /** what the timed region contains, in words */
  timingNote: z.string().max(1000).optional(),
  startedAt: z.string().max(100),
  /** wall time of the whole case: compile, verification, warm-up and sampling */
  wallSeconds: nonNegative,
  /** the case beside every chip of the chip table; absent for failed cases */
  reference: ReferenceComparisonSchema.optional(),
  /**
   * The kernel's own time on the device: WebGPU timestamp-query, from the beginning to the end of its compute pass,
   * the median of `calls` dispatches made after timing. Beside the wall-clock median, which also holds the
   * submission and the wait. Hand-written WebGPU kernels, where the adapter offers timestamp-query.
   */
  deviceTime: z.object({ medianSeconds: nonNegative, calls: z.number().int().positive(), source: z.literal('timestamp-query') }).optional(),
};

/** Which GEMM kernel variant a case ran (src/workloads/gemm/variants.ts), and how it was chosen. */
export const VariantRecordSchema = z.object({
  /** e.g. 'naive', 't22', 'r4u4' */
  id: z.string().max(100),
  description: z.string().max(1000),
  /**
   * reference: the naive README kernel; forced: --variant; autotuned: picked in this run; cached: an earlier run's
   * pick, verified again; hand-written: the ceiling kernel (gemm-ceiling/...), not gpu.js
   */
  choice: z.enum(['reference', 'forced', 'autotuned', 'cached', 'hand-written']),
  /**
   * hand-written kernels with several forms (WGSL tilings, WebGL layouts): how the form was chosen. trial: the
   * fastest verified in this process's trial; cache: an earlier run's pick on this device, verified again;
   * first-fork: the form the case's first fork chose, so every fork measures one kernel
   */
  chosenBy: z.enum(['trial', 'cache', 'first-fork']).optional(),
  /** autotuned: every candidate with its fastest trial call, or why it was not one */
  candidates: z
    .array(
      z.object({
        variant: z.string().max(100),
        outcome: z.enum(['ok', 'failed']),
        trialSeconds: nonNegative.optional(),
        reason: z.string().max(2000).optional(),
      }),
    )
    .max(50)
    .optional(),
});
export type VariantRecord = z.infer<typeof VariantRecordSchema>;

export const GemmCaseSchema = z.object({
  ...caseCommon,
  workload: z.literal('gemm'),
  /** absent in files from before variants: those cases ran the naive kernel */
  variant: VariantRecordSchema.optional(),
  shape: GemmShapeSchema,
  seed: z.number().int(),
  verification: VerificationSchema.optional(),
  metrics: GemmMetricsSchema.optional(),
});
export type GemmCase = z.infer<typeof GemmCaseSchema>;

export const COLLECTIVE_WORKLOADS = ['allreduce', 'reducescatter', 'allgather'] as const;

export const CollectiveMetricsSchema = z.object({
  /** S: bytes of one rank's buffer */
  bytes: positive,
  /** S / median time, GB/s (1e9 B/s); nccl-tests' algbw */
  algbwGBps: nonNegative,
  /** algbw * busbwFactor; nccl-tests' busbw */
  busbwGBps: nonNegative,
  /** 2(R-1)/R for all-reduce, (R-1)/R for reduce-scatter and all-gather */
  busbwFactor: nonNegative,
  /** busbw at the ends of the median's 95% interval */
  busbwCi: z.object({ low: nonNegative, high: nonNegative }),
  /** bytes every rank's kernels read plus write in one collective, all ranks in one memory (STREAM's counting); absent in files from before it was recorded */
  memoryBytes: positive.optional(),
  /** memoryBytes / median time, GB/s: comparable with the same backend's STREAM copy bandwidth */
  memoryGBps: nonNegative.optional(),
});

export const CollectiveCaseSchema = z.object({
  ...caseCommon,
  workload: z.enum(COLLECTIVE_WORKLOADS),
  /** ring, halving-doubling or direct */
  algorithm: z.string().max(100),
  ranks: z.number().int().min(2),
  /** S: bytes of one rank's buffer */
  bytes: z.number().int().positive(),
  /** f32 elements per rank: bytes / 4 */
  elements: z.number().int().positive(),
  /** how a buffer that does not divide into R equal chunks is split: uneven chunks, never padding */
  chunking: z.literal('uneven'),
  steps: z.number().int().nonnegative(),
  /** elements that differ from the exact result after a separate verification run (nccl-tests' #wrong); > 0 fails the case */
  wrong: count.optional(),
  metrics: CollectiveMetricsSchema.optional(),
});
export type CollectiveCase = z.infer<typeof CollectiveCaseSchema>;

export const StreamCaseSchema = z.object({
  ...caseCommon,
  workload: z.literal('stream'),
  /** copy (c = a: 2 arrays moved) or triad (a = b + s*c: 3 arrays moved) */
  kernel: z.enum(['copy', 'triad']),
  /** stream-ceiling-... cases: the hand-written kernel, choice 'hand-written'; absent: gpu.js's STREAM kernel */
  variant: VariantRecordSchema.optional(),
  /** bytes of one array */
  bytes: z.number().int().positive(),
  elements: z.number().int().positive(),
  /** output elements that differ from the exact result; > 0 fails the case */
  wrong: count.optional(),
  metrics: z
    .object({
      /** bytes read plus bytes written by one kernel call */
      bytesMoved: positive,
      /** bytesMoved / median time, GB/s (1e9 B/s) */
      GBps: nonNegative,
      GBpsCi: z.object({ low: nonNegative, high: nonNegative }),
    })
    .optional(),
});
export type StreamCase = z.infer<typeof StreamCaseSchema>;

/** A suite file's kernel at one size (docs/suites.md): a gpu.js kernel the user wrote, verified, timed end to end. */
export const KernelCaseSchema = z.object({
  ...caseCommon,
  workload: z.literal('kernel'),
  /** the suite file and its case: the file relative to where the run started, and its sha-256 when it was listed */
  suite: z.object({ name: z.string().max(100), file: z.string().max(10000), sha256: z.string().max(100), case: z.string().max(100) }),
  /** the size's label in the id, and the size as the suite gave it */
  size: z.object({ label: z.string().max(500), dims: z.record(z.string().max(100), z.number().int().positive()) }),
  seed: z.number().int(),
  /** one call's floating-point operations and bytes read plus written, as the suite states them */
  work: z.object({ flops: positive.optional(), bytes: positive.optional() }),
  /** which rate is the headline */
  headline: z.enum(['flops', 'bytes']),
  /** how the output was judged: against the float64 reference within the tolerance, or by the suite's check */
  verification: z
    .object({
      method: z.enum(['reference', 'check']),
      tolerance: z.object({ relative: nonNegative.optional(), absolute: nonNegative.optional() }).optional(),
      elements: count,
      /** wrong elements before timing; > 0 fails the case */
      wrong: count,
      /** wrong elements in one more call after timing; > 0 fails the case */
      wrongAfter: count.optional(),
      maxAbsError: nonNegative.nullable().optional(),
      maxRelError: nonNegative.nullable().optional(),
      note: z.string().max(1000).optional(),
    })
    .optional(),
  metrics: z
    .object({
      /** flops / median time / 1e12: TFLOP/s at f32 */
      medianTflops: nonNegative.optional(),
      tflopsCi: z.object({ low: nonNegative, high: nonNegative }).optional(),
      /** bytes / median time / 1e9 */
      GBps: nonNegative.optional(),
      GBpsCi: z.object({ low: nonNegative, high: nonNegative }).optional(),
    })
    .optional(),
});
export type KernelCase = z.infer<typeof KernelCaseSchema>;

/** One half of an imported collective's row (nccl-tests' out-of-place or in-place), as the tool printed it. */
const ImportedHalfSchema = z.object({
  /** microseconds; null where the tool printed N/A */
  timeUs: nonNegative.nullable(),
  /** 1e9 bytes per second */
  algbwGBps: nonNegative.nullable(),
  /** 1e9 bytes per second; null where the tool prints none (hccl_test) */
  busbwGBps: nonNegative.nullable(),
  /** elements the tool found wrong; null when its validation was off */
  wrong: count.nullable(),
  /** the largest error (nccl-tests before 2.13) */
  maxError: finite.nullable().optional(),
  /** hccl_test's check_result: success, failed, NULL */
  check: z.string().max(100).optional(),
});

/** Where an imported case came from: the tool, its version and the run's hosts, ranks and devices as it printed them. */
export const ImportSourceSchema = z.object({
  /** nccl-tests, rccl-tests, hccl_test, mamf-finder, nvbandwidth */
  tool: z.string().max(100),
  version: z.string().max(200).optional(),
  /** text, json-v1, json-lines, csv, log, ... */
  format: z.string().max(100),
  /** the file as it was given to chipbench import, and the 1-based line of the figure in it */
  file: z.string().max(10000),
  line: z.number().int().positive(),
  commandLine: z.string().max(10000).optional(),
  /** other software the output names: NCCL, CUDA, torch, ... */
  software: z.record(z.string(), z.string().max(1000)),
  hosts: z.array(z.string().max(1000)).max(100000),
  ranks: z.number().int().positive().optional(),
  /** nccl-tests' footer 'Avg bus bandwidth' of the block, GB/s: the mean busbw over every row, in- and out-of-place; never a peak */
  avgBusbwGBps: nonNegative.optional(),
  /** where ranks came from: the output, or --ranks */
  ranksFrom: z.enum(['output', 'option']).optional(),
  devices: z
    .array(z.object({ name: z.string().max(1000), busId: z.string().max(100).optional(), host: z.string().max(1000).optional(), rank: count.optional(), index: count.optional() }))
    .max(100000),
});
export type ImportSource = z.infer<typeof ImportSourceSchema>;

/** A check chipbench made of an imported figure (src/import/check-imported.ts). */
export const ImportCheckSchema = z.object({
  /**
   * busbw: the printed busbw against size / time x the collective's factor; wrong: the tool's #wrong or check result;
   * bounds: nccl-tests' out-of-bounds values; failure: a failure the tool printed; peak: the chip's peak at the stated
   * precision; link: the link's rate (above it: in-network reduction); validation: the tool's own check was off
   */
  check: z.enum(['busbw', 'wrong', 'bounds', 'failure', 'peak', 'link', 'validation']),
  /** ok: agrees; flag: printed and worth a look, the case kept; fail: the case failed */
  status: z.enum(['ok', 'flag', 'fail']),
  detail: z.string().max(2000),
});
export type ImportCheck = z.infer<typeof ImportCheckSchema>;

/**
 * A figure another tool measured (nccl-tests, rccl-tests, hccl_test, mamf-finder, nvbandwidth), read by
 * `chipbench import`. Its measurement has one fork per imported run of the tool (one process each); a fork's samples
 * are the tool's own timings (one per run, its mean over iterations, or its per-iteration times with nccl-tests -I).
 * A figure with no time of its own (a mean TFLOP/s over a sweep, a copy bandwidth) is recorded as the time of one
 * unit of its work (metrics.work), so the figures follow the measurement as they do for measured cases.
 */
export const ImportedCaseSchema = z.object({
  id: z.string().min(1).max(500),
  /** the tool, standing where a run's backend stands */
  backend: z.string().max(100),
  /** f32, f16, bf16, tf32, f64, f8, i8, ... as the tool's data type names it; unknown where it does not say */
  precision: z.string().min(1).max(20),
  /** the data type as the tool printed it: float, half, bfloat16, torch.bfloat16 */
  dtype: z.string().max(100),
  workload: z.literal('imported'),
  /** collective: a collective's size; matmul: a sweep's statistic; copy: a copy's bandwidth */
  kind: z.enum(['collective', 'matmul', 'copy']),
  /** all_reduce, all_gather, ... (collectives), matmul, or nvbandwidth's testcase */
  operation: z.string().max(200),
  outcome: CaseOutcomeSchema,
  reason: z.string().max(10000).optional(),
  executed: ExecutedSchema.optional(),
  measurement: MeasurementSchema.optional(),
  startedAt: z.string().max(100),
  wallSeconds: nonNegative,
  reference: ReferenceComparisonSchema.optional(),
  source: ImportSourceSchema,
  collective: z
    .object({
      bytes: z.number().int().nonnegative(),
      count: count.optional(),
      redop: z.string().max(100).optional(),
      root: z.number().int().optional(),
      /** 2(n-1)/n for all-reduce, (n-1)/n for all-gather, reduce-scatter and all-to-all, 1 for broadcast and reduce */
      busbwFactor: nonNegative.optional(),
      outOfPlace: ImportedHalfSchema,
      inPlace: ImportedHalfSchema.optional(),
      /** what followed the row (nccl-tests -S: a timestamp) */
      trailing: z.string().max(1000).optional(),
    })
    .optional(),
  matmul: z
    .object({
      /** max: the best shape's; mean, median, geomean: over the shapes tried */
      statistic: z.enum(['max', 'mean', 'median', 'geomean']),
      shape: GemmShapeSchema.optional(),
      shapesTried: z.number().int().positive().optional(),
    })
    .optional(),
  copy: z.object({ statistic: z.enum(['sum', 'pair']), from: z.string().max(100).optional(), to: z.string().max(100).optional(), bytes: positive.optional() }).optional(),
  /** the headline figure: work / medianSeconds x factor, in unit, with its interval */
  metrics: z
    .object({
      /** busbw, algbw, matmul rate, copy bandwidth */
      name: z.string().max(100),
      unit: z.enum(['GB/s', 'TFLOP/s']),
      /** bytes (GB/s) or FLOP (TFLOP/s) one measured time stands for */
      work: positive,
      /** busbw's factor; 1 otherwise */
      factor: positive,
      /** true: the tool printed the time; false: it printed a rate only, and the time is that of `work` at the rate */
      timed: z.boolean(),
      value: nonNegative,
      ci: z.object({ low: nonNegative, high: nonNegative }),
    })
    .optional(),
  checks: z.array(ImportCheckSchema).max(100),
});
export type ImportedCase = z.infer<typeof ImportedCaseSchema>;

export const CaseResultSchema = z.discriminatedUnion('workload', [GemmCaseSchema, CollectiveCaseSchema, StreamCaseSchema, KernelCaseSchema, ImportedCaseSchema]);
export type CaseResult = z.infer<typeof CaseResultSchema>;
/** A case chipbench measured itself (not imported from another tool). */
export type MeasuredCase = GemmCase | CollectiveCase | StreamCase | KernelCase;

/** A collective chipbench measured (all-reduce, reduce-scatter, all-gather), not one imported. */
export function isCollective(c: CaseResult): c is CollectiveCase {
  return (COLLECTIVE_WORKLOADS as readonly string[]).includes(c.workload);
}

export function isImported(c: CaseResult): c is ImportedCase {
  return c.workload === 'imported';
}

export const EnvironmentSchema = z.object({
  node: z.string().max(100),
  gpujs: z.string().max(100),
  tinybench: z.string().max(100),
  webgpuPackage: z.string().max(100).optional(),
  os: z.object({ platform: z.string().max(100), release: z.string().max(200), arch: z.string().max(100) }),
  cpu: z.object({ model: z.string().max(500), logicalCores: z.number().int().positive(), speedMHz: nonNegative }),
  memoryBytes: nonNegative,
  hostname: z.string().max(500),
  gitCommit: z.string().max(100).optional(),
  gitDirty: z.boolean().optional(),
});
export type Environment = z.infer<typeof EnvironmentSchema>;

/** One WebGPU adapter Dawn offers (src/backends/webgpu-adapters.ts). */
export const WebgpuAdapterSchema = z.object({
  /** its place in the default order of preference; what --webgpu-adapter INDEX names */
  index: z.number().int().nonnegative(),
  /** Dawn's backend: 'vulkan', 'opengl', 'opengles', 'metal', 'd3d12', ... */
  backend: z.string().max(100),
  /** the adapter's name as Dawn lists it, e.g. 'llvmpipe (LLVM 15.0.6, 256 bits)' or 'NVIDIA H200' */
  name: z.string().max(1000),
  vendor: z.string().max(1000),
  architecture: z.string().max(1000),
  /** Dawn's adapter.info.device: a slug of the name ('llvmpipe-llvm-15-0-6-256-bits-') */
  device: z.string().max(1000),
  /** the driver's description, e.g. 'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1' */
  description: z.string().max(1000),
  /** the WebGPU feature level Dawn gave it at: 'core' (what a GPU runner's Vulkan driver gives), else 'compatibility' */
  featureLevel: z.enum(['core', 'compatibility']),
  /** a software renderer on the CPU (lavapipe, llvmpipe, SwiftShader), never a GPU */
  software: z.boolean(),
  /** the adapter limits that bound the suite (bytes, or counts), by WebGPU's names */
  limits: z.record(z.string(), z.number().nonnegative()),
});
export type WebgpuAdapter = z.infer<typeof WebgpuAdapterSchema>;

/** Which adapter a webgpu worker takes, and why. */
export const WebgpuAdapterChoiceSchema = z.object({
  /** index into the list; null when no adapter could be taken (none here, or none matches the selector) */
  chosen: z.number().int().nonnegative().nullable(),
  /** --webgpu-adapter as given; absent for the default choice */
  selector: z.string().max(1000).optional(),
  reason: z.string().max(10000),
});
export type WebgpuAdapterChoice = z.infer<typeof WebgpuAdapterChoiceSchema>;

export const BackendStatusSchema = z.object({
  backend: z.string().max(100),
  available: z.boolean(),
  reason: z.string().max(10000).optional(),
  remedy: z.string().max(10000).optional(),
  executed: ExecutedSchema.optional(),
  /** set when gpu.js ran the probe kernel on another backend: the requested one is not really available, and its cases fail */
  replacedBy: z.string().max(100).optional(),
  /** webgpu: every adapter Dawn offers here, and which one the run takes (absent in files from before adapter choice) */
  webgpuAdapters: z.object({ adapters: z.array(WebgpuAdapterSchema).max(100), choice: WebgpuAdapterChoiceSchema }).optional(),
});
export type BackendStatus = z.infer<typeof BackendStatusSchema>;

export const RunOptionsRecordSchema = z.object({
  profile: z.string().max(100),
  backends: z.array(z.string().max(100)),
  workloads: z.array(z.string().max(100)),
  timings: z.array(z.enum(TIMING_MODES)),
  shapes: z.array(GemmShapeSchema),
  /** --variant: 'auto', or the variant forced on the tuned GEMM cases (absent in files from before variants) */
  gemmVariant: z.string().max(100).optional(),
  /** the hand-written ceilings ran beside gpu.js (absent in files from before them) */
  ceilings: z.boolean().optional(),
  /** --webgpu-adapter as given (absent: the default choice, recorded per case in its device) */
  webgpuAdapter: z.string().max(1000).optional(),
  /** collectives: rank count, all-reduce algorithms and buffer sizes in bytes (absent in files from before collectives) */
  ranks: z.number().int().min(2).optional(),
  algorithms: z.array(z.string().max(100)).optional(),
  collectiveBytes: z.array(z.number().int().positive()).optional(),
  timeBudgetMs: positive,
  minSamples: z.number().int().positive(),
  warmupMs: nonNegative,
  warmupIterations: count,
  /** the warm-up's bound: it ends earlier once its samples are steady */
  maxWarmupMs: nonNegative,
  /** slices each case's samples were taken in within a fork, in turn with the worker's other cases (absent: in one go) */
  timeSlices: z.number().int().positive().optional(),
  /** worker processes each case was measured in */
  forks: z.number().int().positive(),
  /** --pin-cpu: the CPU every worker and its threads ran on (absent: wherever the scheduler put them) */
  pinCpu: z.number().int().nonnegative().optional(),
  caseTimeoutSeconds: positive,
  seed: z.number().int(),
  /** the suite files the run loaded, each with its sha-256 when listed (absent: the built-in suite alone) */
  suites: z.array(z.object({ name: z.string().max(100), file: z.string().max(10000), sha256: z.string().max(100) })).optional(),
  /** --filter: the case ids were matched against these regular expressions */
  filters: z.array(z.string().max(1000)).optional(),
  /** whether the built-in workloads ran (absent in files from before suite files: they did) */
  builtin: z.boolean().optional(),
});

/** The options of a file written by `chipbench import`: the files it read, and the rank count given with --ranks. */
export const ImportOptionsSchema = z.object({
  profile: z.literal('import'),
  files: z.array(z.object({ path: z.string().max(10000), tool: z.string().max(100), format: z.string().max(100), version: z.string().max(200).optional() })).min(1),
  ranks: z.number().int().positive().optional(),
});
export type ImportOptions = z.infer<typeof ImportOptionsSchema>;

export function isImportOptions(options: RunResult['options']): options is ImportOptions {
  return 'files' in options;
}

export const RunResultSchema = z.object({
  schemaVersion: z.number().int().min(OLDEST_READABLE_RESULT_VERSION).max(RESULT_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('chipbench'), version: z.string().max(100) }),
  /** running: written mid-run; complete: every planned case has an outcome; incomplete: interrupted */
  status: z.enum(['running', 'complete', 'incomplete']),
  startedAt: z.string().max(100),
  finishedAt: z.string().max(100).optional(),
  command: z.array(z.string().max(10000)),
  /** a run's options, or for a file of imported results the files it read */
  options: z.union([RunOptionsRecordSchema, ImportOptionsSchema]),
  environment: EnvironmentSchema,
  backends: z.array(BackendStatusSchema),
  /** the chip tables the cases are compared with, and the host CPU's estimated f32 peak */
  reference: z
    .object({
      chipTables: z.array(z.string().max(1000)),
      /** alpha of the collectives' alpha-beta link model, seconds (an assumption) */
      alphaSeconds: nonNegative,
      cpuPeak: z.object({ flopsPerSecond: positive, label: z.string().max(1000) }).optional(),
    })
    .optional(),
  /**
   * Set when this file is one side of an interleaved run: both files carry the same id, and compare pairs
   * their slices instead of treating the two runs as independent.
   */
  interleave: z
    .object({
      id: z.string().min(1).max(200),
      side: z.enum(['base', 'head']),
      /** the package the base side ran from, as given to --against */
      base: z.string().max(10000),
      /** slices per side of every case */
      slices: z.number().int().positive(),
      /**
       * how many times the run may look at its comparison to add fork pairs to cases still inconclusive (1: it never
       * does); compare splits alpha over the looks
       */
      looks: z.number().int().positive().max(1000).optional(),
    })
    .optional(),
  cases: z.array(CaseResultSchema),
});
export type RunResult = z.infer<typeof RunResultSchema>;
