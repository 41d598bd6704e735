#!/usr/bin/env node
/**
 * Makes this checkout ready for `npm run bench` and `npm test` (their pre-scripts call it), installing only what is
 * missing, in the order each needs the one before, and saying what it does:
 *   1. Node >= 20.19 (yargs 18 and vitest 4 need it; Debian 12's own nodejs is 18): refused in one line, exit 2;
 *   2. the Debian packages of .ci/debian-packages.txt (headless-gl's build, Xvfb, Mesa, Chromium come from apt, not
 *      npm): .ci/system-packages when one is missing, through sudo when not root;
 *   3. node_modules as package-lock.json pins it: npm ci when they differ (npm ci also builds, through `prepare`);
 *   4. dist/: npm run build when src/, bench/ or the build's configuration changed since the last successful build.
 * Run again, it finds nothing to do and prints one line, at once.
 *
 * Plain Node, no npm dependency and nothing newer than Node 18's syntax: it runs before node_modules exists, and on
 * Debian's Node 18 it must still be able to say that Node is too old.
 *
 *   node .ci/ensure-ready.mjs           check, and install or build what is missing
 *   node .ci/ensure-ready.mjs --check   only say what it would do; exit 1 if anything, 0 when ready
 *   CHIPBENCH_SKIP_SYSTEM_PACKAGES=1    leave the Debian packages alone (a machine that has them some other way)
 * The build's own prebuild and postbuild scripts call --before-build and --after-build: that is how a successful
 * build, whoever ran it (npm ci's prepare, npm run build, this script), records what it was built from.
 *
 * Exit codes: 0 ready; 1 a step failed (its own output says why), or --check found work; 2 the user must act first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAX_LINE = 120;
const PACKAGE_LIST = '.ci/debian-packages.txt';
const SYSTEM_PACKAGES = '.ci/system-packages';
/** npm's record of what it installed, written by npm ci and npm install: compared with the lock, no package is read. */
const HIDDEN_LOCK = 'node_modules/.package-lock.json';
/** npm ci succeeds even when this optional native addon fails to build, so its absence needs saying on its own. */
const GL_ADDON = 'node_modules/gl/build/Release/webgl.node';
/** What the build reads: a change to any of them (edited, added, removed) makes dist/ stale. */
const BUILD_INPUTS = ['src', 'bench', 'tsconfig.json', 'package.json', 'package-lock.json'];
/** One output of each build step (asc, tsc): a dist/ without them was never built, or was partly removed. */
const BUILD_OUTPUTS = ['dist/wasm/ceiling.wasm', 'dist/src/cli/main.js'];
/** The inputs the last successful build read; removed when a build starts, so a failed build leaves none. */
const BUILD_STAMP = 'dist/.build-inputs.json';
const BUILD_STAMP_NEXT = 'dist/.build-inputs.next.json';

/** A stop with one line for the user and an exit code: thrown by any step, caught once in main. */
class Stop extends Error {
  constructor(code, line) {
    super(line);
    this.code = code;
  }
}

/** One line on stderr (stdout stays the benchmark's, e.g. for `npm run bench -- --json > run.json`), never > 120. */
function say(line) {
  const text = `chipbench: ${line}`;
  process.stderr.write(`${text.length > MAX_LINE ? `${text.slice(0, MAX_LINE - 1)}…` : text}\n`);
}

/** "why: what" on one line when it fits, else on two: a long reason is never cut. */
function sayWhyAndWhat(why, what) {
  if (`chipbench: ${why}: ${what}`.length <= MAX_LINE) return say(`${why}: ${what}`);
  say(why);
  say(what);
}

/** `head`, then as many of `items` as fit the line (with "chipbench: " before it), then "and N more", then `tail`. */
export function fitLine(head, items, tail = '', separator = ' ') {
  const room = MAX_LINE - 'chipbench: '.length;
  for (let shown = items.length; shown > 1; shown--) {
    const more = items.length - shown;
    const line = `${head}${items.slice(0, shown).join(separator)}${more ? ` and ${more} more` : ''}${tail}`;
    if (line.length <= room) return line;
  }
  const more = items.length - 1;
  return `${head}${items[0] ?? ''}${more ? ` and ${more} more` : ''}${tail}`;
}

// ---- 1. Node ----

/** The line refusing this Node, or null when it is new enough. */
export function nodeVersionProblem(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  if (major > 20 || (major === 20 && minor >= 19)) return null;
  return `needs Node >= 20.19 (for yargs 18 and vitest 4), found ${version}: install Node 20 from nodejs.org or NodeSource`;
}

// ---- 2. Debian packages ----

/** The package names of .ci/debian-packages.txt: words separated by spaces or lines; a # starts a comment. */
export function parsePackageList(text) {
  return text
    .split('\n')
    .flatMap((line) => line.replace(/#.*/, '').trim().split(/\s+/))
    .filter((word) => word !== '');
}

/** Whether /etc/os-release describes Debian 12, the only system .ci/system-packages knows how to set up. */
export function isDebian12(osRelease) {
  const field = (name) => {
    const match = osRelease.match(new RegExp(`^${name}=(.*)$`, 'm'));
    return match ? match[1].trim().replace(/^"(.*)"$/, '$1') : undefined;
  };
  return field('ID') === 'debian' && field('VERSION_ID') === '12';
}

/** name → version of the installed packages in `dpkg-query -W -f '${Package}\t${Version}\t${db:Status-Abbrev}\n'`. */
export function parseDpkgQuery(output) {
  const installed = new Map();
  for (const line of output.split('\n')) {
    const [name, version, status] = line.split('\t');
    // the status's second letter is the current state: i = installed (not c, config files only, or n, not installed)
    if (name && version !== undefined && status?.[1] === 'i') installed.set(name, version);
  }
  return installed;
}

/** What is wrong with the installed packages: each one missing, and a mesa-vulkan-drivers that is not the backport. */
export function systemPackageProblems(wanted, installed) {
  const problems = wanted.filter((name) => !installed.has(name));
  const mesa = installed.get('mesa-vulkan-drivers');
  // Dawn refuses bookworm's own lavapipe (Mesa 22); .ci/system-packages installs bookworm-backports' build
  if (wanted.includes('mesa-vulkan-drivers') && mesa !== undefined && !mesa.includes('bpo12')) {
    problems.push(`mesa-vulkan-drivers (${mesa} is not the backport)`);
  }
  return problems;
}

/**
 * How to install the missing packages here: run .ci/system-packages (as root), through sudo, or stop and say what to
 * run as root. Returns the command (null when stopping) and the line to print.
 */
export function systemPackagesPlan(problems, { isRoot, hasSudo }) {
  if (isRoot) return { command: [SYSTEM_PACKAGES], line: fitLine('missing Debian packages, running .ci/system-packages: ', problems) };
  if (hasSudo) return { command: ['sudo', SYSTEM_PACKAGES], line: fitLine('asking for sudo to install: ', problems) };
  return { command: null, line: fitLine('missing Debian packages (', problems, '): run .ci/system-packages as root, then this again') };
}

function isLink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false; // nothing there
  }
}

function onPath(command, env) {
  return (env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, command)));
}

function readOsRelease() {
  for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      // the other one, or none: not a system this script knows
    }
  }
  return '';
}

function installedDebianPackages(names) {
  // exit 1 when some name is not installed at all: those lines are missing from stdout, which is what we read
  const query = spawnSync('dpkg-query', ['-W', '-f', '${Package}\t${Version}\t${db:Status-Abbrev}\n', ...names], { encoding: 'utf8' });
  return parseDpkgQuery(query.stdout ?? '');
}

/** Step 2. Returns 'skipped' (env), 'unchecked' (not Debian 12), 'ok', or 'installed' (ran, or would run, the script). */
function ensureSystemPackages(root, env, checkOnly) {
  if (env.CHIPBENCH_SKIP_SYSTEM_PACKAGES === '1') return 'skipped';
  const osRelease = readOsRelease();
  if (!isDebian12(osRelease) || !onPath('dpkg-query', env) || !onPath('apt-get', env)) {
    const id = (osRelease.match(/^PRETTY_NAME="?([^"\n]*)/m) ?? [])[1] ?? 'no /etc/os-release';
    say(`not Debian 12 (${id}): system packages not checked; headlessgl and webgpu may be unavailable`);
    return 'unchecked';
  }
  const wanted = parsePackageList(readFileSync(join(root, PACKAGE_LIST), 'utf8'));
  const problems = systemPackageProblems(wanted, installedDebianPackages(wanted));
  if (problems.length === 0) return 'ok';

  const plan = systemPackagesPlan(problems, { isRoot: process.getuid?.() === 0, hasSudo: onPath('sudo', env) });
  if (checkOnly) {
    say(fitLine('would install missing Debian packages: ', problems));
    return 'installed';
  }
  if (plan.command === null) throw new Stop(2, plan.line);
  say(plan.line);
  run(plan.command, root);
  // .ci/system-packages checks the backport itself; this checks that nothing on the list is still missing
  const left = systemPackageProblems(wanted, installedDebianPackages(wanted));
  if (left.length > 0) throw new Stop(1, fitLine('still missing after .ci/system-packages: ', left));
  return 'installed';
}

// ---- 3. node_modules ----

/**
 * Where node_modules differs from package-lock.json ("yargs missing", "yargs 17.7.2, locked 18.2.0"): npm's hidden
 * lockfile (what it installed) must hold every locked entry at the locked version, and `present(path)` must find it on
 * disk. A locked optional package that is absent is no difference: npm skips those built for another platform (and
 * drops one whose build failed, such as gl without its Debian packages, said separately). Extra installed packages
 * are ignored: npm ci would remove them, but they stop nothing from running.
 */
export function lockDifferences(lock, installedLock, present = () => true) {
  const installed = installedLock.packages ?? {};
  const differences = [];
  for (const [path, locked] of Object.entries(lock.packages ?? {})) {
    if (path === '' || locked.link) continue; // the project itself; links have no version of their own
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const have = installed[path];
    if (have === undefined || !present(path)) {
      if (!locked.optional) differences.push(`${name} missing`);
    } else if (have.version !== locked.version) {
      differences.push(`${name} ${have.version}, locked ${locked.version}`);
    }
  }
  return differences;
}

/** Why npm ci is needed in `root`, or null when node_modules matches the lock. */
export function nodeModulesProblem(root) {
  if (!existsSync(join(root, 'node_modules'))) return 'no node_modules';
  let installedLock;
  try {
    installedLock = JSON.parse(readFileSync(join(root, HIDDEN_LOCK), 'utf8'));
  } catch {
    return `node_modules was not installed by npm ci (no readable ${HIDDEN_LOCK})`;
  }
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const differences = lockDifferences(lock, installedLock, (path) => existsSync(join(root, path, 'package.json')));
  if (differences.length === 0) return null;
  const count = `${differences.length} package${differences.length === 1 ? ' differs' : 's differ'}`;
  const line = (example) => `node_modules does not match package-lock.json (${count}${example ? `, e.g. ${example}` : ''})`;
  // the first difference as an example; its name alone, or none, when a long (scoped) name would overflow the line
  const example = [differences[0], differences[0].split(' ')[0]].find((e) => `chipbench: ${line(e)}`.length <= MAX_LINE);
  return line(example);
}

/** Step 3. Returns whether npm ci ran (or, with --check, would run). */
function ensureNodeModules(root, { checkOnly, packagesInstalled }) {
  let why = nodeModulesProblem(root);
  // gl was dropped by an npm ci that ran before its Debian packages were here: now that they are, build it
  if (why === null && packagesInstalled && !existsSync(join(root, GL_ADDON))) {
    why = 'the gl addon is missing (an npm ci ran before its Debian packages)';
  }
  if (why === null) return false;
  if (checkOnly) {
    sayWhyAndWhat(why, 'would run npm ci');
    return true;
  }
  if (isLink(join(root, 'node_modules'))) {
    // a checkout sharing another's node_modules (a git worktree): npm ci here would empty the other one
    say(why);
    const target = readlinkSync(join(root, 'node_modules'));
    throw new Stop(2, `not running npm ci: node_modules links to ${target}; run it there, or remove the link`);
  }
  // npm ci shows no output while it builds the gl addon from source: say that it takes a while
  sayWhyAndWhat(why, 'running npm ci (building the gl addon takes minutes)');
  run(['npm', 'ci', '--no-audit', '--no-fund'], root);
  return true;
}

// ---- 4. dist/ ----

/** path → "mtime size" of every file the build reads, relative to `root`. */
export function buildInputs(root) {
  const inputs = {};
  const visit = (path) => {
    let stat;
    try {
      stat = statSync(join(root, path));
    } catch {
      return; // an optional input (bench/ in a trimmed checkout): absent both times is no change
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(join(root, path)).sort()) visit(`${path}/${entry}`);
    } else {
      inputs[path] = `${stat.mtimeMs} ${stat.size}`;
    }
  };
  for (const path of BUILD_INPUTS) visit(path);
  return inputs;
}

/** Why dist/ must be built, or null when the last successful build read exactly today's inputs. */
export function buildStaleness(root) {
  const missing = BUILD_OUTPUTS.find((path) => !existsSync(join(root, path)));
  if (missing !== undefined) return `${missing} is missing`;
  let built;
  try {
    built = JSON.parse(readFileSync(join(root, BUILD_STAMP), 'utf8'));
  } catch {
    return 'no successful build recorded';
  }
  const now = buildInputs(root);
  const changed = [...Object.keys(now).filter((path) => built[path] !== now[path]), ...Object.keys(built).filter((path) => !(path in now))];
  if (changed.length === 0) return null;
  return `${changed[0]}${changed.length > 1 ? ` and ${changed.length - 1} more` : ''} changed`;
}

/** prebuild: forget the last build (a failed one must leave no record) and note the inputs this one starts from. */
export function beforeBuild(root) {
  mkdirSync(join(root, 'dist'), { recursive: true });
  rmSync(join(root, BUILD_STAMP), { force: true });
  // read before asc and tsc start: a file saved during the build differs from this record, so the next call rebuilds
  writeFileSync(join(root, BUILD_STAMP_NEXT), `${JSON.stringify(buildInputs(root))}\n`);
}

/** postbuild (it runs only when the build succeeded): the inputs noted before it become the record. */
export function afterBuild(root) {
  if (existsSync(join(root, BUILD_STAMP_NEXT))) renameSync(join(root, BUILD_STAMP_NEXT), join(root, BUILD_STAMP));
  else writeFileSync(join(root, BUILD_STAMP), `${JSON.stringify(buildInputs(root))}\n`);
}

/** Step 4. Returns whether it built (or, with --check, would build). */
function ensureBuild(root, checkOnly) {
  const why = buildStaleness(root);
  if (why === null) return false;
  if (checkOnly) {
    say(`would build chipbench (${why})`);
    return true;
  }
  say(`building chipbench (${why})`);
  run(['npm', 'run', 'build'], root);
  return true;
}

// ---- the steps in order ----

/** Runs a command with the terminal (its stdout onto stderr, like every line here); a failure stops with exit 1. */
function run(command, root) {
  const [file, ...args] = command;
  const result = spawnSync(file, args, { cwd: root, stdio: ['inherit', 2, 'inherit'] });
  if (result.error) throw new Stop(1, `could not start ${file}: ${result.error.message}`);
  if (result.status !== 0) throw new Stop(1, `${command.join(' ')} failed (exit ${result.status ?? result.signal}); its output is above`);
}

function ensureReady(root, argv, env) {
  if (argv.length === 1 && argv[0] === '--before-build') return beforeBuild(root);
  if (argv.length === 1 && argv[0] === '--after-build') return afterBuild(root);
  const checkOnly = argv.includes('--check');
  const unknown = argv.find((arg) => arg !== '--check');
  if (unknown !== undefined) throw new Stop(2, `unknown option ${unknown}: the only one is --check (say what would be done)`);

  const tooOld = nodeVersionProblem(process.version);
  if (tooOld !== null) throw new Stop(2, tooOld);
  const packages = ensureSystemPackages(root, env, checkOnly);
  const installed = ensureNodeModules(root, { checkOnly, packagesInstalled: packages === 'installed' });
  const built = ensureBuild(root, checkOnly);
  if (!existsSync(join(root, GL_ADDON)) && !(checkOnly && installed)) {
    say('WARNING: the gl addon (headless-gl) was not built; headlessgl will be unavailable');
  }

  const done = [packages === 'installed' && 'Debian packages', installed && 'npm ci', built && 'build'].filter(Boolean);
  if (checkOnly && done.length > 0) throw new Stop(1, `not ready: ${done.join(', ')} to do`);
  if (done.length > 0) return say(`ready (done: ${done.join(', ')})`);
  if (packages === 'ok') return say('ready (Debian packages, node_modules and build up to date)');
  say(`ready (node_modules and build up to date; Debian packages ${packages === 'skipped' ? 'skipped' : 'not checked'})`);
}

function main() {
  try {
    ensureReady(ROOT, process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    say(error.message);
    process.exitCode = error.code;
  }
}

// run when called as a script, not when a test imports the functions above
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
