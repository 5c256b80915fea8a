/**
 * Temporary folders for tests: every folder made here is removed when the test file's process exits
 * (after its last test, whether the tests passed or failed), so no test leaves one in os.tmpdir().
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();
let registered = false;

function removeAll(): void {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  made.clear();
}

/** A new empty folder `<os.tmpdir()>/<prefix>XXXXXX`, removed at exit (or earlier by removeTempDir). */
export function tempDir(prefix: string): string {
  if (!registered) process.once('exit', removeAll);
  registered = true;
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/** Removes a folder made by tempDir now (for tests that make many). */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  made.delete(dir);
}
