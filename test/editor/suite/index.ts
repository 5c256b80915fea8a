/**
 * Entry of the real-editor suite: VS Code loads the compiled out/editor-suite/index.js as
 * `extensionTestsPath` and calls run() inside the extension host. It runs every
 * *.test.js compiled next to it with mocha and rejects when any test fails.
 *
 * Results go to the extension host's console and, when ISTIO_EDITOR_RESULTS names a file,
 * to that file too (the launchers print it: the extension host's stdout is not theirs).
 */
import { appendFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

/** The closing line the launchers and CI read: `editor: N passed, N failed[, N skipped]`. */
export function summaryLine(stats: Mocha.Stats | undefined): string {
  const s = stats ?? ({ passes: 0, failures: 0, pending: 0 } as Mocha.Stats);
  const skipped = s.pending > 0 ? `, ${s.pending} skipped` : '';
  return `editor: ${s.passes} passed, ${s.failures} failed${skipped}`;
}

/** Sends mocha's reporter output to the results file as well as to the console. */
function teeReporterOutput(file: string | undefined): void {
  if (!file) return;
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...a: unknown[]) => void };
  const original = base.consoleLog;
  base.consoleLog = (...args: unknown[]): void => {
    original(...args);
    appendFileSync(file, format(...args) + '\n');
  };
}

/** The compiled test files beside this entry, in file-name order (activation.test.js runs first). */
export function testFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.test.js'))
    .sort()
    .map((n) => path.join(dir, n));
}

/** Called by VS Code. ISTIO_EDITOR_GREP runs only the tests whose full title matches. */
export function run(): Promise<void> {
  const resultsFile = process.env.ISTIO_EDITOR_RESULTS || undefined;
  teeReporterOutput(resultsFile);
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: 60_000,
    grep: process.env.ISTIO_EDITOR_GREP || undefined,
  });
  for (const f of testFiles(__dirname)) mocha.addFile(f);
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const line = summaryLine(runner.stats);
        console.log(line);
        if (resultsFile) appendFileSync(resultsFile, line + '\n');
        if (failures > 0) reject(new Error(`${failures} real-editor test(s) failed`));
        else if ((runner.stats?.passes ?? 0) === 0) reject(new Error('no real-editor test ran'));
        else resolve();
      });
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
