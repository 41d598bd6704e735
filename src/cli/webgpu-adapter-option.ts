/** The --webgpu-adapter option, shared by every command that starts webgpu workers (run, backends). */
import type { Argv } from 'yargs';
import { InputError } from '../errors/input-error.js';

export interface WebgpuAdapterArgs {
  webgpuAdapter?: string;
}

export function withWebgpuAdapterOption<T>(y: Argv<T>): Argv<T & WebgpuAdapterArgs> {
  return y.option('webgpu-adapter', {
    type: 'string',
    describe:
      "the WebGPU adapter the webgpu backend runs on: its index in 'chipbench backends', a Dawn backend (vulkan, opengl, opengles) " +
      'or part of its name [default: a hardware adapter, else Vulkan, else OpenGL]',
  }) as unknown as Argv<T & WebgpuAdapterArgs>;
}

/** The selector, or undefined for the default; an empty one, or one for a run without webgpu, is bad input. */
export function webgpuAdapterFromArgs(args: WebgpuAdapterArgs, backends: readonly string[]): string | undefined {
  if (args.webgpuAdapter === undefined) return undefined;
  const selector = String(args.webgpuAdapter).trim();
  if (selector === '') throw new InputError("--webgpu-adapter: it is empty; give an index, a Dawn backend or part of a name from 'chipbench backends'");
  if (!backends.includes('webgpu')) {
    throw new InputError(`--webgpu-adapter: it chooses the webgpu backend's adapter, and --backends (${backends.join(',')}) leaves webgpu out; add webgpu, or drop it`);
  }
  return selector;
}
