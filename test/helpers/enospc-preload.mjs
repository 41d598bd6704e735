/**
 * Test-only preload (node --import): the disk fills up under chipbench. After
 * CHIPBENCH_TEST_ENOSPC_AFTER writes to temporary files (*.tmp, the atomic
 * writer's) under CHIPBENCH_TEST_ENOSPC_DIR, every further write to one fails
 * with ENOSPC, as write(2) does on a full file system.
 */
import { interceptTmpWrites } from './tmp-writes.mjs';

const dir = process.env.CHIPBENCH_TEST_ENOSPC_DIR;
const after = Number(process.env.CHIPBENCH_TEST_ENOSPC_AFTER ?? 0);
if (dir) {
  let writes = 0;
  interceptTmpWrites(dir, (write, fd, ...rest) => {
    if (++writes > after) {
      const error = new Error('ENOSPC: no space left on device, write');
      Object.assign(error, { code: 'ENOSPC', errno: -28, syscall: 'write' });
      throw error;
    }
    return write(fd, ...rest);
  });
}
