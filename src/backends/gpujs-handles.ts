/** What gpu.js hands back from a kernel call: a host array, or (pipeline: true) a texture or buffer on the device. */

/** A kernel's result in host memory: a device handle read back, a host array as it is. */
export async function readHandle(handle: unknown): Promise<unknown> {
  const h = handle as { toArray?: () => unknown } | null | undefined;
  return typeof h?.toArray === 'function' ? await h.toArray() : handle;
}

/** Frees a device handle (texture, buffer); host arrays have nothing to free. */
export function releaseHandle(handle: unknown): void {
  (handle as { delete?: () => void } | null | undefined)?.delete?.();
}
