import type { Connection, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** One edit in offsets of the text before it, with the whole text after it. */
export interface Edit {
  /** Version of the document the offsets refer to. */
  fromVersion: number;
  start: number;
  end: number;
  newText: string;
  text: string;
}

export interface DocumentEvents {
  opened(doc: TextDocument): void;
  /** `edit` is set when the change was a single ranged edit (the common keystroke). */
  changed(doc: TextDocument, edit: Edit | undefined): void;
  closed(uri: string): void;
}

/**
 * The open documents, kept with incremental sync. Unlike vscode-languageserver's TextDocuments,
 * it tells the listener what each change was, so the engine can re-split only around it.
 */
export class DocumentStore {
  private readonly docs = new Map<string, TextDocument>();

  get(uri: string): TextDocument | undefined {
    return this.docs.get(uri);
  }

  all(): TextDocument[] {
    return [...this.docs.values()];
  }

  listen(connection: Connection, events: DocumentEvents): void {
    connection.onDidOpenTextDocument(({ textDocument: t }) => {
      const doc = TextDocument.create(t.uri, t.languageId, t.version, t.text);
      this.docs.set(t.uri, doc);
      events.opened(doc);
    });
    connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
      const doc = this.docs.get(textDocument.uri);
      if (!doc || contentChanges.length === 0) return;
      const edit = contentChanges.length === 1 ? singleEdit(doc, contentChanges[0]) : undefined;
      // TextDocument.update changes `doc` in place: read the version the edit applies to first.
      const fromVersion = doc.version;
      const updated = TextDocument.update(doc, contentChanges, textDocument.version);
      this.docs.set(textDocument.uri, updated);
      events.changed(updated, edit && { ...edit, fromVersion, text: updated.getText() });
    });
    connection.onDidCloseTextDocument(({ textDocument }) => {
      this.docs.delete(textDocument.uri);
      events.closed(textDocument.uri);
    });
  }
}

function singleEdit(before: TextDocument, change: TextDocumentContentChangeEvent): Omit<Edit, 'text' | 'fromVersion'> | undefined {
  if (!('range' in change) || !change.range) return undefined;
  return { start: before.offsetAt(change.range.start), end: before.offsetAt(change.range.end), newText: change.text };
}
