/**
 * An estimate of the host CPU's dense f32 peak, so that f32 GEMM rates
 * measured on the cpu and webasm backends can be shown as a fraction of what
 * the silicon could do at best. It is an estimate, and every figure it gives
 * says so: nothing here is measured.
 *
 * Formula (units: FLOP/s):
 *
 *   peak = logical cores x f32 lanes per SIMD register x FMA units per core
 *          x 2 FLOP per FMA x clock (Hz)
 *
 * Assumptions, all of which the label repeats:
 * - SMT threads count as cores (os.cpus() lists logical CPUs). Two SMT threads
 *   share one core's FMA pipes, so on an SMT host this overstates the peak.
 * - The clock is what the OS reports now; turbo and the lower clocks some
 *   cores run wide vector code at are ignored.
 * - The number of FMA pipes per core is assumed from the ISA (see VECTOR_ISAS).
 * - os.cpus() lists every CPU of the host, not a container's CPU quota.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { formatSi } from '../metrics/units.js';

/** One FMA is a multiply and an add: 2 FLOP per lane. */
const FLOP_PER_FMA = 2;
const HZ_PER_MHZ = 1e6;
const MHZ_PER_GHZ = 1e3;

export type VectorIsaName = 'AVX-512F' | 'AVX2+FMA' | 'AVX' | 'SSE2' | 'NEON' | 'scalar';

export interface CpuPeakInputs {
  /**
   * Logical CPUs the OS reports (os.cpus().length). SMT threads count as
   * cores here, and the label says so.
   */
  logicalCores: number;
  /**
   * CPU feature flags, lower case: /proc/cpuinfo's first 'flags' line on x86,
   * its first 'Features' line on arm64 Linux, e.g. ['sse2','avx','avx2','fma','avx512f'].
   */
  flags: string[];
  /** Clock in MHz: os.cpus()[0].speed, or /proc/cpuinfo's first 'cpu MHz' when that is 0. */
  clockMHz: number;
  /** CPU model name, e.g. 'AMD EPYC 7763 64-Core Processor'; used to tell AMD's AVX-512 apart. */
  model: string;
  /** /proc/cpuinfo 'cpu family' (AMD: 25 = Zen 3/4, 26 = Zen 5); tells AMD's half-width AVX-512 from full width. */
  cpuFamily?: number;
}

export interface CpuPeakEstimate {
  /** Estimated dense f32 peak, FLOP/s. */
  flopsPerSecond: number;
  /** f32 lanes per vector register counted: 4 SSE2/NEON, 8 AVX/AVX2 (and AVX-512 on AMD), 16 AVX-512F. */
  lanes: number;
  /** The widest vector ISA the flags show. */
  isa: VectorIsaName;
  /**
   * FMA pipes per core, assumed: 2 with FMA (x86 server cores since Haswell
   * and Zen have two), 1 without, where a separate multiply and add unit
   * together give the same 2 FLOP per lane per cycle as one FMA unit.
   */
  fmaUnits: number;
  /** Logical CPUs counted, SMT threads included. */
  logicalCores: number;
  /** Clock used, GHz. */
  clockGHz: number;
  /** One line: the arithmetic and every assumption, starting with 'estimate:'. */
  label: string;
}

interface VectorIsa {
  isa: VectorIsaName;
  /** All of these flags must be present for the row to apply. */
  requiredFlags: readonly string[];
  /** f32 lanes per vector register. */
  lanes: number;
  /** FMA pipes (or mul+add pairs) per core, assumed. */
  fmaUnits: number;
}

/**
 * The ISA table, widest first; the first row whose flags are all present wins.
 * FMA counts only with AVX2: every x86 core with AVX2 also has two FMA pipes
 * (Haswell, Zen), while the AVX-without-AVX2 generations (Sandy/Ivy Bridge,
 * Bulldozer family) issue one multiply and one add per cycle at best.
 * 'asimd' is Linux's name for NEON on arm64; AArch64 cores run two or more
 * 128-bit FMA pipes, 2 is assumed (Apple and Neoverse V cores have 4).
 */
const VECTOR_ISAS: readonly VectorIsa[] = [
  { isa: 'AVX-512F', requiredFlags: ['avx512f'], lanes: 16, fmaUnits: 2 },
  { isa: 'AVX2+FMA', requiredFlags: ['avx2', 'fma'], lanes: 8, fmaUnits: 2 },
  { isa: 'AVX', requiredFlags: ['avx'], lanes: 8, fmaUnits: 1 },
  { isa: 'NEON', requiredFlags: ['asimd'], lanes: 4, fmaUnits: 2 },
  { isa: 'SSE2', requiredFlags: ['sse2'], lanes: 4, fmaUnits: 1 },
  { isa: 'scalar', requiredFlags: [], lanes: 1, fmaUnits: 1 },
];

/**
 * AMD Zen 4 (family 25) runs AVX-512 on 256-bit pipes ("double pumped"), so
 * 512-bit vectors give no more f32 lanes per cycle than AVX2. Zen 5 server
 * cores (family 26) have full 512-bit pipes. An AMD CPU of unknown family is
 * counted at the lower width, and the label says so.
 */
const AMD_AVX512_LANES = 8;
const AMD_FULL_AVX512_FAMILY = 26;
const AMD_AVX512_NOTE = 'AVX-512 on AMD before Zen 5 (cpu family < 26) counted at 256-bit width';
const AMD_FULL_AVX512_NOTE = 'AMD cpu family 26 (Zen 5): full 512-bit pipes';

function isAmdModel(model: string): boolean {
  return /\bAMD\b/i.test(model);
}

/** The ISA row used for these flags and model, with the AMD AVX-512 width applied. */
function selectVectorIsa(flags: readonly string[], model: string, cpuFamily?: number): VectorIsa & { note?: string } {
  const present = new Set(flags.map((flag) => flag.toLowerCase()));
  const row =
    VECTOR_ISAS.find((candidate) => candidate.requiredFlags.every((flag) => present.has(flag))) ??
    VECTOR_ISAS[VECTOR_ISAS.length - 1]!;
  if (row.isa === 'AVX-512F' && isAmdModel(model)) {
    if (cpuFamily !== undefined && cpuFamily >= AMD_FULL_AVX512_FAMILY) return { ...row, note: AMD_FULL_AVX512_NOTE };
    return { ...row, lanes: AMD_AVX512_LANES, note: AMD_AVX512_NOTE };
  }
  return row;
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** GHz with at most 3 decimals and no trailing zeros: 2.45, 2.096, 3. */
function formatGHz(clockGHz: number): string {
  return String(Number(clockGHz.toFixed(3)));
}

/**
 * The f32 peak estimate from explicit inputs, in FLOP/s:
 * logicalCores x lanes x fmaUnits x 2 FLOP x clockMHz x 1e6.
 * Pure. Undefined when the core count or clock is not positive (the OS did not
 * report it), since no honest figure can be given then.
 */
export function estimateCpuPeak(inputs: CpuPeakInputs): CpuPeakEstimate | undefined {
  const { logicalCores, clockMHz } = inputs;
  if (!(logicalCores > 0) || !Number.isFinite(logicalCores)) return undefined;
  if (!(clockMHz > 0) || !Number.isFinite(clockMHz)) return undefined;

  const vector = selectVectorIsa(inputs.flags, inputs.model, inputs.cpuFamily);
  // MHz x 1e6 keeps whole-MHz clocks exact integers in Hz (2450 MHz -> 2.45e9 exactly).
  const flopsPerSecond = logicalCores * vector.lanes * vector.fmaUnits * FLOP_PER_FMA * clockMHz * HZ_PER_MHZ;
  const clockGHz = clockMHz / MHZ_PER_GHZ;

  const isaText = vector.note ? `${vector.isa}, ${vector.note}` : vector.isa;
  const hasFma = vector.isa === 'AVX-512F' || vector.isa === 'AVX2+FMA' || vector.isa === 'NEON';
  const unitsText = hasFma
    ? `${plural(vector.fmaUnits, 'FMA unit')} (assumed)`
    : `${plural(vector.fmaUnits, 'mul+add pair')} (assumed, no FMA)`;
  const label =
    `estimate: ${plural(logicalCores, 'logical CPU')} x ${vector.lanes} f32 lanes (${isaText}) x ${unitsText}` +
    ` x ${FLOP_PER_FMA} FLOP x ${formatGHz(clockGHz)} GHz = ${formatSi(flopsPerSecond, 'FLOP/s')};` +
    ' SMT threads counted as cores, turbo and AVX clock offsets ignored';

  return {
    flopsPerSecond,
    lanes: vector.lanes,
    isa: vector.isa,
    fmaUnits: vector.fmaUnits,
    logicalCores,
    clockGHz,
    label,
  };
}

/** What /proc/cpuinfo says about the CPU; missing fields are empty or 0. */
export interface CpuinfoFields {
  /** Flags from the first 'flags' line (x86), else the first 'Features' line (arm64), lower case. */
  flags: string[];
  /** First 'cpu MHz' value, MHz; 0 when absent or unreadable. */
  clockMHz: number;
  /** First 'model name' value; '' when absent. */
  model: string;
  /** Number of 'processor' entries, i.e. logical CPUs; 0 when absent. */
  processorCount: number;
  /** 'cpu family', when present */
  cpuFamily?: number;
}

/**
 * Parses /proc/cpuinfo text. Pure and tolerant: lines are 'key<tabs>: value',
 * keys are matched case-insensitively, the first occurrence of each field wins
 * (all processors of one host report the same flags and model), and anything
 * missing or malformed gives an empty or zero field.
 */
export function parseCpuinfo(text: string): CpuinfoFields {
  const firstValue = new Map<string, string>();
  let processorCount = 0;
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'processor') processorCount += 1;
    if (!firstValue.has(key)) firstValue.set(key, value);
  }
  const flagsLine = firstValue.get('flags') ?? firstValue.get('features') ?? '';
  const clockMHz = Number.parseFloat(firstValue.get('cpu mhz') ?? '');
  const family = Number.parseInt(firstValue.get('cpu family') ?? '', 10);
  return {
    ...(Number.isInteger(family) ? { cpuFamily: family } : {}),
    flags: flagsLine.split(/\s+/).filter((flag) => flag !== '').map((flag) => flag.toLowerCase()),
    clockMHz: Number.isFinite(clockMHz) && clockMHz > 0 ? clockMHz : 0,
    model: firstValue.get('model name') ?? '',
    processorCount,
  };
}

/**
 * Flags an architecture guarantees, for when the OS lists none (macOS,
 * Windows, a missing /proc): x86-64 always has SSE2 and AArch64 always has
 * Advanced SIMD (NEON, 'asimd' in Linux's naming).
 */
function baselineFlagsForArch(arch: string): string[] {
  if (arch === 'x64') return ['sse2'];
  if (arch === 'arm64') return ['asimd'];
  return [];
}

function readProcCpuinfo(): string {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
}

function osCpuList(): ReturnType<typeof cpus> {
  try {
    return cpus();
  } catch {
    return [];
  }
}

/**
 * The estimate's inputs on this machine: cores, model and clock from
 * node:os cpus(), falling back to /proc/cpuinfo (or cpuinfoText when given,
 * which replaces reading the file) where the OS reports 0 or nothing; flags
 * from /proc/cpuinfo, or the architecture's guaranteed baseline when there are
 * none (arm64 -> NEON, x64 -> SSE2). Never throws.
 */
export function hostCpuPeakInputs(cpuinfoText?: string): CpuPeakInputs {
  const cpuinfo = parseCpuinfo(cpuinfoText ?? readProcCpuinfo());
  const cpuList = osCpuList();
  const first = cpuList[0];

  let logicalCores = cpuList.length || cpuinfo.processorCount;
  if (logicalCores === 0) {
    try {
      logicalCores = availableParallelism();
    } catch {
      logicalCores = 0;
    }
  }
  // os.cpus() reports speed 0 where the kernel exposes no cpufreq (common in VMs); /proc/cpuinfo still has 'cpu MHz'.
  const osSpeedMHz = first?.speed ?? 0;
  const clockMHz = osSpeedMHz > 0 ? osSpeedMHz : cpuinfo.clockMHz;
  const flags = cpuinfo.flags.length > 0 ? cpuinfo.flags : baselineFlagsForArch(process.arch);
  const model = first?.model.trim() || cpuinfo.model || 'unknown';

  return { logicalCores, flags, clockMHz, model, ...(cpuinfo.cpuFamily !== undefined ? { cpuFamily: cpuinfo.cpuFamily } : {}) };
}

/** The f32 peak estimate for this machine, FLOP/s: estimateCpuPeak(hostCpuPeakInputs()). Undefined when cores or clock are unknown. */
export function hostCpuPeak(): CpuPeakEstimate | undefined {
  return estimateCpuPeak(hostCpuPeakInputs());
}
