/**
 * Backend names. The four real ones are gpu.js's Node modes; the fake ones
 * exist only for tests of the runner itself and are accepted only when
 * CHIPBENCH_ENABLE_FAKE_BACKENDS=1, so a user can never publish a fake figure.
 */

export const GPUJS_BACKENDS = ['cpu', 'webasm', 'headlessgl', 'webgpu'] as const;
export type GpujsBackend = (typeof GPUJS_BACKENDS)[number];

/**
 * Test-only backends, each with one behaviour:
 * - fake: correct results from a plain JS loop, reports itself as executing
 * - fake-fallback: computes correctly but reports that another backend ran (as gpu.js does when it silently falls back)
 * - fake-wrong: corrupts one output element, so verification must fail
 * - fake-crash: the worker process kills itself with SIGKILL during its first case
 * - fake-hang: the first case never returns (a busy loop), so the watchdog must end it
 * - fake-unavailable: probes as unavailable
 */
export const FAKE_BACKENDS = ['fake', 'fake-fallback', 'fake-wrong', 'fake-crash', 'fake-hang', 'fake-unavailable'] as const;
export type FakeBackend = (typeof FAKE_BACKENDS)[number];

export type BackendName = GpujsBackend | FakeBackend;

export const FAKE_BACKENDS_ENV = 'CHIPBENCH_ENABLE_FAKE_BACKENDS';

export function fakeBackendsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[FAKE_BACKENDS_ENV] === '1';
}

/** The names a user may pass to --backends on this invocation. */
export function knownBackends(env: NodeJS.ProcessEnv = process.env): readonly BackendName[] {
  return fakeBackendsEnabled(env) ? [...GPUJS_BACKENDS, ...FAKE_BACKENDS] : GPUJS_BACKENDS;
}

export function isFakeBackend(name: string): name is FakeBackend {
  return (FAKE_BACKENDS as readonly string[]).includes(name);
}
