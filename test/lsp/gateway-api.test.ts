import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ConvertRemovedApisResult, SimulateResult, SimulationTargetsResult } from '../../protocol/src/index';
import { ROOT } from '../helpers/build';
import { fileUri, LspTestClient } from '../helpers/lspClient';

const EXAMPLE = join(ROOT, 'examples/bookinfo-auth0');
const GATEWAY = readFileSync(join(EXAMPLE, 'gateway.yaml'), 'utf8');
const SECURITY = readFileSync(join(EXAMPLE, 'security.yaml'), 'utf8');

describe('LSP: Gateway API conversion and simulation', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('istio/convertToGatewayApi converts the file in one edit; the result has no error', async () => {
    const uri = fileUri('gwapi-convert-file.yaml');
    const v = client.open(uri, GATEWAY);
    await client.diagnosticsFor(uri, v);
    const result = await client.request<ConvertRemovedApisResult>('istio/convertToGatewayApi', { uri });
    assert.ok(result.edit);
    assert.equal(result.version, v);
    const converted = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', v, GATEWAY), [result.edit]);
    assert.match(converted, /apiVersion: gateway\.networking\.k8s\.io\/v1\nkind: Gateway\n/);
    assert.match(converted, /kind: HTTPRoute\nmetadata:\n {2}name: bookinfo\n/);
    assert.doesNotMatch(converted, /networking\.istio\.io/);
    assert.ok(result.notes.some((n) => n.code === 'gwapi-gateway-deployment' && n.line === 8), JSON.stringify(result.notes));
    const v2 = client.change(uri, [{ text: converted }]);
    const diags = await client.diagnosticsFor(uri, v2);
    assert.deepEqual(diags.filter((d) => d.severity === 1).map((d) => `${d.code}: ${d.message}`), []);
    const none = await client.request<ConvertRemovedApisResult>('istio/convertToGatewayApi', { uri });
    assert.equal(none.edit, null, 'nothing left to convert');
  });

  it('offers the conversion as a quick fix on an Istio Gateway, without a diagnostic, and nowhere else', async () => {
    const uri = fileUri('gwapi-convert-fix.yaml');
    const v = client.open(uri, GATEWAY);
    await client.diagnosticsFor(uri, v);
    const at = (line: number): Promise<CodeAction[]> => client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line, character: 0 }, end: { line, character: 0 } }, context: { diagnostics: [] } });
    const onGateway = await at(GATEWAY.split('\n').indexOf('kind: Gateway'));
    const fix = onGateway.find((a) => a.title.startsWith('Convert Gateway bookinfo-gateway to the Kubernetes Gateway API'));
    assert.ok(fix, JSON.stringify(onGateway.map((a) => a.title)));
    assert.equal(fix.kind, 'quickfix');
    const edits = fix.edit?.changes?.[uri] as TextEdit[];
    const converted = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', v, GATEWAY), edits);
    assert.match(converted, /gatewayClassName: istio/);
    const onRoute = await at(GATEWAY.split('\n').indexOf('kind: VirtualService'));
    assert.equal(onRoute.filter((a) => /Gateway API/.test(a.title)).length, 0);
  });

  it('lists gateways named by targetRefs as simulation targets and simulates through them', async () => {
    const files = ['gateway.yaml', 'ambient.yaml', 'security.yaml'].map((f) => [fileUri(`gwapi-sim-${f}`), readFileSync(join(ROOT, 'examples/bookinfo-auth0-gateway-api', f), 'utf8')] as const);
    for (const [uri, text] of files) await client.diagnosticsFor(uri, client.open(uri, text));
    const { targets } = await client.request<SimulationTargetsResult>('istio/simulationTargets', {});
    const labels = targets.map((t) => t.label);
    for (const l of ['gateway bookinfo/bookinfo-gateway', 'service bookinfo/reviews (through its waypoint)', 'waypoint bookinfo/waypoint']) assert.ok(labels.includes(l), JSON.stringify(labels));
    const gateway = targets.find((t) => t.label === 'gateway bookinfo/bookinfo-gateway')!;
    assert.deepEqual(gateway.target, { kind: 'gateway', namespace: 'bookinfo', name: 'bookinfo-gateway' });
    assert.ok(gateway.selectedBy.includes('AuthorizationPolicy bookinfo/require-jwt'));
    const r = await client.request<SimulateResult>('istio/simulate', { method: 'GET', path: '/productpage', target: gateway.target });
    assert.equal(r.status, 403);
    assert.match(r.content, /Proxy: gateway bookinfo\/bookinfo-gateway/);
    assert.match(r.content, /AuthorizationPolicy bookinfo\/require-jwt applies \(targetRefs → Gateway bookinfo\/bookinfo-gateway\)/);
    const reviews = targets.find((t) => t.label.startsWith('service bookinfo/reviews'))!;
    const w = await client.request<SimulateResult>('istio/simulate', { method: 'GET', path: '/reviews/1', target: reviews.target });
    assert.equal(w.status, 403, 'reviews needs a permissions claim');
    assert.match(w.content, /through waypoint bookinfo\/waypoint/);
    const s = client.open(fileUri('gwapi-sim-selectors.yaml'), SECURITY);
    await client.diagnosticsFor(fileUri('gwapi-sim-selectors.yaml'), s);
    const again = await client.request<SimulationTargetsResult>('istio/simulationTargets', {});
    assert.ok(again.targets.some((t) => t.label === 'bookinfo: app=details' && t.target === undefined), 'workloads keep their namespace + labels form');
  });
});
