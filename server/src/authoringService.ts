import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem } from 'vscode-languageserver';
import type { Position } from '../../engine/src/diagnostics';
import { complete, type CompletionEntry } from '../../engine/src/authoring/complete';
import { describeAt } from '../../engine/src/authoring/describe';
import type { FileModel } from '../../engine/src/model/fileModel';
import type { WorkspaceIndex } from '../../engine/src/workspace/index';

const KIND: Record<CompletionEntry['kind'], CompletionItemKind> = {
  field: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  kind: CompletionItemKind.Class,
  reference: CompletionItemKind.Reference,
  attribute: CompletionItemKind.Keyword,
};

/** The document under the cursor and the cursor in its coordinates: completion and hover never touch the rest of the file. */
function local(model: FileModel, pos: Position) {
  const entry = model.documentAtLine(pos.line);
  if (!entry) return undefined;
  return { text: entry.segment.text, line: pos.line - entry.segment.startLine, character: pos.character, startLine: entry.segment.startLine };
}

/** LSP completion items for a position (engine entries converted). */
export function completionItems(model: FileModel, pos: Position, index: WorkspaceIndex, defaultNamespace: string): CompletionItem[] {
  const at = local(model, pos);
  if (!at) return [];
  return complete(at.text, at.line, at.character, { index, defaultNamespace }).map((e) => ({
    label: e.label,
    kind: KIND[e.kind],
    detail: e.detail,
    documentation: e.documentation ? { kind: MarkupKind.Markdown, value: e.documentation } : undefined,
    sortText: e.sortText,
    filterText: e.label,
    insertTextFormat: e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    textEdit: {
      range: { start: { line: e.replace.line + at.startLine, character: e.replace.start }, end: { line: e.replace.line + at.startLine, character: e.replace.end } },
      newText: e.insertText,
    },
  }));
}

/** Field, enum value and `when` key documentation for a position. */
export function fieldHover(model: FileModel, pos: Position): string | undefined {
  const at = local(model, pos);
  return at ? describeAt(at.text, at.line, at.character) : undefined;
}
