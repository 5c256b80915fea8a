/**
 * What the .vsix shows in the gallery: the icon, the gallery metadata, and README images that
 * `vsce package` can rewrite into absolute URLs of the declared repository.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers/build';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  icon?: string;
  galleryBanner?: { color?: string; theme?: string };
  repository?: { url?: string };
  homepage?: string;
  bugs?: { url?: string };
  keywords?: string[];
  qna?: string | false;
  files: string[];
};

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  assert.ok(b.subarray(1, 4).toString('latin1') === 'PNG' && b.subarray(12, 16).toString('latin1') === 'IHDR', `${file} is not a PNG`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('extension package', () => {
  it('has a 128x128 PNG icon, shipped in the package, with its SVG source beside it', () => {
    assert.equal(pkg.icon, 'images/icon.png');
    assert.ok(pkg.files.includes(pkg.icon), 'package.json files lists the icon');
    assert.deepEqual(pngSize(join(ROOT, pkg.icon)), { width: 128, height: 128 });
    assert.ok(existsSync(join(ROOT, 'images', 'icon.svg')));
  });

  it('declares gallery metadata: banner, repository, homepage, bugs, keywords, Q&A', () => {
    assert.match(pkg.galleryBanner?.color ?? '', /^#[0-9a-f]{6}$/i);
    assert.ok(pkg.galleryBanner?.theme === 'dark' || pkg.galleryBanner?.theme === 'light');
    assert.match(pkg.repository?.url ?? '', /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\.git$/);
    assert.ok(pkg.homepage?.startsWith('https://'));
    assert.ok(pkg.bugs?.url?.startsWith('https://'));
    assert.ok((pkg.keywords ?? []).length >= 5 && (pkg.keywords ?? []).length <= 30);
    assert.ok(pkg.qna === false || (typeof pkg.qna === 'string' && pkg.qna.startsWith('https://')));
  });

  it('README images are relative paths to committed PNGs (vsce rewrites them with the repository URL)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    assert.ok(images.length >= 4, images.join());
    for (const src of images) {
      assert.ok(!/^[a-z]+:/i.test(src) && !src.startsWith('/'), `${src}: relative, so that vsce can rewrite it`);
      assert.match(src, /\.png$/, `${src}: vsce refuses SVG images`);
      assert.ok(existsSync(join(ROOT, src)), `${src} exists`);
    }
  });
});
