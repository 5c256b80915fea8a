import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../helpers/tmp';
import { runCliAsync } from '../helpers/cli';
import { makeKey, requestAuthentication, sendJson } from '../helpers/jwks';
import { startHttpServer, type LoopbackServer } from '../helpers/loopbackServers';

describe('istio-sec check: JWKS endpoints', () => {
  let server: LoopbackServer;
  let file: string;
  before(async () => {
    const key = await makeKey('ES256', 'ec-1');
    server = await startHttpServer((req, res) => {
      if (req.url === '/jwks.json') sendJson(res, { keys: [key.publicJwk] });
      else {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end('<html>login</html>');
      }
    });
    const dir = tempDir('istio-sec-check-jwks-');
    file = join(dir, 'ra.yaml');
    writeFileSync(file, requestAuthentication([
      { issuer: 'https://a.example.com', jwksUri: `${server.origin}/jwks.json` },
      { issuer: 'https://b.example.com', jwksUri: `${server.origin}/login` },
    ]));
  });
  after(async () => {
    await server.close();
  });

  it('reports the same JWKS diagnostics as the editor', async () => {
    const r = await runCliAsync(['check', '--format', 'json', file]);
    const out = JSON.parse(r.stdout) as Array<{ code: string; severity: string; range: { start: { line: number } } }>;
    const notJson = out.find((d) => d.code === 'jwks-not-json');
    assert.ok(notJson, r.stdout);
    assert.equal(notJson.severity, 'warning');
    assert.equal(notJson.range.start.line, 10);
    assert.equal(out.filter((d) => d.code.startsWith('jwks-')).length, 1, 'the good endpoint raises nothing');
    assert.deepEqual(server.requests.map((q) => q.url).sort(), ['/jwks.json', '/login']);
  });

  it('makes no request with --offline', async () => {
    const before = server.requests.length;
    const r = await runCliAsync(['check', '--offline', '--format', 'json', file]);
    assert.equal(JSON.parse(r.stdout).filter((d: { code: string }) => d.code.startsWith('jwks-')).length, 0);
    assert.equal(server.requests.length, before);
  });
});
