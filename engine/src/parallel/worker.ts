import { parentPort } from 'node:worker_threads';
import { analyzeDocument } from '../analyze';
import type { EngineSettings } from '../rules/rule';

/** Entry point of an analysis worker thread (bundled as dist/analysisWorker.js). */
parentPort?.on('message', (m: { id: number; texts: string[]; settings: EngineSettings }) => {
  try {
    parentPort!.postMessage({ id: m.id, results: m.texts.map((t) => analyzeDocument(t, m.settings)) });
  } catch (err) {
    parentPort!.postMessage({ id: m.id, error: String(err) });
  }
});
