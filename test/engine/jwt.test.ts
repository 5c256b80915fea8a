import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CLOCK_SKEW_SECONDS,
  checkTokensInText,
  decodeToken,
  findTokens,
  jwtRulesOf,
  redactToken,
  rulesAccepting,
  type JwtRuleInfo,
} from '../../engine/src/jwt/index';
import { makeKey } from '../helpers/jwks';
import { resourcesOf, sample, SAMPLE_ISSUER, signToken } from '../helpers/jwtSign';

const b64 = (o: unknown): string => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString('base64url');
const unsigned = (header: object, payload: object, sig = 'c2ln'): string => `${b64(header)}.${b64(payload)}.${sig}`;
const NOW = Date.UTC(2026, 0, 1);
const NOW_S = NOW / 1000;

function rule(issuer: string, extra: Partial<JwtRuleInfo> = {}): JwtRuleInfo {
  return { namespace: 'foo', name: 'ra', ruleIndex: 0, issuer, audiences: [], ...extra };
}

describe('decodeToken', { timeout: 120_000 }, () => {
  it('decodes the Istio sample token: header, payload, ISO times, principal', () => {
    const r = decodeToken(sample('demo.jwt'), NOW);
    assert.ok(r.ok);
    assert.equal(r.jwt.header.alg, 'RS256');
    assert.equal(r.jwt.payload.foo, 'bar');
    assert.equal(r.jwt.times.iat?.iso, '2018-07-23T23:48:20.000Z');
    assert.equal(r.jwt.times.exp?.iso, '2118-06-29T23:48:20.000Z');
    assert.match(r.jwt.times.iat!.relative, /^7 years ago$/);
    assert.match(r.jwt.times.exp!.relative, /^in 92 years$/);
    assert.equal(r.jwt.status, 'valid');
    assert.equal(r.jwt.principal, `${SAMPLE_ISSUER}/${SAMPLE_ISSUER}`);
  });

  it('applies Envoy\'s 60 s clock skew to exp and nbf', () => {
    const at = (payload: object) => {
      const r = decodeToken(unsigned({ alg: 'RS256' }, payload), NOW);
      assert.ok(r.ok);
      return r.jwt.status;
    };
    assert.equal(at({ exp: NOW_S - CLOCK_SKEW_SECONDS }), 'valid');
    assert.equal(at({ exp: NOW_S - CLOCK_SKEW_SECONDS - 1 }), 'expired');
    assert.equal(at({ nbf: NOW_S + CLOCK_SKEW_SECONDS }), 'valid');
    assert.equal(at({ nbf: NOW_S + CLOCK_SKEW_SECONDS + 1 }), 'not-yet-valid');
    assert.equal(at({}), 'valid');
  });

  it('rejects malformed input with a clear error, never an exception', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['a.b', /3 dot-separated segments/],
      ['a.b.c.d', /3 dot-separated segments/],
      ['e+J.e30.', /header is not base64url/],
      [`${b64('not json')}.${b64({})}.`, /header is not JSON/],
      [`${b64([1])}.${b64({})}.`, /not an object/],
      [`${b64({ alg: 'RS256' })}.${b64('{"a":')}.`, /payload is not JSON/],
      [`${b64({ alg: 'RS256' })}.${b64({})}.a`, /signature is not base64url/],
      [`${b64({ alg: 'RS256' })}.${Buffer.from([0xff, 0xfe]).toString('base64url')}.`, /not UTF-8/],
      [`${b64({ alg: 'RS256' })}.${b64('['.repeat(100) + ']'.repeat(100))}.`, /JSON but not an object/],
      [`${b64({ alg: 'RS256' })}.${b64({ a: JSON.parse('{"b":'.repeat(40) + '1' + '}'.repeat(40)) })}.`, /deeper than 32/],
      [`${b64({ alg: 'RS256' })}.${'A'.repeat(1024 * 1024)}.`, /more than the 65536/],
    ];
    for (const [token, error] of cases) {
      const r = decodeToken(token, NOW);
      assert.equal(r.ok, false, token.slice(0, 40));
      if (!r.ok) assert.match(r.error, error);
    }
  });

  it('reports a non-numeric exp as a problem Envoy rejects', () => {
    const r = decodeToken(unsigned({ alg: 'RS256' }, { exp: '2030-01-01' }), NOW);
    assert.ok(r.ok);
    assert.match(r.jwt.problems[0], /exp is "2030-01-01", not a number/);
  });
});

describe('findTokens', { timeout: 120_000 }, () => {
  it('finds tokens in values, block scalars and comments with exact offsets', () => {
    const demo = sample('demo.jwt');
    const text = `a: ${demo}\nb: |\n  Bearer ${demo}\n# token=${demo}\n`;
    const found = findTokens(text);
    assert.deepEqual(found.map((t) => text.slice(t.start, t.end)), [demo, demo, demo]);
    assert.equal(found[0].start, 3);
    assert.equal(found[0].header.kid, 'DHFbpoIUqrY8t2zpA2qXfCmr5VO5ZEr4RzHU_-envvQ');
  });

  it('ignores dotted hostnames, versions and base64 without an alg header', () => {
    const noAlg = `${b64({ typ: 'JWT' })}.${b64({})}.sig`;
    const text = `host: www.example.com\nversion: 1.2.3\nimage: eyJfoo.bar.baz\nx: ${noAlg}\nlong: a.${unsigned({ alg: 'RS256' }, {})}.b\n`;
    assert.deepEqual(findTokens(text), []);
  });

  it('is bounded: tokens over 64 KiB are skipped and the count is capped', () => {
    const big = unsigned({ alg: 'RS256' }, { pad: 'x'.repeat(70 * 1024) });
    assert.deepEqual(findTokens(`a: ${big}\n`), []);
    const small = unsigned({ alg: 'RS256' }, {});
    assert.equal(findTokens(`${small}\n`.repeat(500)).length, 100);
  });
});

describe('rulesAccepting and jwtRulesOf', { timeout: 120_000 }, () => {
  it('accepts by exact issuer; empty audiences accept any audience; listed audiences must intersect', () => {
    const jwt = { issuer: 'https://a.example.com/', audiences: ['api'] };
    const r = rulesAccepting(jwt, [
      rule('https://a.example.com/'),
      rule('https://a.example.com'),
      rule('https://a.example.com/', { audiences: ['other'] }),
      rule('https://a.example.com/', { audiences: ['https://api/'] }),
    ]);
    assert.deepEqual(r.map((x) => x.accepted), [true, false, false, true]);
    assert.match(r[1].slashHint!, /differ only by a trailing slash/);
  });

  it('reads jwtRules from RequestAuthentication resources', () => {
    const res = resourcesOf(`apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: ra, namespace: foo}
spec:
  selector: {matchLabels: {app: x}}
  jwtRules:
  - issuer: a
    audiences: [x]
    fromHeaders: [{name: x-jwt, prefix: "T "}]
  - {issuer: b, jwksUri: "https://b/jwks"}
`);
    const rules = jwtRulesOf(res);
    assert.equal(rules.length, 2);
    assert.deepEqual(rules[0].fromHeaders, [{ name: 'x-jwt', prefix: 'T ' }]);
    assert.deepEqual(rules[0].selector, { app: 'x' });
    assert.equal(rules[1].jwksUri, 'https://b/jwks');
    assert.equal(rules[1].ruleIndex, 1);
  });
});

describe('checkTokensInText', { timeout: 120_000 }, () => {
  it('expired token: information on the exact token range, redacted message', () => {
    const token = unsigned({ alg: 'RS256' }, { iss: 'x', exp: NOW_S - 3600 });
    const text = `kind: Foo\n# curl -H "Authorization: Bearer ${token}"\n`;
    const f = checkTokensInText(text, [rule('x')], NOW);
    assert.deepEqual(f.map((x) => [x.code, x.severity]), [['jwt-expired', 'information']]);
    const col = text.split('\n')[1].indexOf(token);
    assert.deepEqual(f[0].range, { start: { line: 1, character: col }, end: { line: 1, character: col + token.length } });
    assert.ok(!f[0].message.includes(token));
    assert.ok(f[0].message.includes(redactToken(token)));
    assert.match(f[0].message, /expired 1 hour ago/);
  });

  it('alg none → warning; HS256 for an issuer whose inline jwks is only RSA → warning', async () => {
    const key = await makeKey('RS256', 'k');
    const jwks = JSON.stringify({ keys: [key.publicJwk] });
    const none = unsigned({ alg: 'none' }, { iss: 'x' }, '');
    const hs = unsigned({ alg: 'HS256' }, { iss: 'x' });
    const f = checkTokensInText(`a: ${none}\nb: ${hs}\n`, [rule('x', { jwks })], NOW);
    assert.deepEqual(f.map((x) => [x.code, x.severity, x.range.start.line]), [['jwt-alg-none', 'warning', 0], ['jwt-symmetric-alg', 'warning', 1]]);
    // With an oct key in the set, HS256 is plausible: no warning.
    const mixed = JSON.stringify({ keys: [key.publicJwk, { kty: 'oct', k: 'c2VjcmV0' }] });
    assert.deepEqual(checkTokensInText(`b: ${hs}\n`, [rule('x', { jwks: mixed })], NOW), []);
    // No inline jwks (jwksUri): nothing known, no warning.
    assert.deepEqual(checkTokensInText(`b: ${hs}\n`, [rule('x', { jwksUri: 'https://x/jwks' })], NOW), []);
  });

  it('issuer accepted by no rule → information with the trailing-slash hint; audience mismatch → information', async () => {
    const key = await makeKey('ES256', 'e');
    const token = await signToken(key.privateJwk, { iss: 'https://idp.example.com', aud: 'web' });
    const f = checkTokensInText(`t: ${token}`, [rule('https://idp.example.com/')], NOW);
    assert.deepEqual(f.map((x) => [x.code, x.severity]), [['jwt-issuer-not-accepted', 'information']]);
    assert.match(f[0].message, /differ only by a trailing slash/);
    const aud = checkTokensInText(`t: ${token}`, [rule('https://idp.example.com', { audiences: ['api'] })], NOW);
    assert.deepEqual(aud.map((x) => x.code), ['jwt-audience-not-accepted']);
    assert.deepEqual(checkTokensInText(`t: ${token}`, [rule('https://idp.example.com', { audiences: ['web'] })], NOW), []);
  });
});
