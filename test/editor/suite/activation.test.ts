import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, extension, fixtureUri, openFixture, waitForCode, waitUntil } from './helpers';

// Runs first (files run in name order): nothing has opened a YAML file yet.
describe('activation', () => {
  after(closeAllEditors);

  it('is not active before a YAML file is opened', () => {
    assert.equal(extension().isActive, false);
  });

  it('activates when an Istio YAML file is opened and starts its language server', async () => {
    await openFixture('removed-api.yaml');
    await waitUntil(() => extension().isActive, 'the extension to activate on onLanguage:yaml');
    const api = await activateExtension();
    assert.equal(typeof api.statusOf, 'function');
    await waitForCode(fixtureUri('removed-api.yaml'), 'removed-api');
  });

  it('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['istioSecurity.restartServer', 'istioSecurity.showOutput']) assert.ok(commands.includes(c), `${c} is not registered`);
  });

  it('reports the file status the language status item shows', async () => {
    const api = await activateExtension();
    const uri = fixtureUri('removed-api.yaml').toString();
    await waitUntil(() => api.statusOf(uri) !== undefined, 'an istio/status notification');
    const status = api.statusOf(uri);
    assert.equal(status?.istioDocuments, 1);
    assert.equal(status?.errors, 1);
  });
});
