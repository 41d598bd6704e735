/**
 * `chipbench list`: the case ids a `chipbench run` with the same options would make, one a line on stdout, without
 * running anything but the suite files' listing (in a child process). Cases that would fail before running (a file
 * that does not load, a bad case, a duplicate id) are named on stderr with their reason.
 */
import type { ArgumentsCamelCase } from 'yargs';
import { GPUJS_BACKENDS } from '../backends/names.js';
import { EXIT } from './exit-codes.js';
import { resolveRunOptions } from './resolve-run-options.js';
import type { RunArgs } from './run-options.js';
import { suiteSelection } from './suite-option.js';

export async function listHandler(args: ArgumentsCamelCase<RunArgs>): Promise<number> {
  const selection = suiteSelection(args);
  const resolved = await resolveRunOptions(args, process.argv.slice(1), selection);
  const listings = resolved.suites ?? [];
  // without probing, 'all' means every gpu.js backend: the ones unavailable here are skipped when the run comes
  const backends = resolved.backendsExplicit ? resolved.backends : [...GPUJS_BACKENDS];
  let builtin = 0;
  let failing = 0;
  for (const backend of backends) {
    for (const c of resolved.plan.cases(backend)) {
      process.stdout.write(`${c.id}\n`);
      if (c.job.kind !== 'kernel') builtin++;
      else if (c.job.problem) {
        failing++;
        process.stderr.write(`would fail: ${c.id}: ${c.job.problem}\n`);
      }
    }
  }
  const total = resolved.plan.caseCount(backends);
  const files = listings.length === 1 ? '1 suite file' : `${listings.length} suite files`;
  process.stderr.write(`${total} case${total === 1 ? '' : 's'} on ${backends.join(', ')}: ${builtin} built-in, ${total - builtin} from ${files}${failing > 0 ? ` (${failing} would fail)` : ''}\n`);
  return EXIT.ok;
}
