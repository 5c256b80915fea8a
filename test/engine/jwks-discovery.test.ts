import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkJwksReachability, getJwks, JwksCache, type ReachabilityOptions } from '../../engine/src/jwks';
import { makeKey, parsed, sendJson, textAt } from '../helpers/jwks';
import { startHttpServer, type LoopbackServer } from '../helpers/loopbackServers';

let server: LoopbackServer;
let jwks: { keys: object[] };
let inflight = 0;
let maxInflight = 0;

function opts(extra: ReachabilityOptions = {}): ReachabilityOptions {
  return { env: {}, cache: new JwksCache(), timeoutMs: 3000, ...extra };
}

function discovery(issuer: string, jwksUri?: string): object {
  return jwksUri === undefined ? { issuer } : { issuer, jwks_uri: jwksUri };
}

function count(path: string): number {
  return server.requests.filter((r) => r.url === path).length;
}

before(async () => {
  jwks = { keys: [(await makeKey('RS256', 'k1')).publicJwk] };
  server = await startHttpServer((req, res) => {
    const o = server.origin;
    const wk = '/.well-known/openid-configuration';
    switch (req.url) {
      case `/good${wk}`:
        return sendJson(res, discovery(`${o}/good`, `${o}/keys`));
      case `/slash${wk}`:
        return sendJson(res, discovery(`${o}/slash/`, `${o}/keys`));
      case `/nojwks${wk}`:
        return sendJson(res, discovery(`${o}/nojwks`));
      case `/other${wk}`:
        return sendJson(res, discovery(`${o}/other`, `${o}/keys-other`));
      default:
        if (req.url?.startsWith('/keys')) {
          inflight++;
          maxInflight = Math.max(maxInflight, inflight);
          setTimeout(() => {
            inflight--;
            sendJson(res, jwks);
          }, 30);
          return;
        }
        return sendJson(res, {}, 404);
    }
  });
});

after(() => server.close());

describe('OIDC discovery', () => {
  it('resolves jwks_uri from the issuer and fetches the keys', async () => {
    const r = await getJwks({ issuer: `${server.origin}/good` }, opts());
    assert.equal(r.status, 'ok', JSON.stringify(r.failure));
    assert.equal(r.source, 'discovery');
    assert.equal(r.discovery?.url, `${server.origin}/good/.well-known/openid-configuration`);
    assert.equal(r.url, `${server.origin}/keys`);
    assert.deepEqual(r.keys.map((k) => k.kid), ['k1']);
  });

  it('produces no finding when the issuer matches', async () => {
    const doc = parsed([{ issuer: `${server.origin}/good` }]);
    const rep = await checkJwksReachability(doc, opts());
    assert.deepEqual(rep.findings.map((f) => f.code), ['jwks-insecure-http']);
    assert.equal(rep.checks[0].source, 'discovery');
    assert.equal(rep.checks[0].status, 'ok');
  });

  it('calls out an issuer that differs only by a trailing slash', async () => {
    const doc = parsed([{ issuer: `${server.origin}/good/` }, { issuer: `${server.origin}/slash` }]);
    const rep = await checkJwksReachability(doc, opts());
    const mism = rep.findings.filter((f) => f.code === 'jwks-issuer-mismatch');
    assert.equal(mism.length, 2);
    assert.equal(mism[0].severity, 'warning');
    assert.equal(textAt(doc, mism[0].range), `"${server.origin}/good/"`);
    assert.match(mism[0].message, new RegExp(`issuer "${server.origin}/good/" differs from the issuer "${server.origin}/good" .*only by a trailing slash`));
    assert.match(mism[1].message, new RegExp(`issuer "${server.origin}/slash" differs from the issuer "${server.origin}/slash/"`));
    assert.equal(count('/good/.well-known/openid-configuration') > 0, true, 'one slash trimmed, as istiod does');
  });

  it('reports a discovery document without jwks_uri on the issuer', async () => {
    const doc = parsed([{ issuer: `${server.origin}/nojwks` }]);
    const rep = await checkJwksReachability(doc, opts());
    const f = rep.findings.find((x) => x.code === 'jwks-discovery-invalid');
    assert.equal(textAt(doc, f!.range), `"${server.origin}/nojwks"`);
    assert.match(f!.message, /has no jwks_uri member/);
  });

  it('reports a failed discovery fetch on the issuer', async () => {
    const doc = parsed([{ issuer: `${server.origin}/absent` }]);
    const rep = await checkJwksReachability(doc, opts());
    const f = rep.findings.find((x) => x.code === 'jwks-http-status')!;
    assert.match(f.message, /OIDC discovery .*\/absent\/\.well-known\/openid-configuration.*HTTP 404/);
  });

  it('notes a configured jwksUri that differs from the published one (information)', async () => {
    const doc = parsed([{ issuer: `${server.origin}/other`, jwksUri: `${server.origin}/keys` }]);
    const rep = await checkJwksReachability(doc, opts());
    const f = rep.findings.find((x) => x.code === 'jwks-uri-mismatch');
    assert.equal(f?.severity, 'information');
    assert.equal(textAt(doc, f!.range), `"${server.origin}/keys"`);
    assert.match(f!.message, /keys-other/);
    const quiet = await checkJwksReachability(doc, opts({ compareDiscovery: false }));
    assert.equal(quiet.findings.some((x) => x.code === 'jwks-uri-mismatch'), false);
  });

  it('does not fetch rules with inline jwks', async () => {
    const before = server.requests.length;
    const doc = parsed([{ issuer: `${server.origin}/good`, jwks: JSON.stringify(jwks) }]);
    const rep = await checkJwksReachability(doc, opts());
    assert.equal(server.requests.length, before);
    assert.deepEqual(rep.findings, []);
    assert.equal(rep.checks[0].source, 'inline');
    assert.deepEqual(rep.checks[0].keys.map((k) => k.kid), ['k1']);
  });
});

describe('JwksCache', () => {
  it('reuses a result within the TTL and fetches again after it', async () => {
    let now = 1_000_000;
    const cache = new JwksCache({ ttlMs: 60_000, now: () => now });
    const url = `${server.origin}/keys?ttl`;
    const first = await getJwks({ jwksUri: url }, opts({ cache }));
    assert.equal(first.fromCache, false);
    assert.equal(first.checkedAt, 1_000_000);
    now += 59_999;
    const second = await getJwks({ jwksUri: url }, opts({ cache }));
    assert.equal(second.fromCache, true);
    assert.equal(count('/keys?ttl'), 1);
    now += 1;
    const third = await getJwks({ jwksUri: url }, opts({ cache }));
    assert.equal(third.fromCache, false);
    assert.equal(count('/keys?ttl'), 2);
  });

  it('forces a re-check with force or invalidate', async () => {
    const cache = new JwksCache();
    const url = `${server.origin}/keys?force`;
    await getJwks({ jwksUri: url }, opts({ cache }));
    await getJwks({ jwksUri: url }, opts({ cache, force: true }));
    assert.equal(count('/keys?force'), 2);
    cache.invalidate(url);
    await getJwks({ jwksUri: url }, opts({ cache }));
    assert.equal(count('/keys?force'), 3);
    await getJwks({ jwksUri: url }, opts({ cache }));
    assert.equal(count('/keys?force'), 3);
  });

  it('de-duplicates concurrent requests for the same URL', async () => {
    const cache = new JwksCache();
    const url = `${server.origin}/keys?dedupe`;
    const results = await Promise.all(Array.from({ length: 5 }, () => getJwks({ jwksUri: url }, opts({ cache }))));
    assert.equal(count('/keys?dedupe'), 1);
    assert.ok(results.every((r) => r.status === 'ok'));
  });

  it('runs at most maxConcurrent fetches at once', async () => {
    const cache = new JwksCache({ maxConcurrent: 2 });
    maxInflight = 0;
    await Promise.all(Array.from({ length: 6 }, (_, i) => getJwks({ jwksUri: `${server.origin}/keys?limit=${i}` }, opts({ cache }))));
    assert.ok(maxInflight >= 1 && maxInflight <= 2, `at most 2 at once, saw ${maxInflight}`);
    assert.equal(server.requests.filter((r) => r.url?.startsWith('/keys?limit=')).length, 6);
  });

  it('shares the cache across documents', async () => {
    const cache = new JwksCache();
    const a = parsed([{ issuer: 'a', jwksUri: `${server.origin}/keys?shared` }]);
    const b = parsed([{ issuer: 'b', jwksUri: `${server.origin}/keys?shared` }], 'other');
    await checkJwksReachability(a, opts({ cache }));
    const rep = await checkJwksReachability(b, opts({ cache }));
    assert.equal(count('/keys?shared'), 1);
    assert.equal(rep.checks[0].fromCache, true);
  });
});
