/**
 * What `chipbench calibrate` found on this runner, for people: false alarms
 * of the A/A pairs, and by backend and workload the spread between runs and
 * the smallest slowdown two separate runs can show, with and without the
 * noise file.
 */
import { lowerMedian, type Calibration } from '../compare/calibration.js';
import { renderTextTable } from './text-table.js';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const median = (v: readonly number[]) => lowerMedian(v) ?? NaN;

/** The group of a case id, e.g. 'webasm gemm' from gemm-tuned/webasm/...; the hand-written kernels apart. */
function groupOf(id: string): string {
  const [family = '', backend = ''] = id.split('/');
  const handWritten = family.includes('ceiling');
  const workload = family.replace(/-ceiling/, '').replace(/-(tuned|copy|triad|ring|direct|halving-doubling)$/, '');
  return `${backend} ${workload}${handWritten ? ' (hand-written)' : ''}`;
}

export function renderCalibration(calibration: Calibration, noisePath: string): string {
  const { noise, detectable } = calibration;
  const aa = noise.aa;
  const groups = new Map<string, typeof detectable>();
  for (const d of detectable) groups.set(groupOf(d.id), [...(groups.get(groupOf(d.id)) ?? []), d]);
  const rows = [...groups].map(([group, list]) => [
    group,
    String(list.length),
    pct(median(list.map((d) => noise.cases[d.id]!.runSdLog))),
    pct(median(list.map((d) => d.forksAlone))),
    pct(median(list.map((d) => d.withNoise))),
  ]);
  const all = detectable.map((d) => d.withNoise);
  const share = (limit: number) => pct(all.filter((m) => m <= limit).length / Math.max(1, all.length));
  const sample = calibration.outOfSample ? 'each pair judged with a noise file from the other runs' : 'the pairs judged with a noise file from their own runs (fewer than 4 runs: optimistic)';
  return [
    `chipbench calibrate: ${noise.runs.length} runs on ${noise.machine.hostname} (${noise.machine.cpu}), gpu.js ${noise.machine.gpujs}`,
    `A/A over ${aa.pairs} consecutive pairs (every regressed or improved is a false alarm):`,
    `  forks alone: ${aa.forksAlone.regressed} regressed, ${aa.forksAlone.improved} improved of ${aa.forksAlone.comparisons} case comparisons`,
    `  with the runner's spread between runs (${sample}): ${aa.withNoise.regressed} regressed, ${aa.withNoise.improved} improved of ${aa.withNoise.comparisons}`,
    '',
    'The smallest slowdown two separate runs would call regressed with 80% probability (minimum detectable change, median over the pairs), by backend and workload:',
    renderTextTable(['group', 'cases', 'sd between runs', 'detectable, forks alone', 'detectable, with the noise file'], rows),
    '',
    `every case, with the noise file: median ${pct(median(all))}; at most 10%: ${share(0.1)}, at most 20%: ${share(0.2)}`,
    `Noise file: ${noisePath}. Judge two separate runs on this runner with it: chipbench compare BASE.json HEAD.json --noise ${noisePath}`,
  ].join('\n');
}
