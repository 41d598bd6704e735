/**
 * The WebGPU ceiling of STREAM copy and triad: a hand-written WGSL kernel dispatched through Dawn on the device
 * gpu.js's webgpu kernels use, timed by the same harness as gpu.js's webgpu STREAM. The inputs sit in storage
 * buffers before timing; a sample is one dispatch into the preallocated output and one wait for the queue
 * (onSubmittedWorkDone), as gpu.js's STREAM kernels wait once.
 */
import type { StreamKernel } from '../../metrics/bandwidth.js';
import type { Device, Executed } from '../../results/schema.js';
import type { CeilingStream } from '../session.js';
import { boundPipeline, deviceTimer, dispatch, readBuffer, submitAndWait, USAGE, validated, type GpuDeviceLike } from './webgpu-device.js';

export const WGSL_STREAM_CEILING = {
  id: 'wgsl-vec4-stream',
  description:
    'hand-written WGSL STREAM kernel, dispatched through Dawn: vec4<f32> loads and stores, 256 invocations a workgroup (or the device\'s limit), ' +
    'each invocation striding over the arrays by the whole grid; arrays padded to whole vec4s, only the real elements checked and credited',
} as const;

/** invocations a workgroup: 256, or the device's limit where it is lower (128 in compatibility mode) */
const WORKGROUP = 256;
/** vec4s each invocation handles on average: the grid is ceil(n4 / (workgroup * 4)) workgroups, at most MAX_WORKGROUPS */
const VEC4_PER_INVOCATION = 4;
/** the WebGPU default of maxComputeWorkgroupsPerDimension; the stride loop covers arrays past it */
const MAX_WORKGROUPS = 65535;

/** The WGSL of one STREAM kernel: out = x (copy) or out = x + s * y (triad, STREAM's a = b + s*c), over n4 vec4s. */
export function wgslStreamSource(kernel: StreamKernel, workgroup = WORKGROUP): string {
  const triad = kernel === 'triad';
  return `
struct Params { n4: u32, s: f32 }
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> out: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> params: Params;
${triad ? '@group(0) @binding(3) var<storage, read> y: array<vec4<f32>>;' : ''}
@compute @workgroup_size(${workgroup})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let stride = groups.x * ${workgroup}u;
  for (var i = gid.x; i < params.n4; i += stride) {
    out[i] = ${triad ? 'x[i] + params.s * y[i]' : 'x[i]'};
  }
}
`;
}

/** `values` in a zero-padded array of whole vec4s. */
function padded(values: Float32Array, n4: number): Float32Array {
  if (values.length === 4 * n4) return values;
  const out = new Float32Array(4 * n4);
  out.set(values);
  return out;
}

export async function prepareWebgpuCeilingStream(kernel: StreamKernel, x: Float32Array, y: Float32Array, scalar: number, gpu: GpuDeviceLike, device: Device): Promise<CeilingStream> {
  const elements = x.length;
  const n4 = Math.ceil(elements / 4);
  const storage = (extra = 0) => gpu.createBuffer({ size: 16 * n4, usage: USAGE.STORAGE | USAGE.COPY_DST | extra });
  const xBuffer = storage();
  const out = storage(USAGE.COPY_SRC);
  const params = gpu.createBuffer({ size: 16, usage: USAGE.UNIFORM | USAGE.COPY_DST });
  const yBuffer = kernel === 'triad' ? storage() : undefined;
  // in binding order (wgslStreamSource): x, out, params, then y for triad
  const buffers = [xBuffer, out, params, ...(yBuffer ? [yBuffer] : [])];
  const read = gpu.createBuffer({ size: 16 * n4, usage: USAGE.MAP_READ | USAGE.COPY_DST });
  const destroy = () => [...buffers, read].forEach((b) => b.destroy());
  try {
    // Params { n4: u32, s: f32 }, padded to the 16 bytes of a uniform
    const words = new Uint32Array(4);
    words[0] = n4;
    new Float32Array(words.buffer, 4, 1)[0] = scalar;
    await validated(gpu, 'could not place the inputs', () => {
      gpu.queue.writeBuffer(params, 0, words);
      gpu.queue.writeBuffer(xBuffer, 0, padded(x, n4));
      if (yBuffer) gpu.queue.writeBuffer(yBuffer, 0, padded(y, n4));
    });
    const workgroup = Math.min(WORKGROUP, gpu.limits.maxComputeWorkgroupSizeX, gpu.limits.maxComputeInvocationsPerWorkgroup);
    const bound = await boundPipeline(gpu, wgslStreamSource(kernel, workgroup), buffers);
    const groups = Math.min(MAX_WORKGROUPS, Math.ceil(n4 / (workgroup * VEC4_PER_INVOCATION)));
    const record = (encoder: Parameters<typeof dispatch>[0]) => dispatch(encoder, bound, groups);
    const timer = deviceTimer(gpu);
    const executed: Executed = { backend: 'webgpu', kernelClass: `hand-written WGSL (${WGSL_STREAM_CEILING.id})`, device };
    return {
      ceiling: WGSL_STREAM_CEILING,
      threads: 1,
      executed: () => executed,
      timingNote: 'inputs in storage buffers before timing; a sample is one dispatch of the WGSL kernel into the preallocated output and one wait for the queue (onSubmittedWorkDone)',
      run: () => submitAndWait(gpu, record),
      readBack: async () => (await readBuffer(gpu, out, read, 16 * n4)).subarray(0, elements),
      ...(timer ? { deviceTimes: () => timer((encoder, writes) => dispatch(encoder, bound, groups, 1, writes)) } : {}),
      dispose: destroy,
    };
  } catch (error) {
    destroy();
    throw error;
  }
}
