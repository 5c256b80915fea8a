import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { removeTempDir, tempDir } from '../helpers/tmp';
import type { Diagnostic, Hover, InlayHint, Position, Range } from 'vscode-languageserver';
import { makeKey, requestAuthentication, sendJson, type TestKey } from '../helpers/jwks';
import { SAMPLE_ISSUER, sample, sampleRequestAuthentication, sampleRequireJwt, signToken } from '../helpers/jwtSign';
import { LspTestClient } from '../helpers/lspClient';
import { startHttpServer, type LoopbackServer } from '../helpers/loopbackServers';
import type { DecodeJwtResult, SimulateResult, SimulationTargetsResult, VerifyJwtResult } from '../../protocol/src/index';

const DEMO_PRINCIPAL = `${SAMPLE_ISSUER}/${SAMPLE_ISSUER}`;
const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');

/** Every token a test used: none may appear in anything the server logs or publishes. */
const usedTokens = new Set<string>();
function track(token: string): string {
  usedTokens.add(token);
  return token;
}

/** Asserts that nothing the server wrote (stderr, notifications, diagnostics) holds a whole token. */
function assertRedacted(client: LspTestClient, extra: unknown[] = []): void {
  const seen = [client.stderr.join(''), JSON.stringify(client.notifications), ...extra.map((e) => JSON.stringify(e))].join('\n');
  for (const t of usedTokens) assert.ok(!seen.includes(t), `a token (${t.slice(0, 12)}…) leaked into the server's output`);
  // The signature part alone would also be a leak.
  for (const t of usedTokens) {
    const sig = t.split('.')[2];
    if (sig && sig.length > 20) assert.ok(!seen.includes(sig), 'a token signature leaked into the server output');
  }
}

function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

function rangeOfToken(text: string, token: string): Range {
  const start = text.indexOf(token);
  assert.ok(start >= 0, 'token not in text');
  return { start: positionOf(text, start), end: positionOf(text, start + token.length) };
}

function jwtDiagnostics(ds: readonly Diagnostic[]): Array<{ code: string; severity: number | undefined; range: Range }> {
  return ds
    .filter((d) => String(d.code).startsWith('jwt-'))
    .map((d) => ({ code: String(d.code), severity: d.severity, range: d.range }))
    .sort((a, b) => a.range.start.line - b.range.start.line || a.code.localeCompare(b.code));
}

interface Tokens {
  demo: string;
  expired: string;
  none: string;
  hs: string;
  key: TestKey;
}

async function makeTokens(): Promise<Tokens> {
  const key = await makeKey('RS256', 'other-key');
  const now = nowSeconds();
  const expired = await signToken(key.privateJwk, { iss: 'https://other.example.com', sub: 'alice', iat: now - 7200, exp: now - 3600 });
  const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: SAMPLE_ISSUER, sub: 'unsigned', exp: now + 9000 })}.`;
  const secret = { kty: 'oct', k: randomBytes(32).toString('base64url'), alg: 'HS256' };
  const hs = await signToken(secret, { iss: SAMPLE_ISSUER, sub: 'shared-secret', exp: now + 9000 });
  return { demo: track(sample('demo.jwt')), expired: track(expired), none: track(none), hs: track(hs), key };
}

/** An Istio file with tokens in a comment, a quoted value, a plain value and a block scalar. */
function tokensFile(t: Tokens): string {
  return `# demo token: ${t.demo}
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: with-tokens
  namespace: foo
  annotations:
    example.com/expired: "${t.expired}"
    example.com/none: ${t.none}
    example.com/hs: |
      ${t.hs}
spec:
  action: DENY
  selector: {matchLabels: {app: httpbin}}
  rules:
  - to: [{operation: {paths: ["/admin"]}}]
`;
}

describe('LSP: JWTs in the editor', () => {
  let dir: string;
  let client: LspTestClient;
  let t: Tokens;
  const responses: unknown[] = [];
  const uriOf = (name: string): string => pathToFileURL(join(dir, name)).toString();

  before(async () => {
    t = await makeTokens();
    dir = tempDir('istio-jwt-lsp-');
    writeFileSync(join(dir, 'auth.yaml'), `${sampleRequestAuthentication()}---\n${sampleRequireJwt(DEMO_PRINCIPAL)}`);
    client = await LspTestClient.start({ workspaceFolder: dir });
    await client.request('istio/indexReady', {});
  });
  after(async () => {
    assertRedacted(client, responses);
    await client.stop();
    removeTempDir(dir);
  });

  it('reports expired, alg none, symmetric and unknown-issuer tokens with the RequestAuthentication of another file', async () => {
    const uri = uriOf('tokens.yaml');
    const text = tokensFile(t);
    const v = client.open(uri, text);
    const ds = await client.diagnosticsFor(uri, v);
    assert.deepEqual(jwtDiagnostics(ds), [
      { code: 'jwt-expired', severity: 3, range: rangeOfToken(text, t.expired) },
      { code: 'jwt-issuer-not-accepted', severity: 3, range: rangeOfToken(text, t.expired) },
      { code: 'jwt-alg-none', severity: 2, range: rangeOfToken(text, t.none) },
      { code: 'jwt-symmetric-alg', severity: 2, range: rangeOfToken(text, t.hs) },
    ]);
    const sym = ds.find((d) => d.code === 'jwt-symmetric-alg')!;
    assert.match(sym.message, /HS256.*RequestAuthentication foo\/jwt-example jwtRules\[0\] has only asymmetric keys/);
    const iss = ds.find((d) => d.code === 'jwt-issuer-not-accepted')!;
    assert.match(iss.message, /"https:\/\/other\.example\.com" is accepted by no RequestAuthentication.*"testing@secure\.istio\.io"/);
    responses.push(ds);
  });

  it('follows the RequestAuthentication in the other file: a changed issuer makes the demo token unknown', async () => {
    const uri = uriOf('tokens.yaml');
    const text = tokensFile(t);
    const demoRange = rangeOfToken(text, t.demo);
    const raUri = uriOf('auth.yaml');
    const changed = `${sampleRequestAuthentication().replace(`issuer: "${SAMPLE_ISSUER}"`, 'issuer: "https://elsewhere.example.com"')}---\n${sampleRequireJwt(DEMO_PRINCIPAL)}`;
    client.open(raUri, changed);
    const d = await client.waitFor(
      () => client.lastDiagnostics(uri)?.diagnostics.find((x) => x.code === 'jwt-issuer-not-accepted' && x.range.start.line === demoRange.start.line),
      10_000,
      'jwt-issuer-not-accepted on the demo token',
    );
    assert.deepEqual(d.range, demoRange);
    assert.equal(d.severity, 3);
    client.close(raUri); // the file on disk (the sample issuer) is the truth again
    await client.waitFor(
      () => (client.lastDiagnostics(uri)?.diagnostics.some((x) => x.code === 'jwt-issuer-not-accepted' && x.range.start.line === demoRange.start.line) ? undefined : true),
      10_000,
      'the demo token accepted again',
    );
  });

  it('reports nothing for tokens in a YAML file that is not an Istio file', async () => {
    const uri = uriOf('configmap.yaml');
    const v = client.open(uri, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tokens\ndata:\n  token: "${t.expired}"\n`);
    assert.deepEqual(await client.diagnosticsFor(uri, v), []);
    const hints = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } } });
    assert.deepEqual(hints, []);
    client.close(uri);
  });

  it('hovers a token: header, payload, times, principal and the rules accepting it', async () => {
    const uri = uriOf('tokens.yaml');
    const text = tokensFile(t);
    const r = rangeOfToken(text, t.demo);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: r.start.line, character: r.start.character + 40 } });
    const value = (hover.contents as { kind: string; value: string }).value;
    assert.equal((hover.contents as { kind: string }).kind, 'markdown');
    assert.match(value, /^\*\*JWT\*\* `eyJhbGciOiJS… \(\d+ chars\)`: \*\*valid\*\*: valid until 2118-06-29T23:48:20\.000Z \(in 9\d years\)/);
    assert.match(value, /"kid": "DHFbpoIUqrY8t2zpA2qXfCmr5VO5ZEr4RzHU_-envvQ"/);
    assert.match(value, /"foo": "bar"/);
    assert.match(value, /\| exp \| 4685989700 \| 2118-06-29T23:48:20\.000Z \| in 9\d years \|/);
    assert.match(value, /\| iat \| 1532389700 \| 2018-07-23T23:48:20\.000Z \| \d+ years ago \|/);
    assert.ok(value.includes(`\`${DEMO_PRINCIPAL}\``));
    assert.match(value, /✓ RequestAuthentication foo\/jwt-example jwtRules\[0\]: issuer and audience accepted/);

    const e = rangeOfToken(text, t.expired);
    const expired = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: e.end });
    const ev = (expired.contents as { value: string }).value;
    assert.match(ev, /\*\*expired\*\*: expired 1 hour ago .*60 s of clock skew/);
    assert.match(ev, /No jwtRule has the issuer "https:\/\/other\.example\.com"/);
    responses.push(hover, expired);

    // Off a token, the hover is not a JWT one.
    const off = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 3 } });
    assert.ok(!off || !JSON.stringify(off).includes('**JWT**'));
  });

  it('shows one inlay hint after each token: issuer, expiry and which rules accept it', async () => {
    assert.equal(client.capabilities.inlayHintProvider, true);
    const uri = uriOf('tokens.yaml');
    const text = tokensFile(t);
    const hints = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 30, character: 0 } } });
    responses.push(hints);
    const byPos = hints.map((h) => ({ position: h.position, label: h.label }));
    assert.deepEqual(byPos, [
      { position: rangeOfToken(text, t.demo).end, label: `JWT: iss ${SAMPLE_ISSUER} · expires in 91 years · accepted by foo/jwt-example` },
      { position: rangeOfToken(text, t.expired).end, label: 'JWT: iss https://other.example.com · expired 1 hour ago · issuer not configured' },
      { position: rangeOfToken(text, t.none).end, label: `JWT: iss ${SAMPLE_ISSUER} · expires in 2 hours · accepted by foo/jwt-example` },
      { position: rangeOfToken(text, t.hs).end, label: `JWT: iss ${SAMPLE_ISSUER} · expires in 2 hours · accepted by foo/jwt-example` },
    ]);
    // Only the hints inside the requested range.
    const expiredLine = rangeOfToken(text, t.expired).start.line;
    const some = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: expiredLine, character: 0 }, end: { line: expiredLine + 2, character: 0 } } });
    assert.deepEqual(some.map((h) => h.position), [rangeOfToken(text, t.expired).end, rangeOfToken(text, t.none).end]);
  });

  it('decodes a token for the side document, with the workspace checks', async () => {
    const r = await client.request<DecodeJwtResult>('istio/decodeJwt', { token: `Bearer ${t.expired}` });
    responses.push(r);
    assert.equal(r.ok, true);
    assert.equal(r.status, 'expired');
    assert.equal(r.principal, 'https://other.example.com/alice');
    assert.match(r.content, /^# Decoded JWT\n/);
    assert.match(r.content, /"kid": "other-key"/);
    assert.match(r.content, /"sub": "alice"/);
    assert.match(r.content, /- information: JWT eyJ.*expired 1 hour ago.* \(`jwt-expired`\)/);
    assert.match(r.content, /- information: .*\(`jwt-issuer-not-accepted`\)/);
    const bad = await client.request<DecodeJwtResult>('istio/decodeJwt', { token: 'eyJhbGciOiJSUzI1NiJ9.not json!.x' });
    assert.equal(bad.ok, false);
    assert.match(bad.content, /Not a JWT: the payload is not base64url/);
  });

  it('verifies a token against the one rule with its issuer, and asks when no rule has it', async () => {
    const ok = await client.request<VerifyJwtResult>('istio/verifyJwt', { token: t.demo });
    responses.push(ok);
    assert.equal(ok.kind, 'verified');
    if (ok.kind !== 'verified') return;
    assert.equal(ok.ok, true);
    assert.equal(ok.signatureChecked, true);
    assert.match(ok.content, /Rule: RequestAuthentication foo\/jwt-example jwtRules\[0\]/);
    assert.match(ok.content, /Keys: inline jwks/);
    assert.match(ok.content, /\*\*Envoy accepts the token\*\*: request principal `testing@secure.istio.io\/testing@secure.istio.io`/);
    assert.match(ok.content, /\| ✓ \| signature \| verified with key "DHFbpoIUqrY8t2zpA2qXfCmr5VO5ZEr4RzHU_-envvQ" \|/);

    const ask = await client.request<VerifyJwtResult>('istio/verifyJwt', { token: t.expired });
    assert.equal(ask.kind, 'needsRule');
    if (ask.kind !== 'needsRule') return;
    assert.match(ask.reason, /no jwtRule has the token's issuer "https:\/\/other\.example\.com"/);
    assert.deepEqual(
      ask.candidates.map((c) => [c.namespace, c.name, c.ruleIndex, c.issuerMatches]),
      [['foo', 'jwt-example', 0, false]],
    );
    const chosen = await client.request<VerifyJwtResult>('istio/verifyJwt', { token: t.expired, rule: ask.candidates[0] });
    responses.push(ask, chosen);
    assert.equal(chosen.kind, 'verified');
    if (chosen.kind !== 'verified') return;
    assert.equal(chosen.ok, false);
    assert.equal(chosen.failed, 'issuer');
    assert.equal(chosen.httpStatus, 401);
    assert.match(chosen.content, /\*\*Envoy answers 401 "Jwt issuer is not configured"\*\*/);
    assert.match(chosen.content, /\| ✗ \| exp \| expired 1 hour ago/);
    assert.match(chosen.content, /\| ✗ \| kid \| kid "other-key" is not in the key set/);

    const hs = await client.request<VerifyJwtResult>('istio/verifyJwt', { token: t.hs });
    assert.equal(hs.kind === 'verified' && hs.failed, 'key-alg');
  });

  it('lists the workloads the selectors name and simulates requests: 200 with the token, 403 without, 401 for an unknown issuer', async () => {
    const targets = await client.request<SimulationTargetsResult>('istio/simulationTargets', {});
    const httpbin = targets.targets.find((x) => x.label === 'foo: app=httpbin');
    assert.ok(httpbin, JSON.stringify(targets));
    assert.deepEqual(httpbin.labels, { app: 'httpbin' });
    assert.deepEqual(httpbin.selectedBy.sort(), ['AuthorizationPolicy foo/require-jwt', 'AuthorizationPolicy foo/with-tokens', 'RequestAuthentication foo/jwt-example']);

    const target = { namespace: 'foo', labels: { app: 'httpbin' } };
    const allowed = await client.request<SimulateResult>('istio/simulate', { method: 'GET', path: '/headers', host: 'httpbin.foo', target, token: t.demo });
    assert.equal(allowed.status, 200);
    assert.match(allowed.content, /\*\*200 ALLOWED\*\*/);
    assert.match(allowed.content, /Token: `eyJhbGciOiJS… \(\d+ chars\)`/);
    const denied = await client.request<SimulateResult>('istio/simulate', { method: 'POST', path: '/post', target });
    assert.equal(denied.status, 403);
    assert.match(denied.content, /\*\*403 DENIED\*\*: /);
    const unknown = await client.request<SimulateResult>('istio/simulate', { method: 'GET', path: '/headers', target, token: t.expired });
    assert.equal(unknown.status, 401);
    assert.match(unknown.content, /\*\*Trace\*\*\n\n1\. /);
    responses.push(targets, allowed, denied, unknown);
  });
});

describe('LSP: verifying a JWT against a jwksUri', () => {
  let jwksServer: LoopbackServer;
  let key: TestKey;
  let dir: string;
  before(async () => {
    key = await makeKey('ES256', 'es-key');
    jwksServer = await startHttpServer((req, res) => sendJson(res, { keys: [key.publicJwk] }));
    dir = tempDir('istio-jwt-uri-');
    writeFileSync(join(dir, 'ra.yaml'), requestAuthentication([{ issuer: 'https://idp.example.com', jwksUri: `${jwksServer.origin}/jwks.json` }]));
  });
  after(async () => {
    await jwksServer.close();
    removeTempDir(dir);
  });

  it('fetches the keys on the explicit request even in an untrusted workspace, and never offline', async () => {
    const token = track(await signToken(key.privateJwk, { iss: 'https://idp.example.com', sub: 'bob', exp: nowSeconds() + 600 }));
    const untrusted = await LspTestClient.start({ workspaceFolder: dir, initializationOptions: { trusted: false, settings: { offline: false } } });
    try {
      await untrusted.request('istio/indexReady', {});
      const r = await untrusted.request<VerifyJwtResult>('istio/verifyJwt', { token });
      assert.equal(r.kind, 'verified');
      if (r.kind !== 'verified') return;
      assert.equal(r.ok, true);
      assert.equal(r.signatureChecked, true);
      assert.match(r.content, new RegExp(`Keys: ${jwksServer.origin}/jwks.json`));
      assert.equal(jwksServer.requests.filter((q) => q.url === '/jwks.json').length, 1);
      assertRedacted(untrusted, [r]);
    } finally {
      await untrusted.stop();
    }
    const offline = await LspTestClient.start({ workspaceFolder: dir, initializationOptions: { settings: { offline: true } } });
    try {
      await offline.request('istio/indexReady', {});
      const r = await offline.request<VerifyJwtResult>('istio/verifyJwt', { token });
      assert.equal(r.kind === 'verified' && r.signatureChecked, false);
      assert.match((r as { content: string }).content, /Every check made here passed, but the signature was not checked/);
      assert.match((r as { content: string }).content, /\| – \| signature \| not checked: offline/);
      assert.equal(jwksServer.requests.length, 1, 'offline: no request');
      assertRedacted(offline, [r]);
    } finally {
      await offline.stop();
    }
  });
});
