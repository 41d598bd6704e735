/**
 * The seeded generator a suite case's `inputs` receives: the run's --seed, so a case's inputs are the same on every
 * machine and in every run, and a wrong element can be reproduced.
 */
import { mulberry32 } from '../workloads/gemm/inputs.js';
import type { SeededRandom } from './define.js';

export function seededRandom(seed: number): SeededRandom {
  const next = mulberry32(seed);
  return {
    next,
    uniform(length: number, low = -1, high = 1): Float32Array {
      if (!Number.isSafeInteger(length) || length < 0) throw new Error(`uniform(${length}): the length must be a whole number of elements`);
      const out = new Float32Array(length);
      for (let i = 0; i < length; i++) out[i] = low + (high - low) * next();
      return out;
    },
  };
}
