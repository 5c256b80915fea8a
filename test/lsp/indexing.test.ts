import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { removeTempDir, tempDir } from '../helpers/tmp';
import { generateDocuments } from '../../scripts/bench/generate';
import { LspTestClient } from '../helpers/lspClient';

describe('LSP: background workspace indexing', () => {
  it('indexes every Istio document with progress, skipping .gitignore-d and node_modules files', async () => {
    const dir = tempDir('istio-sec-index-');
    const docs = generateDocuments(500, 5);
    for (let f = 0; f < 250; f++) {
      const sub = join(dir, `team-${f % 5}`);
      mkdirSync(sub, { recursive: true });
      writeFileSync(join(sub, `f${f}.yaml`), docs.slice(f * 2, f * 2 + 2).join('---\n'));
    }
    mkdirSync(join(dir, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'x', 'ignored.yaml'), docs[0]);
    mkdirSync(join(dir, 'build'));
    writeFileSync(join(dir, 'build', 'ignored.yaml'), docs[1]);
    writeFileSync(join(dir, '.gitignore'), 'build/\n');
    const client = await LspTestClient.start({ workspaceFolder: dir });
    try {
      const ready = await client.request<{ resources: number }>('istio/indexReady', {});
      assert.equal(ready.resources, 500);
      const progress = client.progress;
      assert.equal(progress[0]?.kind, 'begin');
      assert.equal(progress[0]?.title, 'Istio: indexing the workspace');
      assert.equal(progress.at(-1)?.kind, 'end');
    } finally {
      await client.stop();
      removeTempDir(dir);
    }
  });
});
