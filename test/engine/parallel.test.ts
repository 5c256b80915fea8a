import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisHost, defaultWorkerCount } from '../../engine/src/host/index';
import { generateFile } from '../../scripts/bench/generate';
import { ensureBuilt, ROOT } from '../helpers/build';

describe('AnalysisHost.preload (worker threads)', () => {
  it('analyses on worker threads exactly what the in-process path finds', async () => {
    ensureBuilt();
    const text = generateFile(400, 3);
    const parallel = new AnalysisHost({ workerScript: join(ROOT, 'dist', 'analysisWorker.js'), workers: 2 });
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
    const host = new AnalysisHost({ workerScript: join(ROOT, 'dist', 'analysisWorker.js'), workers: 2 });
    try {
      assert.equal(await host.preload([generateFile(20)]), 0);
    } finally {
      host.dispose();
    }
  });

  it('without a worker script, analyses nothing ahead', async () => {
    assert.equal(await new AnalysisHost().preload([generateFile(400)]), 0);
  });

  it('with no workers (workers: 0), analyses nothing ahead: setFile analyses in-process', async () => {
    ensureBuilt();
    const host = new AnalysisHost({ workerScript: join(ROOT, 'dist', 'analysisWorker.js'), workers: 0 });
    try {
      const text = generateFile(400, 3);
      assert.equal(await host.preload([text]), 0);
      assert.equal(host.setFile('f.yaml', text).analyzed, 400);
    } finally {
      host.dispose();
    }
  });
});

describe('defaultWorkerCount', () => {
  it('uses no worker threads without a core to spare beside the main thread', () => {
    assert.equal(defaultWorkerCount(1), 0);
    assert.equal(defaultWorkerCount(2), 0);
  });

  it('uses one per core but the main thread from 3 cores, at most 4', () => {
    assert.equal(defaultWorkerCount(3), 2);
    assert.equal(defaultWorkerCount(4), 3);
    assert.equal(defaultWorkerCount(64), 4);
  });

  it('follows ISTIO_SEC_WORKERS when it is a number, ignores it otherwise', () => {
    assert.equal(defaultWorkerCount(2, { ISTIO_SEC_WORKERS: '2' }), 2);
    assert.equal(defaultWorkerCount(8, { ISTIO_SEC_WORKERS: '0' }), 0);
    assert.equal(defaultWorkerCount(2, { ISTIO_SEC_WORKERS: 'many' }), 0);
    assert.equal(defaultWorkerCount(8, { ISTIO_SEC_WORKERS: '' }), 4);
    assert.equal(defaultWorkerCount(2, { ISTIO_SEC_WORKERS: '1000' }), 16);
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
