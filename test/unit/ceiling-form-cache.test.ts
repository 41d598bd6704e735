/**
 * The ceiling forms cache: a form is found again only for the same backend, device, forms fingerprint and shape;
 * a cache that is missing or holds something else is ignored.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCeilingFormCachePath, loadCeilingForm, saveCeilingForm, type CeilingFormKey } from '../../src/jobs/ceiling-form-cache.js';
import { ceilingFormsFingerprint } from '../../src/backends/ceiling/forms-fingerprint.js';

const key: CeilingFormKey = { backend: 'webgpu', device: 'llvmpipe', fingerprint: 'abc', shape: { m: 8, n: 8, k: 8 } };

describe('the ceiling forms cache', () => {
  it('finds a saved form under the same key only', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'chipbench-forms-')), 'ceiling-forms.json');
    expect(loadCeilingForm(path, key)).toBeUndefined();
    expect(saveCeilingForm(path, key, 'wgsl-8x8x8x8-k16-v4', 0.25, new Date('2026-12-02T00:00:00Z'))).toBe(true);
    expect(loadCeilingForm(path, key)).toEqual({ form: 'wgsl-8x8x8x8-k16-v4', trialSeconds: 0.25, chosenAt: '2026-12-02T00:00:00.000Z' });
    for (const other of [{ device: 'lavapipe' }, { fingerprint: 'abd' }, { backend: 'headlessgl' }, { shape: { m: 8, n: 8, k: 9 } }]) {
      expect(loadCeilingForm(path, { ...key, ...other })).toBeUndefined();
    }
  });

  it('ignores a file that is not a cache, and replaces it on the next save', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'chipbench-forms-')), 'ceiling-forms.json');
    writeFileSync(path, 'not json');
    expect(loadCeilingForm(path, key)).toBeUndefined();
    expect(saveCeilingForm(path, key, 'webgl-mrt-4x4', 0.1)).toBe(true);
    expect(loadCeilingForm(path, key)!.form).toBe('webgl-mrt-4x4');
  });

  it('lives beside the variant cache, and fingerprints only the kernels that choose among forms', () => {
    expect(defaultCeilingFormCachePath({ CHIPBENCH_CACHE_DIR: '/c' })).toBe('/c/ceiling-forms.json');
    expect(ceilingFormsFingerprint('webgpu')).toMatch(/^[0-9a-f]{12}$/);
    expect(ceilingFormsFingerprint('headlessgl')).toMatch(/^[0-9a-f]{12}$/);
    expect(ceilingFormsFingerprint('headlessgl')).not.toBe(ceilingFormsFingerprint('webgpu'));
    expect(ceilingFormsFingerprint('webasm')).toBeUndefined();
  });
});
