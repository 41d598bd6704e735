/**
 * The WebGPU adapter list and choice: Dawn's "Available adapters" message as
 * dawn.node 0.6.2 words it (strings copied from this machine), the default
 * order, every way to select, and the software test.
 */
import { describe, expect, it } from 'vitest';
import { adapterRecord, byPreference, chooseAdapter, isSameAdapter, listAdapters, parseAvailableAdapters, type DawnModule } from '../../src/backends/webgpu-adapters.js';
import type { WebgpuAdapter } from '../../src/results/schema.js';

const adapter = (backend: string, name: string, software: boolean, featureLevel: 'core' | 'compatibility' = 'core'): WebgpuAdapter => ({
  index: 0,
  backend,
  name,
  vendor: '',
  architecture: '',
  device: '',
  description: `${name} driver`,
  featureLevel,
  software,
  limits: {},
});

describe('parseAvailableAdapters', () => {
  it("reads every (backend, name) of dawn.node's message, names with parentheses and commas included", () => {
    const message =
      "no adapter with backend 'vulkan' and name 'x' found\nAvailable adapters:\n * backend: 'vulkan', name: 'llvmpipe (LLVM 15.0.6, 256 bits)'\n * backend: 'vulkan', name: 'NVIDIA H200'";
    expect(parseAvailableAdapters(message)).toEqual([
      { backend: 'vulkan', name: 'llvmpipe (LLVM 15.0.6, 256 bits)' },
      { backend: 'vulkan', name: 'NVIDIA H200' },
    ]);
  });

  it('finds none in a message without the list', () => {
    expect(parseAvailableAdapters('no suitable backends found')).toEqual([]);
  });
});

describe('byPreference', () => {
  it('puts hardware before software, then Vulkan before OpenGL before OpenGL ES, and numbers them in that order', () => {
    const listed = [
      adapter('opengles', 'llvmpipe', true, 'compatibility'),
      adapter('opengl', 'llvmpipe', true, 'compatibility'),
      adapter('vulkan', 'llvmpipe', true),
      adapter('opengl', 'NVIDIA H200', false, 'compatibility'),
      adapter('vulkan', 'NVIDIA H200', false),
    ];
    expect(byPreference(listed).map((a) => [a.index, a.backend, a.name])).toEqual([
      [0, 'vulkan', 'NVIDIA H200'],
      [1, 'opengl', 'NVIDIA H200'],
      [2, 'vulkan', 'llvmpipe'],
      [3, 'opengl', 'llvmpipe'],
      [4, 'opengles', 'llvmpipe'],
    ]);
  });

  it('keeps the listed order between adapters of equal rank', () => {
    const two = [adapter('vulkan', 'GPU A', false), adapter('vulkan', 'GPU B', false)];
    expect(byPreference(two).map((a) => a.name)).toEqual(['GPU A', 'GPU B']);
  });
});

describe('chooseAdapter', () => {
  const here = byPreference([adapter('vulkan', 'llvmpipe (LLVM 15.0.6, 256 bits)', true), adapter('opengl', 'llvmpipe (LLVM 15.0.6, 256 bits)', true, 'compatibility')]);

  it('takes the first by default and says why: no hardware adapter here', () => {
    const choice = chooseAdapter(here);
    expect(choice).toEqual({
      chosen: 0,
      reason:
        'took adapter 0 (vulkan, llvmpipe (LLVM 15.0.6, 256 bits), software, core): no hardware adapter; vulkan is the first path Dawn offers here (Vulkan before OpenGL before OpenGL ES)',
    });
  });

  it('says a hardware default is the first hardware adapter', () => {
    const gpu = byPreference([...here, adapter('vulkan', 'NVIDIA H200', false)]);
    expect(chooseAdapter(gpu).chosen).toBe(0);
    expect(chooseAdapter(gpu).reason).toMatch(/^took adapter 0 \(vulkan, NVIDIA H200, hardware, core\): the first hardware adapter/);
  });

  it('selects by index, by Dawn backend and by part of the name or description, case-insensitively', () => {
    expect(chooseAdapter(here, '1')).toMatchObject({ chosen: 1, selector: '1' });
    expect(chooseAdapter(here, 'opengl')).toMatchObject({ chosen: 1, reason: expect.stringMatching(/--webgpu-adapter opengl names its Dawn backend$/) });
    expect(chooseAdapter(here, 'LLVMPIPE')).toMatchObject({ chosen: 0, reason: expect.stringMatching(/matches its name$/) });
    expect(chooseAdapter(here, 'llvmpipe (llvm 15.0.6, 256 bits) driver')).toMatchObject({ chosen: 0 });
  });

  it('takes nothing, naming what is here, for an index past the list or a name nothing matches', () => {
    for (const selector of ['2', 'NVIDIA']) {
      const choice = chooseAdapter(here, selector);
      expect(choice.chosen).toBeNull();
      expect(choice.reason).toBe(
        `no WebGPU adapter matches --webgpu-adapter '${selector}'; adapters here: 0 (vulkan, llvmpipe (LLVM 15.0.6, 256 bits), software, core); 1 (opengl, llvmpipe (LLVM 15.0.6, 256 bits), software, compatibility)`,
      );
    }
  });

  it('reads digits past the list as part of a name, and a Dawn backend with no adapter as no match', () => {
    const gpus = byPreference([adapter('vulkan', 'NVIDIA GeForce RTX 4090', false), adapter('opengl', 'zink Vulkan 1.3 (llvmpipe)', true, 'compatibility')]);
    expect(chooseAdapter(gpus, '4090')).toMatchObject({ chosen: 0, reason: expect.stringMatching(/matches its name$/) });
    expect(chooseAdapter(gpus, '1')).toMatchObject({ chosen: 1, reason: expect.stringMatching(/is its index$/) });
    // 'vulkan' names the Vulkan adapter, never the OpenGL one whose name says Vulkan
    expect(chooseAdapter([gpus[1]!], 'vulkan').chosen).toBeNull();
  });

  it('takes nothing when Dawn offers no adapter', () => {
    expect(chooseAdapter([])).toEqual({ chosen: null, reason: 'Dawn offers no WebGPU adapter here' });
  });
});

describe('adapterRecord', () => {
  const open = (info: Record<string, unknown>, limits: Record<string, unknown> = {}) => ({ info, limits });

  it("marks lavapipe software from its architecture, Dawn's GL llvmpipe from its name, a GPU as hardware", () => {
    const lavapipe = adapterRecord('vulkan', 'llvmpipe (LLVM 15.0.6, 256 bits)', 'core', open({ vendor: 'mesa', architecture: 'software', isFallbackAdapter: true }));
    const gl = adapterRecord('opengl', 'llvmpipe (LLVM 15.0.6, 256 bits)', 'compatibility', open({ vendor: '', architecture: '', description: 'OpenGL version 4.5 (Core Profile) Mesa 22.3.6' }));
    const gpu = adapterRecord('vulkan', 'NVIDIA H200', 'core', open({ vendor: 'nvidia', architecture: 'hopper', description: '570.86.15' }));
    expect([lavapipe.software, gl.software, gpu.software]).toEqual([true, true, false]);
  });

  it('keeps the limits that bound the suite and only those', () => {
    const r = adapterRecord('vulkan', 'x', 'core', open({}, { maxStorageBufferBindingSize: 134217728, maxBufferSize: 4294967295, maxTextureDimension2D: 8192 }));
    expect(r.limits).toEqual({ maxStorageBufferBindingSize: 134217728, maxBufferSize: 4294967295 });
  });
});

/** A stand-in for dawn.node: per backend, adapters by name with their info and limits; a non-existent name rejects with the list. */
function fakeDawn(byBackend: Record<string, { name: string; info: Record<string, unknown>; coreOk: boolean }[]>, nullTimes = 0): DawnModule & { opened: string[] } {
  let nulls = nullTimes;
  const opened: string[] = [];
  return {
    opened,
    create(options: string[]) {
      const backend = options.find((o) => o.startsWith('backend='))?.slice(8) ?? 'vulkan';
      const name = options.find((o) => o.startsWith('adapter='))?.slice(8) ?? '';
      const list = byBackend[backend] ?? [];
      return {
        async requestAdapter(request?: Record<string, unknown>) {
          const match = list.find((a) => a.name.includes(name));
          if (!match) {
            if (list.length === 0) throw new Error('no suitable backends found');
            throw new Error(`no adapter with backend '${backend}' and name '${name}' found\nAvailable adapters:\n${list.map((a) => ` * backend: '${backend}', name: '${a.name}'`).join('\n')}`);
          }
          if (request?.featureLevel === 'core' && !match.coreOk) return null;
          if (nulls > 0) {
            nulls--;
            return null;
          }
          opened.push(`${backend}:${match.name}:${String(request?.featureLevel)}`);
          return { info: match.info, limits: { maxBufferSize: 2 ** 31 } };
        },
      };
    },
  };
}

describe('listAdapters (a stand-in Dawn)', () => {
  const llvmpipe = 'llvmpipe (LLVM 15.0.6, 256 bits)';
  const lavapipe = { name: llvmpipe, info: { vendor: 'mesa', architecture: 'software', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'Mesa 25' }, coreOk: true };
  const gl = { name: llvmpipe, info: { vendor: '', architecture: '', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'OpenGL Mesa 22' }, coreOk: false };

  it('asks every Linux backend, opens each adapter at core or else compatibility, and orders them', async () => {
    const adapters = await listAdapters(fakeDawn({ vulkan: [lavapipe], opengl: [gl], opengles: [] }), 'linux');
    expect(adapters.map((a) => [a.index, a.backend, a.featureLevel, a.software])).toEqual([
      [0, 'vulkan', 'core', true],
      [1, 'opengl', 'compatibility', true],
    ]);
    expect(adapters[1]!.limits).toEqual({ maxBufferSize: 2 ** 31 });
  });

  it('lists nothing when no backend has an adapter', async () => {
    expect(await listAdapters(fakeDawn({}), 'linux')).toEqual([]);
  });

  it('asks again when an adapter answers null at first (Mesa GL while other processes start)', async () => {
    const dawn = fakeDawn({ opengl: [gl] }, 2);
    const adapters = await listAdapters(dawn, 'linux');
    expect(adapters.map((a) => a.backend)).toEqual(['opengl']);
  });

  it('isSameAdapter tells the listed adapter from another that Dawn matched by part of its name', () => {
    const listed = adapterRecord('vulkan', 'NVIDIA H200', 'core', { info: { vendor: 'nvidia', architecture: 'hopper', device: 'nvidia-h200', description: '570' }, limits: {} });
    expect(isSameAdapter(listed, { info: { vendor: 'nvidia', architecture: 'hopper', device: 'nvidia-h200', description: '570' } })).toBe(true);
    expect(isSameAdapter(listed, { info: { vendor: 'nvidia', architecture: 'hopper', device: 'nvidia-h200-nvl', description: '570' } })).toBe(false);
  });
});
