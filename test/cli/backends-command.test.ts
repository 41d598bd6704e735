import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('chipbench backends', { timeout: 60_000 }, () => {
  it('lists each backend as available with its device, or unavailable with the reason and remedy', async () => {
    const r = await runCli(['backends', '--backends', 'fake,fake-unavailable,fake-fallback']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^fake: available, runs on .+ \[CPU\] \(gpu\.js FakeKernel\)$/);
    expect(lines[1]).toBe('fake-unavailable: unavailable: the fake backend is unavailable by design');
    expect(lines[2]).toBe('    remedy: use --backends fake');
    expect(lines[3]).toMatch(/^fake-fallback: unavailable: gpu\.js ran this case on 'cpu' \(FakeKernel\) instead of the requested 'fake-fallback'/);
  });

  it('--json gives the statuses as data', async () => {
    const r = await runCli(['backends', '--backends', 'fake,fake-unavailable', '--json']);
    expect(r.code).toBe(0);
    const statuses = JSON.parse(r.stdout) as { backend: string; available: boolean; remedy?: string }[];
    expect(statuses.map((s) => [s.backend, s.available])).toEqual([
      ['fake', true],
      ['fake-unavailable', false],
    ]);
    expect(statuses[1]!.remedy).toBe('use --backends fake');
  });
});
