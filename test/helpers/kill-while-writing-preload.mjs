/**
 * Test-only preload (node --import): chipbench is killed (SIGKILL) in the middle of writing its result file. On
 * the CHIPBENCH_TEST_KILL_AT_WRITE-th write to a temporary file (*.tmp, the atomic writer's) under
 * CHIPBENCH_TEST_KILL_DIR, it writes half of the bytes and then kills its own process, as the OOM killer or a CI
 * job's timeout would at that moment. Only the process that writes the file is killed: workers write none.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const dir = process.env.CHIPBENCH_TEST_KILL_DIR;
const at = Number(process.env.CHIPBENCH_TEST_KILL_AT_WRITE ?? 0);
if (dir && at > 0) {
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
  fs.writeSync = (fd, data, ...rest) => {
    if (watched.has(fd) && ++writes === at) {
      const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      writeSync(fd, bytes.subarray(0, Math.floor(bytes.length / 2)));
      process.kill(process.pid, 'SIGKILL');
    }
    return writeSync(fd, data, ...rest);
  };
  syncBuiltinESMExports();
}
