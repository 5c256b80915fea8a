import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './build';

/**
 * Rebuilds dist/ once when the CLI bundle predates a command (ensureBuilt only checks that the
 * bundle exists): `marker` is a string the command's source puts in the bundle.
 */
export function ensureCliHas(marker: string): void {
  const bundle = join(ROOT, 'dist', 'cli.js');
  if (existsSync(bundle) && readFileSync(bundle, 'utf8').includes(marker)) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit', timeout: 120_000 });
  if (r.status !== 0) throw new Error('build failed');
}
