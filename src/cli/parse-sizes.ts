/**
 * Parses --sizes: a comma-separated list where each entry is either one
 * integer (a cube, M = N = K) or MxNxK, e.g. "256,512,333x517x129".
 */
import { InputError } from '../errors/input-error.js';
import { formatShape, type GemmShape } from '../metrics/gemm-work.js';

/** Largest dimension accepted before any memory check: 2^20 (beyond it f64 indexing of M*K still works, but no backend could hold it). */
export const MAX_DIMENSION = 1 << 20;

function parseDimension(text: string, entry: string): number {
  if (!/^\d+$/.test(text)) {
    throw new InputError(
      `--sizes: '${entry}' is not a size; give positive integers like 512 or MxNxK like 333x517x129`,
    );
  }
  const value = Number(text);
  if (value < 1) throw new InputError(`--sizes: '${entry}' has a zero dimension; every dimension must be at least 1`);
  if (value > MAX_DIMENSION) {
    throw new InputError(`--sizes: '${entry}' has a dimension over ${MAX_DIMENSION}; give smaller sizes`);
  }
  return value;
}

export function parseSizes(spec: string): GemmShape[] {
  const entries = spec.split(',').map((s) => s.trim());
  if (entries.length === 0 || entries.some((e) => e === '')) {
    throw new InputError(`--sizes: '${spec}' has an empty entry; give a comma-separated list like 256,512,333x517x129`);
  }
  const shapes = entries.map((entry) => {
    const parts = entry.toLowerCase().split('x');
    if (parts.length === 1) {
      const s = parseDimension(parts[0]!, entry);
      return { m: s, n: s, k: s };
    }
    if (parts.length === 3) {
      const [m, n, k] = parts.map((p) => parseDimension(p, entry)) as [number, number, number];
      return { m, n, k };
    }
    throw new InputError(`--sizes: '${entry}' must be one integer (a cube) or MxNxK, like 333x517x129`);
  });
  // A case id is made from the shape, so a shape given twice would make two cases with one id.
  const seen = new Set<string>();
  for (const s of shapes) {
    const key = formatShape(s);
    if (seen.has(key)) throw new InputError(`--sizes: ${key} is given twice; give each shape once`);
    seen.add(key);
  }
  return shapes;
}
