import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Workspace } from '../../engine/src/workspace/workspace';

const RA = (ns: string, issuer: string) => `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: jwt
  namespace: ${ns}
spec:
  jwtRules:
  - issuer: ${issuer}
    jwksUri: https://idp.example.com/jwks.json
`;
const AP = (ns: string, principal: string) => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: require
  namespace: ${ns}
spec:
  rules:
  - from:
    - source:
        requestPrincipals: ["${principal}"]
`;

function codes(ws: Workspace, file: string, code: string) {
  return ws.findings(file).filter((f) => f.code === code);
}

describe('cross-resource: issuer accepted by a RequestAuthentication', () => {
  it('is silent when a RequestAuthentication in the namespace accepts the issuer', () => {
    const ws = new Workspace();
    ws.update('ra.yaml', RA('shop', 'https://idp.example.com'));
    ws.update('ap.yaml', AP('shop', 'https://idp.example.com/*'));
    assert.deepEqual(codes(ws, 'ap.yaml', 'xref-issuer-not-accepted'), []);
  });

  it('accepts a RequestAuthentication in the root namespace (mesh-wide)', () => {
    const ws = new Workspace();
    ws.update('ra.yaml', RA('istio-system', 'https://idp.example.com'));
    ws.update('ap.yaml', AP('shop', 'https://idp.example.com/user-1'));
    assert.deepEqual(codes(ws, 'ap.yaml', 'xref-issuer-not-accepted'), []);
  });

  it('warns on a principal whose issuer differs by a trailing slash, with the related RequestAuthentication', () => {
    const ws = new Workspace();
    ws.update('ra.yaml', RA('shop', 'https://tenant.auth0.com/'));
    ws.update('ap.yaml', AP('shop', 'https://tenant.auth0.com/abc'));
    const [f] = codes(ws, 'ap.yaml', 'xref-issuer-not-accepted');
    assert.ok(f);
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.range, { start: { line: 9, character: 28 }, end: { line: 9, character: 58 } });
    assert.match(f.message, /trailing slash/);
    assert.equal(f.related?.[0].file, 'ra.yaml');
  });

  it('updates when the other file changes or is removed', () => {
    const ws = new Workspace();
    ws.update('ra.yaml', RA('shop', 'https://other.example.com'));
    ws.update('ap.yaml', AP('shop', 'https://idp.example.com/*'));
    assert.equal(codes(ws, 'ap.yaml', 'xref-issuer-not-accepted').length, 1);
    ws.update('ra.yaml', RA('shop', 'https://idp.example.com'));
    assert.equal(codes(ws, 'ap.yaml', 'xref-issuer-not-accepted').length, 0);
    ws.remove('ra.yaml');
    const [f] = codes(ws, 'ap.yaml', 'xref-issuer-not-accepted');
    assert.equal(f.severity, 'information', 'with no RequestAuthentication in the workspace at all, it may live in the cluster');
  });
});

describe('cross-resource: RequestAuthentication without a policy requiring a token', () => {
  it('offers a fix that appends a policy requiring a JWT, and the fixed workspace is silent', () => {
    const ws = new Workspace();
    const text = RA('shop', 'https://idp.example.com');
    ws.update('ra.yaml', text);
    const [f] = codes(ws, 'ra.yaml', 'xref-reqauth-without-policy');
    assert.equal(f.severity, 'information');
    const edit = f.fixes![0].edits[0];
    assert.deepEqual(edit.range.start, { line: 9, character: 0 });
    const fixed = text + edit.newText;
    ws.update('ra.yaml', fixed);
    assert.deepEqual(codes(ws, 'ra.yaml', 'xref-reqauth-without-policy'), []);
    assert.deepEqual(ws.findings('ra.yaml').filter((x) => x.severity === 'error'), []);
  });
});

describe('cross-resource: cache by index version', () => {
  it('keeps positions right when lines are inserted above, without re-running rules', () => {
    const ws = new Workspace();
    ws.update('ap.yaml', AP('shop', 'https://nobody.example.com/*'));
    const before = codes(ws, 'ap.yaml', 'xref-issuer-not-accepted')[0].range.start.line;
    const version = ws.resources.version;
    ws.update('ap.yaml', '# a comment\n# another\n' + AP('shop', 'https://nobody.example.com/*'));
    assert.equal(ws.resources.version !== version, true, 'the document text changed (comment lines are part of it)');
    assert.equal(codes(ws, 'ap.yaml', 'xref-issuer-not-accepted')[0].range.start.line, before + 2);
  });
});
