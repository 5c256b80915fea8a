import { parentPort } from 'node:worker_threads';
import { analyzeDocument } from '../analyze';
import { DEFAULT_SETTINGS, type EngineSettings } from '../rules/rule';
import { WARMUP_DOCUMENTS } from './warmup';

/** Entry point of an analysis worker thread (bundled as dist/analysisWorker.js). */
parentPort?.on('message', (m: { id: number; texts: string[]; settings: EngineSettings }) => {
  try {
    parentPort!.postMessage({ id: m.id, results: m.texts.map((t) => analyzeDocument(t, m.settings)) });
  } catch (err) {
    parentPort!.postMessage({ id: m.id, error: String(err) });
  }
});

// Warm up while no job is waiting: schemas loaded, CEL compiled, hot paths optimised.
for (let i = 0; i < 3; i++) for (const t of WARMUP_DOCUMENTS) analyzeDocument(t, DEFAULT_SETTINGS);
