/**
 * Gives Node a `navigator.gpu` backed by Dawn (the `webgpu` package), which
 * gpu.js looks for before it will use its webgpu backend.
 *
 * Two facts measured on this project's machines (../shared/PLATFORM.md):
 * - gpu.js calls navigator.gpu.requestAdapter() with no options, and on a
 *   CPU-only box only an OpenGL-backed adapter at featureLevel
 *   'compatibility' exists, so we wrap requestAdapter;
 * - without an X display Dawn's OpenGL backend needs EGL_PLATFORM=surfaceless.
 *
 * The wrapper asks Dawn's default backend first (Vulkan on Linux: a real
 * GPU with its driver), then falls back to OpenGL in compatibility mode
 * (Mesa llvmpipe on a CPU-only box). Which one answered is recorded.
 * CHIPBENCH_DAWN_OPTIONS (comma-separated Dawn toggles such as
 * 'backend=vulkan,adapter=NVIDIA') replaces the first attempt's options.
 */

export const DAWN_OPTIONS_ENV = 'CHIPBENCH_DAWN_OPTIONS';

/** Requests of the GL fallback adapter before it counts as missing, and the pause between them. */
const ADAPTER_ATTEMPTS = 3;
const ADAPTER_RETRY_MS = 250;

/** Which Dawn path produced the adapter, for the device record. */
export interface DawnAdapterSource {
  path: string;
}

interface GpuLike {
  requestAdapter(options?: Record<string, unknown>): Promise<unknown>;
}

let installed: DawnAdapterSource | undefined;

/** Installs globalThis.navigator.gpu once per process; returns a record that is filled in when an adapter answers. */
export async function installNavigatorGpu(env: NodeJS.ProcessEnv = process.env): Promise<DawnAdapterSource> {
  if (installed) return installed;
  if (!env.DISPLAY && !env.EGL_PLATFORM) process.env.EGL_PLATFORM = 'surfaceless';
  const webgpu = (await import('webgpu')) as unknown as {
    create(options: string[]): GpuLike;
    globals: Record<string, unknown>;
  };
  Object.assign(globalThis, webgpu.globals);
  const userOptions = (env[DAWN_OPTIONS_ENV] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const primary = webgpu.create(userOptions);
  let fallback: GpuLike | undefined;
  const source: DawnAdapterSource = { path: 'none' };
  const primaryRequest = primary.requestAdapter.bind(primary);
  // Replace the method on Dawn's own object (as measured here) so every other member keeps its native `this`.
  primary.requestAdapter = async (options?: Record<string, unknown>) => {
    const first = await primaryRequest({ powerPreference: 'high-performance', ...options });
    if (first) {
      source.path = userOptions.length > 0 ? `Dawn with ${userOptions.join(',')}` : 'Dawn default backend (Vulkan on Linux)';
      return first;
    }
    if (userOptions.length > 0) return null; // the user chose; do not second-guess with a software adapter
    fallback ??= webgpu.create(['backend=opengl']);
    // Mesa's GL path now and then answers null while other processes start on it (seen here in 2 of 3 full test
    // runs, with many workers starting Dawn at once; the next process got an adapter): ask again before giving up.
    for (let attempt = 1; ; attempt++) {
      const second = await fallback.requestAdapter({ featureLevel: 'compatibility', ...options });
      if (second) {
        source.path = "Dawn backend=opengl, featureLevel 'compatibility'";
        return second;
      }
      if (attempt >= ADAPTER_ATTEMPTS) return null;
      await new Promise((resolve) => setTimeout(resolve, ADAPTER_RETRY_MS));
    }
  };
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: primary }, configurable: true, writable: true });
  installed = source;
  return source;
}
