/**
 * The interconnect table (reference-data/interconnect.json), validated on
 * load. Each figure keeps its source, confidence and direction convention;
 * the article's own figures stay apart, as its claims.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../env/package-info.js';
import { InputError } from '../input-error.js';
import { describeZodError } from '../results/read-result.js';

export const InterconnectChipSchema = z.object({
  chip: z.string().min(1).max(200),
  link: z.string().min(1).max(200),
  /** the figure as the source states it, GB/s (1e9 B/s) */
  GBps: z.number().finite().positive().max(1e6),
  convention: z.enum(['bidirectional-total', 'per-direction', 'unstated']),
  source: z.string().min(1).max(1000),
  confidence: z.enum(['datasheet', 'secondary', 'derived', 'unknown']),
});
export type InterconnectChip = z.infer<typeof InterconnectChipSchema>;

export const InterconnectTableSchema = z.object({
  schemaVersion: z.literal(1),
  description: z.string().max(5000),
  chips: z.array(InterconnectChipSchema).min(1),
  articleClaims: z.array(
    z.object({ claim: z.string().max(2000), figuresGBps: z.record(z.string(), z.number().positive()), source: z.string().max(1000) }),
  ),
});
export type InterconnectTable = z.infer<typeof InterconnectTableSchema>;

export function defaultInterconnectPath(): string {
  return join(packageRoot(), 'reference-data', 'interconnect.json');
}

/** Reads and validates an interconnect table; errors name the file, the JSON path and the fix. */
export function loadInterconnectTable(path = defaultInterconnectPath()): InterconnectTable {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`${path}: cannot read it as JSON (${(error as Error).message}); restore it from the chipbench package`);
  }
  const parsed = InterconnectTableSchema.safeParse(data);
  if (!parsed.success) throw new InputError(`${path}: not an interconnect table (${describeZodError(parsed.error)}); fix that field`);
  return parsed.data;
}

/** Finds a chip by name, or throws naming the chips there are. */
export function findChip(table: InterconnectTable, name: string): InterconnectChip {
  const chip = table.chips.find((c) => c.chip === name);
  if (!chip) throw new InputError(`no chip '${name}' in the interconnect table; known: ${table.chips.map((c) => c.chip).join(', ')}`);
  return chip;
}
