import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Hover } from 'vscode-languageserver';
import { makeKey, requestAuthentication, sendJson } from '../helpers/jwks';
import { fileUri, LspTestClient } from '../helpers/lspClient';
import { startHttpServer, type LoopbackServer } from '../helpers/loopbackServers';

describe('LSP: JWKS reachability on jwksUri values', () => {
  let server: LoopbackServer;
  before(async () => {
    const key = await makeKey('RS256', 'key-1');
    server = await startHttpServer((req, res) => {
      if (req.url === '/jwks.json') sendJson(res, { keys: [key.publicJwk] });
      else sendJson(res, { error: 'not found' }, 404);
    });
  });
  after(async () => {
    await server.close();
  });

  it('reports an endpoint answering 404 on the jwksUri value, and hovers the keys of a good one', async () => {
    const client = await LspTestClient.start({ initializationOptions: { trusted: true } });
    try {
      const uri = fileUri('jwks-lsp.yaml');
      const text = requestAuthentication([
        { issuer: 'https://good.example.com', jwksUri: `${server.origin}/jwks.json` },
        { issuer: 'https://bad.example.com', jwksUri: `${server.origin}/missing.json` },
      ]);
      client.open(uri, text);
      const d = await client.waitFor(() => client.lastDiagnostics(uri)?.diagnostics.find((x) => x.code === 'jwks-http-status'), 10_000, 'jwks-http-status');
      assert.equal(d.severity, 2);
      const badLine = text.split('\n').findIndex((l) => l.includes('/missing.json'));
      assert.equal(d.range.start.line, badLine);
      assert.match(d.message, /404/);
      const goodLine = text.split('\n').findIndex((l) => l.includes('/jwks.json'));
      const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: goodLine, character: 20 } });
      const value = (hover.contents as { value: string }).value;
      assert.match(value, /Status: \*\*ok\*\*/);
      assert.match(value, /\| key-1 \| RSA \| RS256 \| sig \|/);
    } finally {
      await client.stop();
    }
  });

  it('makes no request in an untrusted workspace until the user asks, and none at all offline', async () => {
    const before = server.requests.length;
    const client = await LspTestClient.start({ initializationOptions: { trusted: false } });
    try {
      const uri = fileUri('jwks-untrusted.yaml');
      const text = requestAuthentication([{ issuer: 'https://u.example.com', jwksUri: `${server.origin}/jwks.json?untrusted` }]);
      const v = client.open(uri, text);
      await client.diagnosticsFor(uri, v);
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(server.requests.length, before, 'no automatic fetch when untrusted');
      const result = await client.request<{ documents: number; offline: boolean }>('istio/checkJwks', { uri });
      assert.equal(result.documents, 1);
      assert.equal(server.requests.filter((r) => r.url === '/jwks.json?untrusted').length, 1, 'the explicit command fetches');
    } finally {
      await client.stop();
    }
    const offline = await LspTestClient.start({ initializationOptions: { settings: { offline: true } } });
    try {
      const uri = fileUri('jwks-offline.yaml');
      offline.open(uri, requestAuthentication([{ issuer: 'https://o.example.com', jwksUri: `${server.origin}/jwks.json?offline` }]));
      const result = await offline.request<{ offline: boolean }>('istio/checkJwks', { uri });
      assert.equal(result.offline, true);
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(server.requests.filter((r) => r.url === '/jwks.json?offline').length, 0);
    } finally {
      await offline.stop();
    }
  });
});

describe('LSP: cluster-local JWKS endpoints', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('offers "Check from the cluster" lenses with what the client needs, and answers the two helper requests', async () => {
    const uri = fileUri('cluster-local-jwks.yaml');
    const text = [
      requestAuthentication([{ issuer: 'http://keycloak.auth.svc.cluster.local:8080/realms/mesh', jwksUri: 'http://keycloak:8080/realms/mesh/certs' }], 'auth').trimEnd(),
      '---',
      requestAuthentication([{ issuer: 'http://dex.idp.svc:5556/dex/' }], 'idp').trimEnd(),
      '---',
      requestAuthentication([{ issuer: 'https://accounts.google.com', jwksUri: 'https://www.googleapis.com/oauth2/v3/certs' }], 'web').trimEnd(),
      '---',
      // Cluster-local, but no Service name the API server's proxy could reach: no cluster lens.
      requestAuthentication([{ issuer: 'http://keys.cluster.local', jwksUri: 'http://keys.cluster.local/jwks' }], 'web'),
    ].join('\n');
    const v = client.open(uri, text);
    await client.diagnosticsFor(uri, v);
    const lenses = await client.request<Array<{ range: { start: { line: number } }; command: { title: string; command: string; arguments: unknown[] } }>>('textDocument/codeLens', { textDocument: { uri } });
    const cluster = lenses.filter((l) => l.command.command === 'istioSecurity.checkJwksFromCluster');
    assert.deepEqual(
      cluster.map((l) => l.command.arguments[0]),
      [
        { jwksUri: 'http://keycloak:8080/realms/mesh/certs', namespace: 'auth' },
        { discoveryUrl: 'http://dex.idp.svc:5556/dex/.well-known/openid-configuration', namespace: 'idp' },
      ],
      'one lens per rule the service proxy can reach; none for the public IdP or a non-Service cluster name',
    );
    assert.equal(lenses.filter((l) => l.command.command === 'istioSecurity.checkJwks').length, 4, 'every rule keeps its Re-check lens');
    const args = await client.request<{ args?: string[] }>('istio/kubectlProxyArgs', { url: 'http://keycloak:8080/realms/mesh/certs', context: 'prod', namespace: 'auth' });
    assert.deepEqual(args.args, ['--context', 'prod', 'get', '--raw', '/api/v1/namespaces/auth/services/keycloak:8080/proxy/realms/mesh/certs']);
    assert.equal((await client.request<{ args?: string[] }>('istio/kubectlProxyArgs', { url: 'https://idp.example.com/jwks', context: 'prod' })).args, undefined);
    const key = await makeKey('ES256', 'k1');
    const report = await client.request<{ usable: Array<{ kid?: string; alg: string }>; problems: unknown[]; notJson?: string }>('istio/analyzeKeySet', { text: JSON.stringify({ keys: [key.publicJwk] }) });
    assert.deepEqual(report.usable, [{ kid: 'k1', alg: 'ES256' }]);
    assert.deepEqual(report.problems, []);
    assert.ok((await client.request<{ notJson?: string }>('istio/analyzeKeySet', { text: '<html>' })).notJson);
  });
});
