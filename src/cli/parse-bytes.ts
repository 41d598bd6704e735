/**
 * Byte sizes as nccl-tests takes them (-b 4K -e 64M -f 4): an integer with
 * an optional binary suffix, K/KiB, M/MiB or G/GiB (1K = 1024 bytes). A rank's
 * buffer holds f32 values, so a size must be a multiple of 4 bytes.
 */
import type { ByteSweep } from '../config/profiles.js';
import { InputError } from '../errors/input-error.js';

const UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, kib: 2 ** 10, m: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gib: 2 ** 30 };

export function parseBytes(option: string, text: string): number {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(String(text).trim());
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new InputError(`--${option}: '${text}' is not a size; give bytes like 4096, 4K or 64MiB`);
  }
  const bytes = Number(match[1]) * unit;
  if (bytes < 4) throw new InputError(`--${option}: '${text}' is smaller than one f32 value; give at least 4 bytes`);
  if (bytes % 4 !== 0) throw new InputError(`--${option}: '${text}' is not a whole number of f32 values; give a multiple of 4 bytes`);
  if (!Number.isSafeInteger(bytes)) throw new InputError(`--${option}: '${text}' is too large; give a smaller size`);
  return bytes;
}

/** min, min*f, min*f^2, ... while <= max, as nccl-tests sweeps -b/-e/-f (each rounded down to a multiple of 4). */
export function sweepBytes(sweep: ByteSweep): number[] {
  const { minBytes, maxBytes, factor } = sweep;
  if (minBytes > maxBytes) {
    throw new InputError(`--min-bytes ${minBytes} is larger than --max-bytes ${maxBytes}; give min <= max`);
  }
  if (!(factor >= 2) || !Number.isInteger(factor)) {
    throw new InputError(`--step-factor: '${factor}' must be an integer of at least 2; give e.g. --step-factor 4`);
  }
  const sizes: number[] = [];
  for (let s = minBytes; s <= maxBytes; s *= factor) sizes.push(s - (s % 4));
  return sizes;
}
