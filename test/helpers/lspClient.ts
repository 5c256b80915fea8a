import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  WorkDoneProgress,
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-languageserver/node';
import type { Diagnostic, PublishDiagnosticsParams, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { ensureBuilt, ROOT } from './build';

/**
 * A minimal LSP client for tests: spawns the real server over stdio exactly as an editor does
 * (`node dist/server.js --stdio`, or `istio-sec lsp --stdio`) and speaks JSON-RPC to it.
 */
export class LspTestClient {
  readonly connection: MessageConnection;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: Array<() => void> = [];
  readonly notifications: Array<{ method: string; params: unknown }> = [];
  /** Work-done progress values the server reported, in order. */
  readonly progress: Array<{ kind: string; title?: string; message?: string; percentage?: number }> = [];
  readonly stderr: string[] = [];
  private versions = new Map<string, number>();

  private constructor(readonly proc: ChildProcess) {
    const reader = new StreamMessageReader(proc.stdout!);
    // vscode-jsonrpc re-arms its partial-message timer forever once a server dies mid-message,
    // and dispose() does not clear it: that kept test processes alive after their last test.
    reader.partialMessageTimeout = 0;
    this.connection = createMessageConnection(reader, new StreamMessageWriter(proc.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
      this.wake();
    });
    this.connection.onNotification((method: string, params: unknown) => {
      this.notifications.push({ method, params });
      this.wake();
    });
    this.connection.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) =>
      p.items.map((item) => (this.settings && item.section && item.section in this.settings ? this.settings[item.section] : this.settings)),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', (p: { token: string | number }) => {
      this.connection.onProgress(WorkDoneProgress.type, p.token, (value) => {
        this.progress.push(value);
        this.wake();
      });
      return null;
    });
    proc.stderr!.on('data', (d: Buffer) => this.stderr.push(d.toString()));
    this.connection.listen();
  }

  settings: Record<string, unknown> | null = null;

  /** The initialize result (server capabilities). */
  capabilities: Record<string, unknown> = {};

  static async start(
    opts: { viaCli?: boolean; initializationOptions?: unknown; workspaceFolder?: string; serverArgs?: string[]; settings?: Record<string, unknown>; nodeArgs?: string[] } = {},
  ): Promise<LspTestClient> {
    if (!opts.serverArgs) ensureBuilt();
    const args = opts.serverArgs ?? (opts.viaCli ? [join(ROOT, 'bin', 'istio-sec.js'), 'lsp', '--stdio'] : [join(ROOT, 'dist', 'server.js'), '--stdio']);
    const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const client = new LspTestClient(proc);
    if (opts.settings) client.settings = opts.settings;
    const folder = opts.workspaceFolder;
    const init = await client.connection.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: folder ? pathToFileURL(folder).toString() : null,
      workspaceFolders: folder ? [{ uri: pathToFileURL(folder).toString(), name: 'ws' }] : null,
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true } },
      },
      // Tests make no network request unless they ask for it (JWKS tests pass their own options).
      initializationOptions: opts.initializationOptions ?? { settings: { offline: true } },
    });
    client.capabilities = init.capabilities;
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Waits until `predicate` holds, re-checked after every message from the server. */
  async waitFor<T>(predicate: () => T | undefined, timeoutMs = 10_000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = predicate();
      if (v !== undefined && v !== false) return v;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; stderr: ${this.stderr.join('').slice(-2000)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Diagnostics published for `uri` at `version` (or any version when omitted). */
  async diagnosticsFor(uri: string, version?: number, timeoutMs?: number): Promise<Diagnostic[]> {
    const p = await this.waitFor(
      () => {
        const d = this.diagnostics.get(uri);
        return d && (version === undefined || d.version === version) ? d : undefined;
      },
      timeoutMs,
      `diagnostics for ${uri}@${version ?? 'any'}`,
    );
    return p.diagnostics;
  }

  lastDiagnostics(uri: string): PublishDiagnosticsParams | undefined {
    return this.diagnostics.get(uri);
  }

  open(uri: string, text: string, languageId = 'yaml'): number {
    this.versions.set(uri, 1);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return 1;
  }

  change(uri: string, changes: TextDocumentContentChangeEvent[]): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  close(uri: string): void {
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      void this.connection.sendNotification('exit');
    } catch {
      /* already gone */
    }
    this.connection.dispose();
    await new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null) return resolve();
      const t = setTimeout(() => {
        this.proc.kill('SIGKILL');
        resolve();
      }, 2000);
      this.proc.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}

export function fileUri(name: string): string {
  return pathToFileURL(join('/tmp/istio-sec-test', name)).toString();
}
