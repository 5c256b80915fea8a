import { AnalysisCache } from '../../engine/src/model/analysisCache';
import { FileModel } from '../../engine/src/model/fileModel';
import type { EngineSettings } from '../../engine/src/rules/rule';

/**
 * The server's state: one FileModel per open document over one shared analysis cache.
 * Changing settings drops every cached verdict (they depend on settings).
 */
export class Session {
  private cache = new AnalysisCache();
  private readonly models = new Map<string, FileModel>();

  constructor(private settings: EngineSettings) {}

  model(uri: string): FileModel {
    let m = this.models.get(uri);
    if (!m) {
      m = new FileModel(this.cache, this.settings);
      this.models.set(uri, m);
    }
    return m;
  }

  peek(uri: string): FileModel | undefined {
    return this.models.get(uri);
  }

  close(uri: string): void {
    this.models.delete(uri);
  }

  reconfigure(settings: EngineSettings): void {
    this.settings = settings;
    this.cache = new AnalysisCache();
    this.models.clear();
  }
}
