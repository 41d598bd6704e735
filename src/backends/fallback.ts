/**
 * Fallback detection. gpu.js may replace the backend that was asked for
 * with another one without an error (its README: "seventeen silent CPU
 * degradations"). A figure measured on the replacement must never be filed
 * under the backend that was asked for.
 */

/** gpu.js kernel classes of 2.24.x and the mode each one is. */
export const KERNEL_CLASS_TO_BACKEND: Readonly<Record<string, string>> = {
  CPUKernel: 'cpu',
  WebAssemblyKernel: 'webasm',
  HeadlessGLKernel: 'headlessgl',
  WebGLKernel: 'webgl',
  WebGL2Kernel: 'webgl2',
  WebGPUKernel: 'webgpu',
};

/**
 * Returns null when the executed backend is the requested one, else the
 * reason the case must fail, naming both.
 */
export function fallbackReason(requested: string, executedBackend: string, kernelClass: string): string | null {
  if (executedBackend === requested) return null;
  return (
    `gpu.js ran this case on '${executedBackend}' (${kernelClass}) instead of the requested '${requested}'; ` +
    `the figure is discarded. Run 'chipbench backends' to see why '${requested}' is unavailable`
  );
}
