import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ConvertRemovedApisRequest, ConvertToGatewayApiRequest, type ConvertRemovedApisResult } from '../../../protocol/src/index';

/** One conversion command: the server converts the document, the client applies one undoable edit. */
interface ConversionCommand {
  id: string;
  request: typeof ConvertRemovedApisRequest;
  /** Shown when there is no document. */
  needs: string;
  nothing: string;
  done: string;
  /** What the guesses marked with TODO comments are (counted from notes whose code says "guess"). */
  guesses: string;
}

const COMMANDS: readonly ConversionCommand[] = [
  {
    // authentication.istio.io, rbac.istio.io → security.istio.io/v1
    id: 'istioSecurity.convertRemovedApis',
    request: ConvertRemovedApisRequest,
    needs: 'open a YAML file with removed Istio APIs to convert it.',
    nothing: 'nothing to convert in this file (no authentication.istio.io or rbac.istio.io document).',
    done: 'converted to security.istio.io/v1 (undo reverts it).',
    guesses: 'guessed selector(s)',
  },
  {
    // Istio Gateway + VirtualServices + gateway policies → Gateway API Gateway, routes, targetRefs policies
    id: 'istioSecurity.convertToGatewayApi',
    request: ConvertToGatewayApiRequest,
    needs: 'open a YAML file with an Istio Gateway to convert it.',
    nothing: 'nothing to convert in this file (no Istio Gateway that Gateway API can express).',
    done: 'converted to the Kubernetes Gateway API (undo reverts it); what did not map is listed in the Istio output.',
    guesses: 'guess(es)',
  },
];

/**
 * "Istio: Convert removed APIs" and "Istio: Convert to Kubernetes Gateway API": the client
 * applies the server's edit and shows the notes (guesses to confirm, what could not be expressed).
 */
export function registerConvertCommand(context: vscode.ExtensionContext, client: () => LanguageClient | undefined, output: vscode.OutputChannel): void {
  for (const cmd of COMMANDS) {
    context.subscriptions.push(
      vscode.commands.registerCommand(cmd.id, async (uri?: vscode.Uri | string): Promise<ConvertRemovedApisResult | undefined> => {
        const c = client();
        const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : (uri ?? vscode.window.activeTextEditor?.document.uri);
        if (!c || !target) {
          void vscode.window.showWarningMessage(`Istio: ${cmd.needs}`);
          return undefined;
        }
        const doc = await vscode.workspace.openTextDocument(target);
        const result = await c.sendRequest(cmd.request, { uri: doc.uri.toString() });
        if (!result.edit) {
          void vscode.window.showInformationMessage(`Istio: ${cmd.nothing}`);
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
        void vscode.window.showInformationMessage(`Istio: ${cmd.done}${confirm ? ` ${confirm} ${cmd.guesses} are marked with TODO comments: confirm them.` : ''}`);
        return result;
      }),
    );
  }
}
