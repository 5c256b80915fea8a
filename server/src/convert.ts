import {
  CodeAction,
  CodeActionKind,
  DiagnosticSeverity,
  DiagnosticTag,
  type Diagnostic,
} from 'vscode-languageserver';
import { codeDocUrl, type Finding, type Fix, type Severity } from '../../engine/src/diagnostics';

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

export function toCodeActions(uri: string, diagnostics: Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== DIAGNOSTIC_SOURCE) continue;
    const fixes = (d.data as DiagnosticData | undefined)?.fixes ?? [];
    for (const fix of fixes) {
      const action = CodeAction.create(fix.title, { changes: { [uri]: fix.edits } }, CodeActionKind.QuickFix);
      action.diagnostics = [d];
      if (fix.isPreferred) action.isPreferred = true;
      actions.push(action);
    }
  }
  return actions;
}
