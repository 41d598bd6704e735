/**
 * `chipbench backends`: which gpu.js backends work here, on which device,
 * and for those that do not, the exact reason and the remedy.
 */
import type { Argv, ArgumentsCamelCase } from 'yargs';
import { GPUJS_BACKENDS, knownBackends } from '../backends/names.js';
import { selectorMatchedNothing } from '../backends/webgpu-adapters.js';
import { describeDevice, describeWebgpuAdapter } from '../report/describe.js';
import type { BackendStatus } from '../results/schema.js';
import { probeBackends } from '../runner/probe-backends.js';
import { WorkerEnvironment } from '../runner/worker-environment.js';
import { EXIT } from './exit-codes.js';
import { parseNameList } from './parse-list.js';
import { webgpuAdapterFromArgs, withWebgpuAdapterOption, type WebgpuAdapterArgs } from './webgpu-adapter-option.js';

export interface BackendsArgs extends WebgpuAdapterArgs {
  backends: string;
  json: boolean;
}

export function backendsBuilder(y: Argv): Argv<BackendsArgs> {
  return withWebgpuAdapterOption(y)
    .option('backends', { type: 'string', default: GPUJS_BACKENDS.join(','), describe: 'comma-separated backends to probe' })
    .option('json', { type: 'boolean', default: false, describe: 'print the statuses as JSON' }) as unknown as Argv<BackendsArgs>;
}

export function renderBackendStatus(s: BackendStatus): string {
  const line = s.available
    ? `${s.backend}: available, runs on ${s.executed ? describeDevice(s.executed.device) : 'unknown device'} (gpu.js ${s.executed?.kernelClass ?? '?'})`
    : `${s.backend}: unavailable: ${s.reason ?? 'unknown reason'}${s.remedy ? `\n    remedy: ${s.remedy}` : ''}`;
  const dawn = s.webgpuAdapters;
  if (!dawn) return line;
  const adapters = dawn.adapters.map((a) => `    ${a.index === dawn.choice.chosen ? '*' : ' '} ${describeWebgpuAdapter(a)}`);
  return [
    line,
    `    WebGPU adapters Dawn offers here (${dawn.adapters.length}; choose with --webgpu-adapter INDEX, a Dawn backend or part of a name):`,
    ...(adapters.length > 0 ? adapters : ['      none']),
    ...(s.available || s.reason !== dawn.choice.reason ? [`    ${dawn.choice.reason}`] : []),
  ].join('\n');
}

export async function backendsHandler(args: ArgumentsCamelCase<BackendsArgs>): Promise<number> {
  const backends = parseNameList('backends', args.backends, knownBackends());
  const environment = new WorkerEnvironment(process.env, webgpuAdapterFromArgs(args, backends));
  try {
    const outcomes = await probeBackends(backends, environment);
    const statuses = outcomes.map((o) => o.status);
    if (args.json) process.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
    else for (const s of statuses) process.stdout.write(`${renderBackendStatus(s)}\n`);
    // A --webgpu-adapter that names nothing here is bad input; otherwise listing is informational: an unavailable
    // backend is an answer, not a failure.
    const unmatched = statuses.find((s) => selectorMatchedNothing(s.webgpuAdapters?.choice));
    if (unmatched) {
      process.stderr.write(`chipbench: ${unmatched.webgpuAdapters!.choice.reason}; pass an index, a Dawn backend or part of a name listed above\n`);
      return EXIT.usage;
    }
    return EXIT.ok;
  } finally {
    environment.stop();
  }
}
