#!/usr/bin/env node
// `npm run test:editor`: runs the real-editor suite inside the VS Code that code-server
// serves, opened by headless Chromium, with no internet. Setup (once per lockfile hash):
// test/editor/host/setup.mjs. Each run: a fresh code-server on 127.0.0.1 (random port,
// fresh user data and extensions dirs, smoke-test driver enabled so the workbench honours
// the extensionDevelopmentPath/extensionTestsPath payload), Chromium opens the workbench,
// the extension host runs out/editor-suite/index.js, and the workbench reports its exit
// code through window.codeAutomationExit. Exits with that code (1 on timeout or error) and
// stops every process it started.
// Environment: ISTIO_EDITOR_TIMEOUT_MS (default 300000), ISTIO_EDITOR_GREP (mocha grep),
// ISTIO_EDITOR_VERBOSE=1 (relay code-server's and the browser's logs).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, ensureHost } from './host/setup.mjs';
import { REPO_ROOT } from './paths.mjs';
import { buildAll, createRunDir, log, printResults, RUN_TIMEOUT_MS, suiteEnvironment, timeout } from './session.mjs';

const VERBOSE = process.env.ISTIO_EDITOR_VERBOSE === '1';
export const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Starts code-server on 127.0.0.1 with a port the OS picks; resolves with its base URL once it listens. */
export function startCodeServer(host, run) {
  const configFile = join(run.root, 'code-server.yaml');
  writeFileSync(configFile, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  const args = [
    host.codeServer,
    '--config', configFile,
    '--bind-addr', '127.0.0.1:0',
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', run.userData,
    '--extensions-dir', run.extensions,
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  const xdg = join(run.root, 'xdg');
  // VS Code's sockets (vscode-ipc-*, vscode-git-*) and the TypeScript server's folder go to the
  // temporary folder: the run folder's own, removed with it, instead of os.tmpdir().
  const tmp = join(run.root, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const child = spawn(host.node, args, {
    cwd: run.root,
    detached: true, // its own process group: stopping it stops the extension hosts too
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      XDG_CONFIG_HOME: xdg,
      XDG_DATA_HOME: xdg,
      XDG_CACHE_HOME: xdg,
      TMPDIR: tmp,
      NODE_OPTIONS: '',
      EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: '' }), // no marketplace: nothing to look up
    },
  });
  let seen = '';
  const died = new Promise((_, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => reject(new Error(`code-server exited (${code ?? signal}) before the suite finished:\n${seen}`)));
  });
  died.catch(() => undefined); // observed through the races below
  const listening = new Promise((resolve) => {
    const onData = (chunk) => {
      const text = chunk.toString();
      if (VERBOSE) process.stdout.write(text.replace(/^/gm, '[code-server] '));
      seen = (seen + text).slice(-8000);
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(seen);
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
  return { child, url: Promise.race([listening, died]), died };
}

/** Stops a detached child's whole process group: SIGTERM, then SIGKILL after 3 s. */
export async function stopGroup(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  const kill = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  kill('SIGTERM');
  const timer = setTimeout(() => kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
  kill('SIGKILL'); // extension hosts left in the group
}

/**
 * The workbench's console: relayed as it comes with ISTIO_EDITOR_VERBOSE=1; otherwise its
 * last errors are kept and printed only when the suite did not report (they say why).
 */
function createBrowserLog() {
  const errors = [];
  return {
    add(type, text) {
      const line = `[browser:${type}] ${text}`;
      if (VERBOSE) console.log(line);
      else if (type === 'error' || type === 'pageerror') {
        errors.push(line);
        if (errors.length > 50) errors.shift();
      }
    },
    printErrors() {
      if (!VERBOSE) for (const line of errors) console.log(line);
    },
  };
}

/** The workbench URL that opens the workspace and runs the suite in the extension host. */
export function workbenchUrl(base, run) {
  const u = new URL(base);
  // Paths on the server side: the remote extension host (code-server's) runs the extension.
  const remote = (p) => `vscode-remote://${u.host}${pathToFileURL(p).pathname}`;
  const payload = [
    ['extensionDevelopmentPath', remote(REPO_ROOT)],
    ['extensionTestsPath', remote(join(run.suite, 'index.js'))],
    ['extensionEnvironment', JSON.stringify(suiteEnvironment(run))],
  ];
  u.searchParams.set('folder', run.workspace);
  u.searchParams.set('payload', JSON.stringify(payload));
  return u.toString();
}

async function main() {
  const host = ensureHost();
  const run = createRunDir();
  let server;
  let browser;
  const limit = timeout(RUN_TIMEOUT_MS, 'the real-editor run');
  const stopOnSignal = () => {
    void cleanup().then(() => process.exit(130));
  };
  const cleanup = async () => {
    limit.cancel();
    await browser?.close().catch(() => undefined);
    await stopGroup(server?.child);
    run.dispose();
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const browserLog = createBrowserLog();
  let exitCode = 1;
  try {
    await buildAll(run);
    const started = Date.now();
    server = startCodeServer(host, run);
    const base = await Promise.race([server.url, limit.promise]);
    log(`code-server listening on ${base}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
    const page = await browser.newPage();
    const finished = new Promise((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code)));
    });
    page.on('console', (msg) => browserLog.add(msg.type(), msg.text()));
    page.on('pageerror', (err) => browserLog.add('pageerror', err.message));
    await page.goto(workbenchUrl(base, run));
    exitCode = await Promise.race([finished, limit.promise, server.died]);
    log(`the extension host exited with ${exitCode} after ${Math.round((Date.now() - started) / 1000)} s`);
  } catch (err) {
    console.error(`[editor] ${err instanceof Error ? err.message : String(err)}`);
    exitCode = 1;
  } finally {
    const printed = printResults(run.results);
    if (!printed) browserLog.printErrors();
    if (!printed && exitCode === 0) exitCode = 1;
    await cleanup();
  }
  process.exit(exitCode);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(`[editor] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
