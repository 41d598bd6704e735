/**
 * Words for the facts every printed figure must carry: which device really
 * ran, and how sure we are of the rate.
 */
import type { CaseResult, Device, GemmCase, Measurement, WebgpuAdapter } from '../results/schema.js';
import { flopsPerSecond, formatSeconds, formatSi } from '../metrics/units.js';
import { bytesLabel, isTunedGemmId } from '../results/case-id.js';
import { caseHeadline, spreadKnown } from '../results/case-facts.js';

/** e.g. 'llvmpipe (LLVM 15.0.6, 256 bits) [software renderer, runs on the CPU]'. */
export function describeDevice(device: Device): string {
  const tag = device.softwareRenderer
    ? ' [software renderer, runs on the CPU]'
    : { cpu: ' [CPU]', gpu: ' [GPU]', unknown: ' [CPU or GPU: unknown]' }[device.executesOn];
  return `${device.name}${tag}`;
}

/**
 * Each backend's device, said once above a table instead of in every row: 'Executed on: cpu, webasm: AMD EPYC [CPU];
 * webgpu: llvmpipe (...) [software renderer, runs on the CPU].' Undefined when some backend's cases ran on more than
 * one device, or none ran: the table then keeps a device column.
 */
export function devicesNote(cases: CaseResult[]): string | undefined {
  const byBackend = new Map<string, Set<string>>();
  for (const c of cases) {
    if (!c.executed) continue;
    if (!byBackend.has(c.backend)) byBackend.set(c.backend, new Set());
    byBackend.get(c.backend)!.add(describeDevice(c.executed.device));
  }
  if (byBackend.size === 0 || [...byBackend.values()].some((devices) => devices.size > 1)) return undefined;
  const byDevice = new Map<string, string[]>();
  for (const [backend, devices] of byBackend) {
    const device = [...devices][0]!;
    byDevice.set(device, [...(byDevice.get(device) ?? []), backend]);
  }
  return `Executed on: ${[...byDevice].map(([device, backends]) => `${backends.join(', ')}: ${device}`).join('; ')}.`;
}

/**
 * A measured case's median wall-clock time, with the kernel's own time on the device beside it where it recorded
 * one (WebGPU timestamp-query), e.g. '8.60 ms (7.91 ms on the device)'; '-' for a case not measured.
 */
export function describeTime(c: CaseResult): string {
  if (c.outcome !== 'ok' || !c.measurement) return '-';
  const wall = formatSeconds(c.measurement.medianSeconds);
  return c.workload !== 'imported' && c.deviceTime ? `${wall} (${formatSeconds(c.deviceTime.medianSeconds)} on the device)` : wall;
}

/**
 * Headline f32 rate with the larger side of its 95% interval as a percentage,
 * e.g. '0.644 GFLOP/s ±3.1%'. The rate is always named f32 by the caller's
 * header. The interval is over the forks, with the spread of the run's noise
 * model (src/stats/noise-model.ts); with one fork and no model to lend it a
 * spread, no interval is printed: 'spread unknown, 1 fork'.
 */
export function describeRate(result: GemmCase): string {
  const metrics = result.metrics;
  if (!metrics) return '-';
  const rate = formatSi(flopsPerSecond(metrics.medianTflops), 'FLOP/s');
  if (!spreadKnown(result.measurement)) return `${rate}, spread unknown`;
  return `${rate} ${describeHalfWidth(metrics.medianTflops, metrics.tflopsCi)}`;
}

/**
 * Past this relative distance from its figure an interval's end is printed as beyond it ('>+50%'): an interval of
 * +-2000% (a t interval over 2 forks) is true and of no use to a reader, who needs only to know that the figure is
 * not pinned down within +-50%. Files, exports and --json keep the exact bounds.
 */
export const READABLE_BOUND = 0.5;

/** A share as a percentage: one decimal from 10%, two significant digits below ('27.0%', '0.034%'). */
export function describeShare(x: number): string {
  return x >= 0.1 ? `${(100 * x).toFixed(1)}%` : `${(100 * x).toPrecision(2)}%`;
}

/** A relative change or bound, '+4.1%', '-12.0%'; past READABLE_BOUND '>+50%' or '<-50%'. */
export function describeRelative(x: number): string {
  if (x > READABLE_BOUND) return `>+${100 * READABLE_BOUND}%`;
  if (x < -READABLE_BOUND) return `<-${100 * READABLE_BOUND}%`;
  return `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;
}

/** A figure and its 95% interval, '1.23 [1.10, 1.31]'; '1.23, spread unknown' where it is one process's interval; '1.23 ±>50%' past READABLE_BOUND. */
export function describeWithInterval(value: number, ci: { low: number; high: number }, m: Measurement | undefined): string {
  if (!spreadKnown(m)) return `${value.toPrecision(3)}, spread unknown`;
  if (value > 0 && Math.max(1 - ci.low / value, ci.high / value - 1) > READABLE_BOUND) return `${value.toPrecision(3)} ±>${100 * READABLE_BOUND}%`;
  return `${value.toPrecision(3)} [${ci.low.toPrecision(3)}, ${ci.high.toPrecision(3)}]`;
}

/**
 * A case's headline figure with the larger side of its interval: '6.68 GFLOP/s ±4.1%', '8.59 GB/s ±0.3%',
 * '1.2 GB/s, spread unknown' (one process's interval), '-' without a figure.
 */
export function describeHeadline(c: CaseResult): string {
  const h = caseHeadline(c);
  if (!h) return '-';
  const figure = h.unit === 'GFLOP/s' ? formatSi(h.value * 1e9, 'FLOP/s') : `${h.value.toPrecision(3)} ${h.unit}`;
  if (!h.spreadKnown) return `${figure}, spread unknown`;
  return `${figure} ${describeHalfWidth(h.value, h)}`;
}

/** The larger side of an interval as a percentage of its figure: '±3.1%', or '±>50%' past READABLE_BOUND. */
function describeHalfWidth(value: number, ci: { low: number; high: number }): string {
  const share = value > 0 ? Math.max(value - ci.low, ci.high - value) / value : 0;
  return share > READABLE_BOUND ? `±>${100 * READABLE_BOUND}%` : `±${(100 * share).toFixed(1)}%`;
}

/**
 * What a figure rests on: its forks, their own spread (the sd of ln fork medians) and, where the run's noise model
 * drew its interval, the spread it drew it with and that spread's degrees of freedom; any fork whose timed samples
 * were not steady or too few to test. E.g. '3 forks, spread 2.1% (model 4.0%, 38 df)', '1 fork, spread unknown'.
 */
export function describeEvidence(m: Measurement | undefined): string {
  if (!m) return '-';
  const n = m.forkCount;
  const own = m.betweenForkSdLog === null ? 'spread unknown' : `spread ${(100 * m.betweenForkSdLog).toFixed(1)}%`;
  const model = m.spreadModel ? ` (model ${(100 * m.spreadModel.sdLog).toFixed(1)}%, ${Math.round(m.spreadModel.df)} df)` : '';
  const parts = [
    `${n} fork${n === 1 ? '' : 's'}`,
    own + model,
    ...(m.driftingForks > 0 ? [`NOT STEADY in ${m.driftingForks}/${n}`] : []),
    ...(m.uncheckedForks > 0 ? [`steadiness untested in ${m.uncheckedForks}/${n}`] : []),
  ];
  return parts.join(', ');
}

/** How the evidence column reads: printed under every table that has one. */
export const EVIDENCE_NOTE =
  'Each case runs in several worker processes (forks); its figure is the geometric mean of the forks\' medians, and its 95% interval is ' +
  "Student's t over their logarithms. spread: the sd of ln fork medians; model: that spread moderated towards the spread of the run's " +
  'cases of the same backend and workload (empirical Bayes, Smyth 2004), with its degrees of freedom: the interval is drawn with it. ' +
  'NOT STEADY: a fork whose timed samples changed level by more ' +
  "than 5% (Pettitt's changepoint test, p < 0.01); untested: too few samples (under 12) to tell.";

/** 'yes: err 1.2e-7 <= 1.2e-4', or 'NO: ...' with the error past the bound. */
export function describeVerification(result: GemmCase): string {
  const v = result.verification;
  if (!v) return '-';
  const err = v.maxRelError === null ? 'inf' : v.maxRelError.toExponential(1);
  return `${v.passed ? 'yes' : 'NO'}: err ${err} ${v.passed ? '<=' : '>'} ${v.bound.toExponential(1)}`;
}

/** The kernel a GEMM case ran: 'naive (reference)', 't22 (autotuned)'; files from before variants ran the naive one. */
export function describeVariant(result: GemmCase): string {
  const v = result.variant;
  // a tuned case that failed before its variant was chosen (or never ran: a crash, an unavailable backend)
  if (!v) return isTunedGemmId(result.id) ? 'tuned: not chosen' : 'naive';
  return `${v.id} (${v.choice})`;
}

/** How a GEMM rate and its verification are computed: printed under every GEMM table. */
export const GEMM_NOTE =
  'GEMM rates are f32 FLOP/s = 2*M*N*K / time, the time being the geometric mean of the forks\' median times (SI prefixes, ' +
  '1 GFLOP/s = 1e9 FLOP/s); ±% is the larger side of its 95% interval over the forks (drawn with the noise model\'s spread; ±>50%: ' +
  'wider than that, see the evidence column). Verified: max |c - ref| / sum|a||b| against a float64 reference, bound gamma_(K+1) for f32. ' +
  'Kernel: naive is the gpu.js README kernel (gemm/... cases, always run); the tuned cases (gemm-tuned/...) run the variant --variant forced ' +
  'or the autotuner picked (the fastest verified in a short trial, cached per backend, device, shape and gpu.js version). ' +
  'Padded cells of a variant are not credited: the rate is always 2MNK of the real shape.';

/** How collective bandwidths are counted (nccl-tests' algbw and busbw): printed under every collective table. */
export const COLLECTIVE_NOTE =
  'Collectives as nccl-tests counts them: S = bytes per rank, algbw = S / median time, busbw = algbw * 2(R-1)/R ' +
  '(all-reduce) or (R-1)/R (reduce-scatter, all-gather); 1 GB/s = 1e9 B/s. #wrong: elements that differ from the exact result.';

/** A byte limit in binary units: exact where a unit divides it, else to one decimal (4294967295 -> '4.0GiB'). */
function limitBytes(bytes: number): string {
  const exact = bytesLabel(bytes);
  if (bytes < 2 ** 10 || /[KMG]iB$/.test(exact)) return exact;
  const [unit, size] = bytes >= 2 ** 30 ? ['GiB', 2 ** 30] : bytes >= 2 ** 20 ? ['MiB', 2 ** 20] : ['KiB', 2 ** 10];
  return `${(bytes / size).toFixed(1)}${unit}`;
}

/** One line per WebGPU adapter: index, Dawn backend, feature level, software or hardware, name, driver, the limits that bound the suite. */
export function describeWebgpuAdapter(a: WebgpuAdapter): string {
  const l = a.limits;
  const limits = [
    l.maxStorageBufferBindingSize !== undefined ? `storage binding ${limitBytes(l.maxStorageBufferBindingSize)}` : '',
    l.maxBufferSize !== undefined ? `buffer ${limitBytes(l.maxBufferSize)}` : '',
    l.maxComputeWorkgroupStorageSize !== undefined ? `workgroup storage ${limitBytes(l.maxComputeWorkgroupStorageSize)}` : '',
    l.maxComputeInvocationsPerWorkgroup !== undefined ? `${l.maxComputeInvocationsPerWorkgroup} invocations a workgroup` : '',
    l.maxStorageBuffersPerShaderStage !== undefined ? `${l.maxStorageBuffersPerShaderStage} storage buffers a stage` : '',
  ].filter(Boolean);
  const kind = a.software ? 'software renderer on the CPU' : 'hardware';
  const driver = [a.vendor, a.description].filter(Boolean).join(', ') || 'no driver description';
  return `${a.index}: ${a.backend}, ${a.featureLevel} level, ${kind}: ${a.name} (${driver}); ${limits.join(', ')}`;
}
