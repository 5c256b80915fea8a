import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { removeTempDir, tempDir } from '../helpers/tmp';
import type { CodeLens, Location, SymbolInformation } from 'vscode-languageserver';
import { LspTestClient } from '../helpers/lspClient';

const FILES: Record<string, string> = {
  'gateway.yaml': `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: web
  namespace: shop
spec:
  selector:
    istio: ingressgateway
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["shop.example.com"]
`,
  'routes.yaml': `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
  namespace: shop
spec:
  hosts: ["shop.example.com"]
  gateways:
  - web
  http:
  - route:
    - destination:
        host: cart
        subset: v2
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: cart
  namespace: shop
spec:
  host: cart.shop.svc.cluster.local
  subsets:
  - name: v1
    labels: {version: v1}
  - name: v2
    labels: {version: v2}
`,
  'auth.yaml': `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: jwt
  namespace: shop
spec:
  jwtRules:
  - issuer: https://idp.example.com
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: require-jwt
  namespace: shop
spec:
  rules:
  - from:
    - source:
        requestPrincipals: ["https://idp.example.com/*"]
`,
};

describe('LSP navigation across workspace files', () => {
  let dir: string;
  let client: LspTestClient;
  const uri = (f: string) => pathToFileURL(join(dir, f)).toString();
  before(async () => {
    dir = tempDir('istio-sec-nav-');
    for (const [f, t] of Object.entries(FILES)) writeFileSync(join(dir, f), t);
    client = await LspTestClient.start({ workspaceFolder: dir });
    await client.request('istio/indexReady', {});
    client.open(uri('routes.yaml'), FILES['routes.yaml']);
    client.open(uri('auth.yaml'), FILES['auth.yaml']);
  });
  after(async () => {
    await client.stop();
    removeTempDir(dir);
  });

  it('goes from a gateway reference to the Gateway in another file', async () => {
    const locs = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: uri('routes.yaml') }, position: { line: 8, character: 4 } });
    assert.deepEqual(locs, [{ uri: uri('gateway.yaml'), range: { start: { line: 3, character: 8 }, end: { line: 3, character: 11 } } }]);
  });

  it('goes from a subset to the DestinationRule subset (short host resolved in the namespace)', async () => {
    const locs = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: uri('routes.yaml') }, position: { line: 13, character: 17 } });
    assert.deepEqual(locs, [{ uri: uri('routes.yaml'), range: { start: { line: 25, character: 10 }, end: { line: 25, character: 12 } } }]);
  });

  it('goes from a request principal to the RequestAuthentication issuer', async () => {
    const locs = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: uri('auth.yaml') }, position: { line: 18, character: 30 } });
    assert.deepEqual(locs, [{ uri: uri('auth.yaml'), range: { start: { line: 7, character: 12 }, end: { line: 7, character: 35 } } }]);
  });

  it('finds references of a Gateway from its name', async () => {
    client.open(uri('gateway.yaml'), FILES['gateway.yaml']);
    const locs = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri: uri('gateway.yaml') },
      position: { line: 3, character: 9 },
      context: { includeDeclaration: false },
    });
    assert.deepEqual(locs, [{ uri: uri('routes.yaml'), range: { start: { line: 8, character: 4 }, end: { line: 8, character: 7 } } }]);
  });

  it('shows "referenced by N" lenses on Gateways and RequestAuthentications', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uri('auth.yaml') } });
    assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command?.title]), [
      [3, 'referenced by 1 AuthorizationPolicy rule'],
      [7, 'Re-check JWKS'],
    ]);
  });

  it('lists workspace symbols matching a query', async () => {
    const symbols = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'gateway' });
    assert.deepEqual(symbols.map((s) => [s.name, s.containerName, s.location.uri]), [['shop/web', 'Gateway', uri('gateway.yaml')]]);
    const all = await client.request<SymbolInformation[]>('workspace/symbol', { query: '' });
    assert.equal(all.length, 5);
  });
});
