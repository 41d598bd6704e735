/**
 * The article's claim 2 as arithmetic: with NVLink cut to 400 GB/s, steps of
 * a ~10-billion-parameter training run took 20-35% longer (A800 against
 * A100, H800 against H100).
 *
 * Model of one data-parallel step on R GPUs:
 * - gradients: P parameters of `bytesPerParameter` bytes (f16: 2) are
 *   all-reduced with a ring, t_comm from the alpha-beta model;
 * - compute takes t_compute, the same on both chips of a pair (A800 and H800
 *   keep their siblings' compute; only the link differs);
 * - a fraction f of the communication overlaps compute; the rest is exposed:
 *   t_step = t_compute + (1 - f) t_comm + max(0, f t_comm - t_compute).
 * slowdown = t_step(cut chip) / t_step(original) - 1.
 */
import { DEFAULT_ALPHA_SECONDS, perDirectionGBps, ringAllreduceSeconds } from '../metrics/alpha-beta.js';
import type { InterconnectChip } from './interconnect.js';

export interface StepModel {
  parameters: number;
  bytesPerParameter: number;
  gpus: number;
  computeSeconds: number;
  alphaSeconds: number;
}

/**
 * The defaults of `chipbench interconnect-claim` and of claim 2's verdict in
 * `chipbench claims`: the article's ~10 billion parameters with f16
 * gradients on one 8-GPU server; 100 ms of compute per step and no overlap
 * are assumptions, which the command lets a user change.
 */
export const DEFAULT_STEP_MODEL: StepModel = {
  parameters: 1e10,
  bytesPerParameter: 2,
  gpus: 8,
  computeSeconds: 0.1,
  alphaSeconds: DEFAULT_ALPHA_SECONDS,
};
export const DEFAULT_OVERLAP = 0;

export function gradientBytes(model: StepModel): number {
  return model.parameters * model.bytesPerParameter;
}

/** Step time for a chip at overlap fraction f in [0, 1]. */
export function stepSeconds(model: StepModel, chip: InterconnectChip, overlap: number): number {
  if (overlap < 0 || overlap > 1) throw new RangeError(`overlap must be in [0, 1], got ${overlap}`);
  const [perDirection] = perDirectionGBps(chip.GBps, chip.convention);
  const comm = ringAllreduceSeconds(model.gpus, gradientBytes(model), model.alphaSeconds, perDirection);
  const hidden = overlap * comm;
  return model.computeSeconds + (1 - overlap) * comm + Math.max(0, hidden - model.computeSeconds);
}

/** How much longer a step takes on `cut` than on `original`, as a fraction (0.2 = 20% longer). */
export function slowdown(model: StepModel, original: InterconnectChip, cut: InterconnectChip, overlap: number): number {
  return stepSeconds(model, cut, overlap) / stepSeconds(model, original, overlap) - 1;
}

/**
 * The overlap fractions, on a grid of `resolution` steps over [0, 1], for
 * which the slowdown lies within [low, high], as maximal intervals of grid
 * points (empty when none does). The slowdown need not be monotone in the
 * overlap: once the cut chip's hidden communication outgrows the compute,
 * its step becomes communication-bound before the original's does.
 */
export function overlapRangesFor(
  model: StepModel,
  original: InterconnectChip,
  cut: InterconnectChip,
  low: number,
  high: number,
  resolution = 1000,
): { from: number; to: number }[] {
  const ranges: { from: number; to: number }[] = [];
  let open: { from: number; to: number } | undefined;
  for (let i = 0; i <= resolution; i++) {
    const f = i / resolution;
    const s = slowdown(model, original, cut, f);
    if (s >= low && s <= high) {
      if (open) open.to = f;
      else ranges.push((open = { from: f, to: f }));
    } else {
      open = undefined;
    }
  }
  return ranges;
}
