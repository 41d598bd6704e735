/**
 * The alpha-beta (latency-bandwidth) model of a ring all-reduce (Hockney;
 * Thakur, Rabenseifner & Gropp, IJHPCA 2005): 2(R-1) steps, each paying a
 * latency alpha and moving S/R bytes over one link direction, so
 *   t = 2(R-1) * alpha + 2(R-1)/R * S / B
 * with B the per-direction bandwidth of the slowest link. 2(R-1)/R * S / B is
 * exactly S / busbw: nccl-tests' busbw is the B this model would need.
 */
import { bytesPerSecond } from './units.js';

/** How a datasheet states an interconnect figure. */
export type LinkConvention = 'bidirectional-total' | 'per-direction' | 'unstated';

/** Per-direction bytes/s for a stated figure; an unstated one gives both readings: [as a bidirectional total, as per direction]. */
export function perDirectionGBps(statedGBps: number, convention: LinkConvention): [number, number] {
  if (convention === 'bidirectional-total') return [statedGBps / 2, statedGBps / 2];
  if (convention === 'per-direction') return [statedGBps, statedGBps];
  return [statedGBps / 2, statedGBps];
}

/** Ring all-reduce time in seconds: 2(R-1) alpha + 2(R-1)/R S / B, B in GB/s (1e9 B/s). */
export function ringAllreduceSeconds(ranks: number, bytes: number, alphaSeconds: number, perDirectionGBps: number): number {
  if (!Number.isInteger(ranks) || ranks < 2) throw new RangeError(`ranks must be an integer >= 2, got ${ranks}`);
  if (!(perDirectionGBps > 0)) throw new RangeError(`bandwidth must be positive, got ${perDirectionGBps}`);
  const steps = 2 * (ranks - 1);
  return steps * alphaSeconds + ((steps / ranks) * bytes) / bytesPerSecond(perDirectionGBps);
}

/** The default per-step latency of the model: 2 µs, the order of an NVLink hop plus a kernel step in NCCL; an assumption, shown as such. */
export const DEFAULT_ALPHA_SECONDS = 2e-6;
