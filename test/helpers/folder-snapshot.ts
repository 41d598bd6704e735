/** Every file and folder under a folder, each file by its size and SHA-256: to prove a command created, changed or removed nothing. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function folderSnapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of (readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const path = join(dir, name);
    const stat = statSync(path);
    files[name] = stat.isDirectory() ? 'folder' : `${stat.size} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
  }
  return files;
}
