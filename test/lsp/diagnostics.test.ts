import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StatusParams } from '../../protocol/src/index';
import { fileUri, LspTestClient } from '../helpers/lspClient';

const LEGACY = `apiVersion: authentication.istio.io/v1alpha1
kind: Policy
metadata:
  name: jwt-example
spec:
  origins:
  - jwt:
      issuer: https://example.auth0.com/
`;

describe('LSP diagnostics over stdio', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('reports a removed API on the apiVersion value with code, severity and link', async () => {
    const uri = fileUri('legacy.yaml');
    const version = client.open(uri, LEGACY);
    const diags = await client.diagnosticsFor(uri, version);
    const d = diags.find((x) => x.code === 'removed-api');
    assert.ok(d, JSON.stringify(diags));
    assert.equal(d.severity, 1);
    assert.equal(d.source, 'istio');
    assert.deepEqual(d.range, { start: { line: 0, character: 12 }, end: { line: 0, character: 44 } });
    assert.match(d.message, /removed in Istio 1\.6/);
    assert.match(d.codeDescription?.href ?? '', /docs\/diagnostics\.md#removed-api$/);
  });

  it('reports YAML syntax errors and duplicate keys at the exact place', async () => {
    const uri = fileUri('syntax.yaml');
    const text = 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: a\n  name: b\n';
    const version = client.open(uri, text);
    const diags = await client.diagnosticsFor(uri, version);
    const dup = diags.find((x) => x.code === 'yaml-duplicate-key');
    assert.ok(dup, JSON.stringify(diags));
    assert.equal(dup.severity, 1);
    assert.deepEqual(dup.range.start, { line: 4, character: 2 });
  });

  it('keeps diagnostics of the other documents when one document is broken', async () => {
    const uri = fileUri('multi.yaml');
    const text = [
      LEGACY,
      '---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: broken\nspec:\n  rules: [ {from: \n',
      '---\n' + LEGACY,
    ].join('');
    const version = client.open(uri, text);
    const diags = await client.diagnosticsFor(uri, version);
    const removed = diags.filter((d) => d.code === 'removed-api').map((d) => d.range.start.line);
    assert.deepEqual(removed, [0, 16]);
    const syntax = diags.filter((d) => d.code === 'yaml-syntax');
    assert.ok(syntax.length > 0, JSON.stringify(diags));
    assert.ok(syntax.every((d) => d.range.start.line >= 8 && d.range.start.line <= 15), JSON.stringify(syntax));
  });

  it('publishes for the newest version after incremental edits and never goes back', async () => {
    const uri = fileUri('edit.yaml');
    client.open(uri, LEGACY);
    await client.diagnosticsFor(uri, 1);
    // Turn the removed API into a current one: the removed-api error disappears.
    client.change(uri, [{ range: { start: { line: 0, character: 12 }, end: { line: 0, character: 44 } }, text: 'security.istio.io/v1' }]);
    const v3 = client.change(uri, [{ range: { start: { line: 1, character: 6 }, end: { line: 1, character: 12 } }, text: 'RequestAuthentication' }]);
    const diags = await client.diagnosticsFor(uri, v3);
    assert.equal(diags.filter((d) => d.code === 'removed-api').length, 0);
    assert.equal(client.lastDiagnostics(uri)?.version, v3);
  });

  it('applies a one-character edit incrementally: only the edited document is analysed again', async () => {
    const uri = fileUri('incremental.yaml');
    const doc = (i: number) => `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: p${i}\nspec:\n  action: DENY\n  rules:\n  - {}\n`;
    const text = Array.from({ length: 40 }, (_, i) => doc(i)).join('---\n');
    const statusFor = (version: number) =>
      client.waitFor(
        () => client.notifications.filter((n) => n.method === 'istio/status').map((n) => n.params as StatusParams).find((p) => p.uri === uri && p.version === version),
        10_000,
        `istio/status for version ${version}`,
      );
    client.open(uri, text);
    const opened = await statusFor(1);
    assert.equal(opened.update, 'full');
    assert.equal(opened.analyzedDocuments, 40);
    // Document 20 starts on line 20 * 9; its name is on the fourth line: p20 -> p20x.
    const v2 = client.change(uri, [{ range: { start: { line: 20 * 9 + 3, character: 11 }, end: { line: 20 * 9 + 3, character: 11 } }, text: 'x' }]);
    const edited = await statusFor(v2);
    assert.equal(edited.update, 'incremental', 'a single ranged edit must not re-read the whole file');
    assert.equal(edited.analyzedDocuments, 1);
    // A whole-text change is a full update (and finds everything in the cache).
    const v3 = client.change(uri, [{ text }]);
    const replaced = await statusFor(v3);
    assert.equal(replaced.update, 'full');
    assert.equal(replaced.analyzedDocuments, 1, 'only p20 (now back to its original text) is analysed again');
  });

  it('leaves YAML files without Istio documents alone', async () => {
    const uri = fileUri('plain.yaml');
    const version = client.open(uri, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, name: b}\n');
    assert.deepEqual(await client.diagnosticsFor(uri, version), []);
  });

  it('clears diagnostics when a document closes', async () => {
    const uri = fileUri('closing.yaml');
    const version = client.open(uri, LEGACY);
    assert.ok((await client.diagnosticsFor(uri, version)).length > 0);
    client.close(uri);
    await client.waitFor(() => (client.lastDiagnostics(uri)?.diagnostics.length === 0 ? true : undefined), 5000, 'cleared diagnostics');
  });
});

describe('istio-sec lsp --stdio', () => {
  it('serves the same diagnostics as the server bundle', async () => {
    const client = await LspTestClient.start({ viaCli: true });
    try {
      const uri = fileUri('cli-legacy.yaml');
      const version = client.open(uri, LEGACY);
      const diags = await client.diagnosticsFor(uri, version);
      assert.ok(diags.some((d) => d.code === 'removed-api'));
    } finally {
      await client.stop();
    }
  });
});
