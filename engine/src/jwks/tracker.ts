import type { Finding } from '../diagnostics';
import { shiftFinding } from '../diagnostics';
import type { FileModel } from '../model/fileModel';
import { parseDoc } from '../model/parse';
import { detached } from '../text/detached';
import { checkJwksReachability, type JwksReport, type ReachabilityOptions } from './check';

/**
 * The reachability results of the RequestAuthentications of open files, kept per document
 * text: an edit elsewhere in a file keeps the results of the other documents, and an edited
 * URL is checked again. The network itself is cached by URL in JwksCache (TTL).
 */
export class ReachabilityTracker {
  /** Latest report per document text (bounded; oldest dropped first). */
  private readonly reports = new Map<string, JwksReport>();

  constructor(private readonly maxDocuments = 5_000) {}

  /** RequestAuthentication documents of a file (the only ones with endpoints). */
  static targets(model: FileModel): Array<{ text: string; startLine: number }> {
    return model.documents
      .filter((d) => d.analysis.resource?.kind === 'RequestAuthentication' && d.analysis.resource.group === 'security.istio.io')
      .map((d) => ({ text: d.segment.text, startLine: d.segment.startLine }));
  }

  /** Checks the file's documents that have no report yet (all of them with `force`). Returns true when a report changed. */
  async check(model: FileModel, opts: ReachabilityOptions, shouldStop: () => boolean = () => false): Promise<boolean> {
    let changed = false;
    for (const t of ReachabilityTracker.targets(model)) {
      if (shouldStop()) break;
      if (!opts.force && this.reports.has(t.text)) continue;
      const report = await checkJwksReachability(parseDoc(t.text), opts);
      this.remember(detached(t.text), report);
      changed = true;
    }
    return changed;
  }

  private remember(text: string, report: JwksReport): void {
    this.reports.delete(text);
    this.reports.set(text, report);
    if (this.reports.size > this.maxDocuments) this.reports.delete(this.reports.keys().next().value as string);
  }

  /** Findings of the last checks of a file's documents, file-absolute. */
  findings(model: FileModel): Finding[] {
    const out: Finding[] = [];
    for (const t of ReachabilityTracker.targets(model)) {
      const r = this.reports.get(t.text);
      if (r) for (const f of r.findings) out.push(shiftFinding(f, t.startLine));
    }
    return out;
  }

  /** The last report of one document (hover). */
  reportFor(text: string): JwksReport | undefined {
    return this.reports.get(text);
  }

  clear(): void {
    this.reports.clear();
  }
}
