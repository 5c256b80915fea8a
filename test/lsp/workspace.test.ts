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

describe('LSP cross-resource diagnostics over a workspace folder', () => {
  let dir: string;
  let client: LspTestClient;
  before(async () => {
    dir = tempDir('istio-sec-ws-');
    writeFileSync(join(dir, 'gateway.yaml'), GATEWAY);
    writeFileSync(join(dir, 'vs.yaml'), VS);
    client = await LspTestClient.start({ workspaceFolder: dir });
    await client.request('istio/indexReady', {});
  });
  after(async () => {
    await client.stop();
    removeTempDir(dir);
  });

  it('reports a VirtualService host the gateway in another (closed) file does not serve, with related information', async () => {
    const uri = pathToFileURL(join(dir, 'vs.yaml')).toString();
    const version = client.open(uri, VS);
    const diags = await client.diagnosticsFor(uri, version);
    const d = diags.filter((x) => x.code === 'xref-vs-host-not-in-gateway');
    assert.equal(d.length, 1, JSON.stringify(diags));
    assert.equal(d[0].severity, 2);
    assert.deepEqual(d[0].range, { start: { line: 8, character: 4 }, end: { line: 8, character: 21 } });
    assert.match(d[0].message, /IST0132/);
    assert.equal(d[0].relatedInformation?.[0].location.uri, pathToFileURL(join(dir, 'gateway.yaml')).toString());
    assert.equal(diags.filter((x) => x.code === 'xref-gateway-not-found').length, 0);
  });

  it('updates when the other file changes on disk, and when it is deleted', async () => {
    const uri = pathToFileURL(join(dir, 'vs.yaml')).toString();
    const gwUri = pathToFileURL(join(dir, 'gateway.yaml')).toString();
    writeFileSync(join(dir, 'gateway.yaml'), GATEWAY.replace('hosts: ["shop.example.com"]', 'hosts: ["shop.example.com", "admin.example.com"]'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: gwUri, type: 2 }] });
    await client.waitFor(() => {
      const d = client.lastDiagnostics(uri)?.diagnostics ?? [];
      return d.every((x) => x.code !== 'xref-vs-host-not-in-gateway') ? true : undefined;
    }, 5000, 'host finding cleared');

    rmSync(join(dir, 'gateway.yaml'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: gwUri, type: 3 }] });
    const missing = await client.waitFor(() => client.lastDiagnostics(uri)?.diagnostics.find((x) => x.code === 'xref-gateway-not-found'), 5000, 'gateway-not-found');
    assert.equal(missing.severity, 2, 'a reference outside the workspace is never an error');
    assert.deepEqual(missing.range.start, { line: 10, character: 4 });
  });
});
