/**
 * Fingerprints of the hand-written GEMMs that pick among several forms on a device (WGSL tilings, WebGL layouts):
 * their list of forms and the code that writes their source. A choice cached among other forms (an older
 * chipbench, a shader rewritten since) is not reused: the new set is tried.
 */
import { createHash } from 'node:crypto';
import { WEBGL_FORMS, webglGemmSource } from './webgl-gemm.js';
import { WGSL_TILINGS, wgslGemmSource } from './wgsl-gemm-source.js';

const fingerprint = (forms: unknown, source: (...args: never[]) => string) =>
  createHash('sha256').update(JSON.stringify(forms)).update(String(source)).digest('hex').slice(0, 12);

const FINGERPRINTS: Record<string, string> = {
  headlessgl: fingerprint(WEBGL_FORMS, webglGemmSource),
  webgpu: fingerprint(WGSL_TILINGS, wgslGemmSource),
};

/** The fingerprint of a backend's hand-written GEMM forms; undefined where it has one form, with nothing to choose. */
export function ceilingFormsFingerprint(backend: string): string | undefined {
  return FINGERPRINTS[backend];
}
