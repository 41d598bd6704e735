/**
 * `chipbench interconnect-claim`: the article's claim 2 as arithmetic.
 * "Communication-intensive phases of ~10B-parameter training took 20-35%
 * longer" on A800/H800, whose NVLink was cut to 400 GB/s. Given a model
 * size, GPU count, compute time per step and overlap, how much longer is a
 * step, and for which overlap does 20-35% hold?
 */
import type { Argv, ArgumentsCamelCase } from 'yargs';
import { perDirectionGBps, ringAllreduceSeconds } from '../metrics/alpha-beta.js';
import { formatSeconds } from '../metrics/units.js';
import { requireInterconnect } from '../reference/interconnect.js';
import { DEFAULT_OVERLAP, DEFAULT_STEP_MODEL, gradientBytes, overlapRangesFor, slowdown, stepSeconds, type StepModel } from '../reference/interconnect-claim.js';
import { figureById, loadClaims } from '../reference/claims.js';
import { chipTableFromArgs, withChipsOption, type ChipsArgs } from './chips-option.js';
import { renderTextTable } from '../report/text-table.js';
import { EXIT } from './exit-codes.js';
import { positiveNumber } from './parse-list.js';
import { InputError } from '../errors/input-error.js';
import { asMeasuredInterconnect, measuredLinks } from '../import/measured-links.js';
import type { ChipTable } from '../reference/chips.js';
import { interconnectOf } from '../reference/interconnect.js';
import type { RunResult } from '../results/schema.js';
import { readResults } from './result-paths.js';
import { renderFittedTable, wrapText } from '../report/fit-width.js';
import { consoleWidth } from './console-width.js';

/** The claim in reference-data/claims.json whose step-model checks give the chip pairs and the article's band (20-35%). */
const CLAIM_ID = 'comm-slowdown';

export interface ClaimArgs extends ChipsArgs {
  params: number;
  bytesPerParam: number;
  gpus: number;
  computeMs: number;
  overlap: number;
  alphaUs: number;
  measured?: string[];
}

export function claimBuilder(y: Argv): Argv<ClaimArgs> {
  const d = DEFAULT_STEP_MODEL;
  return withChipsOption(
    y
      .option('params', { type: 'number', default: d.parameters, describe: 'model parameters (the article: about ten billion)' })
      .option('bytes-per-param', { type: 'number', default: d.bytesPerParameter, describe: 'bytes per gradient value (2: f16/bf16)' })
      .option('gpus', { type: 'number', default: d.gpus, describe: 'GPUs in the data-parallel ring (one 8-card server)' })
      .option('compute-ms', { type: 'number', default: d.computeSeconds * 1e3, describe: 'compute time per step, milliseconds, the same on both chips of a pair (an assumption: set yours)' })
      .option('overlap', { type: 'number', default: DEFAULT_OVERLAP, describe: 'fraction of communication that overlaps compute, 0..1' })
      .option('alpha-us', { type: 'number', default: d.alphaSeconds * 1e6, describe: 'per-step latency of the ring, microseconds (alpha of the alpha-beta model)' })
      .option('measured', {
        type: 'string',
        array: true,
        describe: "result files written by 'chipbench import' of nccl-tests all_reduce runs in one host: their busbw at the largest size is set beside the article's NVLink figures and fed to the step model",
      }),
  ) as unknown as Argv<ClaimArgs>;
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
  const table = chipTableFromArgs(args);
  const claims = loadClaims();
  const claim = claims.claims.find((c) => c.id === CLAIM_ID);
  const pairs = (claim?.checks ?? []).flatMap((c) => (c.kind === 'step-model' ? [c] : []));
  if (pairs.length === 0) throw new InputError(`reference-data/claims.json: claim '${CLAIM_ID}' has no step-model checks; restore the file from the chipbench package`);
  const low = figureById(claims, pairs[0]!.low).value;
  const high = figureById(claims, pairs[0]!.high).value;
  const band = `${Math.round(low * 100)}-${Math.round(high * 100)}%`;
  const out: string[] = [];
  out.push(
    `Article claim 2: with NVLink cut to 400 GB/s, communication-intensive phases of ~10B-parameter training took ${band} longer.`,
    `Model: ${model.parameters.toExponential(2)} parameters x ${model.bytesPerParameter} B = ${(gradientBytes(model) / 1e9).toFixed(2)} GB of gradients, ` +
      `ring all-reduce on ${model.gpus} GPUs (t = 2(R-1) alpha + 2(R-1)/R S/B, B per direction = NVLink total / 2), alpha ${args.alphaUs} µs, ` +
      `compute ${args.computeMs} ms per step (the same on both chips), overlap ${overlap}: step = compute + (1-f) comm + max(0, f comm - compute).`,
    '',
  );
  const rows = pairs.map((pair) => {
    const cut = requireInterconnect(table, pair.cut);
    const original = requireInterconnect(table, pair.original);
    const comm = (chip: typeof cut) => ringAllreduceSeconds(model.gpus, gradientBytes(model), model.alphaSeconds, perDirectionGBps(chip.GBps, chip.convention)[0]);
    const ranges = overlapRangesFor(model, original, cut, low, high);
    const s = slowdown(model, original, cut, overlap);
    return [
      `${cut.chip} vs ${original.chip}`,
      `${perDirectionGBps(cut.GBps, cut.convention)[0]} vs ${perDirectionGBps(original.GBps, original.convention)[0]}`,
      `${formatSeconds(comm(cut))} vs ${formatSeconds(comm(original))}`,
      `${formatSeconds(stepSeconds(model, cut, overlap))} vs ${formatSeconds(stepSeconds(model, original, overlap))}`,
      `${(100 * s).toFixed(1)}%${s >= low && s <= high ? ` (in ${band})` : ''}`,
      ranges.length > 0 ? ranges.map((r) => `${r.from.toFixed(3)} to ${r.to.toFixed(3)}`).join(', ') : 'none in [0, 1]',
    ];
  });
  out.push(
    renderTextTable(
      ['pair', 'link GB/s per direction', 'all-reduce time', 'step time', 'step longer by', `overlap for which ${band} holds`],
      rows,
    ),
    '',
    `Sources: ${[...new Set(pairs.flatMap((p) => [p.cut, p.original]))].map((id) => `${requireInterconnect(table, id).chip}: ${requireInterconnect(table, id).source}`).join('; ')}.`,
    'Only the link differs within a pair; the figures are spec values, not measurements. Pure communication (compute 0, overlap 0) is the upper bound of the slowdown.',
  );
  if ((args.measured ?? []).length > 0) out.push('', ...measuredLines(readResults((args.measured ?? []).map(String)), table, claims, pairs, model, overlap, { low, high, band }));
  process.stdout.write(`${out.join('\n')}\n`);
  return EXIT.ok;
}

/** The article's NVLink figure for each chip claim 1 sets one against (400 GB/s for A800 and H800, 600 for A100 and H100). */
function articleLinkFigures(claims: ReturnType<typeof loadClaims>): Map<string, string> {
  const byChip = new Map<string, string>();
  const claim = claims.claims.find((c) => c.id === 'nvlink-cut');
  for (const check of claim?.checks ?? []) {
    if (check.kind !== 'figure' || check.quantity !== 'interconnect') continue;
    const f = figureById(claims, check.figure);
    for (const chip of check.against) byChip.set(chip, `${f.value} ${f.unit}`);
  }
  return byChip;
}

/** Measured busbw beside the article's and the datasheet's link figures, then the step model fed with it. */
function measuredLines(
  results: { label: string; run: RunResult }[],
  table: ChipTable,
  claims: ReturnType<typeof loadClaims>,
  pairs: { cut: string; original: string }[],
  model: StepModel,
  overlap: number,
  article: { low: number; high: number; band: string },
): string[] {
  const links = measuredLinks(results, table);
  if (links.length === 0) {
    return ['Measured: no imported all_reduce run in one host names a chip of the table; import nccl-tests all_reduce_perf output of A100, A800, H100 or H800 GPUs in one node.'];
  }
  const articleFigures = articleLinkFigures(claims);
  const width = consoleWidth(false, process.stdout, process.env);
  const rows = links.map((m) => {
    const datasheet = interconnectOf(table, m.chipId);
    const perDirection = datasheet ? perDirectionGBps(datasheet.GBps, datasheet.convention)[0] : undefined;
    return [
      datasheet?.chip ?? m.chipId,
      articleFigures.get(m.chipId) ?? '-',
      perDirection !== undefined ? `${perDirection} GB/s` : 'unknown',
      `${m.busbwGBps.toFixed(1)} GB/s${m.usable ? '' : ' (not used: above the wire rate, in-network reduction)'}`,
      perDirection !== undefined ? `${((100 * m.busbwGBps) / perDirection).toFixed(0)}%` : '-',
      m.what,
    ];
  });
  const usable = new Map(links.filter((m) => m.usable).map((m) => [m.chipId, m]));
  // both chips of a pair measured, or no row: a measured busbw beside a datasheet rate sets a run's efficiency against none
  const modelRows = pairs.flatMap((pair) => {
    const cutM = usable.get(pair.cut);
    const origM = usable.get(pair.original);
    if (!cutM || !origM) return [];
    const cut = asMeasuredInterconnect(requireInterconnect(table, pair.cut), cutM);
    const original = asMeasuredInterconnect(requireInterconnect(table, pair.original), origM);
    const s = slowdown(model, original, cut, overlap);
    return [[`${cut.chip} vs ${original.chip}`, `${perDirectionGBps(cut.GBps, cut.convention)[0].toFixed(1)} vs ${perDirectionGBps(original.GBps, original.convention)[0].toFixed(1)}`, `${formatSeconds(stepSeconds(model, cut, overlap))} vs ${formatSeconds(stepSeconds(model, original, overlap))}`, `${(100 * s).toFixed(1)}%${s >= article.low && s <= article.high ? ` (in ${article.band})` : ''}`]];
  });
  return [
    wrapText("Measured all-reduce busbw beside the link figures (busbw at the run's largest size, in one host; nccl-tests' busbw of a ring is the per-direction bandwidth it saw):", width),
    renderFittedTable(['chip', 'the article', 'datasheet per direction', 'measured busbw', 'of the datasheet', 'what was measured'], rows, width, { shrink: [5] }),
    ...(modelRows.length > 0
      ? ['', wrapText('The step model fed with the measured figures of both chips of a pair:', width), renderTextTable(['pair', 'link GB/s per direction', 'step time', 'step longer by'], modelRows)]
      : [
          '',
          wrapText(
            `The step model is fed only when both chips of a pair are measured (A800 with A100, H800 with H100): a measured busbw beside a datasheet rate would set one run's efficiency against none. Measured here: ${links.map((m) => m.chipId).join(', ')}.`,
            width,
          ),
        ]),
  ];
}
