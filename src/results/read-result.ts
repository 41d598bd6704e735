/**
 * Reading a RunResult from disk, with errors that name the file, the JSON
 * path and the fix.
 */
import type { z } from 'zod';
import { InputError } from '../errors/input-error.js';
import { readInputText, refuseNewerSchema } from './read-input-file.js';
import { RESULT_SCHEMA_VERSION, RunResultSchema, type RunResult } from './schema.js';

/** Formats the first zod issue as `$.cases[3].outcome: <message>`. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('');
  return `$${path}: ${issue.message}`;
}

/**
 * Files of schemaVersion 1 measured each case in one process, so their figures carry no between-process spread and
 * cannot be judged like forks; re-running is the only honest conversion.
 */
function refuseOlderSchema(data: unknown, source: string): void {
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version === 1 && Array.isArray((data as { cases?: unknown }).cases)) {
    throw new InputError(
      `${source}: schemaVersion ${version} is from an earlier chipbench that measured each case in one process, without forks; ` +
        `re-run that build's suite with this version (chipbench run, same --profile and options) to compare or report it`,
    );
  }
}

/** Parses and validates a RunResult from text; `source` names it in errors. */
export function parseRunResult(text: string, source: string): RunResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      `${source}: not valid JSON (${(error as Error).message}); give a result file written by 'chipbench run'`,
    );
  }
  refuseNewerSchema(data, RESULT_SCHEMA_VERSION, source, 'cases');
  refuseOlderSchema(data, source);
  const parsed = RunResultSchema.safeParse(data);
  if (!parsed.success) {
    throw new InputError(
      `${source}: not a chipbench result (${describeZodError(parsed.error)}); give a file written by 'chipbench run'`,
    );
  }
  return parsed.data;
}

/** Reads and validates a RunResult file. */
export function readRunResult(path: string): RunResult {
  return parseRunResult(readInputText(path, 'the result file', "check the path; give a result file written by 'chipbench run'"), path);
}
