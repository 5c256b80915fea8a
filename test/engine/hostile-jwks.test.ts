import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { getJwks, JwksCache, type JwksOptions } from '../../engine/src/jwks';
import { fetchUrl } from '../../engine/src/jwks/http';
import { makeKey, sendJson } from '../helpers/jwks';
import { startHttpServer, type LoopbackServer } from '../helpers/loopbackServers';

/**
 * Hostile JWKS endpoints not covered by jwks-fetch.test.ts: a body trickled one byte per 100 ms
 * (the total timeout must fire, not a per-read one), headers then silence, an endless chunked
 * body, deeply nested and binary bodies, a redirect chain to a different host each time.
 */
function opts(extra: JwksOptions = {}): JwksOptions {
  return { env: {}, cache: new JwksCache(), timeoutMs: 3000, ...extra };
}

describe('hostile JWKS endpoints', { timeout: 60_000 }, () => {
  let server: LoopbackServer;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  before(async () => {
    const key = await makeKey('RS256', 'k1');
    server = await startHttpServer((req, res) => {
      sockets.add(req.socket);
      switch (req.url) {
        case '/trickle': {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          const body = JSON.stringify({ keys: [key.publicJwk] });
          let i = 0;
          const t = setInterval(() => {
            if (res.destroyed || i >= body.length) return clearInterval(t);
            res.write(body[i++]);
          }, 100);
          timers.add(t);
          return;
        }
        case '/headers-then-silence':
          res.writeHead(200, { 'Content-Type': 'application/json' });
          return void res.flushHeaders();
        case '/endless': {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          const chunk = Buffer.alloc(64 * 1024, 0x20);
          const pump = (): void => {
            while (!res.destroyed && res.write(chunk));
            if (!res.destroyed) res.once('drain', pump);
          };
          return pump();
        }
        case '/nested':
          res.writeHead(200, { 'Content-Type': 'application/json' });
          return res.end('{"keys":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}');
        case '/binary':
          res.writeHead(200, { 'Content-Type': 'application/json' });
          return res.end(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131) & 0xff)));
        case '/keys-not-objects':
          return sendJson(res, { keys: [1, 'x', null, [], { kty: 7 }] });
        default:
          if (req.url?.startsWith('/hop/')) {
            const n = Number(req.url.slice(5));
            res.writeHead(302, { Location: `http://localhost:${server.port}/hop/${n + 1}` });
            return res.end();
          }
          return sendJson(res, { error: 'nope' }, 404);
      }
    });
  });
  after(async () => {
    for (const t of timers) clearInterval(t);
    for (const s of sockets) s.destroy();
    await server.close();
  });

  it('a body trickled one byte per 100 ms hits the total timeout', async () => {
    const t0 = Date.now();
    const r = await getJwks({ jwksUri: `${server.origin}/trickle` }, opts({ timeoutMs: 800 }));
    assert.equal(r.failure?.code, 'jwks-timeout');
    assert.match(r.failure!.message, /within 800 ms/);
    // Hang guard, not a performance assertion: a per-read timeout would wait for the whole body (~20 s).
    assert.ok(Date.now() - t0 < 10_000);
  });

  it('headers followed by silence time out', async () => {
    const r = await getJwks({ jwksUri: `${server.origin}/headers-then-silence` }, opts({ timeoutMs: 500 }));
    assert.equal(r.failure?.code, 'jwks-timeout');
  });

  it('an endless chunked body is cut at the byte cap', async () => {
    const r = await fetchUrl(`${server.origin}/endless`, { env: {}, timeoutMs: 10_000, maxBytes: 256 * 1024 });
    assert.equal(r.ok, false);
    assert.equal(r.ok ? '' : r.code, 'jwks-too-large');
  });

  it('a deeply nested body and a binary body are reported as not a key set, without throwing', async () => {
    for (const path of ['/nested', '/binary', '/keys-not-objects']) {
      const r = await getJwks({ jwksUri: `${server.origin}${path}` }, opts());
      assert.notEqual(r.status, 'ok', path);
      assert.ok(r.failure || r.problems.length > 0, path);
      assert.doesNotThrow(() => JSON.stringify(r), `${path}: the result can be sent over LSP`);
      assert.equal(r.keys.length, 0, path);
    }
  });

  it('a redirect chain across hosts stops after 3 redirects', async () => {
    const before = server.requests.length;
    const r = await getJwks({ jwksUri: `${server.origin}/hop/0` }, opts());
    assert.equal(r.failure?.code, 'jwks-too-many-redirects');
    assert.equal(server.requests.length - before, 4);
  });
});
