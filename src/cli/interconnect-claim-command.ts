/**
 * `chipbench interconnect-claim`: the article's claim 2 as arithmetic.
 * "Communication-intensive phases of ~10B-parameter training took 20-35%
 * longer" on A800/H800, whose NVLink was cut to 400 GB/s. Given a model
 * size, GPU count, compute time per step and overlap, how much longer is a
 * step, and for which overlap does 20-35% hold?
 */
import type { Argv, ArgumentsCamelCase } from 'yargs';
import { DEFAULT_ALPHA_SECONDS, perDirectionGBps, ringAllreduceSeconds } from '../metrics/alpha-beta.js';
import { formatSeconds } from '../metrics/units.js';
import { findChip, loadInterconnectTable } from '../reference/interconnect.js';
import { gradientBytes, overlapRangesFor, slowdown, stepSeconds, type StepModel } from '../reference/interconnect-claim.js';
import { renderTextTable } from '../report/text-table.js';
import { EXIT } from './exit-codes.js';
import { positiveNumber } from './parse-list.js';
import { InputError } from '../input-error.js';

/** The article's band: 20% to 35% longer. */
const CLAIM_LOW = 0.2;
const CLAIM_HIGH = 0.35;

/** The chip pairs the article compares: the export version against its original. */
const PAIRS: ReadonlyArray<[cut: string, original: string]> = [
  ['A800 SXM4 80GB', 'A100 SXM4 80GB'],
  ['H800 SXM5', 'H100 SXM5'],
];

export interface ClaimArgs {
  params: number;
  bytesPerParam: number;
  gpus: number;
  computeMs: number;
  overlap: number;
  alphaUs: number;
}

export function claimBuilder(y: Argv): Argv<ClaimArgs> {
  return y
    .option('params', { type: 'number', default: 1e10, describe: 'model parameters (the article: about ten billion)' })
    .option('bytes-per-param', { type: 'number', default: 2, describe: 'bytes per gradient value (2: f16/bf16)' })
    .option('gpus', { type: 'number', default: 8, describe: 'GPUs in the data-parallel ring (one 8-card server)' })
    .option('compute-ms', { type: 'number', default: 100, describe: 'compute time per step, milliseconds, the same on both chips of a pair (an assumption: set yours)' })
    .option('overlap', { type: 'number', default: 0, describe: 'fraction of communication that overlaps compute, 0..1' })
    .option('alpha-us', { type: 'number', default: DEFAULT_ALPHA_SECONDS * 1e6, describe: 'per-step latency of the ring, microseconds (alpha of the alpha-beta model)' }) as unknown as Argv<ClaimArgs>;
}

export function claimHandler(args: ArgumentsCamelCase<ClaimArgs>): number {
  const overlap = Number(args.overlap);
  if (!(overlap >= 0 && overlap <= 1)) throw new InputError(`--overlap: '${args.overlap}' is not a fraction; give a number from 0 to 1`);
  if (!Number.isInteger(args.gpus) || args.gpus < 2) throw new InputError(`--gpus: '${args.gpus}' is not a GPU count; give an integer of at least 2`);
  if (!(Number(args.computeMs) >= 0)) throw new InputError(`--compute-ms: '${args.computeMs}' is not a time; give milliseconds >= 0`);
  if (!(Number(args.alphaUs) >= 0)) throw new InputError(`--alpha-us: '${args.alphaUs}' is not a latency; give microseconds >= 0`);
  const model: StepModel = {
    parameters: positiveNumber('params', args.params),
    bytesPerParameter: positiveNumber('bytes-per-param', args.bytesPerParam),
    gpus: args.gpus,
    computeSeconds: Number(args.computeMs) / 1e3,
    alphaSeconds: Number(args.alphaUs) / 1e6,
  };
  const table = loadInterconnectTable();
  const out: string[] = [];
  out.push(
    `Article claim 2: with NVLink cut to 400 GB/s, communication-intensive phases of ~10B-parameter training took 20-35% longer.`,
    `Model: ${model.parameters.toExponential(2)} parameters x ${model.bytesPerParameter} B = ${(gradientBytes(model) / 1e9).toFixed(2)} GB of gradients, ` +
      `ring all-reduce on ${model.gpus} GPUs (t = 2(R-1) alpha + 2(R-1)/R S/B, B per direction = NVLink total / 2), alpha ${args.alphaUs} µs, ` +
      `compute ${args.computeMs} ms per step (the same on both chips), overlap ${overlap}: step = compute + (1-f) comm + max(0, f comm - compute).`,
    '',
  );
  const rows = PAIRS.map(([cutName, originalName]) => {
    const cut = findChip(table, cutName);
    const original = findChip(table, originalName);
    const comm = (chip: typeof cut) => ringAllreduceSeconds(model.gpus, gradientBytes(model), model.alphaSeconds, perDirectionGBps(chip.GBps, chip.convention)[0]);
    const ranges = overlapRangesFor(model, original, cut, CLAIM_LOW, CLAIM_HIGH);
    const s = slowdown(model, original, cut, overlap);
    return [
      `${cutName} vs ${originalName}`,
      `${perDirectionGBps(cut.GBps, cut.convention)[0]} vs ${perDirectionGBps(original.GBps, original.convention)[0]}`,
      `${formatSeconds(comm(cut))} vs ${formatSeconds(comm(original))}`,
      `${formatSeconds(stepSeconds(model, cut, overlap))} vs ${formatSeconds(stepSeconds(model, original, overlap))}`,
      `${(100 * s).toFixed(1)}%${s >= CLAIM_LOW && s <= CLAIM_HIGH ? ' (in 20-35%)' : ''}`,
      ranges.length > 0 ? ranges.map((r) => `${r.from.toFixed(3)} to ${r.to.toFixed(3)}`).join(', ') : 'none in [0, 1]',
    ];
  });
  out.push(
    renderTextTable(
      ['pair', 'link GB/s per direction', 'all-reduce time', 'step time', 'step longer by', 'overlap for which 20-35% holds'],
      rows,
    ),
    '',
    `Sources: ${PAIRS.flat().map((n) => `${n}: ${findChip(table, n).source}`).join('; ')}.`,
    'Only the link differs within a pair; the figures are spec values, not measurements. Pure communication (compute 0, overlap 0) is the upper bound of the slowdown.',
  );
  process.stdout.write(`${out.join('\n')}\n`);
  return EXIT.ok;
}
