import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ConvertRemovedApisRequest, type ConvertRemovedApisResult } from '../../../protocol/src/index';

/**
 * "Istio: Convert removed APIs": the server converts the document (authentication.istio.io,
 * rbac.istio.io → security.istio.io/v1); the client applies it as one undoable edit and shows
 * the notes (guessed selectors to confirm, what could not be expressed).
 */
export function registerConvertCommand(context: vscode.ExtensionContext, client: () => LanguageClient | undefined, output: vscode.OutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('istioSecurity.convertRemovedApis', async (uri?: vscode.Uri | string): Promise<ConvertRemovedApisResult | undefined> => {
      const c = client();
      const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : (uri ?? vscode.window.activeTextEditor?.document.uri);
      if (!c || !target) {
        void vscode.window.showWarningMessage('Istio: open a YAML file with removed Istio APIs to convert it.');
        return undefined;
      }
      const doc = await vscode.workspace.openTextDocument(target);
      const result = await c.sendRequest(ConvertRemovedApisRequest, { uri: doc.uri.toString() });
      if (!result.edit) {
        void vscode.window.showInformationMessage('Istio: nothing to convert in this file (no authentication.istio.io or rbac.istio.io document).');
        return result;
      }
      if (result.version !== doc.version) {
        void vscode.window.showWarningMessage('Istio: the document changed during the conversion; run the command again.');
        return result;
      }
      const edit = new vscode.WorkspaceEdit();
      const r = result.edit.range;
      edit.replace(doc.uri, new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character), result.edit.newText);
      await vscode.workspace.applyEdit(edit);
      for (const n of result.notes) output.appendLine(`${doc.uri.fsPath}:${n.line + 1}: ${n.severity} ${n.code} ${n.message}`);
      const confirm = result.notes.filter((n) => n.code.includes('guess')).length;
      void vscode.window.showInformationMessage(
        `Istio: converted to security.istio.io/v1 (undo reverts it).${confirm ? ` ${confirm} guessed selector(s) are marked with TODO comments: confirm them.` : ''}`,
      );
      return result;
    }),
  );
}
