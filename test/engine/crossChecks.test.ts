import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnalysisHost } from '../../engine/src/host/index';

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

function codes(ws: AnalysisHost, file: string, code: string) {
  return ws.diagnostics(file).filter((f) => f.code === code);
}

describe('cross-resource: issuer accepted by a RequestAuthentication', () => {
  it('is silent when a RequestAuthentication in the namespace accepts the issuer', () => {
    const ws = new AnalysisHost();
    ws.setFile('ra.yaml', RA('shop', 'https://idp.example.com'));
    ws.setFile('ap.yaml', AP('shop', 'https://idp.example.com/*'));
    assert.deepEqual(codes(ws, 'ap.yaml', 'xref-issuer-not-accepted'), []);
  });

  it('accepts a RequestAuthentication in the root namespace (mesh-wide)', () => {
    const ws = new AnalysisHost();
    ws.setFile('ra.yaml', RA('istio-system', 'https://idp.example.com'));
    ws.setFile('ap.yaml', AP('shop', 'https://idp.example.com/user-1'));
    assert.deepEqual(codes(ws, 'ap.yaml', 'xref-issuer-not-accepted'), []);
  });

  it('warns on a principal whose issuer differs by a trailing slash, with the related RequestAuthentication', () => {
    const ws = new AnalysisHost();
    ws.setFile('ra.yaml', RA('shop', 'https://tenant.auth0.com/'));
    ws.setFile('ap.yaml', AP('shop', 'https://tenant.auth0.com/abc'));
    const [f] = codes(ws, 'ap.yaml', 'xref-issuer-not-accepted');
    assert.ok(f);
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.range, { start: { line: 9, character: 28 }, end: { line: 9, character: 58 } });
    assert.match(f.message, /trailing slash/);
    assert.equal(f.related?.[0].file, 'ra.yaml');
  });

  it('updates when the other file changes or is removed', () => {
    const ws = new AnalysisHost();
    ws.setFile('ra.yaml', RA('shop', 'https://other.example.com'));
    ws.setFile('ap.yaml', AP('shop', 'https://idp.example.com/*'));
    assert.equal(codes(ws, 'ap.yaml', 'xref-issuer-not-accepted').length, 1);
    ws.setFile('ra.yaml', RA('shop', 'https://idp.example.com'));
    assert.equal(codes(ws, 'ap.yaml', 'xref-issuer-not-accepted').length, 0);
    ws.removeFile('ra.yaml');
    const [f] = codes(ws, 'ap.yaml', 'xref-issuer-not-accepted');
    assert.equal(f.severity, 'information', 'with no RequestAuthentication in the workspace at all, it may live in the cluster');
  });
});

describe('cross-resource: RequestAuthentication without a policy requiring a token', () => {
  it('offers a fix that appends a policy requiring a JWT, and the fixed workspace is silent', () => {
    const ws = new AnalysisHost();
    const text = RA('shop', 'https://idp.example.com');
    ws.setFile('ra.yaml', text);
    const [f] = codes(ws, 'ra.yaml', 'xref-reqauth-without-policy');
    assert.equal(f.severity, 'information');
    const edit = f.fixes![0].edits[0];
    assert.deepEqual(edit.range.start, { line: 9, character: 0 });
    const fixed = text + edit.newText;
    ws.setFile('ra.yaml', fixed);
    assert.deepEqual(codes(ws, 'ra.yaml', 'xref-reqauth-without-policy'), []);
    assert.deepEqual(ws.diagnostics('ra.yaml').filter((x) => x.severity === 'error'), []);
  });
});

describe('cross-resource: incremental', () => {
  it('keeps positions right when lines are inserted above, without re-running rules (same data)', () => {
    const ws = new AnalysisHost();
    ws.setFile('ap.yaml', AP('shop', 'https://nobody.example.com/*'));
    const before = codes(ws, 'ap.yaml', 'xref-issuer-not-accepted')[0].range.start.line;
    ws.status('ap.yaml');
    ws.setFile('ap.yaml', '# a comment\n# another\n' + AP('shop', 'https://nobody.example.com/*'));
    assert.equal(codes(ws, 'ap.yaml', 'xref-issuer-not-accepted')[0].range.start.line, before + 2);
    assert.equal(ws.status('ap.yaml').crossChecks, 0, 'the resource kept its data: no rule re-ran');
  });

  it('re-runs only the rules of resources whose inputs changed', () => {
    const ws = new AnalysisHost();
    for (let i = 0; i < 20; i++) ws.setFile(`ap${i}.yaml`, AP(`ns${i}`, 'https://nobody.example.com/*'));
    ws.setFile('ra.yaml', RA('ns3', 'https://other.example.com'));
    ws.status('ra.yaml');
    ws.setFile('ra.yaml', RA('ns3', 'https://nobody.example.com'));
    assert.equal(codes(ws, 'ap3.yaml', 'xref-issuer-not-accepted').length, 0);
    const checks = ws.status('ap3.yaml').crossChecks;
    assert.ok(checks > 0 && checks < 10, `only ns3's policy and the RequestAuthentication were re-checked (${checks} checks)`);
    assert.equal(codes(ws, 'ap4.yaml', 'xref-issuer-not-accepted').length, 1);
  });
});
