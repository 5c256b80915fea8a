#!/usr/bin/env node
// Compiles the real-editor suite (test/editor/suite/*.ts) with esbuild into out/editor-suite/
// (the launchers: into out/editor-suite/<run>/, so runs in one working tree do not collide):
// index.js (the extensionTestsPath entry, exports run()) and one <name>.test.js per test file.
// `vscode` and `mocha` stay external: the extension host provides the first, the project's
// node_modules the second.
// Usage: node test/editor/build-suite.mjs
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OUT_SUITE, REPO_ROOT } from './paths.mjs';

const SUITE_SRC = join(REPO_ROOT, 'test', 'editor', 'suite');

/** Compiles the suite into `outDir` (emptied first); returns it. */
export async function buildSuite(outDir = OUT_SUITE) {
  const entries = readdirSync(SUITE_SRC)
    .filter((n) => n === 'index.ts' || n.endsWith('.test.ts'))
    .map((n) => join(SUITE_SRC, n));
  rmSync(outDir, { recursive: true, force: true });
  await build({
    entryPoints: entries,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return outDir;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildSuite();
  console.log(`editor suite compiled into ${OUT_SUITE}`);
}
