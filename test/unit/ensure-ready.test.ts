/**
 * .ci/ensure-ready.mjs, what `npm run bench` and `npm test` run first: the Debian package list and dpkg's answer,
 * node_modules against the lock, when dist/ is stale, and the script end to end, here (ready: nothing to do) and in a
 * bare copy with --check (what it would do, doing nothing).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript without types: it runs before node_modules (and TypeScript) exist
import * as ensure from '../../.ci/ensure-ready.mjs';

const REPO = resolve(import.meta.dirname, '../..');
const SCRIPT = join(REPO, '.ci/ensure-ready.mjs');
const ALL_PACKAGES: string[] = ensure.parsePackageList(readFileSync(join(REPO, '.ci/debian-packages.txt'), 'utf8'));

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder holding `files` (path → text). */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'chipbench-ensure-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function runScript(script: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  return { status: result.status, stdout: result.stdout, lines };
}

describe('Node version', () => {
  it('accepts 20.19 and newer, and refuses older ones in one line', () => {
    for (const version of ['v20.19.0', 'v20.20.2', 'v22.1.0', 'v24.0.0']) expect(ensure.nodeVersionProblem(version), version).toBeNull();
    for (const version of ['v20.18.1', 'v18.19.0', 'v12.22.9']) {
      expect(ensure.nodeVersionProblem(version)).toBe(
        `needs Node >= 20.19 (for yargs 18 and vitest 4), found ${version}: install Node 20 from nodejs.org or NodeSource`,
      );
    }
  });
});

describe('Debian packages', () => {
  it('reads the one list, which .ci/system-packages installs', () => {
    expect(ensure.parsePackageList('# a comment\n\n a  b # c d\nmesa-vulkan-drivers\tchromium\n')).toEqual(['a', 'b', 'mesa-vulkan-drivers', 'chromium']);
    expect(ALL_PACKAGES).toEqual(expect.arrayContaining(['python3', 'g++', 'xvfb', 'libvulkan1', 'mesa-vulkan-drivers', 'procps', 'chromium']));
    expect(new Set(ALL_PACKAGES).size).toBe(ALL_PACKAGES.length);
    const installer = readFileSync(join(REPO, '.ci/system-packages'), 'utf8');
    expect(installer).toContain('debian-packages.txt');
    expect(installer).toContain('apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}"');
  });

  it("reads dpkg-query's answer: installed packages only, and the backport of mesa-vulkan-drivers", () => {
    const installed = ensure.parseDpkgQuery(
      'python3\t3.11.2-1+b1\tii \nchromium\t156.0-1\trc \nxvfb\t2:21.1.7-3\tun \nmesa-vulkan-drivers\t25.0.7-2~bpo12+1\tii \nmake\t4.3-4.1\thi \n',
    );
    expect([...installed.keys()]).toEqual(['python3', 'mesa-vulkan-drivers', 'make']);
    expect(ensure.systemPackageProblems(['python3', 'make', 'mesa-vulkan-drivers'], installed)).toEqual([]);
    expect(ensure.systemPackageProblems(['python3', 'chromium', 'xvfb'], installed)).toEqual(['chromium', 'xvfb']);
    const bookworms = ensure.parseDpkgQuery('mesa-vulkan-drivers\t22.3.6-1+deb12u1\tii \n');
    expect(ensure.systemPackageProblems(['mesa-vulkan-drivers'], bookworms)).toEqual(['mesa-vulkan-drivers (22.3.6-1+deb12u1 is not the backport)']);
  });

  it('checks Debian 12 only: .ci/system-packages sets up bookworm-backports', () => {
    expect(ensure.isDebian12('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_ID="12"\nID=debian\n')).toBe(true);
    expect(ensure.isDebian12('ID=debian\nVERSION_ID="13"\n')).toBe(false);
    expect(ensure.isDebian12('ID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\n')).toBe(false);
    expect(ensure.isDebian12('')).toBe(false);
  });

  it('runs .ci/system-packages as root, asks for sudo otherwise, or names the command; each in one line', () => {
    const asRoot = ensure.systemPackagesPlan(ALL_PACKAGES, { isRoot: true, hasSudo: true });
    expect(asRoot.command).toEqual(['.ci/system-packages']);
    const withSudo = ensure.systemPackagesPlan(['chromium', 'xvfb'], { isRoot: false, hasSudo: true });
    expect(withSudo).toEqual({ command: ['sudo', '.ci/system-packages'], line: 'asking for sudo to install: chromium xvfb' });
    const neither = ensure.systemPackagesPlan(ALL_PACKAGES, { isRoot: false, hasSudo: false });
    expect(neither.command).toBeNull();
    expect(neither.line).toMatch(/^missing Debian packages \(python3 make .* and \d+ more\): run \.ci\/system-packages as root, then this again$/);
    for (const { line } of [asRoot, neither, ensure.systemPackagesPlan(ALL_PACKAGES, { isRoot: false, hasSudo: true })]) {
      expect(`chipbench: ${line}`.length, line).toBeLessThanOrEqual(120);
    }
  });
});

describe('node_modules against package-lock.json', () => {
  const lock = {
    lockfileVersion: 3,
    packages: {
      '': { name: 'chipbench', version: '0.1.0' },
      'node_modules/yargs': { version: '18.2.0' },
      'node_modules/gl': { version: '8.1.6', optional: true },
      'node_modules/@oxc-parser/binding-darwin-arm64': { version: '0.1.0', optional: true, dev: true, os: ['darwin'] },
      'node_modules/knip/node_modules/zod': { version: '4.1.0', dev: true },
    },
  };
  const installed = (entries: Record<string, string>) => ({
    lockfileVersion: 3,
    packages: Object.fromEntries(Object.entries(entries).map(([path, version]) => [path, { version }])),
  });
  const matching = { 'node_modules/yargs': '18.2.0', 'node_modules/gl': '8.1.6', 'node_modules/knip/node_modules/zod': '4.1.0' };

  it('matches when every locked package is installed at its version', () => {
    expect(ensure.lockDifferences(lock, installed(matching))).toEqual([]);
  });
  it('matches when an optional package was not installed (another platform, or a failed native build)', () => {
    const { 'node_modules/gl': _gl, ...withoutGl } = matching;
    expect(ensure.lockDifferences(lock, installed(withoutGl))).toEqual([]);
  });
  it('names a package at another version, optional or not', () => {
    expect(ensure.lockDifferences(lock, installed({ ...matching, 'node_modules/yargs': '17.7.2', 'node_modules/gl': '8.0.0' }))).toEqual([
      'yargs 17.7.2, locked 18.2.0',
      'gl 8.0.0, locked 8.1.6',
    ]);
  });
  it('names a missing package, also one the hidden lockfile lists but the disk lacks', () => {
    const { 'node_modules/knip/node_modules/zod': _zod, ...withoutZod } = matching;
    expect(ensure.lockDifferences(lock, installed(withoutZod))).toEqual(['zod missing']);
    expect(ensure.lockDifferences(lock, installed(matching), (path: string) => path !== 'node_modules/yargs')).toEqual(['yargs missing']);
  });

  it('reads node_modules/.package-lock.json: none, unreadable, matching, differing', () => {
    const lockText = JSON.stringify(lock);
    expect(ensure.nodeModulesProblem(folder({ 'package-lock.json': lockText }))).toBe('no node_modules');
    expect(ensure.nodeModulesProblem(folder({ 'package-lock.json': lockText, 'node_modules/yargs/package.json': '{}' }))).toBe(
      'node_modules was not installed by npm ci (no readable node_modules/.package-lock.json)',
    );
    const onDisk = { 'node_modules/yargs/package.json': '{}', 'node_modules/gl/package.json': '{}', 'node_modules/knip/node_modules/zod/package.json': '{}' };
    const hidden = (entries: Record<string, string>) => JSON.stringify(installed(entries));
    expect(ensure.nodeModulesProblem(folder({ 'package-lock.json': lockText, ...onDisk, 'node_modules/.package-lock.json': hidden(matching) }))).toBeNull();
    const older = hidden({ ...matching, 'node_modules/yargs': '17.7.2', 'node_modules/knip/node_modules/zod': '3.0.0' });
    expect(ensure.nodeModulesProblem(folder({ 'package-lock.json': lockText, ...onDisk, 'node_modules/.package-lock.json': older }))).toBe(
      'node_modules does not match package-lock.json (2 packages differ, e.g. yargs 17.7.2, locked 18.2.0)',
    );
    // a long scoped name: the example shrinks to the name, so the line keeps within 120 characters
    const long = '@oxc-resolver/binding-linux-x64-gnu';
    const longLock = JSON.stringify({ packages: { [`node_modules/${long}`]: { version: '10.20.30-beta.1' } } });
    const longRoot = folder({ 'package-lock.json': longLock, [`node_modules/${long}/package.json`]: '{}' });
    writeFileSync(join(longRoot, 'node_modules/.package-lock.json'), JSON.stringify(installed({ [`node_modules/${long}`]: '10.20.29-beta.9' })));
    expect(ensure.nodeModulesProblem(longRoot)).toBe(`node_modules does not match package-lock.json (1 package differs, e.g. ${long})`);
  });
});

describe('when dist/ is stale', () => {
  const built = () =>
    folder({
      'src/cli/main.ts': 'main',
      'src/a.ts': 'a',
      'bench/b.ts': 'b',
      'tsconfig.json': '{}',
      'package.json': '{}',
      'package-lock.json': '{}',
      'dist/src/cli/main.js': 'built',
      'dist/wasm/ceiling.wasm': 'built',
    });
  /** Moves a file's mtime a minute on: an edit, as the build's record sees it. */
  const touch = (path: string) => utimesSync(path, new Date(), new Date(Date.now() + 60_000));

  it('is stale without its outputs, or without a record of a successful build', () => {
    const root = built();
    expect(ensure.buildStaleness(root)).toBe('no successful build recorded');
    rmSync(join(root, 'dist/wasm/ceiling.wasm'));
    expect(ensure.buildStaleness(root)).toBe('dist/wasm/ceiling.wasm is missing');
  });
  it('is up to date after a successful build, and stale again after a change to what it read', () => {
    const root = built();
    ensure.beforeBuild(root);
    ensure.afterBuild(root);
    expect(ensure.buildStaleness(root)).toBeNull();
    touch(join(root, 'src/a.ts'));
    expect(ensure.buildStaleness(root)).toBe('src/a.ts changed');
    ensure.beforeBuild(root);
    ensure.afterBuild(root);
    writeFileSync(join(root, 'bench/new.ts'), 'new');
    touch(join(root, 'tsconfig.json'));
    expect(ensure.buildStaleness(root)).toBe('bench/new.ts and 1 more changed');
    ensure.beforeBuild(root);
    ensure.afterBuild(root);
    rmSync(join(root, 'src/a.ts'));
    expect(ensure.buildStaleness(root)).toBe('src/a.ts changed');
  });
  it('is stale after a failed build (no postbuild), and after a file saved while the build ran', () => {
    const root = built();
    ensure.beforeBuild(root);
    ensure.afterBuild(root);
    ensure.beforeBuild(root); // the build fails: postbuild never runs
    expect(ensure.buildStaleness(root)).toBe('no successful build recorded');
    touch(join(root, 'src/cli/main.ts')); // saved during the build that then succeeds
    ensure.afterBuild(root);
    expect(ensure.buildStaleness(root)).toBe('src/cli/main.ts changed');
  });
});

describe('node .ci/ensure-ready.mjs', { timeout: 60_000 }, () => {
  it('finds this checkout ready (npm test built it) and says so in one line, doing nothing', () => {
    // --check first: were anything missing here, the plain call below would install it
    const check = runScript(SCRIPT, ['--check']);
    expect(check.lines.at(-1), check.lines.join('\n')).toMatch(/^chipbench: ready \((Debian packages, )?node_modules and build up to date/);
    expect(check.status).toBe(0);
    const plain = runScript(SCRIPT, []);
    expect(plain.lines).toEqual(check.lines);
    expect(plain.status).toBe(0);
    expect(plain.stdout).toBe('');
  });

  it('in a bare copy, says with --check what it would do, each in one line, and does nothing', () => {
    const root = folder({ 'package-lock.json': '{"packages": {}}', 'src/a.ts': 'a' });
    mkdirSync(join(root, '.ci'));
    copyFileSync(SCRIPT, join(root, '.ci/ensure-ready.mjs'));
    const run = runScript(join(root, '.ci/ensure-ready.mjs'), ['--check'], { CHIPBENCH_SKIP_SYSTEM_PACKAGES: '1' });
    expect(run.lines).toEqual([
      'chipbench: no node_modules: would run npm ci',
      'chipbench: would build chipbench (dist/wasm/ceiling.wasm is missing)',
      'chipbench: not ready: npm ci, build to do',
    ]);
    expect(run.status).toBe(1);
    expect(runScript(join(root, '.ci/ensure-ready.mjs'), ['--fix']).lines).toEqual([
      'chipbench: unknown option --fix: the only one is --check (say what would be done)',
    ]);
  });

  it('as root on Debian 12, runs .ci/system-packages for a missing package, then checks again', (ctx) => {
    const onDebian12 = existsSync('/etc/os-release') && ensure.isDebian12(readFileSync('/etc/os-release', 'utf8'));
    if (process.getuid?.() !== 0 || !onDebian12) return ctx.skip(); // as anyone else it would ask for sudo
    const root = folder({
      '.ci/debian-packages.txt': '# a package no machine has\nchipbench-no-such-package\n',
      '.ci/system-packages': '#!/bin/sh\necho "a stand-in for the installer ran"\n',
      'package-lock.json': '{"packages": {}}',
    });
    chmodSync(join(root, '.ci/system-packages'), 0o755);
    copyFileSync(SCRIPT, join(root, '.ci/ensure-ready.mjs'));
    const run = runScript(join(root, '.ci/ensure-ready.mjs'), []);
    expect(run.lines).toEqual([
      'chipbench: missing Debian packages, running .ci/system-packages: chipbench-no-such-package',
      'a stand-in for the installer ran', // the installer's stdout goes to stderr, with every other line
      'chipbench: still missing after .ci/system-packages: chipbench-no-such-package',
    ]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
  });

  it('never runs npm ci over a node_modules that links to another checkout', () => {
    const elsewhere = folder({ 'yargs/package.json': '{}' });
    const root = folder({ 'package-lock.json': '{"packages": {"node_modules/yargs": {"version": "18.2.0"}}}' });
    mkdirSync(join(root, '.ci'));
    copyFileSync(SCRIPT, join(root, '.ci/ensure-ready.mjs'));
    symlinkSync(elsewhere, join(root, 'node_modules'));
    const run = runScript(join(root, '.ci/ensure-ready.mjs'), [], { CHIPBENCH_SKIP_SYSTEM_PACKAGES: '1' });
    expect(run.lines).toEqual([
      'chipbench: node_modules was not installed by npm ci (no readable node_modules/.package-lock.json)',
      `chipbench: not running npm ci: node_modules links to ${elsewhere}; run it there, or remove the link`,
    ]);
    expect(run.status).toBe(2);
    expect(readdirSync(elsewhere)).toEqual(['yargs']);
  });
});
