import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension,
  closeAllEditors,
  codeOf,
  fixtureUri,
  istioDiagnostics,
  openFixture,
  rangeTuple,
  waitForCode,
  waitForDiagnostics,
  waitUntil,
} from './helpers';

const MESH_WIDE = 'peerauth-mesh-wide-disable';

function setRootNamespace(value: string | undefined): Thenable<void> {
  return vscode.workspace.getConfiguration('istioSecurity').update('rootNamespace', value, vscode.ConfigurationTarget.Global);
}

describe('settings', () => {
  before(activateExtension);
  afterEach(closeAllEditors);
  after(() => setRootNamespace(undefined));

  it('istioSecurity.rootNamespace takes effect at once: a PeerAuthentication becomes mesh-wide and back', async () => {
    const api = await activateExtension();
    const uri = fixtureUri('peer-disable.yaml');
    await openFixture('peer-disable.yaml');
    await waitUntil(() => api.statusOf(uri.toString()) !== undefined, 'the validation of peer-disable.yaml');
    assert.ok(!istioDiagnostics(uri).some((d) => codeOf(d) === MESH_WIDE), 'mesh-root is not the root namespace yet');

    await setRootNamespace('mesh-root');
    const d = await waitForCode(uri, MESH_WIDE);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Information);
    assert.deepEqual(rangeTuple(d.range), [8, 10, 8, 17]);
    assert.match(d.message, /root namespace \(mesh-root\)/);

    await setRootNamespace(undefined);
    await waitForDiagnostics(uri, (ds) => !ds.some((x) => codeOf(x) === MESH_WIDE), `${MESH_WIDE} to clear with the default root namespace`);
  });
});
