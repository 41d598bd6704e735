/**
 * Versions of chipbench itself and of the packages that shape its figures.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** chipbench's package root: this file is src/env/ in the source and dist/src/env/ when built. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'chipbench') return dir;
    } catch {
      // not here; go up
    }
    dir = dirname(dir);
  }
  throw new Error('chipbench package.json not found above ' + fileURLToPath(import.meta.url));
}

/** chipbench's version: ours, or that of the build at `root` (the base of an interleaved run). */
export function toolVersion(root = packageRoot()): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * The commit a packed build was made from, and whether it had uncommitted changes (package.json's gitHead, npm's
 * field, and gitDirty, written by bench/gpu-bundle.ts), or undefined for a checkout, whose commit git tells.
 */
export function packedCommit(root = packageRoot()): { commit: string; dirty: boolean } | undefined {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { gitHead?: unknown; gitDirty?: unknown };
  return typeof pkg.gitHead === 'string' && pkg.gitHead !== '' ? { commit: pkg.gitHead, dirty: pkg.gitDirty === true } : undefined;
}

/** Installed version of a dependency (ours, or of the build at `root`), or 'not installed'. */
export function dependencyVersion(name: string, root = packageRoot()): string {
  const require = createRequire(join(root, 'package.json'));
  try {
    const pkgPath = require.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string }).version;
  } catch {
    // Some packages do not export ./package.json; find it next to the entry point.
    try {
      let dir = dirname(require.resolve(name));
      for (let i = 0; i < 4; i++) {
        try {
          const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
          if (pkg.name === name && pkg.version) return pkg.version;
        } catch {
          // keep looking
        }
        dir = dirname(dir);
      }
    } catch {
      // not resolvable
    }
    return 'not installed';
  }
}
