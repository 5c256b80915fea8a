import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');

/**
 * Makes sure dist/ is built (once per test process). `npm test` builds before running
 * the suites; this covers running a single test file directly.
 */
export function ensureBuilt(): void {
  const bundles = ['dist/server.js', 'dist/cli.js'].map((b) => join(ROOT, b));
  if (bundles.every((b) => existsSync(b) && statSync(b).size > 0) && process.env.ISTIO_SEC_REBUILD !== '1') return;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}
