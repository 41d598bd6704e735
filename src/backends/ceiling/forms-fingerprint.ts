/**
 * Fingerprints of the hand-written GEMMs that pick among several forms on a device (WGSL tilings, WebGL layouts):
 * their list of forms, every form's generated shader at a sample shape, and a version of the host-side code (operand
 * layout, padding, readback) bumped by hand when it changes. A choice cached among other forms (an older chipbench,
 * a shader rewritten since) is not reused: the new set is tried. A cached form is verified again anyway, so a stale
 * one costs speed, never a wrong result.
 */
import { createHash } from 'node:crypto';
import { WEBGL_FORMS, webglGemmSource } from './webgl-gemm.js';
import { WGSL_TILINGS, wgslGemmSource } from './wgsl-gemm-source.js';

/** Bump when the host side of a hand-written GEMM changes how it lays out, pads or reads back its operands. */
const HOST_CODE_VERSION = 1;

const fingerprint = (forms: unknown, sources: string[]) =>
  createHash('sha256').update(`${HOST_CODE_VERSION}\n${JSON.stringify(forms)}\n${sources.join('\n')}`).digest('hex').slice(0, 12);

const FINGERPRINTS: Record<string, string> = {
  // the WebGL shaders take the texture sides as constants: a sample shape shows every line of the source
  headlessgl: fingerprint(WEBGL_FORMS, WEBGL_FORMS.map((form) => webglGemmSource(form, 8, 2, 2))),
  webgpu: fingerprint(WGSL_TILINGS, WGSL_TILINGS.map(wgslGemmSource)),
};

/** The fingerprint of a backend's hand-written GEMM forms; undefined where it has one form, with nothing to choose. */
export function ceilingFormsFingerprint(backend: string): string | undefined {
  return FINGERPRINTS[backend];
}
