#!/usr/bin/env node
// Renders images/icon.svg to images/icon.png (128x128, transparent corners) with headless Chromium,
// the Debian chromium the editor tests use (/usr/bin/chromium) driven by playwright-core.
// Usage: node scripts/render-icon.mjs   (commit both files)
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SIZE = 128;
const svg = readFileSync(join(root, 'images', 'icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
  await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: join(root, 'images', 'icon.png'), omitBackground: true });
  console.log(`render-icon: images/icon.png (${SIZE}x${SIZE})`);
} finally {
  await browser.close();
}
