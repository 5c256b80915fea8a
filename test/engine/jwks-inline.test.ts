import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkInlineJwks, collectJwtRules, analyzeJwks, importKeySet, isClusterLocalHost, kubectlProxyArgs, discoveryUrlOf, isNoProxy, proxyFor, JWKS_CODES } from '../../engine/src/jwks';
import type { Finding } from '../../engine/src/diagnostics';
import { parseDoc } from '../../engine/src/model/parse';
import { makeKey, parsed, textAt } from '../helpers/jwks';

function inlineFindings(jwks: string): { findings: Finding[]; doc: ReturnType<typeof parsed> } {
  const doc = parsed([{ issuer: 'https://issuer.example', jwks }]);
  const findings: Finding[] = [];
  checkInlineJwks(doc, findings);
  return { findings, doc };
}

describe('collectJwtRules', () => {
  it('returns issuer, jwksUri and jwks with the ranges of their values', () => {
    const doc = parsed([{ issuer: 'https://a.example', jwksUri: 'https://a.example/keys' }, { issuer: 'b', jwks: '{"keys": []}' }]);
    const rules = collectJwtRules(doc);
    assert.equal(rules.length, 2);
    assert.equal(rules[0].issuer?.value, 'https://a.example');
    assert.equal(textAt(doc, rules[0].jwksUri!.range), '"https://a.example/keys"');
    assert.equal(rules[0].jwksUri!.range.start.line, 8);
    assert.equal(rules[1].jwks?.value, '{"keys": []}\n');
    assert.equal(rules[1].jwksUri, undefined);
  });

  it('ignores other kinds', () => {
    const doc = parsed([{ issuer: 'x' }]);
    const other = { ...doc, resource: { ...doc.resource!, kind: 'AuthorizationPolicy' } };
    assert.deepEqual(collectJwtRules(other), []);
  });
});

describe('checkInlineJwks', () => {
  it('accepts a set of real public keys without findings', async () => {
    const [a, b] = await Promise.all([makeKey('RS256', 'a'), makeKey('ES256', 'b')]);
    const { findings } = inlineFindings(JSON.stringify({ keys: [a.publicJwk, b.publicJwk] }, null, 2));
    assert.deepEqual(findings, []);
  });

  it('leaves what the webhook rejects, and private keys, to the RequestAuthentication rules', async () => {
    const k = await makeKey('ES256', 'k1');
    for (const text of ['{"keys": [', '[]', '{"keys": 1}', '{"keys": [{"kid": "nokty"}]}', '{"keys": [{"kty": "XYZ"}]}', '{"keys": ["x"]}', JSON.stringify({ keys: [k.privateJwk] })]) {
      assert.deepEqual(inlineFindings(text).findings, [], text);
    }
  });

  it('reports duplicate kid on the second key', async () => {
    const [a, b] = await Promise.all([makeKey('RS256', 'same'), makeKey('RS256', 'same')]);
    const { findings, doc } = inlineFindings(JSON.stringify({ keys: [a.publicJwk, b.publicJwk] }, null, 2));
    const dup = findings.filter((f) => f.code === 'jwks-duplicate-kid');
    assert.equal(dup.length, 1);
    assert.equal(textAt(doc, dup[0].range), '"kid": "same"');
    const second = doc.text.indexOf('"kid": "same"', doc.text.indexOf('"kid": "same"') + 1);
    assert.deepEqual(dup[0].range.start, doc.lines.positionAt(second), 'on the second key');
    assert.match(dup[0].message, /keys 0, 1/);
  });

  it('says why each key is unusable, and that none is left', () => {
    const jwks = { keys: [{ kty: 'RSA', kid: 'enc', use: 'enc', n: 'AQAB', e: 'AQAB' }, { kty: 'EC', kid: 'bad', crv: 'P-256', x: 'AA', y: 'AA', alg: 'RS256' }, { kty: 'RSA', kid: 'ops', key_ops: ['encrypt'] }] };
    const { findings, doc } = inlineFindings(JSON.stringify(jwks, null, 1));
    const unusable = findings.filter((f) => f.code === 'jwks-key-unusable');
    assert.deepEqual(unusable.map((f) => f.severity), ['information', 'information', 'information']);
    assert.match(unusable[0].message, /key 0 \(kid "enc"\) cannot verify JWTs: use is "enc"/);
    assert.equal(textAt(doc, unusable[0].range), '"use": "enc"');
    assert.match(unusable[1].message, /alg RS256 needs kty RSA, not EC/);
    assert.equal(textAt(doc, unusable[1].range), '"alg": "RS256"');
    assert.match(unusable[2].message, /key_ops \["encrypt"\] does not include "verify"/);
    const none = findings.find((f) => f.code === 'jwks-no-usable-keys');
    assert.equal(none?.severity, 'warning');
    assert.match(none!.message, /key 0 \(kid "enc"\).*key 1 \(kid "bad"\).*key 2 \(kid "ops"\)/);
    assert.equal(none!.range.start.line, collectJwtRules(doc)[0].jwks!.range.start.line);
  });

  it('reports invalid key material found by Node', () => {
    const { findings } = inlineFindings(JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA', kid: 'short' }] }));
    const f = findings.find((x) => x.code === 'jwks-key-unusable');
    assert.match(f!.message, /key material is invalid/);
  });

  it('reports a single JWK (jwx accepts it, Envoy needs "keys") and an empty set', async () => {
    const k = await makeKey('EdDSA', 'ed');
    const single = inlineFindings(JSON.stringify(k.publicJwk)).findings;
    assert.deepEqual(single.map((f) => [f.code, f.severity]), [['jwks-not-key-set', 'warning']]);
    assert.match(single[0].message, /a single JWK, not a JWK Set/);
    const empty = inlineFindings('{"keys": []}').findings;
    assert.deepEqual(empty.map((f) => f.code), ['jwks-no-usable-keys']);
    assert.match(empty[0].message, /"keys" array is empty/);
  });

  it('ranges problems in single-line quoted jwks too', async () => {
    const [a, b] = await Promise.all([makeKey('RS256', 'x'), makeKey('RS256', 'x')]);
    const text = `apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata: {name: j}\nspec:\n  jwtRules:\n  - issuer: i\n    jwks: '${JSON.stringify({ keys: [a.publicJwk, b.publicJwk] })}'\n`;
    const doc = parseDoc(text);
    const out: Finding[] = [];
    checkInlineJwks(doc, out);
    assert.deepEqual(out.map((f) => f.code), ['jwks-duplicate-kid']);
    assert.equal(textAt(doc, out[0].range), '"kid":"x"');
    assert.equal(doc.lines.offsetAt(out[0].range.start), text.lastIndexOf('"kid":"x"'));
  });
});

describe('importKeySet', () => {
  it('flags private and secret material in a set (used for remote sets)', async () => {
    const k = await makeKey('RS256', 'r');
    const a = analyzeJwks({ keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'hs' }, k.privateJwk] });
    const priv = a.problems.filter((p) => p.code === 'jwks-private-key');
    assert.deepEqual(priv.map((p) => [p.index, p.member]), [[0, 'k'], [1, 'd']]);
    assert.match(priv[0].message, /shared secret \(k\)/);
    assert.match(priv[1].message, /\(d, p, q, dp, dq, qi\)/);
    const imported = await importKeySet(a);
    assert.deepEqual(imported.keys.map((x) => [x.kid, x.alg]), [['hs', 'HS256'], ['r', 'RS256']]);
    assert.equal('d' in imported.keys[1].jwk, false, 'only public members are imported');
  });

  it('imports usable keys with jose, defaulting alg from kty/crv', async () => {
    const k = await makeKey('ES256', 'e');
    const { alg: _alg, ...noAlg } = k.publicJwk;
    const a = analyzeJwks({ keys: [noAlg] });
    const r = await importKeySet(a);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.keys.map((x) => [x.kid, x.alg]), [['e', 'ES256']]);
  });
});

describe('cluster-local hosts and kubectl', () => {
  it('recognises in-cluster names only', () => {
    for (const h of ['keys', 'keys.auth.svc', 'keys.auth.svc.cluster.local', 'x.cluster.local']) assert.ok(isClusterLocalHost(h), h);
    for (const h of ['localhost', '127.0.0.1', 'example.com', 'svc.example.com', '::1', '{your_domain}']) assert.ok(!isClusterLocalHost(h), h);
  });

  it('builds service-proxy arguments with the port and https: prefix', () => {
    assert.deepEqual(kubectlProxyArgs('https://keys.auth.svc.cluster.local/.well-known/jwks.json', { context: 'prod' }), [
      '--context', 'prod', 'get', '--raw', '/api/v1/namespaces/auth/services/https:keys:443/proxy/.well-known/jwks.json',
    ]);
    assert.deepEqual(kubectlProxyArgs('http://keys:8080/jwks?x=1', { namespace: 'foo' }), ['get', '--raw', '/api/v1/namespaces/foo/services/keys:8080/proxy/jwks?x=1']);
    assert.deepEqual(kubectlProxyArgs('http://keys.auth.svc/k'), ['get', '--raw', '/api/v1/namespaces/auth/services/keys:80/proxy/k']);
    assert.equal(kubectlProxyArgs('https://example.com/k'), undefined);
  });
});

describe('URLs and proxies', () => {
  it('builds the discovery URL like istiod (one trailing slash trimmed)', () => {
    assert.equal(discoveryUrlOf('https://a.example'), 'https://a.example/.well-known/openid-configuration');
    assert.equal(discoveryUrlOf('https://a.example/'), 'https://a.example/.well-known/openid-configuration');
    assert.equal(discoveryUrlOf('https://a.example/realms/x/'), 'https://a.example/realms/x/.well-known/openid-configuration');
  });

  it('reads HTTPS_PROXY/HTTP_PROXY and honours NO_PROXY', () => {
    const env = { HTTPS_PROXY: 'http://proxy:3128', http_proxy: 'proxy2:8080', NO_PROXY: '.internal.example,10.0.0.1,host:8443' };
    assert.equal(proxyFor(new URL('https://a.example/'), { env })?.host, 'proxy:3128');
    assert.equal(proxyFor(new URL('http://a.example/'), { env })?.host, 'proxy2:8080');
    assert.equal(proxyFor(new URL('https://k.internal.example/'), { env }), undefined);
    assert.equal(proxyFor(new URL('https://host:8443/'), { env }), undefined);
    assert.equal(proxyFor(new URL('https://host/'), { env })?.host, 'proxy:3128');
    assert.equal(proxyFor(new URL('https://a.example/'), { env, proxy: '' }), undefined);
    assert.equal(proxyFor(new URL('https://a.example/'), { env: {}, proxy: 'http://explicit:1' })?.host, 'explicit:1');
    assert.ok(isNoProxy(new URL('http://anything/'), '*'));
  });

  it('documents every code with a kebab-case jwks- name', () => {
    const doc = readFileSync(path.resolve(__dirname, '../../docs/diagnostics/jwks.md'), 'utf8');
    for (const code of Object.keys(JWKS_CODES)) {
      assert.match(code, /^jwks-[a-z]+(-[a-z]+)*$/);
      assert.ok(doc.includes(`\n## ${code}\n- **Severity:** ${JWKS_CODES[code as keyof typeof JWKS_CODES].severity}\n`), `docs for ${code}`);
    }
    assert.equal(doc.match(/\n## jwks-/g)?.length, Object.keys(JWKS_CODES).length);
  });
});
