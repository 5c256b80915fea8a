// What both launchers share: building the extension and the suite, a temporary run folder
// with a copy of the workspace, and printing the suite's results file.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { buildSuite } from './build-suite.mjs';
import { OUT_SUITE, REPO_ROOT, WORKSPACE_SRC } from './paths.mjs';

/** Bounds a whole launch (editor start + suite), overridable for slow machines. */
export const RUN_TIMEOUT_MS = Number(process.env.ISTIO_EDITOR_TIMEOUT_MS) || 5 * 60_000;

export function log(msg) {
  console.log(`[editor] ${msg}`);
}

/** Builds dist/ (the extension under test) and the run's copy of the compiled suite. */
export async function buildAll(run) {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed');
  return buildSuite(run.suite);
}

/** User settings of the test editor: nothing reaches for the network, nothing opens by itself. */
const USER_SETTINGS = {
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
};

/**
 * A fresh folder for one run: user data, extensions, the workspace copy the editor opens,
 * the file the suite writes its results to, and the compiled suite under out/editor-suite/
 * (inside the repository, so the suite resolves `mocha` from its node_modules).
 * `dispose()` removes them.
 */
export function createRunDir() {
  const root = mkdtempSync(join(tmpdir(), 'istio-editor-'));
  const workspace = join(root, 'workspace');
  cpSync(WORKSPACE_SRC, workspace, { recursive: true });
  const userData = join(root, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  const suite = join(OUT_SUITE, basename(root));
  return {
    root,
    workspace,
    suite,
    userData,
    extensions: join(root, 'extensions'),
    results: join(root, 'results.txt'),
    dispose: () => {
      rmSync(root, { recursive: true, force: true });
      rmSync(suite, { recursive: true, force: true });
    },
  };
}

/** Prints what the suite wrote; returns whether it printed its closing summary line. */
export function printResults(file) {
  if (!existsSync(file)) {
    log('the suite wrote no results (it did not start: see the messages above)');
    return false;
  }
  const text = readFileSync(file, 'utf8');
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return /^editor: \d+ passed, \d+ failed/m.test(text);
}

/** Rejects after `ms` with a message naming what timed out. */
export function timeout(ms, what) {
  let timer;
  const promise = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Environment variables the suite reads in the extension host (see suite/index.ts). */
export function suiteEnvironment(run) {
  const env = { ISTIO_EDITOR_RESULTS: run.results };
  if (process.env.ISTIO_EDITOR_GREP) env.ISTIO_EDITOR_GREP = process.env.ISTIO_EDITOR_GREP;
  return env;
}
