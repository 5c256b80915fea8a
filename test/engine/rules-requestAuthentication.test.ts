import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { itEachRealworld } from '../helpers/realworld';
import { inspectJwks, issuerAdvice } from '../../engine/src/rules/requestAuthentication';
import { applyFix, doc, expectCode, expectNoError } from '../helpers/securityRules';

/** A RequestAuthentication with one jwtRules entry whose fields start on line 8. */
const ra = (rule: string): string => doc('security.istio.io/v1', 'RequestAuthentication', `  jwtRules:\n  - ${rule}\n`);

const PUBLIC_RSA = '{"kty":"RSA","e":"AQAB","kid":"k1","n":"xAE7eB6qugXyCAG3yhh7pkDkT65pHymX-P7KfIupjf59vsdo91bSP9C8H07pSAGQO1MV"}';
const PRIVATE_RSA = PUBLIC_RSA.replace('"kid"', '"d":"jJVKLOMXjlSnICzfP","kid"');

describe('RequestAuthentication jwtRules', () => {
  it('needs issuer or jwksUri; jwksUri alone or issuer alone is valid', () => {
    expectCode(ra('audiences: [a]'), 'reqauth-issuer-or-jwks-uri', [['error', '7:4-7:13']]);
    expectCode(doc('security.istio.io/v1', 'RequestAuthentication', '  jwtRules:\n  - {}\n'), 'reqauth-issuer-or-jwks-uri', [['error', '7:4-7:6']]);
    const [f] = expectCode(ra(`jwks: '{"keys":[]}'`), 'reqauth-issuer-or-jwks-uri', [['error', '7:4-7:8']]);
    assert.match(f.message, /inline jwks does not replace it/);
    expectNoError(ra('jwksUri: https://foo.com/cert'));
    expectNoError(ra('issuer: foo.com'));
  });

  it('rejects inline jwks that is not a JWK set, accepts a public key', () => {
    expectCode(ra('issuer: foo.com\n    jwks: foo'), 'reqauth-jwks-invalid', [['error', '8:10-8:13']]);
    expectCode(ra(`issuer: foo.com\n    jwks: '{"keys":[{"kty":"XYZ"}]}'`), 'reqauth-jwks-invalid', [['error', '8:10-8:36']]);
    expectCode(ra(`issuer: foo.com\n    jwks: '{"keys":[${PUBLIC_RSA}]}'`), 'reqauth-jwks-invalid', []);
    expectNoError(ra(`issuer: foo.com\n    jwks: '{"keys":[${PUBLIC_RSA}]}'`));
  });

  it('warns about private key material in inline jwks', () => {
    const text = ra(`issuer: foo.com\n    jwks: |\n      {"keys": [${PUBLIC_RSA}, ${PRIVATE_RSA}, {"kty":"oct","k":"c2VjcmV0"}]}`);
    // One finding per jwks (the keys share its range), naming every such key: bounded for any set size.
    const got = expectCode(text, 'reqauth-jwks-private-key', [['warning', '8:10-10:0']]);
    assert.match(got[0].message, /keys at index 1, 2 contain private key material/);
    assert.deepEqual(inspectJwks(`{"keys":[${PUBLIC_RSA}]}`), { privateKeys: [] });
  });

  it('offers https:// for a scheme-less jwksUri (the CRD rule rejects it)', () => {
    const text = ra('issuer: foo.com\n    jwksUri: foo.com/jwks.json');
    const [f] = expectCode(text, 'reqauth-jwks-uri-scheme', [['hint', '8:13-8:30']]);
    assert.ok(applyFix(text, f).includes('jwksUri: https://foo.com/jwks.json'));
    expectCode(ra('issuer: foo.com\n    jwksUri: https://foo.com/jwks.json'), 'reqauth-jwks-uri-scheme', []);
  });

  it('warns about http:// jwksUri, information only for in-cluster hosts', () => {
    const [f] = expectCode(ra('issuer: https://idp.example.com\n    jwksUri: http://idp.example.com/jwks'), 'reqauth-jwks-uri-http', [['warning', '8:13-8:40']]);
    assert.equal(f.fixes?.[0].isPreferred, false);
    expectCode(ra('issuer: x\n    jwksUri: http://keycloak.auth.svc.cluster.local:8080/realms/a/protocol/openid-connect/certs'), 'reqauth-jwks-uri-http', [
      ['information', '8:13-8:95'],
    ]);
  });

  it('rejects a timeout that is not a whole number of milliseconds', () => {
    const text = ra('issuer: foo.com\n    timeout: 1500us');
    const [f] = expectCode(text, 'reqauth-timeout-precision', [['error', '8:13-8:19']]);
    assert.ok(applyFix(text, f).includes('timeout: 1ms'));
    expectCode(ra('issuer: foo.com\n    timeout: 1.5s'), 'reqauth-timeout-precision', []);
  });

  it('warns about header names that are not HTTP tokens', () => {
    const text = ra('issuer: foo.com\n    fromHeaders:\n    - name: "Authorization: Bearer"\n    outputPayloadToHeader: x-jwt-payload');
    const [f] = expectCode(text, 'reqauth-header-name-invalid', [['warning', '9:12-9:35']]);
    assert.match(f.message, /put "Bearer " in prefix/);
    expectCode(ra('issuer: foo.com\n    outputPayloadToHeader: "x jwt"'), 'reqauth-header-name-invalid', [['warning', '8:27-8:34']]);
  });
});

describe('RequestAuthentication issuer forms', () => {
  it('knows the exact issuers of common identity providers', () => {
    assert.equal(issuerAdvice('https://dev-x.auth0.com/'), undefined);
    assert.equal(issuerAdvice('https://dev-x.us.auth0.com')?.suggestion, 'https://dev-x.us.auth0.com/');
    assert.equal(issuerAdvice('https://acme.okta.com/oauth2/default'), undefined);
    assert.equal(issuerAdvice('https://acme.okta.com/oauth2/default/')?.suggestion, 'https://acme.okta.com/oauth2/default');
    assert.equal(issuerAdvice('https://accounts.google.com'), undefined);
    assert.equal(issuerAdvice('https://accounts.google.com/')?.suggestion, 'https://accounts.google.com');
    assert.equal(issuerAdvice('https://login.microsoftonline.com/t1/v2.0'), undefined);
    assert.equal(issuerAdvice('https://login.microsoftonline.com/t1/v2.0/')?.suggestion, 'https://login.microsoftonline.com/t1/v2.0');
    assert.equal(issuerAdvice('https://login.microsoftonline.com/t1')?.suggestion, undefined);
    assert.equal(issuerAdvice('https://sts.windows.net/t1')?.suggestion, 'https://sts.windows.net/t1/');
    assert.equal(issuerAdvice('https://kc.example.com/realms/demo'), undefined);
    assert.equal(issuerAdvice('https://kc.example.com/realms/demo/')?.suggestion, 'https://kc.example.com/realms/demo');
    assert.match(issuerAdvice('https://idp.example.com/.well-known/jwks.json')?.message ?? '', /jwksUri/);
    assert.equal(issuerAdvice('https://idp.example.com'), undefined);
  });

  it('reports the Auth0 issuer without its trailing slash, with a fix', () => {
    const text = ra('issuer: https://dev-x.auth0.com\n    jwksUri: https://dev-x.auth0.com/.well-known/jwks.json');
    const [f] = expectCode(text, 'reqauth-issuer-format', [['warning', '7:12-7:35']]);
    assert.ok(applyFix(text, f).includes('issuer: https://dev-x.auth0.com/\n'));
  });
});

describe('RequestAuthentication real-world files', () => {
  const files = [
    'istio-istio/pkg/config/validation/testdata/crds/reqauth-valid.yaml',
    'istio-istio/pkg/test/datasets/validation/dataset/security-v1-RequestAuthentication.yaml',
    'istio-istio/pkg/test/datasets/validation/dataset/security-v1beta1-RequestAuthentication.yaml',
    'auth0-blog-istio-auth0-integration/security/auth0-authn-sample.yaml',
    'walter-manger-istio-auth0-integration/security/auth0-authn.yaml',
  ];
  itEachRealworld(files, (file) => `no error on ${path.basename(file)}`, expectNoError);
});
