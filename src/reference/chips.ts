/**
 * The chip table (reference-data/chips.json, plus any --chips file): one
 * entry per chip, every figure with its source and a confidence, validated
 * on load. Unknown stays unknown (value null); a format the chip does not
 * have is `absent`, which is different. The article's own figures are not
 * here: they live in claims.json as the article's claims.
 *
 * Units, fixed by the field names: peaks in TFLOP/s (INT8 in TOPS), dense,
 * never "with sparsity"; memory size in GB (1e9 B) as the vendor states it;
 * memory bandwidth in TB/s (1e12 B/s); interconnect in GB/s as stated, with
 * its direction convention; TDP in W.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../env/package-info.js';
import { InputError } from '../errors/input-error.js';
import { describeZodError } from '../results/read-result.js';
import { readInputText, refuseNewerSchema } from '../results/read-input-file.js';

export const CONFIDENCES = ['datasheet', 'secondary', 'derived', 'unknown'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/**
 * Peak precisions a chip table can state. Each is one column, never merged:
 * fp32 is the non-tensor (CUDA core / vector) rate, the only one an f32
 * measurement may be set against; fp16-tensor covers FP16 and BF16, which
 * every chip here runs at the same dense rate.
 */
export const PEAK_PRECISIONS = ['fp64', 'fp64-tensor', 'fp32', 'tf32-tensor', 'fp16-tensor', 'fp8-tensor', 'int8-tensor'] as const;
export type PeakPrecision = (typeof PEAK_PRECISIONS)[number];

/** Column headers: the precision and the unit in every one. */
export const PEAK_LABELS: Record<PeakPrecision, string> = {
  fp64: 'FP64 (TFLOP/s)',
  'fp64-tensor': 'FP64 tensor (TFLOP/s)',
  fp32: 'FP32 non-tensor (TFLOP/s)',
  'tf32-tensor': 'TF32 tensor (TFLOP/s)',
  'fp16-tensor': 'FP16/BF16 tensor (TFLOP/s)',
  'fp8-tensor': 'FP8 tensor (TFLOP/s)',
  'int8-tensor': 'INT8 tensor (TOPS)',
};

const sourceKey = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a source key: lower case letters, digits and dashes');

/** One figure with its provenance. */
export const FigureSchema = z
  .object({
    /** null: unknown (confidence 'unknown'), or absent (the chip lacks the format) */
    value: z.number().finite().nonnegative().max(1e9).nullable(),
    /** keys into the file's `sources` */
    sources: z.array(sourceKey).max(10),
    confidence: z.enum(CONFIDENCES),
    /** the chip does not have this format at all (A100 has no FP8): known, not unknown */
    absent: z.literal(true).optional(),
    note: z.string().max(1000).optional(),
    /** where sources disagree: the other values, each with its own sources */
    alternatives: z
      .array(z.object({ value: z.number().finite().positive().max(1e9), sources: z.array(sourceKey).min(1).max(10), note: z.string().max(1000).optional() }))
      .max(10)
      .optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.value === null && !f.absent && f.confidence !== 'unknown') {
      ctx.addIssue({ code: 'custom', message: "a null value is unknown: set confidence to 'unknown', or absent: true if the chip lacks the format" });
    }
    if (f.value !== null && (f.confidence === 'unknown' || f.absent)) {
      ctx.addIssue({ code: 'custom', message: "a known value cannot be 'unknown' or absent: set its confidence, or make the value null" });
    }
    if (f.value !== null && f.sources.length === 0) ctx.addIssue({ code: 'custom', message: 'a value needs at least one source key' });
    if (f.value === null && f.alternatives?.length) {
      ctx.addIssue({ code: 'custom', message: 'alternatives need a value beside them: make one of them the value, with its sources' });
    }
  });
export type Figure = z.infer<typeof FigureSchema>;

export const LINK_CONVENTIONS = ['bidirectional-total', 'per-direction', 'unstated'] as const;

export const ChipSchema = z
  .object({
    /** stable id, used on the command line and in result files */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an id: lower case letters, digits and dashes'),
    name: z.string().min(1).max(200),
    vendor: z.string().min(1).max(100),
    /** chips that are variants of one product (Ascend 910B1..B4) share a family */
    family: z.string().min(1).max(100).optional(),
    /** case-insensitive substrings of a device name (WebGPU adapter, GL renderer) that identify this chip */
    deviceNames: z.array(z.string().min(2).max(100)).max(20).default([]),
    year: FigureSchema,
    peaks: z.object(Object.fromEntries(PEAK_PRECISIONS.map((p) => [p, FigureSchema])) as Record<PeakPrecision, typeof FigureSchema>).strict(),
    memory: z.object({ sizeGB: FigureSchema, bandwidthTBps: FigureSchema, kind: z.string().max(100).optional() }).strict(),
    interconnect: z
      .object({
        /** the link as its source names it: NVLink 4 (18 links), HCCS, PCIe Gen4 x16 */
        link: z.string().min(1).max(200),
        GBps: FigureSchema,
        convention: z.enum(LINK_CONVENTIONS),
      })
      .strict(),
    cores: z.object({ count: FigureSchema, unit: z.string().min(1).max(50) }).strict(),
    tdpW: FigureSchema,
  })
  .strict();
export type Chip = z.infer<typeof ChipSchema>;

export const SourceSchema = z.object({ title: z.string().min(1).max(1000), url: z.string().max(1000).optional() }).strict();

/** The chip file format's version; a newer file is refused with 'upgrade chipbench'. */
export const CHIP_FILE_SCHEMA_VERSION = 1;

export const ChipFileSchema = z
  .object({
    schemaVersion: z.literal(CHIP_FILE_SCHEMA_VERSION),
    description: z.string().max(5000).optional(),
    sources: z.record(sourceKey, SourceSchema),
    chips: z.array(ChipSchema).min(1),
  })
  .strict();
export type ChipFile = z.infer<typeof ChipFileSchema>;

/** The merged table: the shipped chips, then any user file's. */
export interface ChipTable {
  files: string[];
  sources: Record<string, z.infer<typeof SourceSchema>>;
  chips: Chip[];
}

export function shippedChipsPath(): string {
  return join(packageRoot(), 'reference-data', 'chips.json');
}

/** Every source key a chip's figures use. */
function sourceKeysOf(chip: Chip): string[] {
  return figuresOf(chip).flatMap(({ figure: f }) => [...f.sources, ...(f.alternatives ?? []).flatMap((a) => a.sources)]);
}

/** Every figure of a chip, each with what it is: the one list that validation and reports walk. */
export function figuresOf(chip: Chip): { what: string; figure: Figure }[] {
  return [
    ...PEAK_PRECISIONS.map((p) => ({ what: PEAK_LABELS[p], figure: chip.peaks[p] })),
    { what: 'memory', figure: chip.memory.sizeGB },
    { what: 'memory bandwidth (TB/s)', figure: chip.memory.bandwidthTBps },
    { what: 'interconnect', figure: chip.interconnect.GBps },
    { what: 'cores', figure: chip.cores.count },
    { what: 'TDP', figure: chip.tdpW },
    { what: 'year', figure: chip.year },
  ];
}

const CHIP_FILE_FIX = 'give a JSON file in the format of reference-data/chips.json';

/** Reads and validates one chip file; errors name the file, the JSON path and the fix. */
export function readChipFile(path: string): ChipFile {
  return parseChipFile(readInputText(path, 'it as a chip table', CHIP_FILE_FIX), path);
}

/** Parses and validates a chip file's text; `path` names it in errors. */
export function parseChipFile(text: string, path: string): ChipFile {
  const fix = CHIP_FILE_FIX;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path}: cannot read it as a chip table (${(error as Error).message}); ${fix}`);
  }
  refuseNewerSchema(data, CHIP_FILE_SCHEMA_VERSION, path, 'chips');
  const parsed = ChipFileSchema.safeParse(data);
  if (!parsed.success) {
    throw new InputError(`${path}: not a valid chip table at ${describeZodError(parsed.error)}; fix that field (the format is reference-data/chips.json's, see reference-data/README.md)`);
  }
  const file = parsed.data;
  file.chips.forEach((chip, i) => {
    const missing = sourceKeysOf(chip).find((key) => !(key in file.sources));
    if (missing) throw new InputError(`${path}: $.chips[${i}] (${chip.id}) cites source '${missing}', which $.sources does not define; add it there`);
  });
  const seen = new Set<string>();
  file.chips.forEach((chip, i) => {
    if (seen.has(chip.id)) throw new InputError(`${path}: $.chips[${i}].id '${chip.id}' appears twice; give each chip its own id`);
    seen.add(chip.id);
  });
  return file;
}

/**
 * The shipped table, plus the chips of `extraPaths` (--chips). A user chip
 * may not reuse a shipped id (that would silently replace a sourced figure),
 * and a source key may be reused only with the same title.
 */
export function loadChipTable(extraPaths: string[] = [], shippedPath = shippedChipsPath()): ChipTable {
  const table: ChipTable = { files: [], sources: {}, chips: [] };
  for (const path of [shippedPath, ...extraPaths]) {
    const file = readChipFile(path);
    for (const [key, source] of Object.entries(file.sources)) {
      const known = table.sources[key];
      if (known && known.title !== source.title) {
        throw new InputError(`${path}: $.sources.${key} is already defined by ${table.files.join(', ')} with another title; rename the key`);
      }
      table.sources[key] = source;
    }
    file.chips.forEach((chip, i) => {
      if (table.chips.some((c) => c.id === chip.id)) {
        throw new InputError(`${path}: $.chips[${i}].id '${chip.id}' is already in ${table.files.join(', ')}; choose another id`);
      }
      table.chips.push(chip);
    });
    table.files.push(path);
  }
  return table;
}

/** A chip by id, or an error naming the ids there are. */
export function chipById(table: ChipTable, id: string): Chip {
  const chip = table.chips.find((c) => c.id === id);
  if (!chip) throw new InputError(`no chip '${id}' in the chip table (${table.files.join(', ')}); known: ${table.chips.map((c) => c.id).join(', ')}`);
  return chip;
}

/** True when `pattern` occurs in `name` as whole words: 'H200' in 'NVIDIA H200', not in 'NVIDIA GH200'. */
function containsWords(name: string, pattern: string): boolean {
  const escaped = pattern.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9])${escaped}($|[^a-z0-9])`).test(name.toLowerCase());
}

/**
 * The chip a device name identifies: a deviceNames entry found as whole
 * words, the longest entry winning ('H100 PCIe' over 'H100'). A device
 * whose name says PCIe never matches a chip whose name does not (an H800
 * PCIe is not the H800 SXM5 of the table).
 */
export function chipForDevice(table: ChipTable, deviceName: string): Chip | undefined {
  const isPcie = /pcie/i.test(deviceName);
  let best: { chip: Chip; length: number } | undefined;
  for (const chip of table.chips) {
    if (isPcie && !/pcie/i.test(chip.name)) continue;
    for (const pattern of chip.deviceNames) {
      if (containsWords(deviceName, pattern) && (!best || pattern.length > best.length)) best = { chip, length: pattern.length };
    }
  }
  return best?.chip;
}
