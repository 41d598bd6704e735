/**
 * Test-only preload (node --import): the disk fills up under chipbench. After
 * CHIPBENCH_TEST_ENOSPC_AFTER writes to temporary files (*.tmp, the atomic
 * writer's) under CHIPBENCH_TEST_ENOSPC_DIR, every further write to one fails
 * with ENOSPC, as write(2) does on a full file system. It patches node:fs and
 * re-syncs the ESM named exports, so chipbench's own code is unchanged.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const dir = process.env.CHIPBENCH_TEST_ENOSPC_DIR;
const after = Number(process.env.CHIPBENCH_TEST_ENOSPC_AFTER ?? 0);
if (dir) {
  let writes = 0;
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
  fs.writeSync = (fd, ...rest) => {
    if (watched.has(fd) && ++writes > after) {
      const error = new Error('ENOSPC: no space left on device, write');
      Object.assign(error, { code: 'ENOSPC', errno: -28, syscall: 'write' });
      throw error;
    }
    return writeSync(fd, ...rest);
  };
  syncBuiltinESMExports();
}
