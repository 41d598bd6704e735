/**
 * Classifies a renderer or adapter name: software rasterisers run "GPU"
 * APIs on the CPU, and a figure measured on them must never be read as a GPU
 * figure.
 */

const SOFTWARE_RENDERERS = /llvmpipe|softpipe|lavapipe|swiftshader|swrast|software|microsoft basic render/i;

/** True when a WebGL renderer or WebGPU adapter string names a software rasteriser. */
export function isSoftwareRenderer(name: string): boolean {
  return SOFTWARE_RENDERERS.test(name);
}
