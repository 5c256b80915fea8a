#!/usr/bin/env node
// The quick-start job: runs `istio-sec check` on examples/ and shows what it finds.
// Exits 0 when the CLI worked as expected: no error in the clean examples (examples/bookinfo-auth0,
// its Gateway API version examples/bookinfo-auth0-gateway-api, and examples/local-jwt), errors
// reported in examples/mistakes; otherwise 1.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'istio-sec.js');
const run = (args) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });

const text = run(['check', '--offline', 'examples']);
process.stdout.write(text.stdout);
process.stderr.write(text.stderr);
if (text.status !== 0 && text.status !== 1) {
  console.error(`istio-sec check failed with exit status ${text.status}`);
  process.exit(1);
}
const json = JSON.parse(run(['check', '--offline', '--format', 'json', 'examples']).stdout);
const errorsIn = (dir) => json.filter((d) => d.severity === 'error' && d.file.startsWith(`examples/${dir}/`));
const CLEAN = ['bookinfo-auth0', 'bookinfo-auth0-gateway-api', 'local-jwt'];
for (const dir of CLEAN) {
  const clean = errorsIn(dir);
  if (clean.length > 0) {
    console.error(`\nUnexpected errors in examples/${dir}:\n${clean.map((d) => `  ${d.file}: ${d.code}: ${d.message}`).join('\n')}`);
    process.exit(1);
  }
}
const mistakes = errorsIn('mistakes');
console.log(`\n${CLEAN.map((d) => `examples/${d}`).join(', ')}: no error. examples/mistakes: ${mistakes.length} errors, as intended.`);
process.exit(mistakes.length > 0 ? 0 : 1);
