import { Worker } from 'node:worker_threads';
import type { DocAnalysis } from '../analyze';
import type { EngineSettings } from '../rules/rule';

interface Job {
  resolve(results: DocAnalysis[]): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

/**
 * Worker threads that run `analyzeDocument` (a pure function) on batches of documents, so
 * that opening a file of thousands of documents uses every core. Results go into the same
 * AnalysisCache the synchronous path reads. The adapter says where the worker script is
 * (dist/analysisWorker.js in bundles).
 */
export class AnalysisPool {
  private readonly slots: Slot[] = [];
  private readonly jobs = new Map<number, Job>();
  private readonly queue: Array<{ id: number; texts: string[]; settings: EngineSettings }> = [];
  private nextId = 0;
  private closed = false;

  constructor(workerPath: string, size: number, execArgv: string[] = []) {
    for (let i = 0; i < Math.max(1, size); i++) {
      const worker = new Worker(workerPath, { execArgv });
      const slot: Slot = { worker, busy: false };
      worker.on('message', (m: { id: number; results?: DocAnalysis[]; error?: string }) => {
        slot.busy = false;
        worker.unref(); // an idle worker does not keep the process alive
        const job = this.jobs.get(m.id);
        this.jobs.delete(m.id);
        if (job) {
          if (m.results) job.resolve(m.results);
          else job.reject(new Error(m.error ?? 'analysis worker failed'));
        }
        this.pump();
      });
      worker.on('error', (err) => {
        // A broken worker fails its job; the caller falls back to analysing in-process.
        for (const [id, job] of this.jobs) {
          job.reject(err);
          this.jobs.delete(id);
        }
        slot.busy = true; // never used again
      });
      worker.unref();
      this.slots.push(slot);
    }
  }

  get size(): number {
    return this.slots.length;
  }

  /** Analyses `texts` (in order) across the workers, in batches. */
  async analyze(texts: readonly string[], settings: EngineSettings, batchSize = 250): Promise<DocAnalysis[]> {
    const batches: string[][] = [];
    for (let i = 0; i < texts.length; i += batchSize) batches.push(texts.slice(i, i + batchSize));
    const results = await Promise.all(batches.map((b) => this.submit(b, settings)));
    return results.flat();
  }

  private submit(texts: string[], settings: EngineSettings): Promise<DocAnalysis[]> {
    if (this.closed) return Promise.reject(new Error('analysis pool closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.jobs.set(id, { resolve, reject });
      this.queue.push({ id, texts, settings });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.busy = true;
      slot.worker.ref(); // a pending job does
      slot.worker.postMessage(job);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
