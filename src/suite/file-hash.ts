/** A suite file's sha-256, hex: what a run records of the version it loaded, and what a worker checks before loading. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export function fileSha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
