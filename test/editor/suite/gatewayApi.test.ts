import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, codeOf, fixtureUri, openFixture, rangeTuple, waitForCode, waitUntil } from './helpers';

describe('Gateway API documents', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('reports a CEL rule of the HTTPRoute CRD on the rule it breaks, and counts the Gateway API documents', async () => {
    const api = await activateExtension();
    const uri = fixtureUri('gateway-api.yaml');
    await openFixture('gateway-api.yaml');
    const d = await waitForCode(uri, 'schema-cel');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.message, 'spec.rules[0]: RequestRedirect filter must not be used together with backendRefs.');
    // The first line of rules[0] (`- filters:`).
    assert.deepEqual(rangeTuple(d.range), [25, 4, 25, 12]);
    await waitUntil(() => api.statusOf(uri.toString()) !== undefined, 'the validation of gateway-api.yaml');
    assert.equal(api.statusOf(uri.toString())?.istioDocuments, 2);
    const all = vscode.languages.getDiagnostics(uri).filter((x) => x.severity === vscode.DiagnosticSeverity.Error);
    assert.deepEqual(all.map(codeOf), ['schema-cel'], 'the rest of the file is valid');
  });

  it('completes HTTPRoute keys from the Gateway API CRD and hovers them with its documentation', async () => {
    const uri = fixtureUri('gateway-api.yaml');
    const doc = (await openFixture('gateway-api.yaml')).document;
    const lines = doc.getText().split('\n');
    const backend = lines.findIndex((l) => l === '      port: 8080');
    // A new key of the backendRef mapping, at its indentation.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(backend + 1, 0), '      \n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(backend + 1, 6));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const k of ['weight', 'filters', 'namespace', 'kind', 'group']) assert.ok(labels.includes(k), `${k} in ${labels.join(', ')}`);
    assert.ok(!labels.includes('name') && !labels.includes('port'), 'name and port are already there');

    const specLine = lines.findIndex((l, i) => i > 15 && l === '  parentRefs:');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(specLine, 4));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*parentRefs\*\* · `list of object`/);
    assert.match(text, /gateway-api\.sigs\.k8s\.io\/reference\/1\.5\/spec\/#httproute/);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
