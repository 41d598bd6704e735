/** The first line of an error, with its class, for a case's reason (stack traces stay out of result files). */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n')[0]!.slice(0, 2000);
}
