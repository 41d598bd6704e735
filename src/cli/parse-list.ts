/** Parsing of comma-separated list options against a set of known names. */
import { InputError } from '../errors/input-error.js';

/** Splits "a,b" (or repeated flags) into names, rejecting unknown ones with the list of known ones. */
export function parseNameList<T extends string>(
  option: string,
  raw: string | string[],
  known: readonly T[],
): T[] {
  const names = (Array.isArray(raw) ? raw : [raw])
    .flatMap((s) => String(s).split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) throw new InputError(`--${option}: empty; give one or more of ${known.join(', ')}`);
  for (const name of names) {
    if (!(known as readonly string[]).includes(name)) {
      throw new InputError(`--${option}: unknown '${name}'; choose from ${known.join(', ')}`);
    }
  }
  return [...new Set(names)] as T[];
}

/** A number option that must be finite and positive (integer when asked). */
export function positiveNumber(option: string, value: unknown, integer = false): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new InputError(`--${option}: '${String(value)}' is not a positive ${integer ? 'integer' : 'number'}; give e.g. --${option} ${integer ? 5 : 1000}`);
  }
  return n;
}

/** A non-negative integer option (0 allowed). */
export function nonNegativeInteger(option: string, value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new InputError(`--${option}: '${String(value)}' is not a non-negative integer; give e.g. --${option} 1`);
  }
  return n;
}
