import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, codeOf, openFixtureCopy, waitForCode, waitForDiagnostics } from './helpers';

describe('server restart', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('istioSecurity.restartServer restarts the server, which validates the open documents again', async () => {
    const editor = await openFixtureCopy('removed-api.yaml');
    const uri = editor.document.uri;
    await waitForCode(uri, 'removed-api');

    // Stopping the client clears its diagnostics: seeing them go proves a real restart.
    let cleared = false;
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString()) && vscode.languages.getDiagnostics(uri).length === 0) cleared = true;
    });
    try {
      await vscode.commands.executeCommand('istioSecurity.restartServer');
      await waitForCode(uri, 'removed-api');
    } finally {
      sub.dispose();
    }
    assert.ok(cleared, 'the diagnostics were never cleared: the server did not restart');

    // The new server follows edits of the document it was handed on restart.
    await editor.edit((b) => b.replace(new vscode.Range(1, 12, 1, 44), 'security.istio.io/v1'));
    await waitForDiagnostics(uri, (ds) => !ds.some((d) => codeOf(d) === 'removed-api'), 'removed-api to clear after the restart');
  });
});
