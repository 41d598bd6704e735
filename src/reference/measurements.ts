/**
 * Measured figures (reference-data/measurements.json, and a user's own
 * imported results): what a chip reached, set beside what its datasheet says
 * it can reach.
 *
 * They live in their own file with their own schema, not in chips.json,
 * because they are a different kind of fact: a spec figure has a confidence
 * (datasheet, secondary, derived); a measured figure has a method (tool,
 * shapes or sizes, the statistic over them), software versions, a device
 * count and the device string the tool printed. Kept apart, a measured
 * figure can never stand in for a peak, the chip table's `--chips` files keep
 * their format, and the claims can give a second verdict from measurements
 * beside the one from the datasheets.
 *
 * Units are fixed by the quantity: matmul in TFLOP/s (1e12 FLOP/s, FLOP =
 * 2·M·N·K), all-reduce busbw in GB/s (1e9 B/s, nccl-tests' busbw =
 * algbw × 2(n−1)/n).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../env/package-info.js';
import { InputError } from '../errors/input-error.js';
import { describeZodError } from '../results/read-result.js';
import { readInputText, refuseNewerSchema } from '../results/read-input-file.js';

const key = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower case letters, digits and dashes');
const isoDate = z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'a date, YYYY-MM-DD');

/** The precision a figure was run at, as the tool names its data type (bf16 and fp16 are separate here: they are separate runs). */
export const MEASURED_PRECISIONS = ['fp64', 'fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'int8'] as const;
export type MeasuredPrecision = (typeof MEASURED_PRECISIONS)[number];

/** What was measured; the unit follows from it. */
export const MEASURED_QUANTITIES = ['matmul', 'allreduce-busbw'] as const;
export type MeasuredQuantity = (typeof MEASURED_QUANTITIES)[number];

export const UNIT_OF: Record<MeasuredQuantity, 'TFLOP/s' | 'GB/s'> = { matmul: 'TFLOP/s', 'allreduce-busbw': 'GB/s' };

/** The statistic a figure is over its sweep: the best size (max), or a mean or median over sizes or repeats; single: one measurement. */
export const STATISTICS = ['max', 'mean', 'median', 'single'] as const;

export const MeasurementSourceSchema = z
  .object({
    title: z.string().min(1).max(1000),
    url: z.string().max(1000).optional(),
    /** when the source was published or last changed */
    published: isoDate.optional(),
    /** when its figures were read for this file */
    accessed: isoDate,
  })
  .strict();
export type MeasurementSource = z.infer<typeof MeasurementSourceSchema>;

export const MeasuredFigureSchema = z
  .object({
    id: key,
    /** a chip id of the chip table */
    chip: key,
    /** the device as the tool printed it: 'NVIDIA H100 80GB HBM3', 'Ascend910B2' */
    device: z.string().min(1).max(200),
    quantity: z.enum(MEASURED_QUANTITIES),
    /** the data type it ran at, as labelled by the source (see `mislabelled`) */
    precision: z.enum(MEASURED_PRECISIONS),
    value: z.number().finite().positive().max(1e9),
    unit: z.enum(['TFLOP/s', 'GB/s']),
    method: z
      .object({
        /** 'PyTorch square matmul sweep', 'nccl-tests all_reduce_perf' */
        tool: z.string().min(1).max(300),
        /** the shapes or message sizes, and which one the figure is */
        shape: z.string().min(1).max(500),
        statistic: z.enum(STATISTICS),
        detail: z.string().max(1000).optional(),
      })
      .strict(),
    /** software versions as the source gives them */
    software: z.string().max(500).optional(),
    /** where it ran: a cloud, a VM type, a physical machine */
    environment: z.string().max(300).optional(),
    /** devices used; for a collective, its ranks */
    devices: z.number().int().positive().max(1_000_000),
    contributor: z.string().max(200).optional(),
    /** keys into the file's `sources` */
    sources: z.array(key).min(1).max(10),
    /** kept as given, but its label is wrong: never used at the labelled precision */
    mislabelled: z.object({ likely: z.enum(MEASURED_PRECISIONS), note: z.string().min(1).max(1000) }).strict().optional(),
    /** the id of the figure that replaced this one (the contributor's re-run) */
    supersededBy: key.optional(),
    note: z.string().max(1000).optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.unit !== UNIT_OF[f.quantity]) ctx.addIssue({ code: 'custom', path: ['unit'], message: `${f.quantity} is in ${UNIT_OF[f.quantity]}` });
  });
export type MeasuredFigure = z.infer<typeof MeasuredFigureSchema>;

export const MEASUREMENTS_SCHEMA_VERSION = 1;

export const MeasurementsFileSchema = z
  .object({
    schemaVersion: z.literal(MEASUREMENTS_SCHEMA_VERSION),
    description: z.string().max(5000).optional(),
    sources: z.record(key, MeasurementSourceSchema),
    figures: z.array(MeasuredFigureSchema),
  })
  .strict();

/** Measured figures with the sources they cite: the shipped file's, plus any a user adds. */
export interface MeasurementSet {
  sources: Record<string, MeasurementSource>;
  figures: MeasuredFigure[];
}

export function shippedMeasurementsPath(): string {
  return join(packageRoot(), 'reference-data', 'measurements.json');
}

/** Every figure's sources defined, ids unique, supersededBy pointing at a figure: otherwise an InputError naming `where`. */
function checkReferences(set: MeasurementSet, where: string): void {
  const ids = new Set<string>();
  set.figures.forEach((f, i) => {
    if (ids.has(f.id)) throw new InputError(`${where}: $.figures[${i}].id '${f.id}' appears twice; give each figure its own id`);
    ids.add(f.id);
    const missing = f.sources.find((s) => !(s in set.sources));
    if (missing) throw new InputError(`${where}: $.figures[${i}] (${f.id}) cites source '${missing}', which $.sources does not define; add it there`);
  });
  set.figures.forEach((f, i) => {
    if (f.supersededBy && !ids.has(f.supersededBy)) throw new InputError(`${where}: $.figures[${i}].supersededBy names '${f.supersededBy}', which no figure has as its id`);
  });
}

/** Parses and validates a measurements file's text; `path` names it in errors. */
export function parseMeasurements(text: string, path: string): MeasurementSet {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path}: cannot read it as measured figures (${(error as Error).message}); give a JSON file in the format of reference-data/measurements.json`);
  }
  refuseNewerSchema(data, MEASUREMENTS_SCHEMA_VERSION, path, 'figures');
  const parsed = MeasurementsFileSchema.safeParse(data);
  if (!parsed.success) throw new InputError(`${path}: not a valid measurements file at ${describeZodError(parsed.error)}; fix that field (the format is reference-data/measurements.json's)`);
  const set = { sources: parsed.data.sources, figures: parsed.data.figures };
  checkReferences(set, path);
  return set;
}

/** The shipped measured figures (or another file in their format). */
export function loadMeasurements(path = shippedMeasurementsPath()): MeasurementSet {
  return parseMeasurements(readInputText(path, 'it as measured figures', 'restore it from the chipbench package'), path);
}

/**
 * `base` plus a user's own figures (an imported result file, say): they are
 * validated like the shipped ones, may cite the base's sources or bring
 * their own, and may not reuse an id or redefine a source key.
 */
export function withExtraMeasurements(base: MeasurementSet, extra: { figures: unknown[]; sources?: Record<string, unknown> }, where = 'extra measured figures'): MeasurementSet {
  const figures = extra.figures.map((f, i) => {
    const parsed = MeasuredFigureSchema.safeParse(f);
    if (!parsed.success) throw new InputError(`${where}: not a valid measured figure at $.figures[${i}]${describeZodError(parsed.error).replace(/^\$/, '')}; fix that field`);
    return parsed.data;
  });
  const sources: Record<string, MeasurementSource> = { ...base.sources };
  for (const [k, s] of Object.entries(extra.sources ?? {})) {
    const parsed = MeasurementSourceSchema.safeParse(s);
    if (!parsed.success) throw new InputError(`${where}: not a valid source at $.sources.${k}${describeZodError(parsed.error).replace(/^\$/, '')}; fix that field`);
    if (k in base.sources) throw new InputError(`${where}: $.sources.${k} is already a shipped source; choose another key`);
    sources[k] = parsed.data;
  }
  const merged = { sources, figures: [...base.figures, ...figures] };
  checkReferences(merged, where);
  return merged;
}

/** A figure's sources, as one line: titles with their URL and dates. */
export function describeSources(set: MeasurementSet, figure: Pick<MeasuredFigure, 'sources'>): string {
  return figure.sources
    .map((k) => {
      const s = set.sources[k]!;
      const dates = [s.published ? `published ${s.published}` : '', `accessed ${s.accessed}`].filter(Boolean).join(', ');
      return `${s.title}${s.url ? ` <${s.url}>` : ''} (${dates})`;
    })
    .join('; ');
}
