/**
 * "Istio: Check Kustomize Overlay" and "Istio: Check Helm Chart": render the overlay or chart the
 * current file belongs to and show what would be applied is wrong. The language server runs
 * `kubectl kustomize` / `helm template` through the engine (request istio/checkRendered, the same
 * code as `istio-sec check --kustomize/--helm`); the findings go to their own diagnostics
 * collection, placed in the patch, resource file, kustomization or template that produced them.
 */
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { Diagnostic, LanguageClient } from 'vscode-languageclient/node';
import { CheckRenderedRequest, SETTINGS_SECTION, type CheckRenderedParams, type CheckRenderedResult } from '../../../protocol/src/index';
import { renderRoot, type Renderer } from '../kube/renderRoot';

export const RENDER_COMMANDS: Record<Renderer, string> = {
  kustomize: 'istioSecurity.checkKustomize',
  helm: 'istioSecurity.checkHelmChart',
};

const NAMES: Record<Renderer, { what: string; marker: string }> = {
  kustomize: { what: 'Kustomize overlay', marker: 'kustomization.yaml' },
  helm: { what: 'Helm chart', marker: 'Chart.yaml' },
};

export function registerRenderCommands(context: vscode.ExtensionContext, client: () => LanguageClient | undefined, output: vscode.OutputChannel): void {
  const collection = vscode.languages.createDiagnosticCollection('istio-rendered');
  context.subscriptions.push(collection);
  const run = async (renderer: Renderer, target?: vscode.Uri | string): Promise<CheckRenderedResult<Diagnostic> | undefined> => {
    const c = client();
    if (!c) return undefined;
    const uri = typeof target === 'string' ? vscode.Uri.parse(target) : (target ?? vscode.window.activeTextEditor?.document.uri);
    if (!uri || uri.scheme !== 'file') {
      void vscode.window.showWarningMessage(`Istio: open a file of a ${NAMES[renderer].what} first.`);
      return undefined;
    }
    const stopAt = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
    const dir = renderRoot(dirname(uri.fsPath), renderer, stopAt);
    if (!dir) {
      void vscode.window.showWarningMessage(`Istio: no ${NAMES[renderer].marker} in ${dirname(uri.fsPath)} or the folders above it.`);
      return undefined;
    }
    const conf = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const params: CheckRenderedParams = {
      renderer,
      dir,
      kubectlPath: conf.get<string>('kubectl.path', 'kubectl') || 'kubectl',
      timeoutMs: Math.max(0, conf.get<number>('kubectl.timeoutSeconds', 120)) * 1000,
    };
    // The server answers LSP diagnostics (see CheckRenderedResult).
    const result = (await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Istio: rendering ${dir}`, cancellable: true },
      (_p, token) => c.sendRequest(CheckRenderedRequest, params, token),
    )) as CheckRenderedResult<Diagnostic>;
    output.appendLine(`[${renderer}] ${result.message}`);
    collection.clear();
    if (!result.ok) {
      void vscode.window.showErrorMessage(`Istio: ${result.message}`);
      return result;
    }
    for (const f of result.files) collection.set(vscode.Uri.parse(f.uri), f.diagnostics.map((d) => c.protocol2CodeConverter.asDiagnostic(d)));
    void vscode.window.showInformationMessage(`Istio: ${result.message} (Problems view).`);
    return result;
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(RENDER_COMMANDS.kustomize, (target?: vscode.Uri | string) => run('kustomize', target)),
    vscode.commands.registerCommand(RENDER_COMMANDS.helm, (target?: vscode.Uri | string) => run('helm', target)),
  );
}
