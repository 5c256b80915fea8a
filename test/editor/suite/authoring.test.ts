import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, fixtureUri, openFixture, waitUntil } from './helpers';

describe('authoring: completion and hover', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('completes the keys of a jwtRule and the values of an enum, and hovers a field with its CRD documentation', async () => {
    const api = await activateExtension();
    const uri = fixtureUri('authoring.yaml');
    const doc = (await openFixture('authoring.yaml')).document;
    await waitUntil(() => api.statusOf(uri.toString()) !== undefined, 'the validation of authoring.yaml');
    const line = (prefix: string): number => doc.getText().split('\n').findIndex((l) => l.startsWith(prefix));

    const keys = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(line('    audiences'), 4));
    const labels = keys.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('jwksUri') && labels.includes('forwardOriginalToken'), labels.join(', '));
    assert.ok(!labels.includes('issuer'), 'issuer is already present');

    const actionLine = line('  action:');
    const values = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(actionLine, doc.lineAt(actionLine).text.length));
    const enumLabels = values.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const v of ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM']) assert.ok(enumLabels.includes(v), `${v} in ${enumLabels.join(', ')}`);

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(actionLine, 4));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*action\*\* · `string`/);
    assert.match(text, /authorization-policy/);
  });
});
