import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConvertRemovedApisResult } from '../../../protocol/src/index';
import { activateExtension, closeAllEditors, codeOf, openFixtureCopy, waitForCode, waitForDiagnostics } from './helpers';

describe('Istio: Convert Removed APIs', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('converts an authentication.istio.io Policy into a RequestAuthentication in one undoable edit', async () => {
    const editor = await openFixtureCopy('removed-api.yaml');
    const doc = editor.document;
    const original = doc.getText();
    await waitForCode(doc.uri, 'removed-api');

    const result = await vscode.commands.executeCommand<ConvertRemovedApisResult | undefined>('istioSecurity.convertRemovedApis', doc.uri);
    assert.ok(result?.edit, 'the server returned an edit');
    const text = doc.getText();
    assert.doesNotMatch(text, /authentication\.istio\.io/);
    assert.match(text, /^apiVersion: security\.istio\.io\/v1$/m);
    assert.match(text, /^kind: RequestAuthentication$/m);
    assert.match(text, /issuer: "?https:\/\/issuer\.example\.test\/"?/);
    assert.match(text, /^ {2}namespace: shop$/m);
    await waitForDiagnostics(
      doc.uri,
      (ds) => !ds.some((d) => codeOf(d) === 'removed-api' || d.severity === vscode.DiagnosticSeverity.Error),
      'removed-api (and every error) to clear after the conversion',
    );

    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), original, 'one undo restores the removed API');
    await waitForCode(doc.uri, 'removed-api');
  });

  it('leaves a file without removed APIs unchanged', async () => {
    const editor = await openFixtureCopy('valid-policy.yaml');
    const before = editor.document.getText();
    const version = editor.document.version;
    const result = await vscode.commands.executeCommand<ConvertRemovedApisResult | undefined>('istioSecurity.convertRemovedApis', editor.document.uri);
    assert.equal(result?.edit, null);
    assert.equal(editor.document.getText(), before);
    assert.equal(editor.document.version, version, 'no edit was applied');
  });
});
