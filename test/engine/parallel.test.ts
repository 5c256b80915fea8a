import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisPool } from '../../engine/src/parallel/pool';
import { Workspace } from '../../engine/src/workspace/workspace';
import { generateFile } from '../../scripts/bench/generate';
import { ensureBuilt, ROOT } from '../helpers/build';

describe('AnalysisPool', () => {
  it('analyses on worker threads exactly what the in-process path finds', async () => {
    ensureBuilt();
    const text = generateFile(400, 3);
    const pool = new AnalysisPool(join(ROOT, 'dist', 'analysisWorker.js'), 2);
    try {
      const parallel = new Workspace();
      const analysed = await parallel.prefetch([text], pool);
      assert.equal(analysed, 400);
      const model = parallel.update('f.yaml', text);
      assert.equal(model.documents.length, 400);
      const inProcess = new Workspace();
      inProcess.update('f.yaml', text);
      assert.deepEqual(parallel.findings('f.yaml'), inProcess.findings('f.yaml'));
      assert.ok(inProcess.findings('f.yaml').length > 0, 'the generated file has findings to compare');
    } finally {
      await pool.close();
    }
  });

  it('leaves small inputs to the in-process path', async () => {
    ensureBuilt();
    const pool = new AnalysisPool(join(ROOT, 'dist', 'analysisWorker.js'), 1);
    try {
      assert.equal(await new Workspace().prefetch([generateFile(20)], pool), 0);
    } finally {
      await pool.close();
    }
  });
});
