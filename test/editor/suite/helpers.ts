/**
 * Shared helpers of the real-editor suite: they drive the extension only through the
 * public `vscode` API, as a user's editor would.
 */
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../client/src/extension';

export const EXTENSION_ID = 'istio-sec.istio-security';
export const DIAGNOSTIC_SOURCE = 'istio';
/** Long enough for a cold language server on a slow CI machine; only bounds a wait. */
export const WAIT_MS = 30_000;

export function extension(): vscode.Extension<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded: is extensionDevelopmentPath the repository root?`);
  return ext;
}

/** Activates the extension (if a YAML file has not already) and waits for its language server. */
export async function activateExtension(): Promise<ExtensionApi> {
  const api = await extension().activate();
  await api.ready;
  return api;
}

/** The copy of test/editor/workspace the launcher opened as the workspace folder. */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder: the launcher must open a copy of test/editor/workspace');
  return folder.uri;
}

export function fixtureUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), name);
}

/** Opens a fixture of the workspace in an editor, as a user would. */
export async function openFixture(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(name));
  return vscode.window.showTextDocument(doc);
}

/** Opens an unsaved YAML document with the given text. */
export async function openUntitled(content: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content });
  return vscode.window.showTextDocument(doc);
}

/** Opens an unsaved copy of a fixture: for tests that edit, so the fixture file stays as it is. */
export async function openFixtureCopy(name: string): Promise<vscode.TextEditor> {
  const bytes = await vscode.workspace.fs.readFile(fixtureUri(name));
  return openUntitled(new TextDecoder().decode(bytes));
}

export function istioDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
}

/** The diagnostic's code as a string, whether VS Code holds it plain or with a link. */
export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

/** `[startLine, startChar, endLine, endChar]`, for compact range assertions. */
export function rangeTuple(r: vscode.Range): [number, number, number, number] {
  return [r.start.line, r.start.character, r.end.line, r.end.character];
}

function describeDiagnostics(uri: vscode.Uri): string {
  const ds = vscode.languages.getDiagnostics(uri);
  return JSON.stringify(ds.map((d) => ({ code: codeOf(d), source: d.source, severity: d.severity, range: rangeTuple(d.range), message: d.message })));
}

/**
 * Waits until the Istio diagnostics of `uri` satisfy `accept`, checking the current ones
 * first and then every time VS Code's diagnostics for that URI change. Rejects after WAIT_MS
 * with the diagnostics it last saw.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (ds: vscode.Diagnostic[]) => boolean,
  what: string,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const ds = istioDiagnostics(uri);
      if (!accept(ds)) return false;
      cleanup();
      resolve(ds);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${what} on ${uri.toString()}; diagnostics: ${describeDiagnostics(uri)}`));
    }, WAIT_MS);
    const cleanup = (): void => {
      clearTimeout(timer);
      sub.dispose();
    };
    check();
  });
}

/** Waits for a diagnostic with the given code; returns it. */
export async function waitForCode(uri: vscode.Uri, code: string): Promise<vscode.Diagnostic> {
  const ds = await waitForDiagnostics(uri, (all) => all.some((d) => codeOf(d) === code), `a ${code} diagnostic`);
  return ds.find((d) => codeOf(d) === code) as vscode.Diagnostic;
}

/** Waits until `predicate` holds, polling every 50 ms; only for state with no change event. */
export async function waitUntil(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The quick fixes VS Code's code-action providers offer on a diagnostic's range. */
export async function quickFixesFor(uri: vscode.Uri, d: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const actions =
    (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      uri,
      d.range,
      vscode.CodeActionKind.QuickFix.value,
    )) ?? [];
  return actions.filter((a): a is vscode.CodeAction => 'title' in a && !('command' in a && typeof a.command === 'string'));
}

/** Applies a code action's workspace edit, as choosing it in the light bulb menu would. */
export async function applyCodeAction(action: vscode.CodeAction): Promise<void> {
  if (!action.edit) throw new Error(`code action "${action.title}" carries no edit`);
  const ok = await vscode.workspace.applyEdit(action.edit);
  if (!ok) throw new Error(`VS Code refused the edit of "${action.title}"`);
}

/** Closes every editor, reverting unsaved changes first so no "save?" dialog can block the suite. */
export async function closeAllEditors(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty)) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && !d.isClosed);
  if (dirty.length > 0) throw new Error(`documents left with unsaved changes: ${dirty.map((d) => d.uri.toString()).join(', ')}`);
}
