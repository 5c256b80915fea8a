/**
 * Key sets of any size give bounded findings (issue 17): thousands of keys sharing one kid, hundreds
 * of keys that cannot verify, inline or fetched from a loopback server; JWKS redirects to other
 * schemes; issuers whose discovery URL cannot work, reported offline.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, runCliAsync } from '../helpers/cli';
import { requestAuthentication } from '../helpers/jwks';
import { startHttpServer, type LoopbackServer } from '../helpers/loopbackServers';
import { badKeysJwks, duplicateKidJwks, inlineJwksManifest } from '../engine/hostileInputs';
import { tempDir } from '../helpers/tmp';

interface JsonFinding {
  range: { start: { line: number } };
  severity: string;
  code: string;
  message: string;
}

describe('istio-sec check: key sets of any size give bounded findings', () => {
  let dir: string;
  let server: LoopbackServer;
  before(async () => {
    dir = tempDir('istio-sec-hostile-jwks-');
    const big = duplicateKidJwks(2000);
    server = await startHttpServer((req, res) => {
      if (req.url === '/dup.json') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(big);
      } else if (req.url === '/to-file') {
        res.writeHead(302, { Location: 'file:///etc/passwd' });
        res.end();
      } else if (req.url === '/to-ftp') {
        res.writeHead(301, { Location: 'ftp://127.0.0.1/jwks.json' });
        res.end();
      } else {
        res.writeHead(404);
        res.end();
      }
    });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const findings = (stdout: string): JsonFinding[] => JSON.parse(stdout) as JsonFinding[];

  it('3,000 inline keys sharing one kid: one duplicate-kid finding with a count, not one per key listing every index', () => {
    const r = runCli(['check', '--offline', '--format', 'json', write('dup.yaml', inlineJwksManifest(duplicateKidJwks(3000)))], { timeoutMs: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const dup = findings(r.stdout).filter((f) => f.code === 'jwks-duplicate-kid');
    assert.equal(dup.length, 1, `${dup.length} findings`);
    assert.match(dup[0].message, /kid "same" is used by 3000 keys: 0, 1, 2, 3, 4 and 2,995 more/);
    assert.ok(r.stdout.length < 5000, `${r.stdout.length} characters of output`);
  });

  it('300 inline keys that cannot verify: the first 20 one by one, the rest summed up, every message short', () => {
    const r = runCli(['check', '--offline', '--format', 'json', write('bad.yaml', inlineJwksManifest(badKeysJwks(300)))], { timeoutMs: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const all = findings(r.stdout).filter((f) => f.code.startsWith('jwks-'));
    const unusable = all.filter((f) => f.code === 'jwks-key-unusable');
    assert.equal(unusable.length, 21, `${unusable.length} jwks-key-unusable findings`);
    assert.ok(unusable.some((f) => /280 more keys cannot verify JWTs \(keys 20, 21, 22, 23, 24 and 275 more\)/.test(f.message)));
    const none = all.find((f) => f.code === 'jwks-no-usable-keys');
    assert.ok(none, 'no usable key is reported');
    for (const f of all) assert.ok(f.message.length < 1000, `${f.code}: ${f.message.length} characters`);
  });

  it('a fetched JWKS of 2,000 keys sharing one kid: one bounded finding', async () => {
    const file = write('fetched.yaml', requestAuthentication([{ issuer: 'https://idp.example.com', jwksUri: `${server.origin}/dup.json` }]));
    const r = await runCliAsync(['check', '--format', 'json', file], { timeoutMs: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const dup = findings(r.stdout).filter((f) => f.code === 'jwks-duplicate-kid');
    assert.equal(dup.length, 1, r.stdout.slice(0, 2000));
    assert.match(dup[0].message, /used by 2000 keys: 0, 1, 2, 3, 4 and 1,995 more/);
  });

  it('a JWKS URL that redirects to file:// or ftp:// is reported (istiod gets no keys from it)', async () => {
    const file = write('redirect.yaml', requestAuthentication([
      { issuer: 'https://a.example.com', jwksUri: `${server.origin}/to-file` },
      { issuer: 'https://b.example.com', jwksUri: `${server.origin}/to-ftp` },
    ]));
    const r = await runCliAsync(['check', '--format', 'json', file]);
    const scheme = findings(r.stdout).filter((f) => f.code === 'jwks-unsupported-scheme');
    assert.equal(scheme.length, 2, r.stdout);
    assert.match(scheme[0].message, /redirects to file:\/\/\/etc\/passwd, which uses file:\/\//);
    assert.match(scheme[1].message, /redirects to ftp:\/\/127\.0\.0\.1\/jwks\.json, which uses ftp:\/\//);
    assert.deepEqual(scheme.map((f) => f.severity), ['warning', 'warning']);
  });

  it('an issuer without a scheme (and no jwksUri) is reported offline: its discovery URL is not a URL', () => {
    const file = write('noscheme.yaml', requestAuthentication([{ issuer: 'idp.example.com' }]));
    const r = runCli(['check', '--offline', '--format', 'json', file]);
    const f = findings(r.stdout).find((x) => x.code === 'jwks-invalid-url');
    assert.ok(f, r.stdout);
    assert.match(f.message, /issuer "idp.example.com" with no jwksUri: .*not an absolute URL.*https:\/\/idp\.example\.com/);
  });
});
