/**
 * The property chipbench reads to see what really ran changes when gpu.js
 * really falls back: a kernel map on webasm silently becomes a CPU kernel.
 */
import { describe, expect, it } from 'vitest';
import { KERNEL_CLASS_TO_BACKEND, fallbackReason } from '../../src/backends/fallback.js';

describe('a real gpu.js fallback', () => {
  it('is seen in kernel.kernel.constructor and fails the case', async () => {
    const gpujs = (await import('gpu.js')) as unknown as { GPU: new (s: object) => { createKernelMap: Function; destroy(): unknown } };
    const gpu = new gpujs.GPU({ mode: 'webasm' });
    const warn = console.warn;
    console.warn = () => undefined; // gpu.js announces the fallback on the console; the test reads the kernel instead
    try {
      const kernel = gpu.createKernelMap(
        { doubled: function (x: number) { return x * 2; } },
        function (this: { thread: { x: number } }, a: number[]) {
          // @ts-expect-error gpu.js resolves mapped functions by name at transpile time
          return doubled(a[this.thread.x]);
        },
        { output: [4] },
      ) as ((a: number[]) => unknown) & { kernel: { constructor: { name: string } } };
      kernel([1, 2, 3, 4]);
      const ran = kernel.kernel.constructor.name;
      expect(ran).toBe('CPUKernel');
      const backend = KERNEL_CLASS_TO_BACKEND[ran]!;
      expect(fallbackReason('webasm', backend, ran)).toContain("instead of the requested 'webasm'");
    } finally {
      console.warn = warn;
      await gpu.destroy();
    }
  });
});
