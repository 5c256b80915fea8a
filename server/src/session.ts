import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'vscode-languageserver';
import { cpus } from 'node:os';
import { AnalysisHost, defaultWorkerCount, type HostSettings } from '../../engine/src/host/index';
import { DEFAULT_SERVER_SETTINGS, StatusNotification, type HttpSettings, type ServerSettings, type StatusParams } from '../../protocol/src/index';
import { DocumentStore } from './documents';
import { DiagnosticConverter } from './lsp';

/** How long after the last edit of a document its JWKS endpoints are checked (a URL is typed char by char). */
export const JWKS_DEBOUNCE_MS = 600;

/**
 * Sends a fire-and-forget notification. Once the client has gone (pipe closed) sending throws, or
 * rejects and the library's own error log throws again on the closed connection; from a timer
 * either would crash the server with a stack trace instead of letting it exit on end of input.
 */
export function sendQuietly(send: () => Promise<void>): void {
  try {
    send().catch(() => undefined);
  } catch {
    // The connection is closed: nobody is listening.
  }
}

export function hostSettings(s: ServerSettings, http: HttpSettings): HostSettings {
  return {
    defaultNamespace: s.defaultNamespace,
    rootNamespace: s.rootNamespace,
    network: {
      offline: s.offline,
      timeoutMs: s.jwks.timeoutMs,
      cacheTtlMs: s.jwks.cacheTtlSeconds * 1000,
      proxy: http.proxy || undefined,
      rejectUnauthorized: http.proxyStrictSSL ?? true,
      caCertificatePaths: s.jwks.caCertificates,
    },
  };
}

export function mergeSettings(raw: Partial<ServerSettings> | null | undefined): ServerSettings {
  return { ...DEFAULT_SERVER_SETTINGS, ...(raw ?? {}), jwks: { ...DEFAULT_SERVER_SETTINGS.jwks, ...(raw?.jwks ?? {}) } };
}

/**
 * The server's state: the open documents, the analysis host, the editor's settings and trust.
 * Handlers (handlers/*.ts) are thin functions over it; editor policy lives here: when to
 * publish, when to check JWKS endpoints in the background.
 */
export class Session {
  readonly documents = new DocumentStore();
  readonly host = new AnalysisHost({ workerScript: join(__dirname, 'analysisWorker.js'), workers: defaultWorkerCount(cpus().length, process.env) });
  settings: ServerSettings = DEFAULT_SERVER_SETTINGS;
  http: HttpSettings = {};
  trusted = true;
  canPullConfiguration = false;
  /** Workspace folder paths. */
  folders: string[] = [];
  private readonly converter = new DiagnosticConverter();
  private readonly pending = new Set<string>();
  private flushScheduled = false;
  private readonly jwksTimers = new Map<string, NodeJS.Timeout>();
  /** Open documents whose text is still being analysed on worker threads (large files). */
  readonly loading = new Set<string>();

  constructor(readonly connection: Connection) {}

  /** Applies settings and trust to the host (namespaces re-derive everything; network drops JWKS results). */
  reconfigure(): void {
    this.host.configure(hostSettings(this.settings, this.http));
  }

  /**
   * Publishes a document on the next turn of the event loop: no fixed delay, and a burst of
   * changes collapses into one publication of the newest version.
   */
  schedule(uri: string): void {
    this.pending.add(uri);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** A publication scheduled and not yet made (background work yields to it). */
  get hasPendingPublications(): boolean {
    return this.flushScheduled;
  }

  private flush(): void {
    this.flushScheduled = false;
    const done = new Set<string>();
    for (const uri of [...this.pending]) {
      this.pending.delete(uri);
      this.publish(uri);
      this.scheduleJwks(uri);
      done.add(uri);
    }
    this.republishChanged(done);
  }

  /** Republishes the open documents whose cross-resource findings another file's change moved. */
  republishChanged(except: ReadonlySet<string> = new Set()): void {
    for (const uri of this.host.takeChangedFiles()) if (!except.has(uri) && this.documents.get(uri)) this.publish(uri);
  }

  /** Every open document, republished (settings or trust changed). */
  republishAll(): void {
    this.host.takeChangedFiles();
    for (const d of this.documents.all()) this.publish(d.uri);
  }

  publish(uri: string): void {
    const doc = this.documents.get(uri);
    if (!doc || this.loading.has(uri) || this.host.versionOf(uri) !== doc.version) return;
    let findings;
    try {
      findings = this.host.diagnostics(uri);
    } catch (err) {
      this.connection.console.error(`validation failed for ${uri}: ${(err as Error).stack ?? String(err)}`);
      return;
    }
    const diagnostics = this.converter.convert(findings, uri);
    sendQuietly(() => this.connection.sendDiagnostics({ uri, version: doc.version, diagnostics }));
    const status: StatusParams = { uri, version: doc.version, ...this.host.status(uri, findings) };
    sendQuietly(() => this.connection.sendNotification(StatusNotification, status));
  }

  /** Background JWKS check after an edit or open (debounced); never untrusted, offline or with autoCheck off. */
  scheduleJwks(uri: string): void {
    if (!this.trusted || this.settings.offline || this.settings.jwks.autoCheck === false) return;
    clearTimeout(this.jwksTimers.get(uri));
    this.jwksTimers.set(
      uri,
      setTimeout(() => {
        this.jwksTimers.delete(uri);
        if (this.host.jwksTargets(uri) === 0) return;
        void this.host.checkJwks(uri).then((changed) => changed && this.publish(uri), () => undefined);
      }, JWKS_DEBOUNCE_MS),
    );
  }

  cancelJwks(uri: string): void {
    clearTimeout(this.jwksTimers.get(uri));
    this.jwksTimers.delete(uri);
  }

  /** Why a jwtRule endpoint has no result yet (hover). */
  whyJwksNotChecked(): string {
    return !this.trusted ? 'the workspace is not trusted (run "Istio: Check JWKS endpoints")' : 'the check has not run yet';
  }

  /** The file path of a URI when it lies inside a workspace folder. */
  pathInFolders(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    const path = fileURLToPath(uri);
    return this.folders.some((f) => path.startsWith(f.endsWith('/') ? f : `${f}/`)) ? path : undefined;
  }

  forget(uri: string): void {
    this.pending.delete(uri);
    this.cancelJwks(uri);
  }
}
