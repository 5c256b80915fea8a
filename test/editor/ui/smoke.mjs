#!/usr/bin/env node
// `npm run test:ui`: a UI-level smoke test of the packaged extension, as a user meets it.
// Packages dist/istio-security.vsix (`npm run package`), installs it into a fresh
// code-server extensions folder (`code-server --install-extension`), opens a temporary copy
// of examples/ in headless Chromium (1280x800), and drives the workbench with the keyboard
// only: a diagnostic and its quick-fix menu (Ctrl+.), a hover (Ctrl+K Ctrl+I), completion
// (Ctrl+Space, skipped when the server has no completionProvider) and the Problems panel.
// Each step asserts what the workbench shows and saves a screenshot into docs/images/.
// Ends with `ui: N passed, N failed[, N skipped]`; exits non-zero when a step fails.
// Reuses the real-editor host (test/editor/host/setup.mjs) and launch helpers.
// Environment: ISTIO_UI_SHOTS (another folder for the screenshots), ISTIO_EDITOR_VERBOSE=1.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, ensureHost } from '../host/setup.mjs';
import { REPO_ROOT } from '../paths.mjs';
import { BROWSER_ARGS, startCodeServer, stopGroup } from '../run-code-server.mjs';
import { createRunDir, log, RUN_TIMEOUT_MS, timeout } from '../session.mjs';

const VSIX = join(REPO_ROOT, 'dist', 'istio-security.vsix');
const SHOTS = resolve(process.env.ISTIO_UI_SHOTS || join(REPO_ROOT, 'docs', 'images'));
const VIEWPORT = { width: 1280, height: 800 };
/** Bounds one wait on the workbench (a cold language server on a slow machine included). */
const STEP_MS = 30_000;
const MISTAKES = 'common-mistakes.yaml';

/** Settings for readable screenshots, on top of the suite's (no network, nothing opens by itself). */
const UI_SETTINGS = {
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'editor.minimap.enabled': false,
  'editor.stickyScroll.enabled': false,
  'editor.fontSize': 14,
  'editor.hover.delay': 100,
  'extensions.ignoreRecommendations': true,
  'problems.defaultViewMode': 'tree',
  'files.exclude': { '**/.git': true },
};

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: REPO_ROOT, encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}:\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  return r.stdout ?? '';
}

/** Builds the .vsix exactly as a release does. */
function packageExtension() {
  log('packaging dist/istio-security.vsix (npm run package)');
  run('npm', ['run', 'package'], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (!existsSync(VSIX)) throw new Error(`npm run package did not write ${VSIX}`);
}

/** Installs the .vsix into the run's fresh extensions folder; returns the installed folder name. */
function installVsix(host, runDir) {
  run(host.node, [host.codeServer, '--install-extension', VSIX, '--extensions-dir', runDir.extensions, '--user-data-dir', runDir.userData], {
    cwd: runDir.root,
    env: { ...process.env, NODE_OPTIONS: '', EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: '' }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const installed = readdirSync(runDir.extensions).find((n) => n.startsWith('istio-sec.istio-security-'));
  if (!installed) throw new Error(`the extension is not in ${runDir.extensions}: ${readdirSync(runDir.extensions).join(', ')}`);
  return installed;
}

/** Whether the packaged language server announces completion (the completion step is skipped otherwise). */
function serverHasCompletion() {
  return /completionProvider/.test(readFileSync(join(REPO_ROOT, 'dist', 'server.js'), 'utf8'));
}

function addUiSettings(runDir) {
  const file = join(runDir.userData, 'User', 'settings.json');
  const settings = { ...JSON.parse(readFileSync(file, 'utf8')), ...UI_SETTINGS };
  writeFileSync(file, JSON.stringify(settings, null, 2));
}

/** The steps, their outcome, and the closing line. */
function createReport() {
  const rows = [];
  return {
    add(name, status, detail = '') {
      rows.push({ name, status, detail });
      const mark = { passed: '✔', failed: '✖', skipped: '-' }[status];
      console.log(`  ${mark} ${name}${detail ? `: ${detail}` : ''}`);
    },
    summary() {
      const n = (s) => rows.filter((r) => r.status === s).length;
      const skipped = n('skipped') ? `, ${n('skipped')} skipped` : '';
      return { line: `ui: ${n('passed')} passed, ${n('failed')} failed${skipped}`, failed: n('failed') };
    },
  };
}

// ── Driving the workbench with the keyboard, as a user would ──────────────────────────────

async function waitForWorkbench(page) {
  await page.locator('.monaco-workbench').waitFor({ timeout: STEP_MS * 2 });
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: STEP_MS * 2 });
}

/** Quick Open (Ctrl+P): opens a file of the workspace by name. */
async function openFile(page, name) {
  await page.keyboard.press('Control+p');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: STEP_MS });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: STEP_MS });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: STEP_MS });
  await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: STEP_MS });
}

/** Go to Line through Quick Open (Ctrl+P, `:line:column`, 1-based as the status bar shows). */
async function goTo(page, line, column) {
  await page.keyboard.press('Control+p');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: STEP_MS });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` }).first().waitFor({ timeout: STEP_MS });
}

/** 1-based line and column of the first line of a file that starts with `needle` after its indentation (comments mention fields too). */
function positionOf(file, needle) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const line = lines.findIndex((l) => l.trimStart().startsWith(needle));
  if (line < 0) throw new Error(`"${needle}" is not in ${file}`);
  return { line: line + 1, column: lines[line].indexOf(needle) + 1 };
}

/** Screens of failed steps: outside the repository, kept after the run for a look. */
const FAILURE_SHOTS = join(tmpdir(), 'istio-ui-failures');

async function shot(page, name, dir = SHOTS) {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  await page.screenshot({ path });
  return path;
}

async function textOf(locator) {
  return (await locator.innerText({ timeout: STEP_MS })).replace(/\s+/g, ' ');
}

/** How long what a screenshot shows must stay unchanged before it is taken. */
const QUIET_MS = 1_500;

/**
 * Polls `read` until it returns a value that `ready` accepts and that stays the same for QUIET_MS:
 * the workbench has settled (late diagnostics, a re-check, hover parts still loading). Bounded by STEP_MS.
 */
async function settled(read, ready, what) {
  const deadline = Date.now() + STEP_MS;
  let last;
  let since = Date.now();
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== last) {
      last = value;
      since = Date.now();
    } else if (value !== undefined && ready(value) && Date.now() - since >= QUIET_MS) {
      return value;
    }
    if (Date.now() > deadline) throw new Error(`${what} did not settle in ${STEP_MS / 1000} s; last seen: "${String(last).slice(0, 300)}"`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ── The steps ─────────────────────────────────────────────────────────────────────────────

/** The error and warning counts of the status bar's Problems item, e.g. "9 3". */
async function problemCounts(page) {
  return textOf(page.locator('[id="status.problems"]'));
}

/** Presses `keys` until `widget` shows (a code action request can come back empty while the server is busy). */
async function pressUntilShown(page, keys, widget) {
  const deadline = Date.now() + STEP_MS;
  for (;;) {
    await page.keyboard.press(keys);
    try {
      await widget.waitFor({ timeout: 5_000 });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await page.keyboard.press('Escape');
    }
  }
}

async function diagnosticAndQuickFix(page, examples) {
  await openFile(page, MISTAKES);
  // The extension validates the file: squiggles appear under the mistakes, then the counts settle
  // (cross-file and JWKS findings arrive after the first ones; lenses appear above the rules).
  await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: STEP_MS });
  await settled(() => problemCounts(page), (t) => /\d/.test(t), 'the Problems count');
  const at = positionOf(join(examples, 'mistakes', MISTAKES), 'jwksURI:');
  await goTo(page, at.line, at.column);
  const menu = page.locator('.action-widget').first();
  await pressUntilShown(page, 'Control+.', menu);
  const text = await settled(() => textOf(menu), (t) => /jwksUri/.test(t), 'the quick-fix menu');
  return { shot: await shot(page, 'quick-fix.png'), detail: `menu: "${text.slice(0, 80)}"` };
}

/** Closes any widget and puts the cursor on `value` of the first `key value` line of the mistakes file. */
async function goToValue(page, examples, key, value) {
  await page.keyboard.press('Escape');
  const at = positionOf(join(examples, 'mistakes', MISTAKES), `${key}${value}`);
  await goTo(page, at.line, at.column + key.length);
}

async function hoverOnField(page, examples) {
  await goToValue(page, examples, 'action: ', 'Allow');
  await page.keyboard.press('Control+k');
  await page.keyboard.press('Control+i');
  const hover = page.locator('.monaco-hover:not(.hidden)').first();
  await hover.waitFor({ timeout: STEP_MS });
  // The diagnostic's part shows at once; the language server's part (the field's type, its allowed
  // values, the reference link) arrives later, after a "Loading..." line.
  const complete = (t) => t.includes('schema-enum') && t.includes('Allowed values') && t.includes('reference on istio.io') && !/Loading/.test(t);
  const text = await settled(() => textOf(hover), complete, 'the hover');
  return { shot: await shot(page, 'hover.png'), detail: `hover: "${text.slice(0, 80)}"` };
}

async function completion(page, examples) {
  await goToValue(page, examples, 'action: ', 'Allow');
  await page.keyboard.press('Shift+End');
  await page.keyboard.press('Delete');
  await page.keyboard.press('Control+Space');
  const list = page.locator('.suggest-widget .monaco-list-row');
  await list.first().waitFor({ timeout: STEP_MS });
  const text = await textOf(page.locator('.suggest-widget'));
  if (!/ALLOW/.test(text)) throw new Error(`completion does not offer ALLOW: "${text}"`);
  const path = await shot(page, 'completion.png');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+z');
  return { shot: path, detail: `suggestions: "${text.slice(0, 80)}"` };
}

/** The Problems panel's badge (the count) and its rows. */
async function problemsShown(page) {
  const badge = await textOf(page.locator('.panel .composite-bar .action-item.checked')).catch(() => '');
  return `${badge} | ${await textOf(page.locator('.markers-panel'))}`;
}

async function problemsPanel(page) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+m');
  const panel = page.locator('.markers-panel');
  await panel.waitFor({ timeout: STEP_MS });
  // After the completion step's undo, the server checks the restored text again: wait until the
  // `action: Allow` error is listed again and the count and rows stop changing.
  const expected = ['removed-api', 'schema-unknown-field', 'authz-deny-needs-rules', 'schema-enum'];
  const text = await settled(() => problemsShown(page), (t) => expected.every((c) => t.includes(c)), 'the Problems panel');
  return { shot: await shot(page, 'problems.png'), detail: `lists ${expected.join(', ')}; count ${text.split(' | ')[0] || '?'}` };
}

async function main() {
  const report = createReport();
  const host = ensureHost();
  packageExtension();
  const runDir = createRunDir();
  const examples = join(runDir.root, 'examples');
  cpSync(join(REPO_ROOT, 'examples'), examples, { recursive: true });
  addUiSettings(runDir);
  let server;
  let browser;
  const limit = timeout(RUN_TIMEOUT_MS, 'the UI smoke test');
  const cleanup = async () => {
    limit.cancel();
    await browser?.close().catch(() => undefined);
    await stopGroup(server?.child);
    runDir.dispose();
  };
  const stopOnSignal = () => void cleanup().then(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    report.add('the .vsix installs into a fresh code-server', 'passed', installVsix(host, runDir));
    server = startCodeServer(host, runDir);
    const base = await Promise.race([server.url, limit.promise, server.died]);
    log(`code-server listening on ${base}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
    const page = await browser.newPage({ viewport: VIEWPORT });
    const url = new URL(base);
    url.searchParams.set('folder', examples);
    await page.goto(url.toString());
    await waitForWorkbench(page);
    const steps = [
      ['a diagnostic and its quick-fix menu (Ctrl+.)', () => diagnosticAndQuickFix(page, examples)],
      ['hover on a field (Ctrl+K Ctrl+I)', () => hoverOnField(page, examples)],
      ['completion (Ctrl+Space)', serverHasCompletion() ? () => completion(page, examples) : undefined],
      ['the Problems panel (Ctrl+Shift+M)', () => problemsPanel(page)],
    ];
    for (const [name, step] of steps) {
      if (!step) {
        report.add(name, 'skipped', 'the language server has no completionProvider yet');
        continue;
      }
      try {
        const r = await Promise.race([step(), limit.promise, server.died]);
        report.add(name, 'passed', `${r.detail}; ${r.shot}`);
      } catch (err) {
        const failed = await shot(page, `${name.replace(/\W+/g, '-')}.png`, FAILURE_SHOTS).catch(() => '');
        report.add(name, 'failed', `${err instanceof Error ? err.message.split('\n')[0] : String(err)}${failed ? ` (screen: ${failed})` : ''}`);
      }
    }
  } catch (err) {
    report.add('the workbench opens the examples', 'failed', err instanceof Error ? err.message : String(err));
  } finally {
    await cleanup();
  }
  const { line, failed } = report.summary();
  console.log(line);
  process.exit(failed > 0 ? 1 : 0);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(`[ui] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
