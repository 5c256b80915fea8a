/**
 * The render request behind "Istio: Check Kustomize Overlay" / "Check Helm Chart", over LSP stdio:
 * the server runs the real `kubectl kustomize` and answers diagnostics per source file.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { removeTempDir, tempDir } from '../helpers/tmp';
import { findOnPath } from '../../engine/src/render/exec';
import type { Diagnostic } from 'vscode-languageserver';
import { CheckRenderedRequest, type CheckRenderedParams, type CheckRenderedResult } from '../../protocol/src/index';
import { ROOT } from '../helpers/build';
import { LspTestClient } from '../helpers/lspClient';

const KZ = join(ROOT, 'test', 'fixtures', 'kustomize');

describe('LSP: istio/checkRendered', { skip: findOnPath('kubectl') === undefined ? 'kubectl is not on PATH' : false }, () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('renders an overlay with kubectl kustomize and answers the patch error as a diagnostic of the patch file', async () => {
    const dir = join(KZ, 'overlays', 'bad-patch');
    const r = await client.request<CheckRenderedResult<Diagnostic>>(CheckRenderedRequest.method, { renderer: 'kustomize', dir } satisfies CheckRenderedParams);
    assert.equal(r.ok, true, r.message);
    assert.match(r.message, /^kubectl kustomize .*bad-patch: 2 objects checked, 1 error, 0 warnings$/);
    const patch = join(dir, 'authz-patch.yaml');
    const file = r.files.find((f) => f.uri === pathToFileURL(patch).toString());
    assert.ok(file, JSON.stringify(r.files.map((f) => f.uri)));
    const line = readFileSync(patch, 'utf8').split('\n').findIndex((l) => l.includes('Allow'));
    assert.deepEqual(
      file.diagnostics.map((d) => [d.code, d.severity, d.range.start.line, d.source]),
      [['schema-enum', 1, line, 'istio']],
    );
  });

  it('says why it cannot render: not an overlay, kubectl missing', async () => {
    const r = await client.request<CheckRenderedResult<Diagnostic>>(CheckRenderedRequest.method, { renderer: 'kustomize', dir: join(KZ, 'base-broken', 'gateway.yaml') } satisfies CheckRenderedParams);
    assert.deepEqual([r.ok, r.files], [false, []]);
    assert.match(r.message, /is not a directory with a kustomization\.yaml/);
    const empty = tempDir('istio-sec-no-kubectl-');
    try {
      const m = await client.request<CheckRenderedResult<Diagnostic>>(CheckRenderedRequest.method, { renderer: 'kustomize', dir: join(KZ, 'overlays', 'good'), kubectlPath: join(empty, 'kubectl') } satisfies CheckRenderedParams);
      assert.equal(m.ok, false);
      assert.match(m.message, /kubectl was not found at .*: --kustomize renders the overlay/);
    } finally {
      removeTempDir(empty);
    }
  });
});
