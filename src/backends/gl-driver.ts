/**
 * Which OpenGL driver headless-gl really uses. headless-gl reports only
 * 'ANGLE' / 'stack-gl' as renderer and has no WEBGL_debug_renderer_info, so
 * we read the driver libraries the process has loaded (/proc/self/maps,
 * Linux) after a context exists: Mesa's swrast_dri.so is the llvmpipe
 * software rasteriser, i.e. the CPU; libGLX_nvidia is NVIDIA's GPU driver.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Device } from '../results/schema.js';

interface DriverRule {
  pattern: RegExp;
  name: (env: NodeJS.ProcessEnv) => string;
  software: boolean;
}

const RULES: DriverRule[] = [
  { pattern: /libGLX_nvidia|libnvidia-glcore/, name: () => 'NVIDIA OpenGL driver (libGLX_nvidia)', software: false },
  {
    pattern: /swrast_dri\.so|kms_swrast_dri\.so/,
    name: (env) => `Mesa ${env.GALLIUM_DRIVER === 'softpipe' ? 'softpipe' : 'llvmpipe'} (swrast_dri.so)`,
    software: true,
  },
  { pattern: /zink_dri\.so/, name: () => 'Mesa zink (OpenGL over Vulkan)', software: false },
  { pattern: /radeonsi_dri\.so/, name: () => 'Mesa radeonsi (AMD GPU)', software: false },
  { pattern: /(iris|crocus|i965)_dri\.so/, name: () => 'Mesa Intel GPU driver', software: false },
  { pattern: /nouveau_dri\.so/, name: () => 'Mesa nouveau (NVIDIA GPU, open driver)', software: false },
  { pattern: /_dri\.so/, name: () => 'Mesa DRI driver', software: false },
];

/** Libraries mapped into this process whose names look like GL drivers. */
export function loadedGlLibraries(maps: string): string[] {
  const paths = maps
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[5])
    .filter((p): p is string => !!p && /_dri\.so|libGLX_|libnvidia-glcore|libGL\.so/.test(p));
  return [...new Set(paths.map((p) => basename(p)))];
}

/** The device headless-gl renders on, from the loaded driver libraries. */
export function describeGlDriver(maps: string, env: NodeJS.ProcessEnv = process.env): Device {
  const libs = loadedGlLibraries(maps);
  const joined = libs.join(' ');
  const rule = RULES.find((r) => r.pattern.test(joined));
  const details: Record<string, string> = { driverLibraries: libs.join(', ') || 'none found' };
  if (!rule) {
    return { executesOn: 'gpu', name: 'unknown OpenGL driver', driver: 'headless-gl (ANGLE over GLX)', details };
  }
  return {
    executesOn: rule.software ? 'cpu' : 'gpu',
    name: rule.name(env),
    driver: 'headless-gl 8 (WebGL 1 through ANGLE over GLX)',
    softwareRenderer: rule.software,
    details,
  };
}

export function readProcMaps(): string {
  try {
    return readFileSync('/proc/self/maps', 'utf8');
  } catch {
    return '';
  }
}
