/**
 * Packs what a webgpu run needs onto a machine that has a GPU but no Node and
 * no package registry: this machine's Node binary, the built dist/, the chip
 * table, only the npm packages a cpu/webasm/webgpu run loads (no gl, no dev
 * dependencies; of Dawn only its linux-x64 binary), Debian's libvulkan1
 * unpacked from its .deb (the Vulkan loader; the GPU's driver brings its ICD),
 * and run.sh, which runs the suite there and leaves the RunResult and its
 * HTML report in one folder to bring back.
 *
 * Usage (after npm run build, on Debian 12 x86-64 with apt):
 *   npm run gpu-bundle -- [--out results/chipbench-gpu.tar.gz]
 * then on the GPU machine:
 *   tar xzf chipbench-gpu.tar.gz && chipbench-gpu/run.sh OUT_DIR [chipbench run options, e.g. --profile quick]
 *
 * The archive must stay under 64 MiB (what a lent GPU machine is sent); the
 * script fails past that.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { basename, dirname, join, resolve } from 'node:path';
import { packageRoot } from '../src/env/package-info.js';

/** The most a bundle may weigh: what a lent GPU machine is sent. */
export const BUNDLE_LIMIT_BYTES = 64 * 2 ** 20;

/** Packages a run on cpu, webasm and webgpu never loads: gpu.js only tries `gl` (headlessgl), and it is a native build. */
const LEFT_OUT = new Set(['gl']);

/** Dawn's binary for the machine the bundle is for; its other platforms' binaries are 110 MB the run never loads. */
const DAWN_PLATFORM = 'linux-x64';

interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  gitHead?: string;
}

const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;

/** The folder of every package a production install of `root` needs, following Node's resolution from each dependent. */
export function runtimePackages(root: string, leftOut: ReadonlySet<string> = LEFT_OUT): string[] {
  const found = new Set<string>();
  const visit = (fromDir: string) => {
    const pkg = readJson<PackageJson>(join(fromDir, 'package.json'));
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      if (leftOut.has(name)) continue;
      let dir: string;
      try {
        dir = dirname(createRequire(join(fromDir, 'package.json')).resolve(`${name}/package.json`));
      } catch {
        // an optional dependency not installed here, or one whose exports hide package.json: look for the folder
        const candidate = [fromDir, ...ancestors(fromDir)].map((d) => join(d, 'node_modules', name)).find((d) => existsSync(join(d, 'package.json')));
        if (!candidate) continue;
        dir = candidate;
      }
      if (found.has(dir)) continue;
      found.add(dir);
      visit(dir);
    }
  };
  visit(root);
  return [...found].sort();
}

function ancestors(dir: string): string[] {
  const out: string[] = [];
  for (let d = dirname(dir); d !== dirname(d); d = dirname(d)) out.push(d);
  return out;
}

/** Debian's libvulkan1, unpacked from the .deb apt downloads, into `libDir` (libvulkan.so.1 and its version). */
function unpackLibvulkan(libDir: string, work: string): string {
  const debs = join(work, 'debs');
  mkdirSync(debs, { recursive: true });
  // as root apt would hand the download to its unprivileged _apt user, who cannot write to our temporary folder
  execFileSync('apt-get', ['-o', 'APT::Sandbox::User=root', 'download', 'libvulkan1'], { cwd: debs, stdio: ['ignore', 'ignore', 'inherit'] });
  const deb = readdirSync(debs).find((f) => f.startsWith('libvulkan1_') && f.endsWith('.deb'));
  if (!deb) throw new Error('apt-get download libvulkan1 gave no .deb');
  const unpacked = join(work, 'libvulkan1');
  execFileSync('dpkg-deb', ['-x', join(debs, deb), unpacked]);
  const lib = join(unpacked, 'usr', 'lib', 'x86_64-linux-gnu');
  mkdirSync(libDir, { recursive: true });
  for (const f of readdirSync(lib).filter((f) => f.startsWith('libvulkan.so'))) cpSync(join(lib, f), join(libDir, f), { verbatimSymlinks: true });
  return deb;
}

const LAUNCHER = `#!/bin/sh
# chipbench on a machine with a GPU and no Node: the suite on webgpu (and cpu, webasm for the host), then its report.
#   chipbench-gpu/run.sh OUT_DIR [chipbench run options, e.g. --profile quick]
# Leaves in OUT_DIR: backends.txt (every backend and WebGPU adapter, and the one taken), run.json, run.html.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=\${1:-$here/results}
[ $# -gt 0 ] && shift
mkdir -p "$out"
# Dawn dlopens libvulkan.so.1: the bundled loader, which finds the GPU driver's ICD in the usual places
export LD_LIBRARY_PATH="$here/lib\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# An NVIDIA driver installed without its Vulkan ICD file (as in some containers): its Vulkan driver is libGLX_nvidia.
# Only when no ICD file is in any of the loader's folders and the user named none.
icds=0
for d in /usr/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/share/vulkan/icd.d; do
  for f in "$d"/*.json; do [ -e "$f" ] && icds=$((icds + 1)); done
done
if [ "$icds" -eq 0 ] && [ -z "\${VK_ICD_FILENAMES:-}" ] && [ -z "\${VK_DRIVER_FILES:-}" ]; then
  for d in /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib; do
    if [ -e "$d/libGLX_nvidia.so.0" ]; then
      mkdir -p "$out/icd"
      printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s","api_version":"1.3.0"}}\n' "$d/libGLX_nvidia.so.0" > "$out/icd/nvidia_icd.json"
      export VK_ICD_FILENAMES="$out/icd/nvidia_icd.json"
      echo "run.sh: no Vulkan ICD file here; using $d/libGLX_nvidia.so.0 through $out/icd/nvidia_icd.json" >&2
      break
    fi
  done
fi
export CHIPBENCH_CACHE_DIR="$out/cache"
node="$here/bin/node"
cli="$here/app/dist/src/cli/main.js"
# the listing marks the adapter the run takes: give it the run's --webgpu-adapter, if any
adapter=""
take=0
for a in "$@"; do
  if [ "$take" -eq 1 ]; then adapter=$a; take=0; fi
  case $a in
    --webgpu-adapter) take=1 ;;
    --webgpu-adapter=*) adapter=\${a#--webgpu-adapter=} ;;
  esac
done
rm -f "$out/run.json" "$out/run.html"
if [ -n "$adapter" ]; then
  "$node" "$cli" backends --backends webgpu,cpu,webasm --webgpu-adapter "$adapter" | tee "$out/backends.txt"
else
  "$node" "$cli" backends --backends webgpu,cpu,webasm | tee "$out/backends.txt"
fi
status=0
"$node" "$cli" run --backends webgpu,cpu,webasm -o "$out/run.json" "$@" || status=$?
if [ -f "$out/run.json" ]; then "$node" "$cli" report "$out/run.json" --out "$out/run.html" || status=$?; fi
exit $status
`;

/** Builds the archive; returns its path and size. */
export function buildBundle(outPath: string, root = packageRoot()): { path: string; bytes: number; packages: number } {
  if (!existsSync(join(root, 'dist', 'src', 'cli', 'main.js'))) throw new Error("no dist/: run 'npm run build' first");
  const work = mkdtempSync(join(tmpdir(), 'chipbench-gpu-'));
  try {
    const top = join(work, 'chipbench-gpu');
    const app = join(top, 'app');
    mkdirSync(join(top, 'bin'), { recursive: true });
    copyFileSync(process.execPath, join(top, 'bin', 'node'));
    chmodSync(join(top, 'bin', 'node'), 0o755);
    cpSync(join(root, 'dist'), join(app, 'dist'), { recursive: true });
    cpSync(join(root, 'reference-data'), join(app, 'reference-data'), { recursive: true });
    // the commit rides in package.json's gitHead (npm's own field): the GPU machine has no git to ask
    const pkg = readJson<PackageJson>(join(root, 'package.json'));
    const git = (...args: string[]) => {
      try {
        return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      } catch {
        return undefined;
      }
    };
    const commit = git('rev-parse', 'HEAD');
    // a tree with uncommitted changes is packed as it is, and says so (gitDirty), as a run from it would
    const dirty = commit !== undefined && (git('status', '--porcelain', '--untracked-files=no') ?? '') !== '';
    writeFileSync(join(app, 'package.json'), `${JSON.stringify({ ...pkg, ...(commit ? { gitHead: commit, gitDirty: dirty } : {}) }, null, 2)}\n`);
    const packages = runtimePackages(root);
    for (const dir of packages) {
      const rel = dir.slice(resolve(root).length + 1);
      cpSync(dir, join(app, rel), {
        recursive: true,
        // a package's own nested node_modules are copied as packages of their own, and Dawn only for this platform
        filter: (src) => {
          const sub = src.slice(dir.length);
          if (sub.startsWith('/node_modules')) return false;
          if (basename(dir) === 'webgpu' && sub.startsWith('/dist/') && !sub.startsWith(`/dist/${DAWN_PLATFORM}`)) return false;
          return true;
        },
      });
    }
    const deb = unpackLibvulkan(join(top, 'lib'), join(work, 'apt'));
    writeFileSync(join(top, 'run.sh'), LAUNCHER);
    chmodSync(join(top, 'run.sh'), 0o755);
    writeFileSync(
      join(top, 'BUNDLE.txt'),
      [
        `chipbench ${pkg.version}${commit ? ` at ${commit}${dirty ? ' with uncommitted changes' : ''}` : ''}, packed ${new Date().toISOString()}`,
        `Node ${process.version} (${process.platform}-${process.arch}), ${packages.length} npm packages (no gl), Dawn ${DAWN_PLATFORM} only, ${deb}`,
        'Run: chipbench-gpu/run.sh OUT_DIR [chipbench run options]',
        '',
      ].join('\n'),
    );
    const out = resolve(outPath);
    mkdirSync(dirname(out), { recursive: true });
    execFileSync('tar', ['-czf', out, '-C', work, 'chipbench-gpu']);
    const bytes = statSync(out).size;
    if (bytes > BUNDLE_LIMIT_BYTES) {
      rmSync(out, { force: true });
      throw new Error(`the bundle is ${(bytes / 2 ** 20).toFixed(1)} MiB, over the ${BUNDLE_LIMIT_BYTES / 2 ** 20} MiB a GPU machine is sent`);
    }
    return { path: out, bytes, packages: packages.length };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const at = process.argv.indexOf('--out');
  const out = at > 0 ? process.argv[at + 1] : 'results/chipbench-gpu.tar.gz';
  if (!out) {
    process.stderr.write('gpu-bundle: --out needs a file name, e.g. --out results/chipbench-gpu.tar.gz\n');
    process.exit(2);
  }
  try {
    const built = buildBundle(out);
    process.stdout.write(`${built.path}: ${(built.bytes / 2 ** 20).toFixed(1)} MiB, ${built.packages} npm packages\n`);
  } catch (error) {
    process.stderr.write(`gpu-bundle: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
