/**
 * The render request behind "Istio: Check Kustomize Overlay" / "Check Helm Chart": runs
 * `kubectl kustomize` or `helm template` through the host's render functions (the same code as
 * `istio-sec check --kustomize/--helm`) and answers LSP diagnostics per source file; the client
 * shows them in their own collection.
 */
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { checkHelmChart, checkKustomize } from '../../../engine/src/host/index';
import { CheckRenderedRequest, type CheckRenderedParams, type CheckRenderedResult } from '../../../protocol/src/index';
import { toDiagnostic } from '../lsp';
import type { Session } from '../session';

function count(files: CheckRenderedResult<Diagnostic>['files'], severity: number): number {
  return files.reduce((n, f) => n + f.diagnostics.filter((d) => d.severity === severity).length, 0);
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

async function checkRendered(session: Session, p: CheckRenderedParams, signal: AbortSignal): Promise<CheckRenderedResult<Diagnostic>> {
  const { defaultNamespace, rootNamespace } = session.settings;
  const opts = { settings: { defaultNamespace, rootNamespace }, kubectl: p.kubectlPath, timeoutMs: p.timeoutMs, signal };
  const r = p.renderer === 'helm' ? await checkHelmChart(p.dir, p.values ?? [], opts) : await checkKustomize(p.dir, opts);
  if (!r.ok) return { ok: false, message: r.message, files: [] };
  const files = [...r.findings].map(([file, findings]) => {
    const uri = pathToFileURL(file).toString();
    return { uri, diagnostics: findings.map((f) => toDiagnostic(f, uri)) };
  });
  const what = p.renderer === 'helm' ? 'helm template' : 'kubectl kustomize';
  return { ok: true, message: `${what} ${p.dir}: ${plural(r.objects, 'object')} checked, ${plural(count(files, 1), 'error')}, ${plural(count(files, 2), 'warning')}`, files };
}

export function registerRender(session: Session): void {
  session.connection.onRequest(CheckRenderedRequest, async (p, token) => {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      return await checkRendered(session, p, abort.signal);
    } finally {
      sub.dispose();
    }
  });
}
