import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { resolveKeySet, verifyToken, type VerifyResult } from '../../engine/src/jwt/index';
import { makeKey, type TestKey } from '../helpers/jwks';
import { sample, SAMPLE_ISSUER, signToken } from '../helpers/jwtSign';

const ISS = 'https://idp.example.com';
const NOW = Date.UTC(2026, 0, 1);
const NOW_S = NOW / 1000;

const statusOf = (r: VerifyResult, check: string) => r.checks.find((c) => c.check === check)?.ok;

describe('verifyToken: each check as Envoy makes it', { timeout: 120_000 }, () => {
  let rsa: TestKey;
  let ec: TestKey;
  let jwks: { keys: unknown[] };

  before(async () => {
    rsa = await makeKey('RS256', 'rsa-1');
    ec = await makeKey('ES256', 'ec-1');
    jwks = { keys: [rsa.publicJwk, ec.publicJwk] };
  });

  const sign = (payload: object, header: { alg?: string; kid?: string | null } = {}, key: TestKey = rsa) =>
    signToken(key.privateJwk, { iss: ISS, sub: 'u1', aud: 'api', exp: NOW_S + 600, ...payload }, header);

  it('a good token passes every check, in Envoy order', async () => {
    const r = await verifyToken(await sign({}), { issuer: ISS, audiences: ['api'], jwks }, NOW);
    assert.equal(r.ok, true);
    assert.deepEqual(r.checks.map((c) => [c.check, c.ok]), [
      ['format', true], ['alg', true], ['issuer', true], ['exp', true], ['nbf', true], ['audience', true], ['kid', true], ['key-alg', true], ['signature', true],
    ]);
    assert.equal(r.signatureChecked, true);
  });

  it('the Istio sample token verifies with the sample JWKS', async () => {
    const r = await verifyToken(sample('demo.jwt'), { issuer: SAMPLE_ISSUER, jwks: JSON.parse(sample('jwks.json')) }, NOW);
    assert.equal(r.ok, true);
  });

  it('wrong issuer → 401 "Jwt issuer is not configured"', async () => {
    const r = await verifyToken(await sign({ iss: 'https://evil.example.com' }), { issuer: ISS, jwks }, NOW);
    assert.equal(r.failed, 'issuer');
    assert.equal(r.httpStatus, 401);
    assert.equal(r.envoyMessage, 'Jwt issuer is not configured');
    assert.doesNotMatch(r.checks.find((c) => c.check === 'issuer')!.detail, /trailing slash/);
  });

  it('an issuer differing by a trailing slash fails with a hint', async () => {
    const r = await verifyToken(await sign({ iss: `${ISS}/` }), { issuer: ISS, jwks }, NOW);
    assert.equal(r.failed, 'issuer');
    assert.match(r.checks.find((c) => c.check === 'issuer')!.detail, /differ only by a trailing slash/);
  });

  it('audience not allowed → 403; empty audiences accept any; http(s):// and trailing slash ignored', async () => {
    const token = await sign({ aud: ['web', 'mobile'] });
    const r = await verifyToken(token, { issuer: ISS, audiences: ['api'], jwks }, NOW);
    assert.equal(r.failed, 'audience');
    assert.equal(r.httpStatus, 403);
    assert.equal(r.envoyMessage, 'Audiences in Jwt are not allowed');
    assert.equal((await verifyToken(token, { issuer: ISS, audiences: [], jwks }, NOW)).ok, true);
    const url = await sign({ aud: 'https://api.example.com/' });
    assert.equal((await verifyToken(url, { issuer: ISS, audiences: ['api.example.com'], jwks }, NOW)).ok, true);
  });

  it('unknown kid → "Jwks doesn\'t have key to match kid or alg from Jwt"', async () => {
    const r = await verifyToken(await sign({}, { kid: 'rotated-away' }), { issuer: ISS, jwks }, NOW);
    assert.equal(r.failed, 'kid');
    assert.equal(r.envoyMessage, "Jwks doesn't have key to match kid or alg from Jwt");
    assert.match(r.checks.find((c) => c.check === 'kid')!.detail, /"rotated-away" is not in the key set \(kids: "rsa-1", "ec-1"\)/);
  });

  it('no kid in the token: every key is a candidate', async () => {
    const r = await verifyToken(await sign({}, { kid: null }), { issuer: ISS, jwks }, NOW);
    assert.equal(r.ok, true);
  });

  it('wrong alg for the key (HS256 with the RSA key\'s kid) → key-alg fails', async () => {
    const hs = await signToken({ kty: 'oct', k: Buffer.from('shared-secret-of-32-bytes-long!!').toString('base64url') }, { iss: ISS, exp: NOW_S + 60 }, { alg: 'HS256', kid: 'rsa-1' });
    const r = await verifyToken(hs, { issuer: ISS, jwks }, NOW);
    assert.equal(r.failed, 'key-alg');
    assert.equal(statusOf(r, 'signature'), null);
    assert.equal(r.httpStatus, 401);
  });

  it('bad signature → 401 "Jwt verification fails"', async () => {
    const other = await makeKey('RS256', 'rsa-1');
    const r = await verifyToken(await sign({}, {}, other), { issuer: ISS, jwks }, NOW);
    assert.equal(r.failed, 'signature');
    assert.equal(r.envoyMessage, 'Jwt verification fails');
    const good = await sign({});
    const tampered = good.slice(0, good.lastIndexOf('.') + 1) + 'A'.repeat(good.length - good.lastIndexOf('.') - 1);
    assert.equal((await verifyToken(tampered, { issuer: ISS, jwks }, NOW)).failed, 'signature');
  });

  it('expired beyond the 60 s skew → "Jwt is expired"; within the skew → ok', async () => {
    const r = await verifyToken(await sign({ exp: NOW_S - 61 }), { issuer: ISS, jwks }, NOW);
    assert.equal(r.failed, 'exp');
    assert.equal(r.envoyMessage, 'Jwt is expired');
    assert.equal(statusOf(r, 'signature'), true, 'later checks are still reported');
    assert.equal((await verifyToken(await sign({ exp: NOW_S - 60 }), { issuer: ISS, jwks }, NOW)).ok, true);
  });

  it('nbf in the future beyond the skew → "Jwt not yet valid"', async () => {
    const r = await verifyToken(await sign({ nbf: NOW_S + 120 }), { issuer: ISS, jwks }, NOW);
    assert.equal(r.failed, 'nbf');
    assert.equal(r.envoyMessage, 'Jwt not yet valid');
    assert.equal((await verifyToken(await sign({ nbf: NOW_S + 30 }), { issuer: ISS, jwks }, NOW)).ok, true);
  });

  it('ES256 keys verify; alg none and malformed tokens fail first', async () => {
    assert.equal((await verifyToken(await sign({}, {}, ec), { issuer: ISS, jwks }, NOW)).ok, true);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: ISS })).toString('base64url')}.`;
    const r = await verifyToken(none, { issuer: ISS, jwks }, NOW);
    assert.equal(r.failed, 'alg');
    const bad = await verifyToken('not-a-jwt', { issuer: ISS, jwks }, NOW);
    assert.equal(bad.failed, 'format');
    assert.equal(bad.envoyMessage, 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections');
  });

  it('without a key set the signature is reported as not checked, not as passed', async () => {
    const keys = await resolveKeySet({ issuer: ISS, jwksUri: 'https://idp.example.com/jwks', namespace: 'foo' }, { offline: true });
    assert.equal(keys.jwks, undefined);
    assert.match(keys.unavailable!, /offline/);
    const r = await verifyToken(await sign({}), { issuer: ISS, jwks: keys.jwks, jwksUnavailable: keys.unavailable }, NOW);
    assert.equal(r.ok, true);
    assert.equal(r.signatureChecked, false);
    assert.equal(statusOf(r, 'signature'), null);
  });

  it('resolveKeySet: inline jwks string, and a broken inline jwks gives an empty set', async () => {
    const ok = await resolveKeySet({ issuer: ISS, jwks: JSON.stringify(jwks), namespace: 'foo' });
    assert.equal(ok.jwks?.keys.length, 2);
    const broken = await resolveKeySet({ issuer: ISS, jwks: '{not json', namespace: 'foo' });
    assert.deepEqual(broken.jwks, { keys: [] });
    assert.match(broken.source, /unusable: the inline jwks is not JSON/);
  });
});
