/**
 * "Istio: Decode JWT", "Istio: Verify JWT" and "Istio: Simulate request". The decoding,
 * verification and simulation run in the language server (custom requests in
 * server/src/protocol.ts); this file only gathers the inputs and shows the server's report in a
 * read-only side document. Tokens are never written to the output channel.
 *
 * Prompts go through the Prompter of ./apply, replaceable through the extension's API
 * (`setPrompter`) so the real-editor tests can answer them.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  DecodeJwtRequest,
  JwtAtRequest,
  SimulateRequest,
  SimulationTargetsRequest,
  VerifyJwtRequest,
  type DecodeJwtResult,
  type JwtAtResult,
  type JwtReport,
  type SimulateParams,
  type SimulateResult,
  type SimulationTargetsResult,
  type VerifyJwtResult,
} from '../../../protocol/src/index';
import { DiffContent, vscodePrompter, type Prompter } from './apply';

export const JWT_COMMANDS = {
  decode: 'istioSecurity.decodeJwt',
  verify: 'istioSecurity.verifyJwt',
  simulate: 'istioSecurity.simulateRequest',
} as const;

/** Scheme of the read-only report documents. */
export const JWT_SCHEME = 'istio-jwt';

/** A compact JWT, optionally after "Bearer ": a cheap shape test before asking the server. */
const JWT_SHAPE = /^(?:Bearer\s+)?eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/i;

/** What a command did; returned to `executeCommand` callers (the real-editor tests). */
export interface JwtCommandResult {
  /** The report document. */
  uri: string;
  title: string;
  content: string;
  /** Where the token came from. */
  source?: TokenSource;
  /** Simulate: the decision. */
  status?: number;
}

export type TokenSource = 'argument' | 'selection' | 'cursor' | 'clipboard' | 'input';

/** Optional arguments of the commands (programmatic callers). */
export interface JwtCommandArgs {
  token?: string;
}

const OTHER_WORKLOAD = 'Other workload…';
const CLIPBOARD_TIMEOUT_MS = 2000;
const METHOD = /^[A-Za-z]+$/;
const LABELS = /^\s*$|^\s*[^=,\s]+=[^=,]*(,\s*[^=,\s]+=[^=,]*)*\s*$/;

function parseLabels(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => [p.slice(0, p.indexOf('=')).trim(), p.slice(p.indexOf('=') + 1).trim()]),
  );
}

async function readClipboard(): Promise<string> {
  const timeout = new Promise<string>((resolve) => setTimeout(() => resolve(''), CLIPBOARD_TIMEOUT_MS));
  return Promise.race([Promise.resolve(vscode.env.clipboard.readText()).catch(() => ''), timeout]);
}

export class JwtCommands implements vscode.Disposable {
  prompter: Prompter = vscodePrompter;
  private readonly reports = new DiffContent(JWT_SCHEME, 'md');
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly output: vscode.OutputChannel,
  ) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(JWT_SCHEME, this.reports);
  }

  register(context: vscode.ExtensionContext): void {
    context.subscriptions.push(
      this,
      vscode.commands.registerCommand(JWT_COMMANDS.decode, (args?: JwtCommandArgs) => this.run('decode', () => this.decode(args))),
      vscode.commands.registerCommand(JWT_COMMANDS.verify, (args?: JwtCommandArgs) => this.run('verify', () => this.verify(args))),
      vscode.commands.registerCommand(JWT_COMMANDS.simulate, (args?: JwtCommandArgs) => this.run('simulate', () => this.simulate(args))),
    );
  }

  dispose(): void {
    this.registration.dispose();
  }

  /** Runs a command; failures are shown and logged without any token. */
  private async run(name: string, body: () => Promise<JwtCommandResult | undefined>): Promise<JwtCommandResult | undefined> {
    try {
      return await body();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.output.appendLine(`Istio: ${name} failed: ${message.replace(/eyJ[A-Za-z0-9_.-]+/g, '<token>')}`);
      void vscode.window.showErrorMessage(`Istio: ${name} failed (see the Istio Security output).`);
      return undefined;
    }
  }

  private server(): LanguageClient {
    const c = this.client();
    if (!c) throw new Error('the language server is not running');
    return c;
  }

  /**
   * The token to work on: an argument, the selection, the token under the cursor, a JWT on the
   * clipboard, else an input box. `optional`: an empty answer means "no token" (simulate).
   */
  private async token(args: JwtCommandArgs | undefined, optional: boolean): Promise<{ token: string; source: TokenSource } | undefined> {
    if (args?.token) return { token: args.token, source: 'argument' };
    const editor = vscode.window.activeTextEditor;
    if (editor && !editor.selection.isEmpty) return { token: editor.document.getText(editor.selection).trim(), source: 'selection' };
    if (editor && editor.document.uri.scheme !== JWT_SCHEME) {
      const at = await this.server().sendRequest(JwtAtRequest, { uri: editor.document.uri.toString(), position: editor.selection.active });
      if (at.token) return { token: at.token, source: 'cursor' };
    }
    const clip = (await readClipboard()).trim();
    if (JWT_SHAPE.test(clip)) return { token: clip, source: 'clipboard' };
    const typed = await this.prompter.input(
      optional ? 'JWT sent as "Authorization: Bearer" (empty: no token)' : 'JWT to inspect (a "Bearer " prefix is ignored)',
      '',
      (v) => (optional || v.trim() !== '' ? undefined : 'Paste a JWT: header.payload.signature'),
    );
    if (typed === undefined) return undefined;
    return { token: typed.trim(), source: 'input' };
  }

  /** Shows a report beside the active editor; returns what the tests assert. */
  private async show(kind: string, report: JwtReport, extra: Partial<JwtCommandResult> = {}): Promise<JwtCommandResult> {
    const uri = this.reports.put(kind, report.content);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    this.output.appendLine(`Istio: ${report.title}`);
    return { uri: uri.toString(), title: report.title, content: report.content, ...extra };
  }

  async decode(args?: JwtCommandArgs): Promise<JwtCommandResult | undefined> {
    const t = await this.token(args, false);
    if (!t) return undefined;
    const r = await this.server().sendRequest(DecodeJwtRequest, { token: t.token });
    return this.show('decoded-jwt', r, { source: t.source });
  }

  async verify(args?: JwtCommandArgs): Promise<JwtCommandResult | undefined> {
    const t = await this.token(args, false);
    if (!t) return undefined;
    let r: VerifyJwtResult = await this.server().sendRequest(VerifyJwtRequest, { token: t.token });
    if (r.kind === 'needsRule') {
      if (r.candidates.length === 0) {
        void vscode.window.showWarningMessage('Istio: no RequestAuthentication jwtRule in the workspace to verify the token against.');
        return undefined;
      }
      const labels = r.candidates.map((c) => c.label);
      const picked = await this.prompter.pick(`Verify against which jwtRule? (${r.reason})`, labels);
      const rule = r.candidates.find((c) => c.label === picked);
      if (!rule) return undefined;
      r = await this.server().sendRequest(VerifyJwtRequest, { token: t.token, rule });
      if (r.kind === 'needsRule') throw new Error(r.reason);
    }
    return this.show('jwt-verification', r, { source: t.source });
  }

  /** The proxy: a workload named by the workspace's selectors, a gateway or Service named by targetRefs, or a typed workload. */
  private async target(): Promise<SimulateParams['target'] | undefined> {
    const { targets } = await this.server().sendRequest(SimulationTargetsRequest);
    const picked = await this.prompter.pick('Workload receiving the request (from the selectors in the workspace), or a gateway or service (from targetRefs)', [...targets.map((x) => x.label), OTHER_WORKLOAD]);
    if (picked === undefined) return undefined;
    const known = targets.find((x) => x.label === picked);
    if (known) return known.target ?? { namespace: known.namespace, labels: known.labels };
    const namespace = await this.prompter.input('Workload namespace', 'default', (v) => (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) ? undefined : 'A namespace is a DNS label.'));
    if (namespace === undefined) return undefined;
    const labels = await this.prompter.input('Workload labels (key=value,...)', '', (v) => (LABELS.test(v) ? undefined : 'Labels are key=value pairs separated by commas.'));
    if (labels === undefined) return undefined;
    return { namespace, labels: parseLabels(labels) };
  }

  async simulate(args?: JwtCommandArgs): Promise<JwtCommandResult | undefined> {
    const method = await this.prompter.input('HTTP method', 'GET', (v) => (METHOD.test(v) ? undefined : 'A method is a word such as GET or POST.'));
    if (method === undefined) return undefined;
    const path = await this.prompter.input('Path (with query string)', '/', (v) => (v.startsWith('/') ? undefined : 'A path starts with "/".'));
    if (path === undefined) return undefined;
    const host = await this.prompter.input('Host (:authority; empty: none)', '', () => undefined);
    if (host === undefined) return undefined;
    const target = await this.target();
    if (!target) return undefined;
    const t = await this.token(args, true);
    if (!t) return undefined;
    const params: SimulateParams = { method: method.toUpperCase(), path, host: host || undefined, target, token: t.token || undefined };
    const r = await this.server().sendRequest(SimulateRequest, params);
    return this.show('simulation', r, { source: t.source, status: r.status });
  }
}

/** An output channel that also keeps what was written (bounded), for the redaction test. */
export function recordingChannel(channel: vscode.OutputChannel, maxChars = 1 << 20): { channel: vscode.OutputChannel; text(): string } {
  let log = '';
  const keep = (s: string): void => {
    log = (log + s).slice(-maxChars);
  };
  const wrapped = new Proxy(channel, {
    get(target, prop, receiver) {
      if (prop === 'append') return (v: string) => (keep(v), target.append(v));
      if (prop === 'appendLine') return (v: string) => (keep(`${v}\n`), target.appendLine(v));
      if (prop === 'replace') return (v: string) => ((log = ''), keep(v), target.replace(v));
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { channel: wrapped, text: () => log };
}

/** Registers the JWT commands; the prompter can be replaced through the returned object. */
export function registerJwtCommands(context: vscode.ExtensionContext, client: () => LanguageClient | undefined, output: vscode.OutputChannel): JwtCommands {
  const commands = new JwtCommands(client, output);
  commands.register(context);
  return commands;
}
