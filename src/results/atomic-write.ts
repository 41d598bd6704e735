/**
 * Atomic file replacement: write a sibling temporary file, fsync it, then
 * rename it over the target. rename(2) within one directory is atomic on
 * POSIX file systems, so a reader (or a crash) sees either the old file or
 * the new one, never a torn mix.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/** Replaces `path` with `content` atomically; the temporary file is removed if anything fails. */
export function writeFileAtomic(path: string, content: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w', 0o644);
    // write(2) may write less than asked (a signal, a nearly full disk): loop until all of it is written
    const bytes = Buffer.from(content, 'utf8');
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
}
