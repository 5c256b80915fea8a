import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, codeOf, fixtureUri, nextDiagnosticsPublish, openFixture, waitForCode } from './helpers';

describe('settings', () => {
  before(activateExtension);
  afterEach(closeAllEditors);
  after(async () => {
    await vscode.workspace.getConfiguration('istioSecurity').update('rootNamespace', undefined, vscode.ConfigurationTarget.Global);
  });

  it('changing istioSecurity.rootNamespace re-validates the open documents', async () => {
    const uri = fixtureUri('removed-api.yaml');
    await openFixture('removed-api.yaml');
    await waitForCode(uri, 'removed-api');
    const republished = nextDiagnosticsPublish(uri, 'diagnostics republished after a settings change');
    await vscode.workspace.getConfiguration('istioSecurity').update('rootNamespace', 'mesh-root', vscode.ConfigurationTarget.Global);
    const ds = await republished;
    assert.ok(ds.some((d) => codeOf(d) === 'removed-api'), JSON.stringify(ds.map(codeOf)));
    assert.equal(vscode.workspace.getConfiguration('istioSecurity').get('rootNamespace'), 'mesh-root');
  });
});
