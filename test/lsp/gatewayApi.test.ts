/**
 * Gateway API over LSP (the server over stdio, a real workspace folder): CEL and cross-file
 * diagnostics, navigation from parentRefs / targetRefs / backendRefs, "referenced by" lenses on a
 * Gateway API Gateway, and Namespace/Service objects kept out of symbols and counts.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { removeTempDir, tempDir } from '../helpers/tmp';
import type { CodeLens, Location, SymbolInformation } from 'vscode-languageserver';
import { LspTestClient } from '../helpers/lspClient';

const FILES: Record<string, string> = {
  'gateway.yaml': `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: web
  namespace: shop
spec:
  gatewayClassName: istio
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    hostname: shop.example.com
`,
  'route.yaml': `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: shop
spec:
  parentRefs:
  - name: web
    sectionName: http
  hostnames: [shop.example.com, admin.example.org]
  rules:
  - backendRefs:
    - name: cart
      port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: admin
  namespace: shop
spec:
  parentRefs:
  - name: web
  hostnames: [admin.example.org]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /a//b}
`,
  'policy.yaml': `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: require-jwt
  namespace: shop
spec:
  targetRefs:
  - kind: Gateway
    group: gateway.networking.k8s.io
    name: web
  rules:
  - from:
    - source:
        requestPrincipals: ["*"]
`,
  'k8s.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: Service
metadata:
  name: cart
  namespace: shop
spec:
  ports:
  - port: 8080
`,
};

describe('LSP: Gateway API documents across a workspace folder', () => {
  let dir: string;
  let client: LspTestClient;
  const uri = (f: string) => pathToFileURL(join(dir, f)).toString();
  before(async () => {
    dir = tempDir('istio-sec-gwapi-');
    for (const [f, t] of Object.entries(FILES)) writeFileSync(join(dir, f), t);
    client = await LspTestClient.start({ workspaceFolder: dir });
    await client.request('istio/indexReady', {});
  });
  after(async () => {
    await client.stop();
    removeTempDir(dir);
  });

  it('publishes the CEL error and the cross-file attachment warning of a route', async () => {
    const version = client.open(uri('route.yaml'), FILES['route.yaml']);
    const diags = await client.waitFor(() => {
      const d = client.lastDiagnostics(uri('route.yaml'));
      return d?.version === version && d.diagnostics.some((x) => x.code === 'xref-route-not-accepted') ? d.diagnostics : undefined;
    }, 10_000, 'the cross-file finding');
    const cel = diags.find((d) => d.code === 'schema-cel');
    assert.equal(cel?.severity, 1);
    assert.equal(cel?.message, "spec.rules[0].matches[0].path: must not contain '//' when type one of ['Exact', 'PathPrefix'].");
    const attach = diags.filter((d) => d.code === 'xref-route-not-accepted');
    assert.equal(attach.length, 1, JSON.stringify(diags));
    assert.equal(attach[0].severity, 2);
    assert.match(attach[0].message, /NoMatchingListenerHostname/);
    assert.deepEqual(attach[0].range.start, { line: 23, character: 2 }, 'on the admin route\'s hostnames');
    assert.equal(attach[0].relatedInformation?.[0].location.uri, uri('gateway.yaml'));
  });

  it('goes from a parentRef to the Gateway, from a sectionName to its listener, from a backendRef to the Service', async () => {
    const at = (line: number, character: number) => client.request<Location[]>('textDocument/definition', { textDocument: { uri: uri('route.yaml') }, position: { line, character } });
    assert.deepEqual(await at(7, 10), [{ uri: uri('gateway.yaml'), range: { start: { line: 3, character: 8 }, end: { line: 3, character: 11 } } }]);
    assert.deepEqual(await at(8, 19), [{ uri: uri('gateway.yaml'), range: { start: { line: 8, character: 10 }, end: { line: 8, character: 14 } } }]);
    assert.deepEqual(await at(12, 14), [{ uri: uri('k8s.yaml'), range: { start: { line: 8, character: 8 }, end: { line: 8, character: 12 } } }]);
  });

  it('goes from a policy targetRef to the Gateway', async () => {
    client.open(uri('policy.yaml'), FILES['policy.yaml']);
    const locs = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: uri('policy.yaml') }, position: { line: 9, character: 11 } });
    assert.deepEqual(locs, [{ uri: uri('gateway.yaml'), range: { start: { line: 3, character: 8 }, end: { line: 3, character: 11 } } }]);
  });

  it('shows "referenced by" on the Gateway API Gateway, counting routes and policies', async () => {
    client.open(uri('gateway.yaml'), FILES['gateway.yaml']);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uri('gateway.yaml') } });
    assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command?.title]), [[3, 'referenced by 3 routes and policies']]);
    const refs = await client.request<Location[]>('textDocument/references', { textDocument: { uri: uri('gateway.yaml') }, position: { line: 3, character: 9 }, context: { includeDeclaration: false } });
    assert.deepEqual(refs.map((l) => [l.uri.split('/').pop(), l.range.start.line]).sort(), [['policy.yaml', 9], ['route.yaml', 22], ['route.yaml', 7]]);
  });

  it('keeps Namespace and Service objects out of workspace symbols and file status', async () => {
    const symbols = await client.request<SymbolInformation[]>('workspace/symbol', { query: '' });
    assert.deepEqual(symbols.map((s) => s.containerName).sort(), ['AuthorizationPolicy', 'Gateway', 'HTTPRoute', 'HTTPRoute']);
    const version = client.open(uri('k8s.yaml'), FILES['k8s.yaml']);
    assert.deepEqual(await client.diagnosticsFor(uri('k8s.yaml'), version), []);
  });
});
