import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension,
  closeAllEditors,
  codeOf,
  fixtureUri,
  istioDiagnostics,
  openFixture,
  openFixtureCopy,
  rangeTuple,
  waitForCode,
  waitForDiagnostics,
  waitUntil,
} from './helpers';

describe('diagnostics in the Problems view', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('reports a removed API on the apiVersion value, as an error with a link and the deprecated tag', async () => {
    const uri = fixtureUri('removed-api.yaml');
    await openFixture('removed-api.yaml');
    const d = await waitForCode(uri, 'removed-api');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual(rangeTuple(d.range), [1, 12, 1, 44]);
    assert.match(d.message, /removed in Istio 1\.6/);
    assert.ok(typeof d.code === 'object', 'the code carries a documentation link');
    assert.match(d.code.target.toString(), /docs\/diagnostics\.md#removed-api$/);
    assert.deepEqual(d.tags, [vscode.DiagnosticTag.Deprecated]);
  });

  it('reports a duplicate key on the repeated key', async () => {
    const uri = fixtureUri('duplicate-key.yaml');
    await openFixture('duplicate-key.yaml');
    const d = await waitForCode(uri, 'yaml-duplicate-key');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual(d.range.start, new vscode.Position(4, 2));
  });

  it('reports nothing on a valid AuthorizationPolicy', async () => {
    const api = await activateExtension();
    const uri = fixtureUri('valid-policy.yaml');
    await openFixture('valid-policy.yaml');
    // The status notification follows the publish of the same validation.
    await waitUntil(() => api.statusOf(uri.toString()) !== undefined, 'the validation of valid-policy.yaml');
    assert.deepEqual(istioDiagnostics(uri), []);
    assert.equal(api.statusOf(uri.toString())?.istioDocuments, 1);
  });

  it('leaves YAML that is not Istio alone', async () => {
    const api = await activateExtension();
    const uri = fixtureUri('plain.yaml');
    await openFixture('plain.yaml');
    await waitUntil(() => api.statusOf(uri.toString()) !== undefined, 'the validation of plain.yaml');
    assert.equal(api.statusOf(uri.toString())?.istioDocuments, 0);
    assert.deepEqual(istioDiagnostics(uri), []);
  });

  it('follows edits: fixing the apiVersion in the editor clears removed-api', async () => {
    const editor = await openFixtureCopy('removed-api.yaml');
    const uri = editor.document.uri;
    await waitForCode(uri, 'removed-api');
    const ok = await editor.edit((b) => {
      b.replace(new vscode.Range(1, 12, 1, 44), 'security.istio.io/v1');
      b.replace(new vscode.Range(2, 6, 2, 12), 'RequestAuthentication');
    });
    assert.ok(ok);
    await waitForDiagnostics(uri, (ds) => !ds.some((d) => codeOf(d) === 'removed-api'), 'removed-api to clear');
  });
});
