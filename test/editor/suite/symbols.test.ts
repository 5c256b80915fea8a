import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, fixtureUri, openFixture, rangeTuple, waitUntil } from './helpers';

describe('document symbols (outline)', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('outlines each Istio document as "Kind namespace/name" and skips the Kubernetes Service', async () => {
    const api = await activateExtension();
    const uri = fixtureUri('outline.yaml');
    const doc = (await openFixture('outline.yaml')).document;
    await waitUntil(() => api.statusOf(uri.toString()) !== undefined, 'the validation of outline.yaml');

    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
    assert.ok(Array.isArray(symbols), 'the outline answered');
    const line = (text: string): number => doc.getText().split('\n').findIndex((l) => l === text);
    const gwName = line('  name: outline-gw');
    const apName = line('  name: outline-deny');
    assert.deepEqual(
      symbols.map((s) => ({ name: s.name, detail: s.detail, kind: s.kind, selection: rangeTuple(s.selectionRange) })),
      [
        { name: 'Gateway outline/outline-gw', detail: 'networking.istio.io/v1', kind: vscode.SymbolKind.Class, selection: [gwName, 8, gwName, 18] },
        { name: 'AuthorizationPolicy outline/outline-deny', detail: 'security.istio.io/v1', kind: vscode.SymbolKind.Class, selection: [apName, 8, apName, 20] },
      ],
    );
    // Each symbol spans its own document: the Gateway ends before the Service, the policy after it.
    const service = line('kind: Service');
    assert.ok(symbols[0].range.start.line <= line('kind: Gateway') && symbols[0].range.end.line < service, `Gateway range ${JSON.stringify(rangeTuple(symbols[0].range))}`);
    assert.ok(symbols[1].range.start.line > service && symbols[1].range.contains(new vscode.Position(line('        paths: ["/admin"]'), 8)), `policy range ${JSON.stringify(rangeTuple(symbols[1].range))}`);
  });
});
