/**
 * `chipbench backends`: which gpu.js backends work here, on which device,
 * and for those that do not, the exact reason and the remedy.
 */
import type { Argv, ArgumentsCamelCase } from 'yargs';
import { GPUJS_BACKENDS, knownBackends } from '../backends/names.js';
import { describeDevice } from '../report/describe.js';
import type { BackendStatus } from '../results/schema.js';
import { probeBackends } from '../runner/probe-backends.js';
import { WorkerEnvironment } from '../runner/worker-environment.js';
import { EXIT } from './exit-codes.js';
import { parseNameList } from './parse-list.js';

export interface BackendsArgs {
  backends: string;
  json: boolean;
}

export function backendsBuilder(y: Argv): Argv<BackendsArgs> {
  return y
    .option('backends', { type: 'string', default: GPUJS_BACKENDS.join(','), describe: 'comma-separated backends to probe' })
    .option('json', { type: 'boolean', default: false, describe: 'print the statuses as JSON' }) as unknown as Argv<BackendsArgs>;
}

export function renderBackendStatus(s: BackendStatus): string {
  if (s.available) {
    const ex = s.executed;
    return `${s.backend}: available, runs on ${ex ? describeDevice(ex.device) : 'unknown device'} (gpu.js ${ex?.kernelClass ?? '?'})`;
  }
  return `${s.backend}: unavailable: ${s.reason ?? 'unknown reason'}${s.remedy ? `\n    remedy: ${s.remedy}` : ''}`;
}

export async function backendsHandler(args: ArgumentsCamelCase<BackendsArgs>): Promise<number> {
  const backends = parseNameList('backends', args.backends, knownBackends());
  const environment = new WorkerEnvironment();
  try {
    const outcomes = await probeBackends(backends, environment);
    const statuses = outcomes.map((o) => o.status);
    if (args.json) process.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
    else for (const s of statuses) process.stdout.write(`${renderBackendStatus(s)}\n`);
    // Listing is informational: an unavailable backend is an answer, not a failure.
    return EXIT.ok;
  } finally {
    environment.stop();
  }
}
