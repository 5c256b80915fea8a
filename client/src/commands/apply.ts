/**
 * The VS Code face of apply, diff and server-side dry run on a kube context: commands, the
 * confirmation modals, the status bar item with the context and namespace, the "cluster"
 * diagnostics for admission webhook denials. The decisions and kubectl runs live in
 * client/src/kube (no `vscode` there).
 *
 * Prompts go through a Prompter so the real-editor tests, where modals cannot be clicked,
 * can script the answers (istioSecurity.test.kube, registered only outside production).
 */
import * as vscode from 'vscode';
import type { Failure } from '../kube/errors';
import { kubeconfigFiles } from '../kube/kubeconfig';
import type { KubectlSettings } from '../kube/kubectl';
import { manifestDocs, selectDocs, type ManifestDoc, type Span } from '../kube/manifests';
import { applyDocs, diffSides, type ApplyMode, type ClusterRun, type RunOutcome } from '../kube/operations';
import { confirmation, decideApply, isProtectedContext, overrideDetail, targetChanged, validateTypedContext, type ClusterAction, type ErrorMark, type Target } from '../kube/safety';
import { KubeState, targetOf } from '../kube/state';
import { checkJwksThroughCluster, type ClusterJwksEngine } from '../kube/clusterJwks';
import { Commands, type ClusterJwksArgs } from '../../../protocol/src/index';

const SECTION = 'istioSecurity';
const DIFF_SCHEME = 'istio-cluster';
export const CLUSTER_SOURCE = 'cluster';
export const APPLY_ANYWAY = 'Apply anyway';
export const FORCE_CONFLICTS = 'Apply with --force-conflicts';

export const COMMANDS = {
  apply: 'istioSecurity.applyToCluster',
  diff: 'istioSecurity.diffAgainstCluster',
  dryRun: 'istioSecurity.serverDryRun',
  selectContext: 'istioSecurity.selectKubeContext',
  selectNamespace: 'istioSecurity.selectKubeNamespace',
  checkJwksFromCluster: Commands.checkJwksFromCluster,
  /** Test hook: scripts prompt answers and reads the status bar (never registered in production). */
  test: 'istioSecurity.test.kube',
} as const;

/** How the commands ask the user; replaced by a scripted one in the real-editor tests. */
export interface Prompter {
  /** A modal warning; resolves to the chosen item or undefined (cancel). */
  warning(message: string, detail: string, choices: string[]): Thenable<string | undefined>;
  input(prompt: string, value: string, validate: (v: string) => string | undefined): Thenable<string | undefined>;
  pick(title: string, items: string[], active?: string): Thenable<string | undefined>;
}

export const vscodePrompter: Prompter = {
  warning: (message, detail, choices) => vscode.window.showWarningMessage(message, { modal: true, detail }, ...choices),
  input: (prompt, value, validate) => vscode.window.showInputBox({ prompt, value, validateInput: validate, ignoreFocusOut: true }),
  pick: (title, items, active) =>
    vscode.window.showQuickPick(
      items.map((label) => ({ label, picked: label === active, description: label === active ? 'current' : undefined })),
      { title },
    ).then((p) => p?.label),
};

export interface PromptRecord {
  kind: 'warning' | 'input' | 'pick';
  message: string;
  detail?: string;
  choices?: string[];
  answer?: string;
  /** For input: what validateInput said about the scripted answer (then the answer counts as cancelled). */
  validation?: string;
}

/** Answers prompts from a script, in order (null: cancel), and records every prompt. */
export class ScriptedPrompter implements Prompter {
  readonly log: PromptRecord[] = [];
  constructor(private readonly answers: Array<string | null>) {}

  private next(): string | undefined {
    return this.answers.shift() ?? undefined;
  }

  warning(message: string, detail: string, choices: string[]): Thenable<string | undefined> {
    const a = this.next();
    const answer = a !== undefined && choices.includes(a) ? a : undefined;
    this.log.push({ kind: 'warning', message, detail, choices, answer });
    return Promise.resolve(answer);
  }

  input(prompt: string, _value: string, validate: (v: string) => string | undefined): Thenable<string | undefined> {
    const a = this.next();
    const validation = a === undefined ? undefined : validate(a);
    const answer = validation === undefined ? a : undefined;
    this.log.push({ kind: 'input', message: prompt, answer, validation });
    return Promise.resolve(answer);
  }

  pick(title: string, items: string[]): Thenable<string | undefined> {
    const a = this.next();
    const answer = a !== undefined && items.includes(a) ? a : undefined;
    this.log.push({ kind: 'pick', message: title, choices: items, answer });
    return Promise.resolve(answer);
  }
}

export type OutcomeKind = 'applied' | 'dry-run-passed' | 'diff-shown' | 'failed' | 'declined' | 'refused' | 'nothing' | 'selected' | 'checked';

/** What a command did; returned to `executeCommand` callers (the real-editor tests). */
export interface CommandOutcome {
  outcome: OutcomeKind;
  message: string;
  failure?: Failure['kind'];
}

interface Settings {
  kubectl: KubectlSettings;
  protectedContexts: string[];
  serverSide: boolean;
}

function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    kubectl: {
      path: c.get<string>('kubectl.path', 'kubectl') || 'kubectl',
      kubeconfig: c.get<string>('kubectl.kubeconfig', '') || undefined,
      timeoutMs: Math.max(0, c.get<number>('kubectl.timeoutSeconds', 120)) * 1000,
    },
    protectedContexts: c.get<string[]>('protectedContexts', ['*prod*']),
    serverSide: c.get<boolean>('kubectl.serverSideApply', false),
  };
}

function currentKubeconfigFiles(): string[] {
  return kubeconfigFiles(vscode.workspace.getConfiguration(SECTION).get<string>('kubectl.kubeconfig', '') || undefined);
}

function toRange(s: Span): vscode.Range {
  return new vscode.Range(s.start.line, s.start.character, s.end.line, s.end.character);
}

/** Runs `fn` under a cancellable progress notification; cancelling aborts the signal it gets (kubectl is killed). */
function withCancellableProgress<T>(title: string, fn: (signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_p, token) => {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      return await fn(controller.signal);
    } finally {
      sub.dispose();
    }
  });
}

/** The files a command was invoked on: explorer multi-selection, the clicked file, or the active editor. */
function targetUris(uri: unknown, uris: unknown): vscode.Uri[] {
  if (Array.isArray(uris) && uris.length > 0 && uris.every((u) => u instanceof vscode.Uri)) return uris as vscode.Uri[];
  if (uri instanceof vscode.Uri) return [uri];
  const active = vscode.window.activeTextEditor?.document.uri;
  return active ? [active] : [];
}

/** The documents to send: all of each file's, or the selected ones when invoked on the active editor alone. */
async function gatherDocs(uris: vscode.Uri[]): Promise<ManifestDoc[]> {
  const editor = vscode.window.activeTextEditor;
  const out: ManifestDoc[] = [];
  for (const uri of uris) {
    const doc = await vscode.workspace.openTextDocument(uri);
    const docs = manifestDocs(uri.toString(), doc.getText());
    const selections: Span[] =
      uris.length === 1 && editor && editor.document.uri.toString() === uri.toString()
        ? editor.selections.map((s) => ({ start: { line: s.start.line, character: s.start.character }, end: { line: s.end.line, character: s.end.character } }))
        : [];
    out.push(...selectDocs(docs, selections));
  }
  return out;
}

/** Error diagnostics of the files (any source but our own cluster ones). */
function errorMarks(uris: vscode.Uri[]): ErrorMark[] {
  return uris.flatMap((uri) =>
    vscode.languages
      .getDiagnostics(uri)
      .filter((d) => d.severity === vscode.DiagnosticSeverity.Error && d.source !== CLUSTER_SOURCE)
      .map((d) => ({ source: uri.toString(), line: d.range.start.line, code: typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code), message: d.message })),
  );
}

/** Serves the two sides of a diff (or any generated text, e.g. the JWT reports) as read-only documents. */
export class DiffContent implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private seq = 0;

  constructor(
    private readonly scheme: string = DIFF_SCHEME,
    private readonly extension: string = 'yaml',
  ) {}

  put(label: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: this.scheme, path: `/${++this.seq}/${label}.${this.extension}` });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
}

class KubeCommands implements vscode.Disposable {
  private prompter: Prompter = vscodePrompter;
  private scripted: ScriptedPrompter | undefined;
  private readonly status: vscode.StatusBarItem;
  private readonly clusterDiagnostics: vscode.DiagnosticCollection;
  private readonly diffContent = new DiffContent();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly state: KubeState,
    private readonly output: vscode.OutputChannel,
    /** The engine, through the language server (the client does not import it). */
    private readonly engine: () => ClusterJwksEngine,
  ) {
    this.status = vscode.window.createStatusBarItem('istioSecurity.kubeContext', vscode.StatusBarAlignment.Left, 10);
    this.status.name = 'Istio: kube context';
    this.status.command = COMMANDS.selectContext;
    this.clusterDiagnostics = vscode.languages.createDiagnosticCollection('istio-cluster');
    this.disposables.push(
      this.status,
      this.clusterDiagnostics,
      vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, this.diffContent),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.clusterDiagnostics.delete(e.document.uri);
      }),
      state.onDidChange(() => this.renderStatus()),
    );
    this.renderStatus();
    this.status.show();
  }

  register(context: vscode.ExtensionContext): void {
    const reg = (id: string, fn: (...args: unknown[]) => Promise<CommandOutcome>): vscode.Disposable => vscode.commands.registerCommand(id, fn);
    context.subscriptions.push(
      reg(COMMANDS.apply, (uri, uris) => this.guarded(() => this.apply(targetUris(uri, uris)))),
      reg(COMMANDS.dryRun, (uri, uris) => this.guarded(() => this.dryRun(targetUris(uri, uris)))),
      reg(COMMANDS.diff, (uri, uris) => this.guarded(() => this.diff(targetUris(uri, uris)))),
      reg(COMMANDS.selectContext, () => this.selectContext()),
      reg(COMMANDS.selectNamespace, () => this.selectNamespace()),
      reg(COMMANDS.checkJwksFromCluster, (arg) => this.guarded(() => this.checkJwksFromCluster(arg as ClusterJwksArgs | undefined))),
    );
    if (context.extensionMode !== vscode.ExtensionMode.Production) {
      context.subscriptions.push(vscode.commands.registerCommand(COMMANDS.test, (arg?: { answers?: Array<string | null> }) => this.testHook(arg)));
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  // ---- status bar ----

  private renderStatus(): void {
    const s = this.state.selection();
    const t = targetOf(s);
    if (!t) {
      this.status.text = '$(cloud) no kube context';
      this.status.tooltip = `Istio: ${s.problem ?? 'no kube context'}. Click to select one.`;
      this.status.backgroundColor = undefined;
      return;
    }
    const prot = isProtectedContext(t.context, readSettings().protectedContexts);
    this.status.text = `$(cloud) ${t.context} / ${t.namespace}`;
    this.status.tooltip = `Istio apply, diff and dry run use context "${t.context}" (${t.server || 'unknown server'}), namespace "${t.namespace}"${s.chosen ? '' : ' (the kubeconfig\'s current-context)'}${prot ? '. Protected: applying asks you to type the context name.' : ''}. Click to change.`;
    this.status.backgroundColor = prot ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  // ---- commands ----

  private async guarded(fn: () => Promise<CommandOutcome>): Promise<CommandOutcome> {
    if (!vscode.workspace.isTrusted) {
      return this.report({ outcome: 'refused', message: 'Istio: applying to a cluster is disabled in an untrusted workspace. Trust the workspace to use kubectl commands.' }, 'error');
    }
    return fn();
  }

  private async prepare(uris: vscode.Uri[], action: ClusterAction | 'diff'): Promise<{ target: Target; docs: ManifestDoc[] } | CommandOutcome> {
    const target = targetOf(this.state.selection());
    if (!target) return this.report({ outcome: 'nothing', message: `Istio: no kube context (${this.state.selection().problem}). Run "Istio: Select kube context".` }, 'error');
    const docs = (await gatherDocs(uris)).filter((d) => d.kind && d.apiVersion);
    if (docs.length === 0) return this.report({ outcome: 'nothing', message: 'Istio: no Kubernetes resources (apiVersion and kind) in the file or selection.' }, 'info');
    if (action === 'diff') return { target, docs };
    const decision = decideApply(docs, errorMarks(uris), false);
    if (decision.kind === 'needs-override') {
      const n = decision.blocked.length;
      const answer = await this.prompter.warning(
        `${n} document${n === 1 ? ' has' : 's have'} error diagnostics: Istio or the API server would likely reject ${n === 1 ? 'it' : 'them'}. ${action === 'server-side dry run' ? 'Dry-run' : 'Apply'} anyway?`,
        overrideDetail(decision.blocked, target.namespace),
        [APPLY_ANYWAY],
      );
      if (answer !== APPLY_ANYWAY) return this.report({ outcome: 'refused', message: 'Istio: nothing was sent: fix the errors first (or choose "Apply anyway").' }, 'info');
    }
    return { target, docs };
  }

  /** The confirmation modal, then typing the name of a protected context. */
  private async confirm(action: ClusterAction, target: Target, docs: ManifestDoc[]): Promise<boolean> {
    const c = confirmation(action, target, docs);
    const button = action === 'server-side apply' ? 'Server-side apply' : 'Apply';
    if ((await this.prompter.warning(c.message, c.detail, [button])) !== button) return false;
    if (!isProtectedContext(target.context, readSettings().protectedContexts)) return true;
    const typed = await this.prompter.input(`Context "${target.context}" is protected (istioSecurity.protectedContexts). Type its name to apply.`, '', (v) => validateTypedContext(target.context, v));
    return typed === target.context;
  }

  private async apply(uris: vscode.Uri[]): Promise<CommandOutcome> {
    const settings = readSettings();
    const action: ClusterAction = settings.serverSide ? 'server-side apply' : 'apply';
    const prepared = await this.prepare(uris, action);
    if ('outcome' in prepared) return prepared;
    const { target, docs } = prepared;
    if (!(await this.confirm(action, target, docs))) return this.report({ outcome: 'declined', message: 'Istio: nothing was applied.' }, 'info');
    const mode: ApplyMode = { serverSide: settings.serverSide };
    let outcome = await this.runWithProgress(`Applying to ${target.context}`, target, docs, (r) => applyDocs(r, mode));
    if ('outcome' in outcome) return outcome;
    if (outcome.failure?.kind === 'conflict') {
      const answer = await this.prompter.warning(
        'Server-side apply found fields owned by other field managers.',
        `${outcome.failure.conflicts.map((c) => `${c.field}: managed by "${c.manager}"`).join('\n')}\n\nApply with --force-conflicts to make istio-security their manager, or remove these fields from the manifest.`,
        [FORCE_CONFLICTS],
      );
      if (answer !== FORCE_CONFLICTS) return this.failed(outcome.failure, uris, target);
      outcome = await this.runWithProgress(`Applying to ${target.context} (--force-conflicts)`, target, docs, (r) => applyDocs(r, { ...mode, forceConflicts: true }));
      if ('outcome' in outcome) return outcome;
    }
    if (outcome.failure) return this.failed(outcome.failure, uris, target);
    return this.report({ outcome: 'applied', message: `Istio: applied ${docs.length} resource${docs.length === 1 ? '' : 's'} to context "${target.context}".` }, 'info');
  }

  private async dryRun(uris: vscode.Uri[]): Promise<CommandOutcome> {
    const settings = readSettings();
    const prepared = await this.prepare(uris, 'server-side dry run');
    if ('outcome' in prepared) return prepared;
    const { target, docs } = prepared;
    const outcome = await this.runWithProgress(`Server-side dry run on ${target.context}`, target, docs, (r) => applyDocs(r, { dryRun: true, serverSide: settings.serverSide }));
    if ('outcome' in outcome) return outcome;
    if (outcome.failure) return this.failed(outcome.failure, uris, target);
    return this.report(
      { outcome: 'dry-run-passed', message: `Istio: server-side dry run passed on context "${target.context}": the API server and its admission webhooks accepted ${docs.length} resource${docs.length === 1 ? '' : 's'}.` },
      'info',
    );
  }

  private async diff(uris: vscode.Uri[]): Promise<CommandOutcome> {
    const prepared = await this.prepare(uris, 'diff');
    if ('outcome' in prepared) return prepared;
    const { target, docs } = prepared;
    const sides = await this.runWithProgress(`Diff against ${target.context}`, target, docs, (r) => diffSides(r, { serverSide: readSettings().serverSide }));
    if ('outcome' in sides) return sides;
    if (sides.failure) return this.failed(sides.failure, uris, target);
    const name = uris.length === 1 ? uris[0].path.split('/').pop() ?? 'manifest' : `${uris.length} files`;
    const left = this.diffContent.put(`live-${target.context}`, sides.live);
    const right = this.diffContent.put(`after-apply-${target.context}`, sides.result);
    await vscode.commands.executeCommand('vscode.diff', left, right, `${name}: live (${target.context}) ↔ after apply`);
    return { outcome: 'diff-shown', message: `Istio: diff of ${docs.length} resource${docs.length === 1 ? '' : 's'} against context "${target.context}".` };
  }

  /** Runs kubectl with a cancellable progress notification, after checking the target did not change. */
  private async runWithProgress<T extends { failure?: Failure }>(title: string, target: Target, docs: ManifestDoc[], fn: (r: ClusterRun) => Promise<T>): Promise<T | CommandOutcome> {
    await this.state.reload();
    const changed = targetChanged(target, this.state.contextNamed(target.context));
    if (changed) return this.report({ outcome: 'refused', message: `Istio: ${changed}` }, 'error');
    for (const uri of new Set(docs.map((d) => d.source))) this.clusterDiagnostics.delete(vscode.Uri.parse(uri));
    const settings = readSettings();
    this.output.appendLine(`[kubectl] ${title}: context ${target.context} (${target.server}), namespace ${target.namespace}`);
    return withCancellableProgress(`Istio: ${title}`, (signal) => fn({ target, docs, settings: settings.kubectl, signal, onOutput: (text) => this.output.append(text) }));
  }

  private failed(failure: Failure, uris: vscode.Uri[], target: Target): CommandOutcome {
    const denied = failure.denials.filter((d) => d.doc);
    for (const uri of uris) {
      const here = denied.filter((d) => d.doc?.source === uri.toString());
      if (here.length === 0) continue;
      this.clusterDiagnostics.set(
        uri,
        here.map((d) => {
          const diag = new vscode.Diagnostic(toRange(d.doc!.nameRange), `Admission webhook "${d.webhook}" on context "${target.context}" denied this resource: ${d.reason}`, vscode.DiagnosticSeverity.Error);
          diag.source = CLUSTER_SOURCE;
          diag.code = 'webhook-denied';
          return diag;
        }),
      );
    }
    const actions: Array<[string, () => unknown]> = [];
    if (failure.kind === 'kubectl-missing' || failure.kind === 'kubectl-not-executable') {
      actions.push(['Install kubectl', () => vscode.env.openExternal(vscode.Uri.parse('https://kubernetes.io/docs/tasks/tools/'))]);
      actions.push(['Open Settings', () => vscode.commands.executeCommand('workbench.action.openSettings', 'istioSecurity.kubectl.path')]);
    } else if (failure.kind === 'unreachable' || failure.kind === 'auth') {
      actions.push(['Select kube context', () => vscode.commands.executeCommand(COMMANDS.selectContext)]);
    } else if (failure.kind === 'no-kind' && failure.removedApi) {
      actions.push(['Convert removed APIs', () => vscode.commands.executeCommand('istioSecurity.convertRemovedApis')]);
    }
    actions.push(['Show Output', () => this.output.show(true)]);
    this.output.appendLine(`[kubectl] ${failure.message}`);
    const outcome: CommandOutcome = { outcome: failure.kind === 'cancelled' ? 'declined' : 'failed', message: `Istio: ${failure.message}`, failure: failure.kind };
    // Not awaited: a notification must not hold the command until someone dismisses it.
    void vscode.window.showErrorMessage(outcome.message, ...actions.map(([a]) => a)).then((chosen) => actions.find(([a]) => a === chosen)?.[1]());
    return outcome;
  }

  private report(o: CommandOutcome, level: 'info' | 'error'): CommandOutcome {
    void (level === 'error' ? vscode.window.showErrorMessage(o.message) : vscode.window.showInformationMessage(o.message));
    return o;
  }

  /** GETs a cluster-local jwksUri (or issuer, through discovery) via the API server's service proxy. */
  private async checkJwksFromCluster(arg: ClusterJwksArgs | undefined): Promise<CommandOutcome> {
    let jwksUri = arg?.jwksUri;
    const discoveryUrl = arg?.discoveryUrl;
    if (!jwksUri && !discoveryUrl) {
      const typed = await this.prompter.input('Cluster-local jwksUri to check (e.g. http://keycloak.auth.svc.cluster.local:8080/realms/mesh/protocol/openid-connect/certs)', '', (v) =>
        /^https?:\/\/[^/]+/.test(v.trim()) ? undefined : 'an http:// or https:// URL',
      );
      if (!typed) return { outcome: 'declined', message: 'no URL given' };
      jwksUri = typed.trim();
    }
    await this.state.reload();
    const target = targetOf(this.state.selection());
    if (!target) return this.report({ outcome: 'refused', message: `Istio: no kube context to check from (${this.state.selection().problem ?? 'none selected'}). Select one with "Istio: Select kube context".` }, 'error');
    const settings = readSettings();
    const what = jwksUri ?? discoveryUrl;
    return withCancellableProgress(`Istio: checking ${what} from context ${target.context}`, async (signal) => {
      const r = await checkJwksThroughCluster(
        { jwksUri, discoveryUrl, namespace: arg?.namespace, context: target.context, server: target.server, settings: settings.kubectl, signal },
        this.engine(),
      );
      for (const step of r.steps) this.output.appendLine(`[kubectl] ${step.argv.join(' ')}`);
      this.output.appendLine(`[jwks] ${r.message}`);
      return this.report({ outcome: r.ok ? 'checked' : 'failed', message: `Istio: ${r.message}` }, r.ok ? 'info' : 'error');
    });
  }

  private async selectContext(): Promise<CommandOutcome> {
    await this.state.reload();
    const names = this.state.kubeconfig.contexts.map((c) => c.name);
    if (names.length === 0) return this.report({ outcome: 'nothing', message: `Istio: no context in ${this.state.kubeconfig.files.join(', ')}.` }, 'error');
    const picked = await this.prompter.pick('Kube context for Istio apply, diff and dry run (your kubeconfig is not changed)', names, this.state.selection().context?.name);
    if (!picked) return { outcome: 'declined', message: 'no context selected' };
    await this.state.chooseContext(picked);
    return { outcome: 'selected', message: `Istio: using context "${picked}".` };
  }

  private async selectNamespace(): Promise<CommandOutcome> {
    const s = this.state.selection();
    const typed = await this.prompter.input(
      `Namespace for documents without metadata.namespace (empty: the context's own, ${s.context?.namespace ?? 'default'})`,
      s.namespace,
      (v) => (v === '' || /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(v) ? undefined : 'A namespace is a DNS label: lowercase letters, digits and "-", at most 63 characters.'),
    );
    if (typed === undefined) return { outcome: 'declined', message: 'no namespace selected' };
    await this.state.chooseNamespace(typed);
    return { outcome: 'selected', message: `Istio: using namespace "${this.state.selection().namespace}".` };
  }

  /** Test hook: with `answers`, the next prompts are answered from them; returns the prompts so far and the status bar. */
  private testHook(arg?: { answers?: Array<string | null> }): { prompts: PromptRecord[]; status: { text: string; tooltip: string } } {
    const prompts = this.scripted?.log.slice() ?? [];
    if (arg?.answers) {
      this.scripted = new ScriptedPrompter([...arg.answers]);
      this.prompter = this.scripted;
    }
    return { prompts, status: { text: this.status.text, tooltip: String(this.status.tooltip ?? '') } };
  }
}

/** Registers the kubectl commands and the status bar item; called once from activate(). */
export function registerKubeCommands(context: vscode.ExtensionContext, output: vscode.OutputChannel, engine: () => ClusterJwksEngine): void {
  const state = new KubeState(context.workspaceState, currentKubeconfigFiles());
  const commands = new KubeCommands(state, output, engine);
  commands.register(context);
  context.subscriptions.push(
    state,
    commands,
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.kubectl.kubeconfig`)) void state.setFiles(currentKubeconfigFiles());
      else if (e.affectsConfiguration(`${SECTION}.protectedContexts`)) void state.reload();
    }),
  );
  void state.start();
}
