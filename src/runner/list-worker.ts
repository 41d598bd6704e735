/**
 * The list worker: a child process that loads suite files and says what they declare (suite/listing.ts), so that
 * the runner plans a run without ever running a suite file's code itself. Started by list-suites.ts; never run by
 * hand.
 */
import { importSuiteFile } from '../suite/load-suite.js';
import { fileSha256 } from '../suite/file-hash.js';
import { listSuite, NotASuite, unloadedSuite, type SuiteListing } from '../suite/listing.js';
import { errorReason } from '../errors/error-message.js';
import type { ListRequest, ListMessage } from './list-protocol.js';

function send(message: ListMessage): Promise<void> {
  return new Promise((resolve, reject) => process.send!(message, undefined, {}, (error) => (error ? reject(error) : resolve())));
}

async function listOne({ file, path, builtin }: ListRequest['files'][number], run: ListRequest['run']): Promise<SuiteListing | string> {
  let sha256: string;
  try {
    sha256 = fileSha256(path);
  } catch (error) {
    return `${file} cannot be read: ${errorReason(error)}`;
  }
  let module: unknown;
  try {
    module = await importSuiteFile(path);
  } catch (error) {
    return unloadedSuite(file, path, sha256, errorReason(error));
  }
  try {
    return listSuite(file, path, sha256, module, { run, builtin: builtin === true });
  } catch (error) {
    if (error instanceof NotASuite) return error.message;
    return unloadedSuite(file, path, sha256, errorReason(error));
  }
}

/** The files of the request, and the one loading now (or the last loaded). */
let files: ListRequest['files'] = [];
let current: string | undefined;

/**
 * An error thrown outside any file's loading (a timer, a rejected promise) is blamed on the suite file its stack
 * passes through (jiti and Node's import keep the file's path in its frames), else on the file loading now.
 */
function reportThrow(error: unknown): void {
  const stack = String((error as Error)?.stack ?? '');
  const blamed = files.find((f) => stack.includes(f.path))?.file ?? current;
  if (blamed === undefined || !process.send) process.exit(70);
  process.send({ type: 'threw', file: blamed, message: errorReason(error) } satisfies ListMessage, undefined, {}, () => process.exit(1));
}
process.on('uncaughtException', reportThrow);
process.on('unhandledRejection', reportThrow);

process.once('message', (request: ListRequest) => {
  files = request.files;
  void (async () => {
    for (const entry of request.files) {
      const { file } = entry;
      current = file;
      await send({ type: 'loading', file });
      const listed = await listOne(entry, request.run);
      await send(typeof listed === 'string' ? { type: 'not-a-suite', file, message: listed } : { type: 'listed', listing: listed });
    }
    await send({ type: 'done' });
    process.disconnect?.();
    // a suite file may leave handles open (timers, gpu.js): the listing is sent, so leave now
    setTimeout(() => process.exit(0), 100).unref();
  })().catch((error: unknown) => {
    process.stderr.write(`chipbench list worker: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(70);
  });
});
process.on('disconnect', () => process.exit(0));
