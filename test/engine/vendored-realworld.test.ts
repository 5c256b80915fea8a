/**
 * test/fixtures/realworld: only redistributable sources, each with its attribution, byte for byte
 * what ../shared/realworld holds (when that folder is present).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { filesUnder, isAttribution, isUnlicensed, SHARED_REALWORLD, UNLICENSED_FOLDERS, VENDORED_REALWORLD } from '../helpers/realworld';
import { needsShared } from '../helpers/shared';

const folders = readdirSync(VENDORED_REALWORLD, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const vendored = filesUnder(VENDORED_REALWORLD);

describe('vendored real-world fixtures', () => {
  it('hold no file of a repository that states no licence', () => {
    assert.deepEqual(folders.filter((f) => UNLICENSED_FOLDERS.includes(f)), []);
    assert.deepEqual(vendored.filter(isUnlicensed), []);
  });

  it('each folder carries a README naming repository, commit and licence, and the licence text', () => {
    assert.ok(folders.length >= 4, folders.join());
    for (const f of folders) {
      const readme = readFileSync(join(VENDORED_REALWORLD, f, 'README.md'), 'utf8');
      assert.match(readme, /https:\/\/github\.com\/[\w.-]+\/[\w.-]+/, `${f}/README.md names no repository`);
      assert.match(readme, /\b[0-9a-f]{40}\b/, `${f}/README.md names no commit`);
      assert.match(readme, /Apache-2\.0|MIT/, `${f}/README.md names no licence`);
      const licences = readdirSync(join(VENDORED_REALWORLD, f)).filter((n) => /^LICENSE/.test(n));
      assert.ok(licences.length > 0, `${f} has no LICENSE file`);
      for (const l of licences) assert.match(readFileSync(join(VENDORED_REALWORLD, f, l), 'utf8'), /Apache License|MIT License/, `${f}/${l}`);
    }
  });

  it('are byte for byte the files of ../shared/realworld, and none of its licensed files is missing', needsShared('realworld', 'the comparison with the originals'), () => {
    const data = vendored.filter((f) => !isAttribution(f));
    for (const f of data) assert.ok(readFileSync(join(VENDORED_REALWORLD, f)).equals(readFileSync(join(SHARED_REALWORLD, f))), `${f} differs from ../shared/realworld`);
    const licensed = filesUnder(SHARED_REALWORLD).filter((f) => f.includes('/') && !isUnlicensed(f) && !isAttribution(f));
    assert.deepEqual(licensed.filter((f) => !existsSync(join(VENDORED_REALWORLD, f))), []);
  });
});
