#!/usr/bin/env node
// Bundles the three faces with esbuild: the VS Code client, the language server and the CLI.
// Usage: node scripts/build.mjs [--watch] [--minify]
import { build, context } from 'esbuild';

const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  minify,
  logLevel: 'warning',
  legalComments: 'none',
};
const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['cli/src/main.ts'], outfile: 'dist/cli.js' },
  { entryPoints: ['engine/src/parallel/worker.ts'], outfile: 'dist/analysisWorker.js' },
];

if (watch) {
  for (const e of entries) await (await context({ ...common, ...e })).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all(entries.map((e) => build({ ...common, ...e })));
}
