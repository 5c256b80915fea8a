import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  AnalyzeKeySetRequest,
  CheckJwksRequest,
  Commands,
  KubectlProxyArgsRequest,
  SETTINGS_SECTION,
  StatusNotification,
  TrustNotification,
  type AnalyzeKeySetParams,
  type CheckJwksResult,
  type InitializationOptions,
  type KeySetReport,
  type KubectlProxyArgsParams,
  type KubectlProxyArgsResult,
  type StatusParams,
  type TrustParams,
} from '../../protocol/src/index';
import { registerConvertCommand } from './commands/convert';
import { registerRenderCommands } from './commands/render';
import type { ClusterJwksEngine } from './kube/clusterJwks';
import { LanguageStatus } from './languageStatus';
import { registerKubeCommands, type Prompter } from './commands/apply';
import { recordingChannel, registerJwtCommands } from './commands/jwt';

export const CLIENT_ID = 'istioSecurity';
export const CLIENT_NAME = 'Istio Security';

let client: LanguageClient | undefined;

/** What the extension returns from activate(): used by the real-editor tests. */
export interface ExtensionApi {
  /** Resolves when the language server has started. */
  ready: Promise<void>;
  /** The last status the server reported for a document URI. */
  statusOf(uri: string): StatusParams | undefined;
  /** Restarts the language server (also a command). */
  restart(): Promise<void>;
  /** Replaces how the JWT commands ask (tests script the answers); undefined restores VS Code's prompts. */
  setPrompter(prompter: Prompter | undefined): void;
  /** What was written to the output channel since activation (bounded): the redaction test reads it. */
  outputText(): string;
}

function httpSettings(): TrustParams['http'] {
  const http = vscode.workspace.getConfiguration('http');
  return { proxy: http.get<string>('proxy') || undefined, proxyStrictSSL: http.get<boolean>('proxyStrictSSL', true) };
}

function createClient(context: vscode.ExtensionContext, output: vscode.OutputChannel): LanguageClient {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'yaml', scheme: 'file' },
      { language: 'yaml', scheme: 'untitled' },
      // Helm chart templates (vscode-kubernetes-tools gives them the helm language): checked with actions masked.
      { language: 'helm', scheme: 'file' },
    ],
    synchronize: {
      configurationSection: SETTINGS_SECTION,
      // The server indexes closed YAML files of the workspace; tell it when they change.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}'),
    },
    outputChannel: output,
    initializationOptions: {
      settings: vscode.workspace.getConfiguration(SETTINGS_SECTION) as unknown as InitializationOptions['settings'],
      trusted: vscode.workspace.isTrusted,
      http: httpSettings(),
    } satisfies InitializationOptions,
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const recorded = recordingChannel(vscode.window.createOutputChannel(CLIENT_NAME));
  const output = recorded.channel;
  const status = new LanguageStatus();
  context.subscriptions.push(output, status);

  const start = async (): Promise<void> => {
    client = createClient(context, output);
    client.onNotification(StatusNotification, (p: StatusParams) => status.update(p));
    await client.start();
  };

  const restart = async (): Promise<void> => {
    if (client) await client.stop().catch(() => undefined);
    status.clear();
    await start();
    output.appendLine('Istio Security language server restarted.');
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('istioSecurity.restartServer', restart),
    vscode.commands.registerCommand('istioSecurity.showOutput', () => output.show(true)),
    vscode.commands.registerCommand(Commands.showReferences, (uri: string, position: { line: number; character: number }, locations: Array<{ uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }>) => {
      const c = client?.protocol2CodeConverter;
      if (!c) return;
      return vscode.commands.executeCommand('editor.action.showReferences', vscode.Uri.parse(uri), c.asPosition(position), locations.map((l) => c.asLocation(l)));
    }),
    vscode.window.onDidChangeActiveTextEditor(() => status.render()),
    vscode.commands.registerCommand(Commands.checkJwks, (uri?: string) => checkJwks(uri)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => notifyTrust()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('http')) notifyTrust();
    }),
  );

  const notifyTrust = (): void => {
    void client?.sendNotification(TrustNotification, { trusted: vscode.workspace.isTrusted, http: httpSettings() } satisfies TrustParams);
  };

  /** The engine functions the kubectl JWKS check needs, asked of the language server. */
  const serverEngine = (): ClusterJwksEngine => {
    const c = client;
    if (!c) throw new Error('the Istio language server is not running (Istio: Restart server)');
    return {
      proxyArgs: async (url, opts) => (await c.sendRequest(KubectlProxyArgsRequest, { url, ...opts } satisfies KubectlProxyArgsParams)).args,
      analyzeKeySet: (text) => c.sendRequest(AnalyzeKeySetRequest, { text } satisfies AnalyzeKeySetParams),
    };
  };

  /** "Istio: Check JWKS endpoints": the whole workspace (or one document, from a lens), with progress and cancel. */
  const checkJwks = async (uri?: string): Promise<CheckJwksResult | undefined> => {
    if (!client) return undefined;
    const c = client;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Istio: checking JWKS endpoints', cancellable: true },
      (_progress, token) => c.sendRequest(CheckJwksRequest, { uri, force: true }, token),
    );
    if (result.offline) void vscode.window.showInformationMessage('Istio: offline mode is on (istioSecurity.offline): no endpoint was fetched.');
    else if (!uri) void vscode.window.showInformationMessage(`Istio: checked ${result.documents} RequestAuthentication document(s): ${result.problems} problem(s) reported in the Problems view.`);
    return result;
  };

  registerKubeCommands(context, output, () => serverEngine());
  registerConvertCommand(context, () => client, output);
  registerRenderCommands(context, () => client, output);
  const jwtCommands = registerJwtCommands(context, () => client, output);
  const defaultPrompter = jwtCommands.prompter;

  const ready = start();
  ready.catch((err: unknown) => {
    void vscode.window.showErrorMessage(`Istio Security: the language server failed to start: ${String(err)}`);
  });
  return {
    ready,
    statusOf: (uri) => status.get(uri),
    restart,
    setPrompter: (p) => {
      jwtCommands.prompter = p ?? defaultPrompter;
    },
    outputText: () => recorded.text(),
  };
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
}
