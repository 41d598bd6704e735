import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/input-error.js';
import { checkHostMemory, deviceLimitProblem, hostBytesForGemm } from '../../src/runner/preflight.js';

describe('memory preflight', () => {
  it('estimates host bytes from the operands, the f64 reference and output copies', () => {
    // 8(MK + KN) + 32 MN for 2x3x4: 8 * (8 + 12) + 32 * 6
    expect(hostBytesForGemm({ m: 2, n: 3, k: 4 })).toBe(352);
  });
  it('refuses a shape larger than the available host memory', () => {
    expect(() => checkHostMemory([{ m: 2, n: 3, k: 4 }], 351)).toThrow(InputError);
    expect(() => checkHostMemory([{ m: 2, n: 3, k: 4 }], 352)).not.toThrow();
  });
  it('checks WebGL texture sides', () => {
    const limits = { maxTextureSize: 16384, source: 'WebGL MAX_TEXTURE_SIZE' };
    expect(deviceLimitProblem({ m: 16384, n: 2, k: 16384 }, limits)).toBeNull();
    expect(deviceLimitProblem({ m: 2, n: 16385, k: 2 }, limits)).toBe('2x16385x2 needs a texture side of 16385 but WebGL MAX_TEXTURE_SIZE is 16384');
  });
  it('checks each WebGPU buffer', () => {
    const limits = { maxBufferBytes: 128 * 1024 * 1024, source: 'WebGPU maxStorageBufferBindingSize / maxBufferSize' };
    expect(deviceLimitProblem({ m: 4096, n: 8192, k: 1 }, limits)).toBeNull(); // C is exactly 128 MiB
    expect(deviceLimitProblem({ m: 4097, n: 8192, k: 1 }, limits)).toMatch(/buffer for C/);
    expect(deviceLimitProblem({ m: 1, n: 1, k: 33554433 }, limits)).toMatch(/buffer for A/);
  });
  it('checks the WebAssembly memory total', () => {
    const limits = { maxTotalBytes: 1000 };
    expect(deviceLimitProblem({ m: 10, n: 10, k: 2 }, limits)).toBeNull(); // 4 * (20 + 20 + 100) = 560
    expect(deviceLimitProblem({ m: 10, n: 10, k: 10 }, limits)).toMatch(/1200|0\.00 GiB/);
  });
});
