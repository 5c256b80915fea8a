import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { tempDir } from '../helpers/tmp';
import { runCli } from '../helpers/cli';

const LEGACY = 'apiVersion: rbac.istio.io/v1alpha1\nkind: ServiceRole\nmetadata:\n  name: viewer\nspec:\n  rules: []\n';
const PLAIN = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';

describe('istio-sec check', () => {
  let dir: string;
  before(() => {
    dir = tempDir('istio-sec-check-');
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'nested', 'legacy.yaml'), LEGACY);
    writeFileSync(join(dir, 'plain.yml'), PLAIN);
    writeFileSync(join(dir, 'notes.txt'), LEGACY); // not YAML: ignored when searching directories
  });

  it('prints path:line:col: severity code message and exits 1 on errors', () => {
    const r = runCli(['check', dir], { cwd: dir });
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0], /^nested\/legacy\.yaml:1:13: error removed-api rbac\.istio\.io\/v1alpha1 ServiceRole was removed/);
    assert.equal(lines.at(-1), '2 files checked: 1 error, 0 warnings');
  });

  it('exits 0 when there is no error', () => {
    const r = runCli(['check', join(dir, 'plain.yml')]);
    assert.equal(r.status, 0, r.stderr);
  });

  it('prints exactly the documented JSON array on stdout', () => {
    const r = runCli(['check', '--format', 'json', dir], { cwd: dir });
    assert.equal(r.status, 1);
    const out = JSON.parse(r.stdout) as unknown[];
    assert.deepEqual(out, [
      {
        file: 'nested/legacy.yaml',
        range: { start: { line: 0, character: 12 }, end: { line: 0, character: 34 } },
        severity: 'error',
        code: 'removed-api',
        message: (out[0] as { message: string }).message,
      },
    ]);
    assert.equal(r.stderr, '');
  });

  it('prints SARIF 2.1.0 with rule ids and 1-based regions', () => {
    const r = runCli(['check', '--format', 'sarif', dir], { cwd: dir });
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    const result = sarif.runs[0].results[0];
    assert.equal(result.ruleId, 'removed-api');
    assert.equal(result.level, 'error');
    assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 1, startColumn: 13, endLine: 1, endColumn: 35 });
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'nested/legacy.yaml');
    assert.deepEqual(sarif.runs[0].tool.driver.rules.map((x: { id: string }) => x.id), ['removed-api']);
  });

  it('exits 2 with a message on usage errors', () => {
    for (const args of [['check'], ['check', '--format', 'xml', dir], ['check', join(dir, 'missing.yaml')], ['frobnicate']]) {
      const r = runCli(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /istio-sec/);
    }
  });

  it('reports a file that is not valid UTF-8 (kubectl rejects it), at the first bad byte', () => {
    const bad = join(dir, 'latin1.yaml');
    writeFileSync(bad, Buffer.concat([Buffer.from('apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: caf'), Buffer.from([0xe9]), Buffer.from('\nspec: {}\n')]));
    const r = runCli(['check', '--format', 'json', bad]);
    assert.equal(r.status, 1);
    const [first] = JSON.parse(r.stdout) as Array<{ code: string; severity: string; message: string }>;
    assert.equal(first.code, 'file-invalid-utf8');
    assert.equal(first.severity, 'error');
    assert.match(first.message, /offset 80/);
  });

  it('prints help and version', () => {
    assert.match(runCli(['--help']).stdout, /Commands:/);
    assert.match(runCli(['check', '--help']).stdout, /Usage: istio-sec check/);
    assert.match(runCli(['version']).stdout, /^\d+\.\d+\.\d+\n$/);
  });
});
