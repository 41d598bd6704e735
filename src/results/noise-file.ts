/**
 * A runner's noise file (`chipbench calibrate -o noise.json`): how far the
 * same build's figures move from one run to the next on one machine, per
 * case, measured there by repeated runs. compare reads it (`--noise`) to judge
 * two separate runs against the spread between runs, which the forks of one
 * run cannot show: they share its moments (docs/reproducibility.md).
 */
import { z } from 'zod';
import { InputError } from '../errors/input-error.js';
import { readInputText, refuseNewerSchema } from './read-input-file.js';
import { describeZodError } from './read-result.js';

export const NOISE_FILE_SCHEMA_VERSION = 1;

const finite = z.number().finite();
const nonNegative = finite.nonnegative();

/** One case's spread between runs. */
export const CaseNoiseSchema = z.object({
  /** the device that ran it in every calibration run (a case on another device is not judged with this entry) */
  device: z.string().max(1000),
  /** the sd of ln headline time across the calibration runs, and its degrees of freedom (runs - 1) */
  runSdLog: nonNegative,
  runDf: z.number().int().positive(),
  /** runSdLog moderated towards the cases of its backend, workload and kind (src/stats/noise-model.ts), and its degrees of freedom */
  moderatedSdLog: nonNegative,
  moderatedDf: finite.positive(),
  /** the spread between the forks of one run, pooled over the calibration runs (sd of ln fork medians) */
  forkSdLog: nonNegative,
  /** forks each calibration run measured it in */
  forks: z.number().int().positive(),
});
export type CaseNoiseEntry = z.infer<typeof CaseNoiseSchema>;

const FalseAlarmsSchema = z.object({ comparisons: z.number().int().nonnegative(), regressed: z.number().int().nonnegative(), improved: z.number().int().nonnegative() });

export const NoiseFileSchema = z.object({
  schemaVersion: z.literal(NOISE_FILE_SCHEMA_VERSION),
  kind: z.literal('chipbench-noise'),
  createdAt: z.string().max(100),
  /** the machine and versions the runs had: a noise file describes one runner */
  machine: z.object({ hostname: z.string().max(1000), cpu: z.string().max(1000), gpujs: z.string().max(100) }),
  /** the calibration runs' files, oldest first */
  runs: z.array(z.string().max(4096)).min(2).max(10_000),
  /**
   * the same build's runs compared pairwise in order, with compare's defaults, judged by the forks alone and with the
   * runner's spread (a noise file from the other runs where there are 4 or more): every regressed or improved is a false alarm
   */
  aa: z.object({ pairs: z.number().int().nonnegative(), forksAlone: FalseAlarmsSchema, withNoise: FalseAlarmsSchema }),
  cases: z.record(z.string().max(2000), CaseNoiseSchema),
});
export type NoiseFile = z.infer<typeof NoiseFileSchema>;

/** Reads and validates a noise file; errors name the file, the JSON path and the fix. */
export function readNoiseFile(path: string): NoiseFile {
  const fix = "give a file written by 'chipbench calibrate'";
  const text = readInputText(path, 'the noise file', `check the path; ${fix}`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path}: not valid JSON (${(error as Error).message}); ${fix}`);
  }
  refuseNewerSchema(data, NOISE_FILE_SCHEMA_VERSION, path, 'cases');
  const parsed = NoiseFileSchema.safeParse(data);
  if (!parsed.success) throw new InputError(`${path}: not a chipbench noise file (${describeZodError(parsed.error)}); ${fix}`);
  return parsed.data;
}
