/**
 * What chipbench checks of an imported figure before it stands beside anything: the printed busbw against the one
 * recomputed from size, time and ranks with nccl-tests' factor; the tool's own validation (#wrong, check_result);
 * its out-of-bounds line and the failures it printed. A check that fails makes the case failed; a flag is kept
 * beside the figure.
 */
import type { ImportCheck } from '../results/schema.js';
import type { CollectiveFigures, CollectiveRecord, ImportedBlock } from './imported-block.js';

/**
 * How far a printed busbw may lie from the recomputed one and still be the same figure: half its last printed digit
 * (nccl-tests prints bandwidths with 2 decimals, fewer significant ones past 1000 GB/s) plus the rounding of the
 * printed time (half a unit of its last digit: at most 0.5 µs of a time printed to the microsecond).
 */
function tolerance(printed: number, recomputed: number, timeUs: number): number {
  return Math.max(0.0051, 0.0006 * printed) + recomputed * (0.5 / timeUs);
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(1) : x.toFixed(2));

/** The busbw check of one half: printed against bytes / time x factor. */
function busbwCheck(r: CollectiveRecord, half: CollectiveFigures, which: string, factor: number, ranks: number): ImportCheck | undefined {
  const { timeUs, busbwGBps } = half;
  if (timeUs === null || timeUs <= 0 || busbwGBps === null) return undefined;
  const recomputed = (r.bytes / (timeUs * 1e-6) / 1e9) * factor;
  const agrees = Math.abs(busbwGBps - recomputed) <= tolerance(busbwGBps, recomputed, timeUs);
  const how = `${r.bytes} B / ${timeUs} µs x ${factor.toPrecision(4)} (${r.collective}, ${ranks} ranks)`;
  return agrees
    ? { check: 'busbw', status: 'ok', detail: `${which} busbw ${fmt(busbwGBps)} GB/s printed, ${fmt(recomputed)} recomputed from ${how}` }
    : {
        check: 'busbw',
        status: 'flag',
        detail: `${which} busbw ${fmt(busbwGBps)} GB/s printed, but ${how} gives ${fmt(recomputed)}: the rank count, the collective or the file is not what the figure was computed with`,
      };
}

/** The algbw check of a half with no printed busbw (hccl_test): printed against bytes / time. */
function algbwCheck(r: CollectiveRecord, half: CollectiveFigures, which: string): ImportCheck | undefined {
  const { timeUs, algbwGBps, busbwGBps } = half;
  if (busbwGBps !== null || timeUs === null || timeUs <= 0 || algbwGBps === null) return undefined;
  const recomputed = r.bytes / (timeUs * 1e-6) / 1e9;
  const agrees = Math.abs(algbwGBps - recomputed) <= tolerance(algbwGBps, recomputed, timeUs);
  const how = `${r.bytes} B / ${timeUs} µs`;
  // hccl_test computes bytes / us x 1e6 / 1e9 (B_US_TO_GB_S, oam-tools hccl_opbase_rootinfo_base.h); its user guide's
  // example rows are 2^30 B/s instead (64 MiB in 2630.20 us printed as 23.76, not 25.51)
  const gib = Math.abs(algbwGBps * (2 ** 30 / 1e9) - recomputed) <= tolerance(algbwGBps, recomputed, timeUs) * 2 ** 30 / 1e9;
  if (!agrees && gib) {
    return { check: 'busbw', status: 'flag', detail: `${which} algbw ${fmt(algbwGBps)} printed is ${how} in GiB/s (2^30 B/s), not GB/s: chipbench's figures are from the time, in 1e9 B/s` };
  }
  return agrees
    ? { check: 'busbw', status: 'ok', detail: `${which} algbw ${fmt(algbwGBps)} GB/s printed, ${fmt(recomputed)} recomputed from ${how}` }
    : { check: 'busbw', status: 'flag', detail: `${which} algbw ${fmt(algbwGBps)} GB/s printed, but ${how} gives ${fmt(recomputed)}: the size or the time is not what the figure was computed with` };
}

/**
 * Collectives whose in-place result nccl-tests and rccl-tests never check, whatever -c says: their InitData sets
 * `args->reportErrors = in_place ? 0 : 1` (src/alltoall.cu, alltoallv.cu, sendrecv.cu in both), so the in-place
 * #wrong is N/A beside an out-of-place count (rccl-tests' alltoall CSV on 8 MI355X: "0", then "N/A").
 */
const IN_PLACE_UNCHECKED = new Set(['alltoall', 'alltoallv', 'sendrecv']);

/** Why a half has no #wrong: -c 0, or a placement the test never checks. */
const uncheckedWhy = (collective: string, which: string): string =>
  which === 'in-place' && IN_PLACE_UNCHECKED.has(collective) ? `N/A: the tool never checks ${collective}'s in-place result` : 'N/A: validation was off, -c 0';

/** The tool's own validation of one half: wrong elements fail the case; a check result of failed does too. */
function validationChecks(half: CollectiveFigures, which: string, collective: string): ImportCheck[] {
  if (half.wrong !== null && half.wrong > 0) return [{ check: 'wrong', status: 'fail', detail: `${which}: the tool counted ${half.wrong} wrong elements (#wrong)` }];
  if (half.check !== undefined) {
    const c = half.check.toLowerCase();
    if (c === 'failed' || c === 'fail') return [{ check: 'wrong', status: 'fail', detail: `${which}: the tool's check_result is ${half.check}` }];
    if (c === 'success') return [{ check: 'wrong', status: 'ok', detail: `${which}: check_result success` }];
    return [{ check: 'validation', status: 'flag', detail: `${which}: not validated by the tool (check_result ${half.check})` }];
  }
  if (half.wrong === 0) return [{ check: 'wrong', status: 'ok', detail: `${which}: #wrong 0` }];
  if (half.maxError !== undefined && half.maxError !== null) return [{ check: 'wrong', status: 'ok', detail: `${which}: largest error ${half.maxError} (nccl-tests before 2.13)` }];
  return [{ check: 'validation', status: 'flag', detail: `${which}: not validated by the tool (${uncheckedWhy(collective, which)})` }];
}

/** The checks of one collective row (its busbw and the tool's validation, both halves). */
export function collectiveChecks(r: CollectiveRecord, factor: number, ranks: number): ImportCheck[] {
  const halves: [CollectiveFigures, string][] = [[r.outOfPlace, 'out-of-place'], ...(r.inPlace ? [[r.inPlace, 'in-place'] as [CollectiveFigures, string]] : [])];
  return halves.flatMap(([half, which]) => {
    const busbw = busbwCheck(r, half, which, factor, ranks) ?? algbwCheck(r, half, which);
    return [...(busbw ? [busbw] : []), ...validationChecks(half, which, r.collective)];
  });
}

/** What a block says of every case in it: nccl-tests' out-of-bounds line, and failures the tool printed. */
export function blockChecks(block: ImportedBlock): ImportCheck[] {
  const checks: ImportCheck[] = [];
  if (block.outOfBounds) {
    const { count, ok } = block.outOfBounds;
    checks.push({ check: 'bounds', status: ok ? 'ok' : 'fail', detail: `Out of bounds values: ${count} ${ok ? 'OK' : 'FAILED'}` });
  }
  if (block.failures.length > 0) checks.push({ check: 'failure', status: 'flag', detail: `the tool printed ${block.failures.length} failure lines, first: ${block.failures[0]}` });
  return checks;
}
