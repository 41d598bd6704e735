/** The host CPU as a device record, for backends that compute on it (cpu, webasm). */
import { cpus } from 'node:os';
import type { Device } from '../results/schema.js';

export function hostCpuDevice(): Device {
  const list = cpus();
  const model = list[0]?.model.trim() || 'unknown CPU';
  return {
    executesOn: 'cpu',
    name: model,
    details: { logicalCores: String(list.length), arch: process.arch },
  };
}
