/**
 * Test-only preload (node --import): chipbench is killed (SIGKILL) in the middle of writing its result file. On
 * the CHIPBENCH_TEST_KILL_AT_WRITE-th write to a temporary file (*.tmp, the atomic writer's) under
 * CHIPBENCH_TEST_KILL_DIR, it writes half of the bytes and then kills its own process, as the OOM killer or a CI
 * job's timeout would at that moment. Only the process that writes the file is killed: workers write none.
 */
import { interceptTmpWrites } from './tmp-writes.mjs';

const dir = process.env.CHIPBENCH_TEST_KILL_DIR;
const at = Number(process.env.CHIPBENCH_TEST_KILL_AT_WRITE ?? 0);
if (dir && at > 0) {
  let writes = 0;
  interceptTmpWrites(dir, (write, fd, data, ...rest) => {
    if (++writes === at) {
      const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      write(fd, bytes.subarray(0, Math.floor(bytes.length / 2)));
      process.kill(process.pid, 'SIGKILL');
    }
    return write(fd, data, ...rest);
  });
}
