import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkTokensInText, decodeToken, findTokens, JWT_LIMITS, parseJwkSet, redactToken, verifyToken, type JwkSetLike } from '../../engine/src/jwt';
import { checkFindings } from './fuzzHarness';

/** Hostile tokens: decode returns a clear error and never throws; detection and checks stay in range. */
const b64 = (s: string): string => Buffer.from(s).toString('base64url');
const HEADER = b64('{"alg":"RS256","kid":"k"}');
const token = (payload: string, sig = 'c2lnbmF0dXJl'): string => `${HEADER}.${b64(payload)}.${sig}`;
const RSA_SET: JwkSetLike = { keys: [{ kty: 'RSA', kid: 'k', n: 'AQAB', e: 'AQAB' }] } as unknown as JwkSetLike;

function decodeError(input: string): string {
  const r = decodeToken(input);
  assert.equal(r.ok, false, `decoded ${input.slice(0, 80)}`);
  return r.ok ? '' : r.error;
}

describe('hostile JWTs', { timeout: 60_000 }, () => {
  it('malformed base64url names the segment and the bad character', () => {
    assert.match(decodeError(`${HEADER}.ab*cd.sig`), /payload is not base64url: it contains "\*"/);
    assert.match(decodeError(`a.${b64('{}')}.sig`), /header is not base64url: its length/);
    assert.match(decodeError(`${HEADER}.${b64('{}')}.a=b`), /signature is not base64url/);
    assert.match(decodeError('only.two'), /3 dot-separated segments.*this has 2/);
  });

  it('non-JSON, non-object and non-UTF-8 segments are refused with the reason', () => {
    assert.match(decodeError(token('{"sub": ')), /payload is not JSON/);
    assert.match(decodeError(token('[1,2]')), /payload is JSON but not an object/);
    assert.match(decodeError(`${HEADER}.${Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url')}.sig`), /payload is not UTF-8/);
  });

  it('a megabyte token is refused before decoding', () => {
    const big = token(JSON.stringify({ sub: 'x'.repeat(1024 * 1024) }));
    assert.match(decodeError(big), new RegExp(`more than the ${JWT_LIMITS.maxTokenLength}`));
    assert.doesNotMatch(decodeError(big), /xxxxxxxxxxxx/, 'the error does not echo the token');
  });

  it('deeply nested claims (20,000 levels) are refused', () => {
    const nested = '{"a":' + '['.repeat(20_000) + ']'.repeat(20_000) + '}';
    assert.match(decodeError(token(nested)), /nests objects deeper than 32 levels/);
  });

  it('absurd times decode with a status, never a RangeError', () => {
    for (const exp of [1e20, -1e20, 1e300, Number.MAX_SAFE_INTEGER]) {
      const r = decodeToken(token(JSON.stringify({ exp, iss: 'i', sub: 's' })));
      assert.equal(r.ok, true);
    }
  });

  it('property: decodeToken never throws on any string or any JSON payload', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.jsonValue({ maxDepth: 40 }).map((v) => token(JSON.stringify(v)))), (s) => {
        const r = decodeToken(s);
        assert.equal(typeof r.ok, 'boolean');
        if (!r.ok) assert.ok(r.error.length > 0 && r.error.length < 400);
      }),
      { numRuns: 2000, seed: 3 },
    );
  });

  it('property: token detection and checks in arbitrary text never throw and stay in range', () => {
    const text = fc
      .array(fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('\n', '\r\n', ' ', '"', '# ', 'Bearer '), fc.jsonValue({ maxDepth: 4 }).map((v) => token(JSON.stringify(v)))), { maxLength: 12 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (t) => {
        for (const f of findTokens(t)) assert.ok(f.start >= 0 && f.end <= t.length && f.start < f.end);
        checkFindings(checkTokensInText(t, []), t, 'checkTokensInText');
      }),
      { numRuns: 1000, seed: 4 },
    );
  });

  it('at most 100 tokens of a text are reported, tokens over 64 KiB are skipped', () => {
    const many = Array.from({ length: 500 }, (_, i) => `t${i}: ${token(JSON.stringify({ sub: String(i) }))}`).join('\n');
    assert.equal(findTokens(many).length, JWT_LIMITS.maxTokens);
    assert.equal(findTokens(`x: ${token(JSON.stringify({ s: 'y'.repeat(70_000) }))}`).length, 0);
  });

  it('verifyToken resolves (never rejects) for garbage tokens and garbage key sets', async () => {
    const garbage = ['', 'a.b.c', token('{"iss":"i"}', ''), token('{}', 'A'.repeat(100_000)), `${b64('{"alg":"none"}')}.${b64('{}')}.`];
    // Key sets as the engine builds them: parseJwkSet of hostile inline jwks (an unusable one gives no keys).
    const inline = ['{"keys":"no"}', '[]', '{"keys":[1,null,"x",{}]}', '{"keys":[{"kty":"EC","crv":"P-256","x":"!!","y":""}]}', '{'.repeat(5000)];
    const sets = [RSA_SET, ...inline.map((j) => parseJwkSet(j).jwks ?? { keys: [] })];
    for (const t of garbage) {
      for (const jwks of sets) {
        const r = await verifyToken(t, { issuer: 'i', audiences: [], jwks });
        assert.equal(r.ok, false);
      }
    }
  });

  it('redactToken never shows more than a short prefix', () => {
    const t = token(JSON.stringify({ sub: 'secret-subject' }));
    const shown = redactToken(t);
    assert.ok(!shown.includes(t.split('.')[2]) && shown.length < 40, shown);
  });
});
