/** Document synchronization: open documents are given to the host as they change, then published. */
import { sendQuietly, type Session } from '../session';
import { readIfSmall } from '../workspaceFiles';

/** Files larger than this are analysed on worker threads when opened. */
const PARALLEL_MIN_CHARS = 1024 * 1024;

export function registerSync(session: Session): void {
  const { host, documents, connection } = session;

  /** A large file is analysed on worker threads first (every core); the host then only looks its documents up. */
  const open = async (uri: string): Promise<void> => {
    const doc = documents.get(uri);
    if (!doc) return;
    if (doc.getText().length >= PARALLEL_MIN_CHARS) {
      session.loading.add(uri);
      await host.preload([doc.getText()]).catch((err: unknown) => connection.console.warn(`parallel analysis failed, analysing in-process: ${String(err)}`));
      session.loading.delete(uri);
    }
    const current = documents.get(uri);
    if (!current) return;
    host.setFile(uri, current.getText(), current.version);
    session.schedule(uri);
  };

  const close = async (uri: string): Promise<void> => {
    session.forget(uri);
    sendQuietly(() => connection.sendDiagnostics({ uri, diagnostics: [] }));
    // The file on disk (if any, inside the workspace) becomes the truth again.
    const path = session.pathInFolders(uri);
    const text = path !== undefined ? await readIfSmall(path) : undefined;
    if (documents.get(uri)) return; // reopened meanwhile
    if (text === undefined) host.removeFile(uri);
    else host.setFile(uri, text);
    session.republishChanged();
  };

  documents.listen(connection, {
    opened: (doc) => void open(doc.uri),
    changed: (doc, edit) => {
      if (session.loading.has(doc.uri)) return; // the load reads the newest text when it ends
      try {
        host.applyChanges(doc.uri, edit?.fromVersion, doc.version, edit ? [edit] : [], doc.getText());
      } catch (err) {
        connection.console.error(`update failed for ${doc.uri}: ${(err as Error).stack ?? String(err)}`);
        return;
      }
      session.schedule(doc.uri);
    },
    closed: (uri) => void close(uri),
  });
}
