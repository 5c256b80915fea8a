import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension,
  applyCodeAction,
  closeAllEditors,
  codeOf,
  openFixtureCopy,
  quickFixesFor,
  waitForCode,
  waitForDiagnostics,
} from './helpers';

describe('quick fixes', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('authz-method-case: the light bulb offers "Change to GET" and applying it fixes the document', async () => {
    const editor = await openFixtureCopy('method-case.yaml');
    const doc = editor.document;
    const d = await waitForCode(doc.uri, 'authz-method-case');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(d.range.start.line, 13);
    assert.match(doc.getText(d.range), /^"?get"?$/);

    const fixes = await quickFixesFor(doc.uri, d);
    const fix = fixes.find((a) => a.title === 'Change to GET');
    assert.ok(fix, `no "Change to GET" among ${JSON.stringify(fixes.map((a) => a.title))}`);
    assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
    await applyCodeAction(fix);

    assert.equal(doc.lineAt(13).text, '        methods: ["GET"]');
    await waitForDiagnostics(doc.uri, (ds) => !ds.some((x) => codeOf(x) === 'authz-method-case'), 'authz-method-case to clear after the fix');
  });
});
