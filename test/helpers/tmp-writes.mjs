/**
 * For test-only preloads (node --import): intercepts the writes to temporary files (*.tmp, the atomic writer's)
 * under a folder. `onWrite(write, fd, data, ...rest)` is called for each; `write` is the real fs.writeSync. It
 * patches node:fs and re-syncs the ESM named exports, so chipbench's own code is unchanged.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

export function interceptTmpWrites(dir, onWrite) {
  const watched = new Set();
  const openSync = fs.openSync;
  const writeSync = fs.writeSync;
  const closeSync = fs.closeSync;
  fs.openSync = (path, ...rest) => {
    const fd = openSync(path, ...rest);
    if (String(path).startsWith(dir) && String(path).endsWith('.tmp')) watched.add(fd);
    return fd;
  };
  fs.closeSync = (fd) => {
    watched.delete(fd);
    return closeSync(fd);
  };
  fs.writeSync = (fd, ...rest) => (watched.has(fd) ? onWrite(writeSync, fd, ...rest) : writeSync(fd, ...rest));
  syncBuiltinESMExports();
}
