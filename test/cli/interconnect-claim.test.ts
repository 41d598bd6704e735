import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('chipbench interconnect-claim', { timeout: 30_000 }, () => {
  it('prints both pairs with the model, the slowdown and the overlap ranges for 20-35%', async () => {
    const r = await runCli(['interconnect-claim', '--compute-ms', '100', '--overlap', '0', '--alpha-us', '0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('20.00 GB of gradients, ring all-reduce on 8 GPUs');
    // A800 vs A100: 0.1 + 0.175 over 0.1 + 0.11667 = 26.9% longer
    expect(r.stdout).toMatch(/A800 SXM4 80GB vs A100 SXM4 80GB\s+200 vs 300\s+175 ms vs 117 ms\s+275 ms vs 217 ms\s+26\.9% \(in 20-35%\)/);
    expect(r.stdout).toMatch(/H800 SXM5 80GB vs H100 SXM5 80GB\s+200 vs 450\s+175 ms vs 77\.8 ms\s+275 ms vs 178 ms\s+54\.7%\s+0\.500 to 0\.619/); // alpha 0: the grid edge moves from 0.618 (alpha 2 µs)
    expect(r.stdout).toContain('H800 SXM5 80GB: DeepSeek');
  });
  it('pure communication is 50% longer on A800 and 125% on H800: outside the claim at any overlap', async () => {
    const r = await runCli(['interconnect-claim', '--compute-ms', '0', '--alpha-us', '0']);
    expect(r.stdout).toMatch(/A800 SXM4 80GB vs A100 SXM4 80GB.*50\.0%\s+none in \[0, 1\]/);
    expect(r.stdout).toMatch(/H800 SXM5 80GB vs H100 SXM5 80GB.*125\.0%\s+none in \[0, 1\]/);
  });
  it.each([
    [['--overlap', '1.5'], /--overlap: '1.5' is not a fraction; give a number from 0 to 1/],
    [['--gpus', '1'], /--gpus: '1' is not a GPU count/],
    [['--params', '-3'], /--params: '-3' is not a positive number/],
    [['--compute-ms', '-1'], /--compute-ms: '-1' is not a time/],
  ])('refuses %j with one line and exit 2', async (args, message) => {
    const r = await runCli(['interconnect-claim', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});
