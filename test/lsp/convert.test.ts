import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileUri, LspTestClient } from '../helpers/lspClient';

const LEGACY = `# Tutorial policy
apiVersion: authentication.istio.io/v1alpha1
kind: Policy
metadata:
  name: jwt-example
  namespace: shop
spec:
  targets:
  - name: cart
  origins:
  - jwt:
      issuer: https://tenant.auth0.com/
      jwksUri: https://tenant.auth0.com/.well-known/jwks.json
      audiences: ["https://shop.example.com"]
  principalBinding: USE_ORIGIN
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: keep-me
  namespace: shop
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["shop.example.com"]
`;

describe('LSP: converting removed APIs', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('converts a whole file in one edit that validates clean and keeps the other documents', async () => {
    const uri = fileUri('convert-file.yaml');
    const v = client.open(uri, LEGACY);
    await client.diagnosticsFor(uri, v);
    const result = await client.request<{ edit: TextEdit | null; version: number; notes: Array<{ code: string; line: number }> }>('istio/convertRemovedApis', { uri });
    assert.ok(result.edit);
    assert.equal(result.version, v);
    const converted = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', v, LEGACY), [result.edit]);
    assert.match(converted, /kind: RequestAuthentication/);
    assert.match(converted, /issuer: https:\/\/tenant\.auth0\.com\//);
    assert.match(converted, /kind: AuthorizationPolicy/);
    assert.ok(converted.endsWith(LEGACY.slice(LEGACY.indexOf('---\napiVersion: networking.istio.io/v1'))), 'the Gateway is untouched');
    assert.ok(result.notes.some((n) => n.code.includes('guess')), JSON.stringify(result.notes));
    const v2 = client.change(uri, [{ text: converted }]);
    const diags = await client.diagnosticsFor(uri, v2);
    assert.deepEqual(diags.filter((d) => d.severity === 1).map((d) => `${d.code}: ${d.message}`), []);
  });

  it('offers a conversion quick fix on the removed-api error', async () => {
    const uri = fileUri('convert-fix.yaml');
    const v = client.open(uri, LEGACY);
    const diags = await client.diagnosticsFor(uri, v);
    const d = diags.find((x) => x.code === 'removed-api');
    assert.ok(d);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    assert.ok(actions.some((a) => /convert/i.test(a.title)), JSON.stringify(actions.map((a) => a.title)));
  });
});
