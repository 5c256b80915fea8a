/** Conversions from the host's plain data to LSP types (and back, for code actions). */
import {
  CodeAction,
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  DiagnosticTag,
  InsertTextFormat,
  MarkupKind,
  SymbolKind,
  type CodeLens,
  type CompletionItem,
  type Diagnostic,
  type DocumentSymbol,
  type Location,
  type SymbolInformation,
} from 'vscode-languageserver';
import { codeDocUrl, type CompletionItem as HostCompletion, type DocumentSymbol as HostSymbol, type Finding, type Fix, type Lens, type Location as HostLocation, type Severity, type WorkspaceSymbol } from '../../engine/src/host/index';
import { Commands } from '../../protocol/src/index';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const DIAGNOSTIC_SOURCE = 'istio';

/** Data carried on each diagnostic so code actions need no second analysis. */
export interface DiagnosticData {
  fixes?: Fix[];
  istioCode?: string;
}

export function toDiagnostic(f: Finding, uri: string): Diagnostic {
  const data: DiagnosticData = {};
  if (f.fixes?.length) data.fixes = f.fixes;
  if (f.istioCode) data.istioCode = f.istioCode;
  return {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    codeDescription: { href: codeDocUrl(f.code) },
    source: DIAGNOSTIC_SOURCE,
    message: f.istioCode ? `${f.message} (${f.istioCode})` : f.message,
    tags: f.tags?.map((t) => (t === 'deprecated' ? DiagnosticTag.Deprecated : DiagnosticTag.Unnecessary)),
    relatedInformation: f.related?.map((r) => ({
      location: { uri: r.file ?? uri, range: r.range },
      message: r.message,
    })),
    data: data.fixes || data.istioCode ? data : undefined,
  };
}

/**
 * Converts a file's findings, reusing the conversion of every finding the host handed out before
 * (it keeps the objects of unchanged documents): a keystroke converts only what it changed.
 */
export class DiagnosticConverter {
  private readonly cache = new WeakMap<Finding, Diagnostic>();

  convert(findings: readonly Finding[], uri: string): Diagnostic[] {
    return findings.map((f) => {
      let d = this.cache.get(f);
      if (!d) {
        d = toDiagnostic(f, uri);
        this.cache.set(f, d);
      }
      return d;
    });
  }
}

/** A quick fix editing one document. */
export function toCodeAction(uri: string, fix: Fix): CodeAction {
  const action = CodeAction.create(fix.title, { changes: { [uri]: fix.edits } }, CodeActionKind.QuickFix);
  if (fix.isPreferred) action.isPreferred = true;
  return action;
}

export function toCodeActions(uri: string, diagnostics: Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== DIAGNOSTIC_SOURCE) continue;
    const fixes = (d.data as DiagnosticData | undefined)?.fixes ?? [];
    for (const fix of fixes) {
      const action = toCodeAction(uri, fix);
      action.diagnostics = [d];
      actions.push(action);
    }
  }
  return actions;
}

const COMPLETION_KIND: Record<HostCompletion['kind'], CompletionItemKind> = {
  field: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  kind: CompletionItemKind.Class,
  reference: CompletionItemKind.Reference,
  attribute: CompletionItemKind.Keyword,
};

export function toCompletionItem(e: HostCompletion): CompletionItem {
  return {
    label: e.label,
    kind: COMPLETION_KIND[e.kind],
    detail: e.detail,
    documentation: e.documentation ? { kind: MarkupKind.Markdown, value: e.documentation } : undefined,
    sortText: e.sortText,
    filterText: e.label,
    insertTextFormat: e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    textEdit: { range: e.range, newText: e.insertText },
  };
}

export function toLocation(l: HostLocation): Location {
  return { uri: l.file, range: l.range };
}

export function toDocumentSymbol(item: HostSymbol): DocumentSymbol {
  return {
    name: `${item.kind} ${item.namespace ? `${item.namespace}/` : ''}${item.name}`,
    detail: item.apiVersion,
    kind: SymbolKind.Class,
    range: item.range,
    selectionRange: item.selectionRange,
  };
}

export function toWorkspaceSymbol(s: WorkspaceSymbol): SymbolInformation {
  return { name: `${s.namespace}/${s.name ?? '(unnamed)'}`, containerName: s.kind, kind: SymbolKind.Class, location: toLocation(s.location) };
}

/** A host lens as the command(s) VS Code shows: references, or JWKS re-check (and from the cluster). */
export function toCodeLenses(uri: string, lens: Lens): CodeLens[] {
  if (lens.kind === 'references') {
    const n = lens.locations.length;
    return [
      {
        range: lens.range,
        command: { title: `referenced by ${n} ${lens.what}`, command: Commands.showReferences, arguments: [uri, lens.range.start, lens.locations.map(toLocation)] },
      },
    ];
  }
  return [
    { range: lens.range, command: { title: 'Re-check JWKS', command: Commands.checkJwks, arguments: [uri] } },
    ...(lens.cluster ? [{ range: lens.range, command: { title: 'Check from the cluster (kubectl)', command: Commands.checkJwksFromCluster, arguments: [lens.cluster] } }] : []),
  ];
}
