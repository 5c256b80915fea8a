import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ScriptedPrompter } from '../../../client/src/commands/apply';
import type { JwtCommandResult } from '../../../client/src/commands/jwt';
import type { ExtensionApi } from '../../../client/src/extension';
import { makeKey, requestAuthentication } from '../../helpers/jwks';
import { signToken } from '../../helpers/jwtSign';
import { activateExtension, closeAllEditors, fixtureUri, openFixture, openUntitled, WAIT_MS, waitUntil } from './helpers';

// "Istio: Decode JWT", "Verify JWT" and "Simulate request" through executeCommand, with the
// prompts answered by a ScriptedPrompter set through the extension's API; hover through
// vscode.executeHoverProvider. The RequestAuthentication foo/jwt (jwt-ra.yaml) is written by the test
// with a key it generates; jwt-policy.yaml requires the principal https://issuer.jwt.test/alice.

const ISSUER = 'https://issuer.jwt.test';
const RULE_LABEL = `RequestAuthentication foo/jwt jwtRules[0]: ${ISSUER} (inline jwks)`;
const WORKLOAD = 'foo: app=httpbin';

function holderText(token: string): string {
  return `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: token-holder
  namespace: hover-ns
  annotations:
    example.com/token: "${token}"
spec:
  action: DENY
  rules:
  - to:
    - operation:
        paths: ["/never"]
`;
}

const run = async (command: string): Promise<JwtCommandResult> => {
  const r = await vscode.commands.executeCommand<JwtCommandResult | undefined>(command);
  assert.ok(r, `${command} returned nothing (cancelled or failed)`);
  return r;
};

/** The report document the command opened, as VS Code holds it. */
function reportDocument(r: JwtCommandResult): vscode.TextDocument {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === r.uri);
  assert.ok(doc, `the report ${r.uri} is not open`);
  assert.equal(doc.uri.scheme, 'istio-jwt');
  assert.ok(vscode.window.visibleTextEditors.some((e) => e.document === doc), 'the report is not shown');
  return doc;
}

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

/** Makes sure the clipboard holds no JWT, so the commands fall through to the input box. */
async function clearClipboard(): Promise<void> {
  await Promise.race([Promise.resolve(vscode.env.clipboard.writeText('not a token')).catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
}

describe('JWT hover and commands', () => {
  let api: ExtensionApi;
  let token: string;
  let stranger: string;
  let scripted: ScriptedPrompter;
  const script = (answers: Array<string | null>): void => {
    scripted = new ScriptedPrompter(answers);
    api.setPrompter(scripted);
  };

  before(async () => {
    api = await activateExtension();
    const key = await makeKey('RS256', 'editor-key');
    const now = Math.floor(Date.now() / 1000);
    token = await signToken(key.privateJwk, { iss: ISSUER, sub: 'alice', iat: now, exp: now + 5400 });
    stranger = await signToken(key.privateJwk, { iss: 'https://stranger.test', sub: 'mallory', exp: now + 7200 });
    const ra = fixtureUri('jwt-ra.yaml');
    await vscode.workspace.fs.writeFile(ra, new TextEncoder().encode(requestAuthentication([{ issuer: ISSUER, jwks: JSON.stringify({ keys: [key.publicJwk] }) }], 'foo')));
    // Open both manifests once: the server has them in its index (and keeps them from disk after close).
    for (const name of ['jwt-ra.yaml', 'jwt-policy.yaml']) {
      const editor = await openFixture(name);
      await waitUntil(() => api.statusOf(editor.document.uri.toString()) !== undefined, `the server to analyse ${name}`);
    }
    await closeAllEditors();
  });
  beforeEach(clearClipboard);
  afterEach(closeAllEditors);
  after(() => api.setPrompter(undefined));

  it('hover on a token: decoded header and claims, principal, and the RequestAuthentication accepting it', async () => {
    const editor = await openUntitled(holderText(token));
    const doc = editor.document;
    const at = doc.positionAt(doc.getText().indexOf(token) + 30);
    let text = '';
    const deadline = Date.now() + WAIT_MS;
    while (!text.includes('✓ RequestAuthentication foo/jwt') && Date.now() < deadline) {
      text = await hoverText(doc.uri, at);
      if (!text.includes('✓')) await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(text, /\*\*JWT\*\* `eyJ[^`]*… \(\d+ chars\)`: \*\*valid\*\*/);
    assert.match(text, /"kid": "editor-key"/);
    assert.match(text, /"sub": "alice"/);
    assert.ok(text.includes('`https://issuer.jwt.test/alice`'), text);
    assert.match(text, /✓ RequestAuthentication foo\/jwt jwtRules\[0\]: issuer and audience accepted/);
    assert.match(text, /\| exp \| \d+ \| \d{4}-\d\d-\d\dT[\d:.]+Z \| in 1 hour \|/);
  });

  it('Decode JWT from the selection, then from the token under the cursor, into a read-only side document', async () => {
    const editor = await openUntitled(holderText(token));
    const start = editor.document.positionAt(editor.document.getText().indexOf(token));
    const end = editor.document.positionAt(editor.document.getText().indexOf(token) + token.length);
    editor.selection = new vscode.Selection(start, end);
    const r = await run('istioSecurity.decodeJwt');
    assert.equal(r.source, 'selection');
    const doc = reportDocument(r);
    assert.equal(doc.getText(), r.content);
    assert.match(r.content, /^# Decoded JWT\n/);
    assert.match(r.content, /"iss": "https:\/\/issuer\.jwt\.test"/);
    assert.match(r.content, /Principal \(`request.auth.principal`, `requestPrincipals`\): `https:\/\/issuer\.jwt\.test\/alice`/);
    assert.match(r.content, /\*\*Checks\*\*\n\nNo problem found\./);
    assert.ok(!r.content.includes(token), 'the report shows the token only redacted');

    await vscode.window.showTextDocument(editor.document);
    editor.selection = new vscode.Selection(start.translate(0, 10), start.translate(0, 10));
    const atCursor = await run('istioSecurity.decodeJwt');
    assert.equal(atCursor.source, 'cursor');
    assert.equal(atCursor.title, r.title);
    assert.match(atCursor.content, /"sub": "alice"/);
  });

  it('Decode JWT from the input box when no editor is active: the workspace checks are listed', async () => {
    script([stranger]);
    const r = await run('istioSecurity.decodeJwt');
    assert.equal(r.source, 'input');
    assert.deepEqual(scripted.log.map((p) => p.kind), ['input']);
    reportDocument(r);
    assert.match(r.content, /"sub": "mallory"/);
    assert.match(r.content, /- information: .*"https:\/\/stranger\.test" is accepted by no RequestAuthentication.*\(`jwt-issuer-not-accepted`\)/);
  });

  it('Verify JWT: the rule with the token\'s issuer is used; otherwise a QuickPick of the workspace\'s rules', async () => {
    script([token]);
    const ok = await run('istioSecurity.verifyJwt');
    reportDocument(ok);
    assert.match(ok.content, /^# JWT verification\n/);
    assert.match(ok.content, /Rule: RequestAuthentication foo\/jwt jwtRules\[0\]/);
    assert.match(ok.content, /\*\*Envoy accepts the token\*\*: request principal `https:\/\/issuer\.jwt\.test\/alice`/);
    assert.match(ok.content, /\| ✓ \| signature \| verified with key "editor-key" \|/);

    script([stranger, RULE_LABEL]);
    const failed = await run('istioSecurity.verifyJwt');
    assert.deepEqual(scripted.log.map((p) => p.kind), ['input', 'pick']);
    assert.ok(scripted.log[1].choices?.includes(RULE_LABEL), JSON.stringify(scripted.log[1].choices));
    assert.match(failed.content, /\*\*Envoy answers 401 "Jwt issuer is not configured"\*\* \(first failing check: issuer\)/);
    assert.match(failed.content, /\| ✓ \| signature \| verified with key "editor-key" \|/);
  });

  it('Simulate request: method, path, host, workload from the selectors, token; decision and trace in a side document', async () => {
    script(['GET', '/headers', 'httpbin.foo', WORKLOAD, token]);
    const allowed = await run('istioSecurity.simulateRequest');
    assert.deepEqual(scripted.log.map((p) => p.kind), ['input', 'input', 'input', 'pick', 'input']);
    assert.ok(scripted.log[3].choices?.includes(WORKLOAD), JSON.stringify(scripted.log[3].choices));
    assert.equal(allowed.status, 200);
    reportDocument(allowed);
    assert.match(allowed.content, /Request: `GET \/headers` to host `httpbin.foo`/);
    assert.match(allowed.content, /\*\*200 ALLOWED\*\*/);
    assert.match(allowed.content, /Matched: ALLOW foo\/require-alice rules\[0\]/);

    script(['post', '/post', '', WORKLOAD, '']);
    const denied = await run('istioSecurity.simulateRequest');
    assert.equal(denied.status, 403);
    assert.match(denied.content, /Request: `POST \/post`/);
    assert.match(denied.content, /Token: none/);
    assert.match(denied.content, /\*\*403 DENIED\*\*/);

    script(['GET', '/', '', 'Other workload…', 'bar', 'app=web', stranger]);
    const other = await run('istioSecurity.simulateRequest');
    assert.match(other.content, /Workload: namespace `bar`, labels `app=web`/);
    assert.equal(other.status, 200, other.content);
  });

  it('never writes a token to the output channel', () => {
    const log = api.outputText();
    assert.match(log, /Istio: JWT verification foo\/jwt/, 'the recorder saw the JWT commands');
    for (const t of [token, stranger]) {
      assert.ok(!log.includes(t), 'a token was written to the output channel');
      assert.ok(!log.includes(t.split('.')[2]), 'a token signature was written to the output channel');
    }
  });
});
