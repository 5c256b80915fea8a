import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { removeTempDir, tempDir } from '../helpers/tmp';
import type { StatusParams } from '../../protocol/src/index';
import { generateWorkspace } from '../../scripts/bench/generate';
import { LspTestClient } from '../helpers/lspClient';

/**
 * Work proportional to the change, observed through istio/status: in a workspace of 3,000
 * cross-referencing documents, a one-character edit re-analyses one document and re-runs only the
 * cross-resource checks whose inputs it changed.
 */
describe('LSP: a keystroke in a large workspace', () => {
  let dir: string;
  let client: LspTestClient;
  let uri: string;
  let text: string;

  before(async () => {
    dir = tempDir('istio-sec-incremental-');
    const files = generateWorkspace(300, 10);
    for (const [rel, t] of files) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), t);
    }
    const [rel, t] = [...files].find(([, t]) => t.includes('kind: VirtualService'))!;
    uri = pathToFileURL(join(dir, rel)).toString();
    text = t;
    client = await LspTestClient.start({ workspaceFolder: dir });
    const ready = await client.request<{ resources: number }>('istio/indexReady', {});
    assert.equal(ready.resources, 3000);
  });

  after(async () => {
    await client.stop();
    removeTempDir(dir);
  });

  const statusOf = (version: number) =>
    client.waitFor(() => client.notifications.filter((n) => n.method === 'istio/status').map((n) => n.params as StatusParams).find((p) => p.uri === uri && p.version === version), 30_000, `istio/status of version ${version}`);

  it('re-analyses one document and re-runs a handful of cross-resource checks, not thousands', async () => {
    const first = client.open(uri, text);
    const opened = await statusOf(first);
    assert.equal(opened.update, 'full');
    assert.ok(opened.crossChecks > 1000, `the first refresh checked the whole workspace (${opened.crossChecks} checks)`);

    // Type one character into the VirtualService's name: its own rules re-run, and what reads its name (nothing).
    const lines = text.split('\n');
    const kindLine = lines.findIndex((l) => l === 'kind: VirtualService');
    const nameLine = lines.findIndex((l, i) => i > kindLine && l.startsWith('  name: '));
    const at = { line: nameLine, character: lines[nameLine].length };
    const typed = client.change(uri, [{ range: { start: at, end: at }, text: 'x' }]);
    const s = await statusOf(typed);
    assert.equal(s.update, 'incremental');
    assert.equal(s.analyzedDocuments, 1);
    assert.ok(s.crossChecks > 0 && s.crossChecks <= 10, `only the edited VirtualService's rules re-ran (${s.crossChecks} checks)`);

    // Rename a Gateway the VirtualService is bound to: the routes bound to it re-run too, still a handful.
    const gwLine = lines.findIndex((l, i) => i < kindLine && l.startsWith('  name: ') && l.includes('-gateway-'));
    if (gwLine !== -1) {
      const g = { line: gwLine, character: lines[gwLine].length };
      const v = client.change(uri, [{ range: { start: g, end: g }, text: 'y' }]);
      const sg = await statusOf(v);
      assert.equal(sg.analyzedDocuments, 1);
      assert.ok(sg.crossChecks > 0 && sg.crossChecks <= 20, `the Gateway's rules and the routes naming it re-ran (${sg.crossChecks} checks)`);
      const diags = await client.diagnosticsFor(uri, v);
      assert.ok(diags.some((d) => d.code === 'xref-gateway-not-found'), 'the route now names a Gateway that is not there');
    }
  });
});
