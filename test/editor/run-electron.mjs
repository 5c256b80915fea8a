#!/usr/bin/env node
// `npm run test:electron`: runs the same real-editor suite in desktop VS Code (Electron)
// through @vscode/test-electron, which downloads VS Code into .vscode-test/ on first use:
// it needs internet access (use `npm run test:editor` where there is none). On a Linux
// machine without a display, run it under a virtual one: `xvfb-run -a npm run test:electron`.
// Environment: VSCODE_VERSION (default "stable"; "insiders" or e.g. "1.90.0", the oldest
// engines.vscode allows), ISTIO_EDITOR_GREP (mocha grep), VSCODE_EXECUTABLE (an installed
// VS Code to use instead of downloading one).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { REPO_ROOT } from './paths.mjs';
import { buildAll, createRunDir, log, printResults, RUN_TIMEOUT_MS, suiteEnvironment, timeout } from './session.mjs';

async function main() {
  const run = createRunDir();
  const limit = timeout(RUN_TIMEOUT_MS, 'the real-editor run');
  let exitCode = 1;
  try {
    await buildAll(run);
    const tests = runTests({
      version: process.env.VSCODE_VERSION || 'stable',
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: join(run.suite, 'index.js'),
      extensionTestsEnv: suiteEnvironment(run),
      launchArgs: [
        run.workspace,
        '--disable-extensions', // other installed extensions stay out; the one under test still loads
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--user-data-dir', run.userData,
        '--extensions-dir', run.extensions,
      ],
    });
    exitCode = await Promise.race([tests, limit.promise]);
  } catch (err) {
    // runTests rejects with TestRunFailedError when the suite fails: the results say why.
    console.error(`[editor] ${err instanceof Error ? err.message : String(err)}`);
    exitCode = 1;
  } finally {
    limit.cancel();
    const printed = printResults(run.results);
    if (!printed && exitCode === 0) exitCode = 1;
    run.dispose();
  }
  log(`desktop VS Code run finished with ${exitCode}`);
  process.exit(exitCode);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(`[editor] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
