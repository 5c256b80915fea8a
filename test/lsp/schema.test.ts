import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeAction } from 'vscode-languageserver';
import { fileUri, LspTestClient } from '../helpers/lspClient';

const RA = `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: jwt
  namespace: shop
spec:
  jwtRules:
  - issuer: https://idp.example.com
    jwksURI: https://idp.example.com/jwks.json
`;

const CEL = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: both
  namespace: shop
spec:
  selector:
    matchLabels:
      app: shop
  targetRef:
    kind: Gateway
    group: gateway.networking.k8s.io
    name: web
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: no-scheme
  namespace: shop
spec:
  jwtRules:
  - issuer: https://idp.example.com
    jwksUri: idp.example.com/jwks.json
`;

describe('LSP: schema and CEL diagnostics over stdio', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('reports an unknown field on its key with a did-you-mean quick fix that the editor can apply', async () => {
    const uri = fileUri('schema-unknown.yaml');
    const version = client.open(uri, RA);
    const diags = await client.diagnosticsFor(uri, version);
    const d = diags.find((x) => x.code === 'schema-unknown-field');
    assert.ok(d, JSON.stringify(diags));
    assert.equal(d.severity, 1);
    assert.deepEqual(d.range, { start: { line: 8, character: 4 }, end: { line: 8, character: 11 } });
    assert.match(d.message, /did you mean "jwksUri"/);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    });
    const fix = actions.find((a) => a.title.includes('jwksUri'));
    assert.ok(fix, JSON.stringify(actions));
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(fix.edit?.changes?.[uri], [{ range: d.range, newText: 'jwksUri' }]);
  });

  it('reports CEL rule failures with the rule message on the node the rule is attached to', async () => {
    const uri = fileUri('schema-cel.yaml');
    const version = client.open(uri, CEL);
    const diags = await client.diagnosticsFor(uri, version);
    const cel = diags.filter((x) => x.code === 'schema-cel');
    assert.equal(cel.length, 2, JSON.stringify(diags, null, 1));
    const [exclusive, scheme] = cel;
    assert.equal(exclusive.severity, 1);
    assert.equal(exclusive.range.start.line, 5, 'on spec, where the selector/targetRef rule is attached');
    assert.match(exclusive.message, /only one of targetRefs or selector can be set/);
    assert.deepEqual(scheme.range, { start: { line: 22, character: 13 }, end: { line: 22, character: 38 } });
    assert.match(scheme.message, /url must have schema|scheme/i);
  });
});
