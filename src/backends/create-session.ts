/**
 * Creates the session for a backend name. gpu.js is imported lazily: the
 * webgpu backend must install its navigator shim before gpu.js first loads,
 * and the fake backend must not need gpu.js at all.
 */
import { isFakeBackend } from './names.js';
import type { BackendSession } from './session.js';

export async function createSession(backend: string): Promise<BackendSession> {
  if (isFakeBackend(backend)) {
    const { FakeSession } = await import('./fake.js');
    return new FakeSession(backend);
  }
  const { GpujsSession } = await import('./gpujs-session.js');
  return GpujsSession.create(backend);
}
