import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisHost } from '../../engine/src/host/index';
import { generateFile } from '../../scripts/bench/generate';
import { ensureBuilt, ROOT } from '../helpers/build';

describe('AnalysisHost.preload (worker threads)', () => {
  it('analyses on worker threads exactly what the in-process path finds', async () => {
    ensureBuilt();
    const text = generateFile(400, 3);
    const parallel = new AnalysisHost({ workerScript: join(ROOT, 'dist', 'analysisWorker.js') });
    try {
      assert.equal(await parallel.preload([text]), 400);
      const stats = parallel.setFile('f.yaml', text);
      assert.equal(stats.documents, 400);
      assert.equal(stats.analyzed, 0, 'every document came from the workers');
      const inProcess = new AnalysisHost();
      inProcess.setFile('f.yaml', text);
      assert.deepEqual(parallel.diagnostics('f.yaml'), inProcess.diagnostics('f.yaml'));
      assert.ok(inProcess.diagnostics('f.yaml').length > 0, 'the generated file has findings to compare');
    } finally {
      parallel.dispose();
    }
  });

  it('leaves small inputs to the in-process path', async () => {
    ensureBuilt();
    const host = new AnalysisHost({ workerScript: join(ROOT, 'dist', 'analysisWorker.js') });
    try {
      assert.equal(await host.preload([generateFile(20)]), 0);
    } finally {
      host.dispose();
    }
  });

  it('without a worker script, analyses nothing ahead', async () => {
    assert.equal(await new AnalysisHost().preload([generateFile(400)]), 0);
  });
});

describe('worker warm-up documents', () => {
  it('are valid: warming up reports nothing', async () => {
    const { WARMUP_DOCUMENTS } = await import('../../engine/src/parallel/warmup');
    const host = new AnalysisHost();
    WARMUP_DOCUMENTS.forEach((t, i) => host.setFile(`w${i}.yaml`, t));
    assert.deepEqual(WARMUP_DOCUMENTS.map((_, i) => host.diagnostics(`w${i}.yaml`).filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.code)), WARMUP_DOCUMENTS.map(() => []));
  });
});
