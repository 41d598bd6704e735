/**
 * One line of an error for a message or a result file: the first line only (stack traces and Dawn's or gl's
 * multi-line dumps stay out), at most MAX_ERROR_CHARS characters.
 */

/** Longest error line kept: a long Dawn or compiler line is cut here rather than filling a result file. */
const MAX_ERROR_CHARS = 2000;

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, MAX_ERROR_CHARS);
}

/** The first line of an error's message, for a sentence that already says what failed: 'could not load: <line>'. */
export function errorLine(error: unknown): string {
  return firstLine(error instanceof Error ? error.message : String(error));
}

/** The first line of an error with its class ('RangeError: ...'), for a case's reason. */
export function errorReason(error: unknown): string {
  return firstLine(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}
