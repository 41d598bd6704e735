import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  estimateCpuPeak,
  hostCpuPeak,
  hostCpuPeakInputs,
  parseCpuinfo,
  type CpuPeakInputs,
} from '../../src/env/cpu-peak.js';

const AVX2_FMA_FLAGS = ['fpu', 'sse', 'sse2', 'avx', 'avx2', 'fma'];
const AVX512_FLAGS = [...AVX2_FMA_FLAGS, 'avx512f', 'avx512dq', 'avx512bw', 'avx512vl'];

function inputs(overrides: Partial<CpuPeakInputs>): CpuPeakInputs {
  return { logicalCores: 2, flags: AVX2_FMA_FLAGS, clockMHz: 2450, model: 'Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz', ...overrides };
}

// A two-processor excerpt in the shape of this project's AMD EPYC VM (tabs before ':' as the kernel writes them).
const SAMPLE_CPUINFO = [
  'processor\t: 0',
  'vendor_id\t: AuthenticAMD',
  'cpu family\t: 26',
  'model\t\t: 2',
  'model name\t: AMD EPYC',
  'stepping\t: 1',
  'cpu MHz\t\t: 2096.019',
  'cache size\t: 1024 KB',
  'siblings\t: 2',
  'cpu cores\t: 2',
  'flags\t\t: fpu vme de pse tsc msr sse sse2 ht syscall nx lm pni ssse3 fma cx16 sse4_1 sse4_2 avx f16c pti        vmmcall bmi1 avx2 bmi2 avx512f avx512dq avx512bw avx512vl',
  'bugs\t\t: cpu_meltdown spectre_v1 spectre_v2',
  'bogomips\t: 4192.03',
  'power management:',
  '',
  'processor\t: 1',
  'vendor_id\t: AuthenticAMD',
  'model name\t: AMD EPYC',
  'cpu MHz\t\t: 2200.500',
  'flags\t\t: fpu sse sse2',
  '',
].join('\n');

describe('estimateCpuPeak', () => {
  it('multiplies cores x lanes x FMA units x 2 FLOP x clock for AVX2+FMA', () => {
    const peak = estimateCpuPeak(inputs({}));
    expect(peak).toBeDefined();
    expect(peak!.flopsPerSecond).toBeCloseTo(2 * 8 * 2 * 2 * 2.45e9, 3);
    expect(peak!.flopsPerSecond).toBeCloseTo(156.8e9, 3);
    expect(peak!.isa).toBe('AVX2+FMA');
    expect(peak!.lanes).toBe(8);
    expect(peak!.fmaUnits).toBe(2);
    expect(peak!.logicalCores).toBe(2);
    expect(peak!.clockGHz).toBeCloseTo(2.45, 12);
    expect(peak!.label).toBe(
      'estimate: 2 logical CPUs x 8 f32 lanes (AVX2+FMA) x 2 FMA units (assumed) x 2 FLOP x 2.45 GHz = 157 GFLOP/s;' +
        ' SMT threads counted as cores, turbo and AVX clock offsets ignored',
    );
  });

  it('counts 16 lanes for AVX-512F on Intel', () => {
    const peak = estimateCpuPeak(inputs({ flags: AVX512_FLAGS }))!;
    expect(peak.isa).toBe('AVX-512F');
    expect(peak.lanes).toBe(16);
    expect(peak.fmaUnits).toBe(2);
    expect(peak.flopsPerSecond).toBeCloseTo(2 * 16 * 2 * 2 * 2.45e9, 3);
    expect(peak.label).not.toContain('AMD');
  });

  it('counts AVX-512F on AMD before Zen 5 (or of unknown family) at 256-bit width (8 lanes) and says so', () => {
    for (const cpuFamily of [25, undefined]) {
      const peak = estimateCpuPeak(inputs({ flags: AVX512_FLAGS, model: 'AMD EPYC 9654 96-Core Processor', ...(cpuFamily ? { cpuFamily } : {}) }))!;
      expect(peak.isa).toBe('AVX-512F');
      expect(peak.lanes).toBe(8);
      expect(peak.fmaUnits).toBe(2);
      expect(peak.flopsPerSecond).toBeCloseTo(156.8e9, 3);
      expect(peak.label).toContain('AVX-512 on AMD before Zen 5 (cpu family < 26) counted at 256-bit width');
    }
  });

  it('counts AVX-512F on AMD Zen 5 (cpu family 26) at full width, 16 lanes', () => {
    const peak = estimateCpuPeak(inputs({ flags: AVX512_FLAGS, model: 'AMD EPYC 9655 96-Core Processor', cpuFamily: 26 }))!;
    expect(peak.lanes).toBe(16);
    expect(peak.flopsPerSecond).toBeCloseTo(313.6e9, 3);
    expect(peak.label).toContain('Zen 5');
  });

  it('leaves AMD without AVX-512 at AVX2+FMA', () => {
    const peak = estimateCpuPeak(inputs({ model: 'AMD EPYC 7763 64-Core Processor' }))!;
    expect(peak.isa).toBe('AVX2+FMA');
    expect(peak.lanes).toBe(8);
    expect(peak.label).not.toContain('256-bit');
  });

  it('counts AVX without AVX2 as 8 lanes and one mul+add pair (no FMA)', () => {
    // Sandy/Ivy Bridge: one 256-bit multiply and one 256-bit add per cycle = 16 f32 FLOP/cycle.
    const peak = estimateCpuPeak(inputs({ flags: ['sse2', 'avx', 'fma'], logicalCores: 1, clockMHz: 1000 }))!;
    expect(peak.isa).toBe('AVX');
    expect(peak.lanes).toBe(8);
    expect(peak.fmaUnits).toBe(1);
    expect(peak.flopsPerSecond).toBeCloseTo(16e9, 3);
    expect(peak.label).toContain('1 logical CPU x');
    expect(peak.label).toContain('1 mul+add pair (assumed, no FMA)');
  });

  it('counts SSE2 only as 4 lanes and one mul+add pair: 8 FLOP per cycle per core', () => {
    const peak = estimateCpuPeak(inputs({ flags: ['fpu', 'sse', 'sse2'], logicalCores: 4, clockMHz: 3000 }))!;
    expect(peak.isa).toBe('SSE2');
    expect(peak.lanes).toBe(4);
    expect(peak.fmaUnits).toBe(1);
    expect(peak.flopsPerSecond).toBeCloseTo(4 * 4 * 1 * 2 * 3e9, 3);
    expect(peak.label).toContain('x 3 GHz = 96.0 GFLOP/s');
  });

  it('counts NEON (asimd) as 4 lanes with 2 FMA units, assumed', () => {
    const peak = estimateCpuPeak(inputs({ flags: ['fp', 'asimd', 'evtstrm'], model: 'unknown', logicalCores: 8, clockMHz: 3000 }))!;
    expect(peak.isa).toBe('NEON');
    expect(peak.lanes).toBe(4);
    expect(peak.fmaUnits).toBe(2);
    expect(peak.flopsPerSecond).toBeCloseTo(8 * 4 * 2 * 2 * 3e9, 3);
    expect(peak.label).toContain('2 FMA units (assumed)');
  });

  it('falls back to scalar with no known flags', () => {
    const peak = estimateCpuPeak(inputs({ flags: [] }))!;
    expect(peak.isa).toBe('scalar');
    expect(peak.lanes).toBe(1);
    expect(peak.flopsPerSecond).toBeCloseTo(2 * 1 * 1 * 2 * 2.45e9, 3);
  });

  it('is undefined when the clock or the core count is not positive', () => {
    expect(estimateCpuPeak(inputs({ clockMHz: 0 }))).toBeUndefined();
    expect(estimateCpuPeak(inputs({ clockMHz: Number.NaN }))).toBeUndefined();
    expect(estimateCpuPeak(inputs({ logicalCores: 0 }))).toBeUndefined();
    expect(estimateCpuPeak(inputs({ logicalCores: -2 }))).toBeUndefined();
  });
});

describe('parseCpuinfo', () => {
  it('takes the first flags line, the first cpu MHz and model name, and counts processors', () => {
    const parsed = parseCpuinfo(SAMPLE_CPUINFO);
    expect(parsed.flags).toContain('avx512f');
    expect(parsed.flags).toContain('vmmcall');
    expect(parsed.flags).not.toContain('');
    expect(parsed.flags[0]).toBe('fpu');
    expect(parsed.flags.at(-1)).toBe('avx512vl');
    expect(parsed.flags).toHaveLength(29);
    expect(parsed.clockMHz).toBe(2096.019);
    expect(parsed.model).toBe('AMD EPYC');
    expect(parsed.processorCount).toBe(2);
    expect(parsed.cpuFamily).toBe(26);
  });

  it('gives empty or zero fields for missing or malformed input', () => {
    expect(parseCpuinfo('')).toEqual({ flags: [], clockMHz: 0, model: '', processorCount: 0 });
    expect(parseCpuinfo('cpu MHz\t: unknown\nnonsense line').clockMHz).toBe(0);
  });

  it('reads the arm64 Linux Features line when there is no flags line', () => {
    const arm = 'processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd evtstrm aes pmull\r\nCPU implementer\t: 0x41\r\n';
    const parsed = parseCpuinfo(arm);
    expect(parsed.flags).toEqual(['fp', 'asimd', 'evtstrm', 'aes', 'pmull']);
    expect(parsed.clockMHz).toBe(0);
  });
});

describe('hostCpuPeakInputs', () => {
  it('uses the given cpuinfo text for flags and for the clock when the OS reports 0 MHz', () => {
    const host = hostCpuPeakInputs(SAMPLE_CPUINFO);
    expect(host.flags).toEqual(parseCpuinfo(SAMPLE_CPUINFO).flags);
    const osSpeedMHz = cpus()[0]?.speed ?? 0;
    expect(host.clockMHz).toBe(osSpeedMHz > 0 ? osSpeedMHz : 2096.019);
    expect(host.logicalCores).toBeGreaterThan(0);
    expect(host.model).not.toBe('');
  });

  it("falls back to the architecture's guaranteed SIMD when no flags are listed", () => {
    const expected = process.arch === 'x64' ? ['sse2'] : process.arch === 'arm64' ? ['asimd'] : [];
    expect(hostCpuPeakInputs('').flags).toEqual(expected);
  });
});

describe('hostCpuPeak', () => {
  it('gives a positive estimate on this machine, labelled as one', () => {
    const peak = hostCpuPeak();
    expect(peak).toBeDefined();
    expect(peak!.flopsPerSecond).toBeGreaterThan(0);
    expect(peak!.label.startsWith('estimate')).toBe(true);
  });
});
