import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  activateExtension,
  closeAllEditors,
  codeOf,
  fixtureUri,
  openFixture,
  rangeTuple,
  waitForCode,
  waitForDiagnostics,
  WAIT_MS,
} from './helpers';

const HOST_NOT_IN_GATEWAY = 'xref-vs-host-not-in-gateway';

/** Where `needle` first occurs in a document, as a range (throws when it does not). */
function rangeOfText(doc: vscode.TextDocument, needle: string): vscode.Range {
  const offset = doc.getText().indexOf(needle);
  if (offset < 0) throw new Error(`"${needle}" is not in ${doc.uri.toString()}`);
  return new vscode.Range(doc.positionAt(offset), doc.positionAt(offset + needle.length));
}

/** The range of a resource's metadata.name value (`  name: <name>`): comments may mention the name first. */
function nameRange(doc: vscode.TextDocument, name: string): vscode.Range {
  const key = rangeOfText(doc, `\n  name: ${name}\n`);
  return new vscode.Range(key.start.line + 1, 8, key.start.line + 1, 8 + name.length);
}

async function fixtureDocument(name: string): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(fixtureUri(name));
}

/** `[file name, range]`, comparable across the file URIs VS Code and the server spell. */
function placeOf(loc: vscode.Location | vscode.LocationLink): [string, [number, number, number, number]] {
  const uri = 'targetUri' in loc ? loc.targetUri : loc.uri;
  const range = 'targetUri' in loc ? (loc.targetSelectionRange ?? loc.targetRange) : loc.range;
  return [path.basename(uri.fsPath), rangeTuple(range)];
}

/**
 * Asks a provider command until its answer is accepted: files that are not open are indexed
 * by the server in the background after it starts, and that index has no event on this side.
 */
async function askUntil<T>(ask: () => Thenable<T | undefined>, accept: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  let last: T | undefined;
  for (;;) {
    last = await ask();
    if (last !== undefined && accept(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}; last answer: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('navigation across workspace files', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('go to definition: from a VirtualService gateways entry to the Gateway in another (closed) file', async () => {
    const routes = (await openFixture('nav-routes.yaml')).document;
    const gateway = await fixtureDocument('nav-gateway.yaml');
    const ref = rangeOfText(routes, '- nav-web').start.translate(0, 3);
    const locs = await askUntil(
      () => vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', routes.uri, ref),
      (ls) => ls.length > 0,
      'a definition of the gateway reference',
    );
    assert.deepEqual(locs.map(placeOf), [['nav-gateway.yaml', rangeTuple(nameRange(gateway, 'nav-web'))]]);
  });

  it('find references: from the Gateway name to the VirtualService that binds it (with the declaration)', async () => {
    const gateway = (await openFixture('nav-gateway.yaml')).document;
    const routes = await fixtureDocument('nav-routes.yaml');
    const name = nameRange(gateway, 'nav-web');
    const locs = await askUntil(
      () => vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', gateway.uri, name.start.translate(0, 2)),
      (ls) => ls.length >= 2,
      'the references of Gateway nav-web',
    );
    const entry = rangeOfText(routes, '- nav-web');
    assert.deepEqual(locs.map(placeOf), [
      ['nav-gateway.yaml', rangeTuple(name)],
      ['nav-routes.yaml', [entry.start.line, entry.start.character + 2, entry.end.line, entry.end.character]],
    ]);
  });

  it('CodeLens: "referenced by 1 VirtualService" on the Gateway name, and its command shows the references', async () => {
    const gateway = (await openFixture('nav-gateway.yaml')).document;
    const lenses = await askUntil(
      () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', gateway.uri),
      (ls) => ls.some((l) => l.command?.title === 'referenced by 1 VirtualService'),
      'the "referenced by" lens',
    );
    const lens = lenses.find((l) => l.command?.title.startsWith('referenced by')) as vscode.CodeLens;
    assert.deepEqual(rangeTuple(lens.range), rangeTuple(nameRange(gateway, 'nav-web')));
    assert.equal(lens.command?.command, 'istioSecurity.showReferences');
    // What clicking the lens runs: the references peek opens without an error.
    await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
  });

  it('workspace symbols: a query finds the resources of closed files by namespace', async () => {
    const symbols = await askUntil(
      () => vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', 'navtest/'),
      (ss) => ss.length >= 2,
      'the workspace symbols of namespace navtest',
    );
    const rows = symbols
      .map((s) => [s.name, s.containerName, s.kind, placeOf(s.location)[0]])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    assert.deepEqual(rows, [
      ['navtest/nav-shop', 'VirtualService', vscode.SymbolKind.Class, 'nav-routes.yaml'],
      ['navtest/nav-web', 'Gateway', vscode.SymbolKind.Class, 'nav-gateway.yaml'],
    ]);
    const gateway = await fixtureDocument('nav-gateway.yaml');
    const web = symbols.find((s) => s.name === 'navtest/nav-web') as vscode.SymbolInformation;
    assert.deepEqual(rangeTuple(web.location.range), rangeTuple(nameRange(gateway, 'nav-web')));
  });

  it('cross-file diagnostics: IST0132 on a VirtualService host clears when the Gateway file gains the host and is saved', async () => {
    const routes = (await openFixture('xref-routes.yaml')).document;
    const d = await waitForCode(routes.uri, HOST_NOT_IN_GATEWAY);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(d.message, /IST0132/);
    assert.match(d.message, /xreftest\/xref-web/);
    assert.deepEqual(rangeTuple(d.range), rangeTuple(rangeOfText(routes, '"new.xreftest.example.com"')));

    const gatewayUri = fixtureUri('xref-gateway.yaml');
    const gateway = await fixtureDocument('xref-gateway.yaml');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(gatewayUri, rangeOfText(gateway, '"old.xreftest.example.com"'), '"old.xreftest.example.com", "new.xreftest.example.com"');
    assert.ok(await vscode.workspace.applyEdit(edit), 'VS Code applied the edit of xref-gateway.yaml');
    assert.ok(await gateway.save(), 'xref-gateway.yaml saved');
    const onDisk = new TextDecoder().decode(await vscode.workspace.fs.readFile(gatewayUri));
    assert.match(onDisk, /"new\.xreftest\.example\.com"/);

    await waitForDiagnostics(routes.uri, (ds) => !ds.some((x) => codeOf(x) === HOST_NOT_IN_GATEWAY), `${HOST_NOT_IN_GATEWAY} to clear after the Gateway edit`);
  });
});
