#!/usr/bin/env node
// Runs the unit, LSP and CLI suites with Node's test runner (TypeScript through tsx).
// --test-timeout bounds any single test; test/helpers/exitWatchdog.mjs fails a file that leaks a handle
// and would otherwise hang after its last test. (--test-force-exit is not used: on Node 20 it ended
// files before their last suites ran.)
// Usage: node scripts/run-tests.mjs [dir-or-file-filter...]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const SUITES = ['test/engine', 'test/lsp', 'test/cli', 'test/client'];

function walk(dir) {
  let out = [];
  let names = [];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out = out.concat(walk(p));
    else if (n.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = SUITES.flatMap((s) => walk(join(root, s)))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('run-tests: no test files matched');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', './test/helpers/exitWatchdog.mjs', '--test', '--test-concurrency=2', '--test-timeout=180000', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: '' },
});
process.exit(r.status ?? 1);
