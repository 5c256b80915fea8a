import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { removeTempDir, tempDir } from '../helpers/tmp';
import { LspTestClient } from '../helpers/lspClient';

const GATEWAY = `apiVersion: networking.istio.io/v1
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
`;
const VS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
  namespace: shop
spec:
  hosts:
  - shop.example.com
  - admin.example.com
  gateways:
  - web
  http:
  - route:
    - destination:
        host: shop
`;

/** A folder holding gateway.yaml and vs.yaml, and a server indexing it; both gone after the suite. */
function gatewayAndRouteWorkspace(): { dir: string; client: LspTestClient } {
  const ws = { dir: '', client: undefined as unknown as LspTestClient };
  before(async () => {
    ws.dir = tempDir('istio-sec-ws-');
    writeFileSync(join(ws.dir, 'gateway.yaml'), GATEWAY);
    writeFileSync(join(ws.dir, 'vs.yaml'), VS);
    ws.client = await LspTestClient.start({ workspaceFolder: ws.dir });
    await ws.client.request('istio/indexReady', {});
  });
  after(async () => {
    await ws.client?.stop();
    removeTempDir(ws.dir);
  });
  return ws;
}

describe('LSP cross-resource diagnostics over a workspace folder', () => {
  const ws = gatewayAndRouteWorkspace();

  it('reports a VirtualService host the gateway in another (closed) file does not serve, with related information', async () => {
    const uri = pathToFileURL(join(ws.dir, 'vs.yaml')).toString();
    const version = ws.client.open(uri, VS);
    const diags = await ws.client.diagnosticsFor(uri, version);
    const d = diags.filter((x) => x.code === 'xref-vs-host-not-in-gateway');
    assert.equal(d.length, 1, JSON.stringify(diags));
    assert.equal(d[0].severity, 2);
    assert.deepEqual(d[0].range, { start: { line: 8, character: 4 }, end: { line: 8, character: 21 } });
    assert.match(d[0].message, /IST0132/);
    assert.equal(d[0].relatedInformation?.[0].location.uri, pathToFileURL(join(ws.dir, 'gateway.yaml')).toString());
    assert.equal(diags.filter((x) => x.code === 'xref-gateway-not-found').length, 0);
  });

  it('updates when the other file changes on disk, and when it is deleted', async () => {
    const uri = pathToFileURL(join(ws.dir, 'vs.yaml')).toString();
    const gwUri = pathToFileURL(join(ws.dir, 'gateway.yaml')).toString();
    writeFileSync(join(ws.dir, 'gateway.yaml'), GATEWAY.replace('hosts: ["shop.example.com"]', 'hosts: ["shop.example.com", "admin.example.com"]'));
    await ws.client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: gwUri, type: 2 }] });
    await ws.client.waitFor(() => {
      const d = ws.client.lastDiagnostics(uri)?.diagnostics ?? [];
      return d.every((x) => x.code !== 'xref-vs-host-not-in-gateway') ? true : undefined;
    }, 5000, 'host finding cleared');

    rmSync(join(ws.dir, 'gateway.yaml'));
    await ws.client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: gwUri, type: 3 }] });
    const missing = await ws.client.waitFor(() => ws.client.lastDiagnostics(uri)?.diagnostics.find((x) => x.code === 'xref-gateway-not-found'), 5000, 'gateway-not-found');
    assert.equal(missing.severity, 2, 'a reference outside the workspace is never an error');
    assert.deepEqual(missing.range.start, { line: 10, character: 4 });
  });
});

describe('LSP related locations into another open file', () => {
  const ws = gatewayAndRouteWorkspace();

  it('follow that file when lines are inserted above the related resource, and only then', async () => {
    const uri = pathToFileURL(join(ws.dir, 'vs.yaml')).toString();
    const gwUri = pathToFileURL(join(ws.dir, 'gateway.yaml')).toString();
    const relatedStart = () =>
      ws.client.lastDiagnostics(uri)?.diagnostics.find((x) => x.code === 'xref-vs-host-not-in-gateway')?.relatedInformation?.[0].location.range.start.line;
    const v = ws.client.open(uri, VS);
    await ws.client.diagnosticsFor(uri, v);
    const gv = ws.client.open(gwUri, GATEWAY);
    await ws.client.diagnosticsFor(gwUri, gv);
    const before = relatedStart();
    assert.ok(before !== undefined, 'the finding has a related location in gateway.yaml');
    const publications = () => ws.client.lastDiagnostics(uri);
    const last = publications();
    // Three comment lines above the Gateway: everything in it moves down by three lines.
    const g2 = ws.client.change(gwUri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# one\n# two\n# three\n' }]);
    await ws.client.diagnosticsFor(gwUri, g2);
    await ws.client.waitFor(() => (relatedStart() === before + 3 ? true : undefined), 5000, 'the related location moved with the Gateway');
    // A change that moves no line (a character typed in a comment) republishes nothing else.
    const moved = publications();
    assert.notEqual(moved, last);
    const g3 = ws.client.change(gwUri, [{ range: { start: { line: 0, character: 5 }, end: { line: 0, character: 5 } }, text: 'x' }]);
    await ws.client.diagnosticsFor(gwUri, g3);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(publications(), moved, 'vs.yaml was not republished for an edit that moved nothing');
  });
});
