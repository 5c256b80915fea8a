import * as vscode from 'vscode';
import type { StatusParams } from '../../protocol/src/index';

/** The language status item: how many Istio documents the current YAML file holds. */
export class LanguageStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly byUri = new Map<string, StatusParams>();

  constructor() {
    this.item = vscode.languages.createLanguageStatusItem('istioSecurity.status', { language: 'yaml' });
    this.item.name = 'Istio Security';
    this.item.command = { title: 'Show Output', command: 'istioSecurity.showOutput' };
    this.render();
  }

  update(p: StatusParams): void {
    this.byUri.set(p.uri, p);
    this.render();
  }

  get(uri: string): StatusParams | undefined {
    return this.byUri.get(uri);
  }

  clear(): void {
    this.byUri.clear();
    this.render();
  }

  render(): void {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const p = uri ? this.byUri.get(uri) : undefined;
    if (!p || p.istioDocuments === 0) {
      this.item.text = 'Istio: no Istio documents';
      this.item.detail = 'Istio Security validates documents whose apiVersion is an istio.io or gateway.networking.k8s.io group';
      this.item.severity = vscode.LanguageStatusSeverity.Information;
      return;
    }
    const docs = `${p.istioDocuments} Istio document${p.istioDocuments === 1 ? '' : 's'}`;
    this.item.text = `Istio: ${docs}`;
    this.item.detail = `${p.errors} error${p.errors === 1 ? '' : 's'}, ${p.warnings} warning${p.warnings === 1 ? '' : 's'}`;
    this.item.severity = p.errors > 0 ? vscode.LanguageStatusSeverity.Error : p.warnings > 0 ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
  }

  dispose(): void {
    this.item.dispose();
  }
}
