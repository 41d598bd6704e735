/**
 * A suite size as the case ids name it: 1024 -> n1024; { rows: 256, cols: 1024 } -> rows256-cols1024 (in the
 * order the keys were written). The label is part of the id, so it never changes meaning.
 */

const DIM_NAME = /^[a-z][a-z0-9]{0,30}$/;

/** The longest size label an id takes (an id holds at most 500 characters in all). */
export const MAX_SIZE_LABEL = 200;

/** A user's value in a message, cut short: a message is one line, whatever the suite file holds. */
export function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The size's label, or the problem with it in words. */
export function sizeLabel(size: unknown): { label: string; dims: Record<string, number> } | { problem: string } {
  if (typeof size === 'number') {
    return isCount(size) ? { label: `n${size}`, dims: { n: size } } : { problem: `size ${size} is not a positive whole number` };
  }
  if (typeof size !== 'object' || size === null || Array.isArray(size)) return { problem: `size ${shown(size)} is neither a number nor an object of named dimensions` };
  const entries = Object.entries(size as Record<string, unknown>);
  if (entries.length === 0) return { problem: 'a size {} names no dimension' };
  for (const [name, value] of entries) {
    if (!DIM_NAME.test(name)) return { problem: `size dimension ${shown(name)} must be lowercase letters and digits, starting with a letter` };
    if (typeof value !== 'number' || !isCount(value)) return { problem: `size dimension ${name}: ${shown(value)} is not a positive whole number` };
  }
  const label = entries.map(([name, value]) => `${name}${value as number}`).join('-');
  if (label.length > MAX_SIZE_LABEL) return { problem: `size ${shown(size)} makes a label of ${label.length} characters; an id takes at most ${MAX_SIZE_LABEL} for the size` };
  return { label, dims: Object.fromEntries(entries) as Record<string, number> };
}

function isCount(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0;
}

