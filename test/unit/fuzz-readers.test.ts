/**
 * Fuzzing the readers of the files users hand to chipbench: thousands of
 * random mutations of a valid result file and of the shipped chip table,
 * made to the text (flipped bytes, cut or repeated spans, stray tokens,
 * truncation) and to the parsed structure (a value replaced by one of
 * another type, an extreme number, a long string, a deep nest; a key removed
 * or added). Every mutant must either load or be refused with an
 * InputError; nothing else may be thrown. A result that loads is also
 * compared with the original and rendered as a report, because a file that
 * passes validation must not crash what reads it next.
 *
 * The generator is seeded: a failure names its seed and mutant number, and
 * rerunning reproduces it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRuns, DEFAULT_COMPARE_OPTIONS } from '../../src/compare/compare-runs.js';
import { InputError } from '../../src/errors/input-error.js';
import { loadClaims } from '../../src/reference/claims.js';
import { loadChipTable, parseChipFile } from '../../src/reference/chips.js';
import { evaluateClaims } from '../../src/reference/evaluate-claims.js';
import { buildReport } from '../../src/report/build-report.js';
import { renderChipComparison } from '../../src/report/chip-comparison.js';
import { renderChipTable } from '../../src/report/chip-table.js';
import { renderHtmlReport } from '../../src/report/html-report.js';
import { renderMarkdownReport } from '../../src/report/markdown-report.js';
import { parseRunResult } from '../../src/results/read-result.js';
import { mulberry32 } from '../../src/workloads/gemm/inputs.js';
import type { RunResult } from '../../src/results/schema.js';
import { reportRun } from '../helpers/report-fixture.js';

/** Mutants per file kind, each run of the suite. */
const FUZZ_MUTANTS = 3000;
const SEED = 0x5eed_2026;

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const below = (random: Random, n: number) => Math.floor(random() * n);

const TOKENS = ['null', '-1', '0', '1e999', '-1e999', 'NaN', '"x"', '[', ']', '{', '}', ',', ':', '"', '\\', '\u0000', '\ufeff', 'true', '1.5', '9007199254740993'];

/** A stand-in for a deep nest, swapped for the nested text after JSON.stringify (which recurses, and would overflow). */
const DEEP_MARK = '\u0001deep:';
const deepNest = (depth: number): string => `${DEEP_MARK}${depth}`;
const expandDeepNests = (json: string) => json.replace(/"\\u0001deep:(\d+)"/g, (_, n: string) => `${'['.repeat(Number(n))}0${']'.repeat(Number(n))}`);

/** Values of every kind a file could hold where something else belongs. */
function strangeValue(random: Random): unknown {
  return pick(random, [
    () => null,
    () => -1,
    () => 0,
    () => -0,
    () => 2.5,
    () => 1e308,
    () => -1e308,
    () => 5e-324,
    () => Number.MAX_SAFE_INTEGER + 2,
    () => '',
    () => 'x'.repeat(1 + below(random, 20_000)),
    () => '<script>alert(1)</script>|\n# heading',
    () => [],
    () => ({}),
    () => true,
    () => deepNest(1 + below(random, 5000)),
    () => ({ __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } }),
  ])();
}

/** Every [container, key] in a parsed JSON value, to pick one to mutate. */
function slots(root: unknown): [Record<string, unknown> | unknown[], string | number][] {
  const out: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), walk(x)));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push([v as Record<string, unknown>, k]), walk(x);
  };
  walk(root);
  return out;
}

function mutateStructure(text: string, random: Random): string {
  const root = JSON.parse(text) as unknown;
  const all = slots(root);
  for (let edits = 1 + below(random, 3); edits > 0; edits--) {
    const [container, key] = pick(random, all);
    const op = below(random, 5);
    if (op === 0 && !Array.isArray(container)) delete container[key as string];
    else if (op === 1 && Array.isArray(container)) container.push(container[key as number]);
    else if (op === 2 && !Array.isArray(container)) container[`unknown${below(random, 9)}`] = strangeValue(random);
    else (container as Record<string | number, unknown>)[key] = strangeValue(random);
  }
  return expandDeepNests(JSON.stringify(root));
}

function mutateText(text: string, random: Random): string {
  let t = text;
  for (let edits = 1 + below(random, 4); edits > 0; edits--) {
    const at = below(random, t.length + 1);
    switch (below(random, 5)) {
      case 0: // flip one character
        t = t.slice(0, at) + String.fromCharCode(t.charCodeAt(at) ^ (1 << below(random, 7))) + t.slice(at + 1);
        break;
      case 1: // cut a span
        t = t.slice(0, at) + t.slice(at + below(random, 200));
        break;
      case 2: // repeat a span
        t = t.slice(0, at) + t.slice(at, at + below(random, 200)) + t.slice(at);
        break;
      case 3: // a stray token
        t = t.slice(0, at) + pick(random, TOKENS) + t.slice(at);
        break;
      default: // truncated, as a crash mid-write of a non-atomic writer would leave it
        t = t.slice(0, at);
    }
  }
  return t;
}

/** Runs `read` on FUZZ_MUTANTS mutants of `text`; returns how many loaded. Throws on the first mutant that crashes. */
function fuzz(text: string, seed: number, read: (mutant: string) => void): number {
  const random = mulberry32(seed);
  let loaded = 0;
  for (let i = 0; i < FUZZ_MUTANTS; i++) {
    const mutant = random() < 0.5 ? mutateText(text, random) : mutateStructure(text, random);
    try {
      read(mutant);
      loaded++;
    } catch (error) {
      if (error instanceof InputError) continue;
      throw new Error(`mutant ${i} of seed ${SEED.toString(16)} crashed the reader: ${(error as Error)?.stack ?? String(error)}\nmutant (first 2000 characters): ${mutant.slice(0, 2000)}`);
    }
  }
  return loaded;
}

describe('fuzzing the file readers', { timeout: 600_000 }, () => {
  const chips = loadChipTable();
  const claims = evaluateClaims(loadClaims(), chips);

  it(`result files: ${FUZZ_MUTANTS} mutants each load or are refused with an InputError, and a loaded one compares and renders`, () => {
    const original: RunResult = reportRun();
    const text = JSON.stringify(original, null, 2);
    const loaded = fuzz(text, SEED, (mutant) => {
      const run = parseRunResult(mutant, 'fuzz.json');
      const comparison = compareRuns(original, run, { base: 'base.json', head: 'fuzz.json' }, DEFAULT_COMPARE_OPTIONS);
      const report = buildReport({ run, source: 'fuzz.json', chips, claims, comparison });
      renderMarkdownReport(report);
      renderHtmlReport(report);
    });
    // both kinds happen: a fuzzer whose every mutant is refused (or loads) tests one path only
    expect(loaded).toBeGreaterThan(FUZZ_MUTANTS * 0.05);
    expect(loaded).toBeLessThan(FUZZ_MUTANTS * 0.95);
  });

  it(`chip files: ${FUZZ_MUTANTS} mutants each load or are refused with an InputError, and a loaded one renders`, () => {
    const text = readFileSync(join(import.meta.dirname, '../../reference-data/chips.json'), 'utf8');
    const run = reportRun();
    const loaded = fuzz(text, SEED + 1, (mutant) => {
      const file = parseChipFile(mutant, 'fuzz-chips.json');
      const table = { files: ['fuzz-chips.json'], sources: file.sources, chips: file.chips };
      renderChipTable(table, 'markdown');
      renderChipComparison(run.cases, table);
    });
    // the chip schema is strict (every figure sourced), so most mutants are refused; some must still load
    expect(loaded).toBeGreaterThan(FUZZ_MUTANTS * 0.01);
    expect(loaded).toBeLessThan(FUZZ_MUTANTS * 0.95);
  });
});
