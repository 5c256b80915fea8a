import assert from 'node:assert/strict';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { checkInlineJwks, checkJwksReachability, getJwks, JwksCache, type JwksOptions } from '../../engine/src/jwks';
import type { Finding } from '../../engine/src/diagnostics';
import { testCerts } from '../helpers/certs';
import { makeKey, parsed, sendJson, textAt, type TestKey } from '../helpers/jwks';
import { closedPort, startHttpServer, startHttpsServer, startProxy, type LoopbackServer } from '../helpers/loopbackServers';

/** Options every test uses: no environment proxies, a private cache, short timeouts. */
function opts(extra: JwksOptions = {}): JwksOptions {
  return { env: {}, cache: new JwksCache(), timeoutMs: 3000, ...extra };
}

let good: { keys: object[] };
let keyA: TestKey;
let keyB: TestKey;
let http: LoopbackServer;
const servers: LoopbackServer[] = [];

before(async () => {
  [keyA, keyB] = await Promise.all([makeKey('RS256', 'rsa-1'), makeKey('ES256', 'ec-1')]);
  good = { keys: [keyA.publicJwk, keyB.publicJwk] };
  http = await startHttpServer((req, res) => {
    switch (req.url) {
      case '/jwks':
        return sendJson(res, good);
      case '/slow':
        return void setTimeout(() => sendJson(res, good), 2000).unref();
      case '/big':
        return sendJson(res, { keys: [], padding: 'x'.repeat(4096) });
      case '/loop':
        res.writeHead(302, { Location: '/loop' });
        return res.end();
      case '/hop1':
        res.writeHead(301, { Location: '/hop2' });
        return res.end();
      case '/hop2':
        res.writeHead(307, { Location: `${http.origin}/jwks` });
        return res.end();
      case '/gzip':
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
        return res.end(gzipSync(JSON.stringify(good)));
      case '/br':
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'br' });
        return res.end(brotliCompressSync(JSON.stringify(good)));
      case '/bad-gzip':
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
        return res.end('not gzip at all');
      case '/html':
        res.writeHead(200, { 'Content-Type': 'text/html' });
        return res.end('<html>login</html>');
      case '/not-set':
        return sendJson(res, { issuer: 'x' });
      case '/private':
        return sendJson(res, { keys: [keyA.privateJwk, keyB.publicJwk] });
      case '/dup':
        return sendJson(res, { keys: [keyA.publicJwk, { ...keyB.publicJwk, kid: 'rsa-1' }] });
      case '/unusable':
        return sendJson(res, { keys: [{ ...keyA.publicJwk, use: 'enc' }] });
      default:
        return sendJson(res, { error: 'nope' }, 404);
    }
  });
  servers.push(http);
});

after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('getJwks over HTTP', () => {
  it('fetches, parses and imports a good key set', async () => {
    const r = await getJwks({ jwksUri: `${http.origin}/jwks` }, opts());
    assert.equal(r.status, 'ok', JSON.stringify(r.failure));
    assert.deepEqual(r.summaries.map((k) => [k.kid, k.kty, k.alg, k.use]), [['rsa-1', 'RSA', 'RS256', 'sig'], ['ec-1', 'EC', 'ES256', 'sig']]);
    assert.deepEqual(r.keys.map((k) => [k.kid, k.alg]), [['rsa-1', 'RS256'], ['ec-1', 'ES256']]);
    assert.deepEqual(r.jwks, good);
    assert.equal(typeof r.latencyMs, 'number');
    assert.equal(r.fromCache, false);
    const req = http.requests.at(-1)!;
    assert.equal(req.headers.authorization, undefined);
    assert.equal(req.headers.cookie, undefined);
  });

  it('decodes gzip and brotli bodies', async () => {
    for (const p of ['/gzip', '/br']) {
      const r = await getJwks({ jwksUri: `${http.origin}${p}` }, opts());
      assert.equal(r.status, 'ok', p);
      assert.equal(r.keys.length, 2);
    }
    assert.match(http.requests.at(-1)!.headers['accept-encoding'] ?? '', /gzip.*br/);
  });

  it('reports a body that cannot be decoded', async () => {
    const r = await getJwks({ jwksUri: `${http.origin}/bad-gzip` }, opts());
    assert.equal(r.failure?.code, 'jwks-decode-error');
  });

  it('follows up to 3 redirects and stops a loop', async () => {
    const ok = await getJwks({ jwksUri: `${http.origin}/hop1` }, opts());
    assert.equal(ok.status, 'ok');
    assert.equal(ok.finalUrl, `${http.origin}/jwks`);
    const before = http.requests.length;
    const loop = await getJwks({ jwksUri: `${http.origin}/loop` }, opts());
    assert.equal(loop.failure?.code, 'jwks-too-many-redirects');
    assert.match(loop.failure!.message, /more than 3 redirects/);
    assert.equal(http.requests.length - before, 4);
  });

  it('times out a slow server', async () => {
    const r = await getJwks({ jwksUri: `${http.origin}/slow` }, opts({ timeoutMs: 300 }));
    assert.equal(r.failure?.code, 'jwks-timeout');
    assert.match(r.failure!.message, /within 300 ms/);
  });

  it('aborts an oversized body', async () => {
    const r = await getJwks({ jwksUri: `${http.origin}/big` }, opts({ maxBytes: 1024 }));
    assert.equal(r.failure?.code, 'jwks-too-large');
    assert.match(r.failure!.message, /1024-byte cap/);
  });

  it('reports status, non-JSON, non-set, unusable keys', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['/missing', 'jwks-http-status', /HTTP 404 Not Found/],
      ['/html', 'jwks-not-json', /text\/html.*not JSON/],
      ['/not-set', 'jwks-not-key-set', /without a "keys" member/],
      ['/unusable', 'jwks-no-usable-keys', /use is "enc"/],
    ];
    for (const [p, code, msg] of cases) {
      const r = await getJwks({ jwksUri: `${http.origin}${p}` }, opts());
      assert.equal(r.status, 'failed', p);
      assert.equal(r.failure?.code, code, p);
      assert.match(r.failure!.message, msg, p);
    }
  });

  it('reports connection refused and DNS failure', async () => {
    const port = await closedPort();
    const refused = await getJwks({ jwksUri: `http://127.0.0.1:${port}/jwks` }, opts());
    assert.equal(refused.failure?.code, 'jwks-connection-refused');
    const dns = await getJwks({ jwksUri: 'https://jwks.istio-sec-test.invalid/keys' }, opts());
    assert.equal(dns.failure?.code, 'jwks-dns-failure');
    assert.match(dns.failure!.message, /jwks\.istio-sec-test\.invalid does not resolve/);
  });

  it('makes no request offline', async () => {
    const before = http.requests.length;
    const r = await getJwks({ jwksUri: `${http.origin}/jwks` }, opts({ offline: true }));
    assert.equal(r.status, 'offline');
    assert.equal(http.requests.length, before);
  });

  it('does not fetch cluster-local hosts and gives kubectl arguments', async () => {
    const r = await getJwks({ jwksUri: 'https://keys.auth.svc.cluster.local:8443/jwks' }, opts({ kubeContext: 'kind' }));
    assert.equal(r.status, 'cluster-local');
    assert.deepEqual(r.kubectlArgs, ['--context', 'kind', 'get', '--raw', '/api/v1/namespaces/auth/services/https:keys:8443/proxy/jwks']);
  });
});

describe('getJwks over HTTPS', () => {
  const https: Record<string, LoopbackServer> = {};
  before(async () => {
    const c = testCerts();
    const handler = (_req: unknown, res: Parameters<typeof sendJson>[0]): void => sendJson(res, good);
    for (const name of ['server', 'expired', 'wrongHost', 'selfSigned', 'unknownCa'] as const) {
      https[name] = await startHttpsServer((req, res) => handler(req, res), c[name]);
      servers.push(https[name]);
    }
  });

  it('trusts an extra CA and fetches', async () => {
    const r = await getJwks({ jwksUri: `${https.server.origin}/jwks` }, opts({ caCertificates: [testCerts().ca] }));
    assert.equal(r.status, 'ok', JSON.stringify(r.failure));
    assert.equal(r.keys.length, 2);
  });

  it('says which TLS check failed', async () => {
    const ca = { caCertificates: [testCerts().ca] };
    const cases: Array<[string, JwksOptions, string, RegExp]> = [
      ['server', {}, 'jwks-tls-untrusted', /untrusted CA \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/],
      ['unknownCa', ca, 'jwks-tls-untrusted', /untrusted CA/],
      ['selfSigned', ca, 'jwks-tls-self-signed', /self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT\)/],
      ['expired', ca, 'jwks-tls-expired', /has expired \(CERT_HAS_EXPIRED\)/],
      ['wrongHost', ca, 'jwks-tls-hostname-mismatch', /does not cover the host name 127\.0\.0\.1/],
    ];
    for (const [name, o, code, msg] of cases) {
      const r = await getJwks({ jwksUri: `${https[name].origin}/jwks` }, opts(o));
      assert.equal(r.failure?.code, code, name);
      assert.match(r.failure!.message, msg, name);
    }
  });

  it('skips verification when rejectUnauthorized is false', async () => {
    const r = await getJwks({ jwksUri: `${https.selfSigned.origin}/jwks` }, opts({ rejectUnauthorized: false }));
    assert.equal(r.status, 'ok');
  });

  it('tunnels https through a CONNECT proxy and http in absolute form', async () => {
    const proxy = await startProxy();
    servers.push(proxy);
    const viaEnv = await getJwks({ jwksUri: `${https.server.origin}/jwks` }, opts({ caCertificates: [testCerts().ca], env: { HTTPS_PROXY: proxy.origin } }));
    assert.equal(viaEnv.status, 'ok', JSON.stringify(viaEnv.failure));
    assert.deepEqual(proxy.connects, [`127.0.0.1:${https.server.port}`]);
    assert.equal(viaEnv.proxy, proxy.origin);
    const plain = await getJwks({ jwksUri: `${http.origin}/jwks` }, opts({ proxy: proxy.origin }));
    assert.equal(plain.status, 'ok');
    assert.equal(proxy.requests.at(-1)?.url, `${http.origin}/jwks`);
    const before = proxy.requests.length;
    const bypass = await getJwks({ jwksUri: `${http.origin}/jwks` }, opts({ env: { HTTP_PROXY: proxy.origin, NO_PROXY: '127.0.0.1' } }));
    assert.equal(bypass.status, 'ok');
    assert.equal(proxy.requests.length, before);
  });

  it('reports a proxy that cannot be reached', async () => {
    const port = await closedPort();
    const r = await getJwks({ jwksUri: `${https.server.origin}/jwks` }, opts({ proxy: `http://127.0.0.1:${port}` }));
    assert.equal(r.failure?.code, 'jwks-proxy-error');
  });
});

describe('checkJwksReachability findings', () => {
  it('produces no finding for a good set, and hover data', async () => {
    const doc = parsed([{ issuer: 'https://issuer.example', jwksUri: `${http.origin}/jwks` }]);
    const rep = await checkJwksReachability(doc, { ...opts(), compareDiscovery: false });
    assert.deepEqual(rep.findings, [], 'an http:// jwksUri is reported by reqauth-jwks-uri-http, not here');
    assert.equal(rep.checks[0].status, 'ok');
    assert.equal(rep.checks[0].url, `${http.origin}/jwks`);
    assert.equal(typeof rep.checks[0].latencyMs, 'number');
    assert.deepEqual(rep.checks[0].keys.map((k) => k.kid), ['rsa-1', 'ec-1']);
  });

  it('puts failures on the jwksUri value with the URL in the message', async () => {
    const doc = parsed([{ issuer: 'i', jwksUri: `${http.origin}/missing` }]);
    const rep = await checkJwksReachability(doc, opts());
    const f = rep.findings.find((x) => x.code === 'jwks-http-status')!;
    assert.equal(f.severity, 'warning');
    assert.equal(textAt(doc, f.range), `"${http.origin}/missing"`);
    assert.match(f.message, new RegExp(`jwksUri ${http.origin}/missing: .*HTTP 404`));
  });

  it('reports private keys and duplicate kids in a remote set', async () => {
    const doc = parsed([{ issuer: 'i', jwksUri: `${http.origin}/private` }, { issuer: 'j', jwksUri: `${http.origin}/dup` }]);
    const rep = await checkJwksReachability(doc, opts());
    const codes = rep.findings.map((f) => `${f.range.start.line}:${f.code}:${f.severity}`);
    assert.deepEqual(codes, ['8:jwks-private-key:warning', '10:jwks-duplicate-kid:warning']);
    assert.match(rep.findings.find((f) => f.code === 'jwks-private-key')!.message, /d, p, q, dp, dq, qi/);
  });

  it('strips and reports credentials in the URL', async () => {
    const doc = parsed([{ issuer: 'i', jwksUri: `http://user:secret@127.0.0.1:${http.port}/jwks` }]);
    const rep = await checkJwksReachability(doc, opts());
    const cred = rep.findings.find((f) => f.code === 'jwks-url-credentials');
    assert.equal(cred?.severity, 'warning');
    assert.doesNotMatch(cred!.message, /secret/);
    assert.equal(rep.checks[0].status, 'ok');
    assert.equal(http.requests.at(-1)?.headers.authorization, undefined);
  });

  it('reports cluster-local hosts as information with the kubectl command', async () => {
    const doc = parsed([{ issuer: 'i', jwksUri: 'https://keys/jwks' }], 'auth');
    const rep = await checkJwksReachability(doc, opts());
    assert.deepEqual(rep.findings.map((f) => [f.code, f.severity]), [['jwks-cluster-local', 'information']]);
    assert.match(rep.findings[0].message, /kubectl get --raw \/api\/v1\/namespaces\/auth\/services\/https:keys:443\/proxy\/jwks/);
  });

  it('leaves a non-http jwksUri to the schema, and a non-URL issuer to the document check (no network needed)', async () => {
    const doc = parsed([{ issuer: 'i', jwksUri: 'ftp://example.com/jwks' }, { issuer: 'testing@secure.istio.io' }, { issuer: 'ftp://idp.example' }]);
    const rep = await checkJwksReachability(doc, opts());
    assert.equal(rep.checks[0].failure?.code, 'jwks-unsupported-scheme');
    assert.deepEqual(rep.findings, [], 'nothing the offline check reports is reported again');
    const offline: Finding[] = [];
    checkInlineJwks(doc, offline);
    assert.deepEqual(offline.map((f) => [f.range.start.line, f.code, f.severity]), [
      [9, 'jwks-invalid-url', 'warning'],
      [10, 'jwks-unsupported-scheme', 'warning'],
    ]);
    assert.match(offline[0].message, /issuer "testing@secure.istio.io" with no jwksUri: istiod fetches the keys through OIDC discovery at .*which is not an absolute URL/);
  });
});
