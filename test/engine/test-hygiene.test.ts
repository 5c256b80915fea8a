/**
 * The unit suites make their temporary folders only through test/helpers/tmp.ts (removed when the
 * test process exits), so no test leaves one in os.tmpdir(). test/editor runs inside the editor and
 * removes its run folder itself (test/editor/session.mjs).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers/build';
import { filesUnder } from '../helpers/realworld';

describe('test hygiene', () => {
  it('temporary folders are made by tempDir() (test/helpers/tmp.ts), nowhere else', () => {
    const sources = filesUnder(ROOT, join(ROOT, 'test'))
      .filter((f) => /\.(ts|mjs)$/.test(f) && !f.startsWith('test/editor/') && !f.startsWith('test/fixtures/') && f !== 'test/helpers/tmp.ts' && f !== 'test/engine/test-hygiene.test.ts');
    const offenders = sources.filter((f) => /\bmkdtemp(Sync)?\(/.test(readFileSync(join(ROOT, f), 'utf8')));
    assert.deepEqual(offenders, []);
  });
});
