import { describe, expect, it } from 'vitest';
import { isSoftwareRenderer } from '../../src/backends/device-class.js';
import { KERNEL_CLASS_TO_BACKEND, fallbackReason } from '../../src/backends/fallback.js';
import { describeGlDriver, loadedGlLibraries } from '../../src/backends/gl-driver.js';

describe('fallback detection', () => {
  it('accepts the backend that was asked for', () => {
    expect(fallbackReason('webgpu', 'webgpu', 'WebGPUKernel')).toBeNull();
  });
  it('fails a case that gpu.js ran elsewhere, naming both backends', () => {
    const reason = fallbackReason('webasm', 'cpu', 'CPUKernel');
    expect(reason).toContain("'cpu' (CPUKernel) instead of the requested 'webasm'");
  });
  it('maps HeadlessGLKernel to headlessgl although its gpu.js mode is "gpu"', () => {
    expect(KERNEL_CLASS_TO_BACKEND.HeadlessGLKernel).toBe('headlessgl');
    expect(KERNEL_CLASS_TO_BACKEND.WebAssemblyKernel).toBe('webasm');
    expect(KERNEL_CLASS_TO_BACKEND.CPUKernel).toBe('cpu');
    expect(KERNEL_CLASS_TO_BACKEND.WebGPUKernel).toBe('webgpu');
  });
});

describe('software renderers', () => {
  it('are recognised by name', () => {
    expect(isSoftwareRenderer('llvmpipe-llvm-15-0-6-256-bits-')).toBe(true);
    expect(isSoftwareRenderer('SwiftShader Device (Subzero)')).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('NVIDIA H200')).toBe(false);
  });
});

const MESA_MAPS = `
7f1 r-xp 00000000 fe:01 1 /usr/lib/x86_64-linux-gnu/dri/swrast_dri.so
7f2 r-xp 00000000 fe:01 2 /usr/lib/x86_64-linux-gnu/libGLX_mesa.so.0.0.0
7f3 r-xp 00000000 fe:01 3 /usr/lib/x86_64-linux-gnu/libGL.so.1.7.0
7f4 r-xp 00000000 fe:01 4 /work/main/node_modules/gl/build/Release/webgl.node
`;
const NVIDIA_MAPS = `
7f1 r-xp 00000000 fe:01 1 /usr/lib/x86_64-linux-gnu/libGLX_nvidia.so.550.54.14
7f2 r-xp 00000000 fe:01 2 /usr/lib/x86_64-linux-gnu/libnvidia-glcore.so.550.54.14
`;

describe('headless-gl driver from /proc/self/maps', () => {
  it('lists GL driver libraries once each', () => {
    expect(loadedGlLibraries(MESA_MAPS + MESA_MAPS)).toEqual(['swrast_dri.so', 'libGLX_mesa.so.0.0.0', 'libGL.so.1.7.0']);
  });
  it('reports Mesa swrast as llvmpipe on the CPU', () => {
    const d = describeGlDriver(MESA_MAPS, {});
    expect(d.name).toBe('Mesa llvmpipe (swrast_dri.so)');
    expect(d.executesOn).toBe('cpu');
    expect(d.softwareRenderer).toBe(true);
  });
  it('reports softpipe when GALLIUM_DRIVER says so', () => {
    expect(describeGlDriver(MESA_MAPS, { GALLIUM_DRIVER: 'softpipe' }).name).toBe('Mesa softpipe (swrast_dri.so)');
  });
  it('reports the NVIDIA driver as a GPU', () => {
    const d = describeGlDriver(NVIDIA_MAPS, {});
    expect(d.executesOn).toBe('gpu');
    expect(d.softwareRenderer).toBe(false);
    expect(d.name).toContain('NVIDIA');
  });
  it('says unknown rather than guessing when no driver is loaded', () => {
    const d = describeGlDriver('', {});
    expect(d.name).toBe('unknown OpenGL driver');
    expect(d.executesOn).toBe('unknown');
  });
  it('does not call Mesa 24 libgallium a GPU: the library does not say which driver ran', () => {
    const maps = '7f1 r-xp 0 fe:01 1 /usr/lib/x86_64-linux-gnu/libgallium-24.2.8-1.so\n7f2 r-xp 0 fe:01 2 /usr/lib/x86_64-linux-gnu/dri/libdril_dri.so\n';
    const d = describeGlDriver(maps, {});
    expect(d.executesOn).toBe('unknown');
    expect(d.softwareRenderer).toBe(false);
  });
  it('under the private Xvfb is always the CPU, whatever library was found', () => {
    const maps = '7f1 r-xp 0 fe:01 1 /usr/lib/x86_64-linux-gnu/libgallium-24.2.8-1.so\n';
    const d = describeGlDriver(maps, { CHIPBENCH_PRIVATE_XVFB: ':3' });
    expect(d.executesOn).toBe('cpu');
    expect(d.softwareRenderer).toBe(true);
    expect(d.details!.display).toBe(':3 (a private Xvfb started by chipbench)');
  });
});
