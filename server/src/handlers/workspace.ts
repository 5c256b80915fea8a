/** Settings, trust, the background index of the workspace folders, and watched-file changes. */
import { FileChangeType, type InitializeParams } from 'vscode-languageserver';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { IndexReadyRequest, ServerStatsRequest, SETTINGS_SECTION, TrustNotification, type InitializationOptions, type ServerSettings, type TrustParams } from '../../../protocol/src/index';
import { DEFAULT_SERVER_SETTINGS } from '../../../protocol/src/index';
import { mergeSettings, type Session } from '../session';
import { listYamlFiles, loadExcludes, readIfSmall } from '../workspaceFiles';

/** Workspaces with at least this many YAML files show indexing progress. */
const INDEX_PROGRESS_MIN_FILES = 200;

/** Indexing yields to pending messages after this much work: a keystroke never waits longer. */
const INDEX_SLICE_MS = 8;

/**
 * While indexing, open documents whose cross-resource findings the new files moved are republished
 * at most this often (every slice cost the 100-document file of the bench 5 ms for nothing a
 * reader could see); a keystroke's own publication never waits for it.
 */
const INDEX_REPUBLISH_MS = 100;

/** Files read and analysed (on worker threads) together while indexing. */
const INDEX_BATCH_FILES = 50;

/**
 * Lets the messages that arrived during the slice run first, then waits while a keystroke's
 * publication is pending. A message read during a slice is dispatched on an immediate queued
 * after this loop's own; without the second turn a keystroke would wait for one more slice before
 * its handler, and for another before its publication.
 */
async function yieldToEditor(session: Session): Promise<void> {
  await nextTurn();
  do await nextTurn();
  while (session.hasPendingPublications);
}

/** Reads what the client said at initialize. */
export function initializeSession(session: Session, params: InitializeParams): void {
  session.canPullConfiguration = params.capabilities.workspace?.configuration === true;
  const init = params.initializationOptions as InitializationOptions | undefined;
  session.trusted = init?.trusted ?? true;
  session.http = init?.http ?? {};
  if (init?.settings) session.settings = mergeSettings(init.settings);
  session.reconfigure();
  const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  session.folders = uris.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
}

export function registerWorkspace(session: Session): void {
  const { connection, host, documents } = session;
  let indexing: Promise<void> | undefined;

  const loadSettings = async (): Promise<void> => {
    if (!session.canPullConfiguration) return;
    try {
      const [raw, httpRaw] = (await connection.workspace.getConfiguration([{ section: SETTINGS_SECTION }, { section: 'http' }])) as [
        Partial<ServerSettings> | null,
        { proxy?: string; proxyStrictSSL?: boolean } | null,
      ];
      // A client with no such settings answers null: keep what initializationOptions gave.
      if (raw && typeof raw === 'object') session.settings = mergeSettings(raw);
      if (httpRaw && typeof httpRaw === 'object') session.http = { proxy: httpRaw.proxy, proxyStrictSSL: httpRaw.proxyStrictSSL };
    } catch {
      session.settings = DEFAULT_SERVER_SETTINGS;
    }
    session.reconfigure();
    session.republishAll();
    for (const d of documents.all()) session.scheduleJwks(d.uri);
  };

  /** Reads the closed YAML files of the workspace folders into the host, in time slices. */
  const indexFolders = async (): Promise<void> => {
    let filesExclude: Record<string, boolean> = {};
    if (session.canPullConfiguration) {
      try {
        filesExclude = ((await connection.workspace.getConfiguration('files')) as { exclude?: Record<string, boolean> } | null)?.exclude ?? {};
      } catch {
        /* keep defaults */
      }
    }
    for (const folder of session.folders) {
      const rules = await loadExcludes(folder, filesExclude);
      const files = await listYamlFiles(folder, rules);
      // Large workspaces show progress (the editor stays usable meanwhile).
      const progress = files.length >= INDEX_PROGRESS_MIN_FILES ? await connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
      progress?.begin('Istio: indexing the workspace', 0, `${files.length} YAML files`, false);
      // Batches are read and analysed on the worker threads (when there are) while the main thread
      // takes the previous batch into the index in time slices: keystrokes wait at most one slice.
      const load = async (batch: string[]): Promise<Array<[string, string | undefined]>> => {
        const texts = await Promise.all(batch.map(async (f): Promise<[string, string | undefined]> => [pathToFileURL(f).toString(), documents.get(pathToFileURL(f).toString()) ? undefined : await readIfSmall(f)]));
        await host.preload(texts.flatMap(([, t]) => (t === undefined ? [] : [t])), 1).catch(() => 0);
        return texts;
      };
      let sliceStart = performance.now();
      let republished = sliceStart;
      let next = files.length ? load(files.slice(0, INDEX_BATCH_FILES)) : undefined;
      for (let i = 0; next; i += INDEX_BATCH_FILES) {
        const batch = await next;
        next = i + INDEX_BATCH_FILES < files.length ? load(files.slice(i + INDEX_BATCH_FILES, i + 2 * INDEX_BATCH_FILES)) : undefined;
        for (const [uri, text] of batch) {
          if (text !== undefined && !documents.get(uri)) host.setFile(uri, text);
          if (performance.now() - sliceStart >= INDEX_SLICE_MS) {
            if (performance.now() - republished >= INDEX_REPUBLISH_MS) {
              session.republishChanged();
              republished = performance.now();
            }
            await yieldToEditor(session);
            sliceStart = performance.now();
          }
        }
        progress?.report(Math.round((Math.min(files.length, i + INDEX_BATCH_FILES) / files.length) * 100), `${Math.min(files.length, i + INDEX_BATCH_FILES)}/${files.length} files`);
      }
      progress?.done();
    }
    session.republishChanged();
  };

  connection.onInitialized(() => {
    // Worker threads start (and warm up) now: the first large file or the index finds them ready.
    host.startWorkers();
    indexing = loadSettings()
      .then(indexFolders)
      .catch((err: unknown) => connection.console.error(`workspace indexing failed: ${String(err)}`));
  });
  connection.onDidChangeConfiguration(() => void loadSettings());
  connection.onRequest(IndexReadyRequest, async () => {
    await indexing;
    return { resources: host.resourceCount };
  });

  connection.onRequest(ServerStatsRequest, () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const mem = process.memoryUsage();
    return { heapUsedBytes: mem.heapUsed, rssBytes: mem.rss, collected: gc !== undefined, files: host.files().length, resources: host.resourceCount };
  });

  connection.onNotification(TrustNotification, (p: TrustParams) => {
    session.trusted = p.trusted;
    if (p.http) session.http = p.http;
    session.reconfigure();
    for (const d of documents.all()) session.scheduleJwks(d.uri);
  });

  connection.onDidChangeWatchedFiles(async (params) => {
    for (const change of params.changes) {
      if (documents.get(change.uri) || !change.uri.startsWith('file:')) continue; // open documents are authoritative
      if (change.type === FileChangeType.Deleted) host.removeFile(change.uri);
      else {
        const text = await readIfSmall(fileURLToPath(change.uri));
        if (documents.get(change.uri)) continue;
        if (text === undefined) host.removeFile(change.uri);
        else host.setFile(change.uri, text);
      }
    }
    session.republishChanged();
  });
}
