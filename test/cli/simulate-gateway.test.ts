import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { removeTempDir, tempDir } from '../helpers/tmp';
import { ROOT } from '../helpers/build';
import { runCli, runCliAsync } from '../helpers/cli';
import { ensureCliHas } from '../helpers/cliFresh';
import { makeKey, sendJson, type TestKey } from '../helpers/jwks';
import { signToken } from '../helpers/jwtSign';
import { startHttpServer, type LoopbackServer } from '../helpers/loopbackServers';

const EXAMPLE = join(ROOT, 'examples/bookinfo-auth0-gateway-api');
const ISSUER = 'https://bookinfo-demo.eu.auth0.com/';
const AUDIENCE = 'https://bookinfo.example.com/api';

interface Answer {
  status: number;
  allowed: boolean;
  reason: string;
  matchedPolicy: { namespace: string; name: string; action: string; rule: number } | null;
  trace: string[];
}

/**
 * The Gateway API version of the Auth0 example, through the real CLI: the example's manifests
 * with their jwksUri pointing at a loopback JWKS server, tokens signed here with its key.
 */
describe('istio-sec simulate through a Gateway API gateway and a waypoint (Auth0 example)', { timeout: 180_000 }, () => {
  let dir: string;
  let server: LoopbackServer;
  let key: TestKey;
  before(async () => {
    ensureCliHas('--gateway NS/NAME');
    key = await makeKey('RS256', 'auth0-key');
    server = await startHttpServer((req, res) => {
      if (req.url === '/.well-known/jwks.json') sendJson(res, { keys: [key.publicJwk] });
      else sendJson(res, { error: 'not found' }, 404);
    });
    dir = tempDir('istio-sec-sim-gw-');
    for (const f of ['gateway.yaml', 'ambient.yaml', 'security.yaml']) {
      writeFileSync(join(dir, f), readFileSync(join(EXAMPLE, f), 'utf8').replace(/jwksUri: \S+/g, `jwksUri: ${server.origin}/.well-known/jwks.json`));
    }
  });
  after(async () => {
    await server.close();
    removeTempDir(dir);
  });

  const token = (claims: Record<string, unknown> = {}): Promise<string> =>
    signToken(key.privateJwk, { iss: ISSUER, sub: 'auth0|reader', aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 3600, ...claims });

  const run = async (args: string[]): Promise<Answer> => {
    const r = await runCliAsync(['simulate', ...args, dir], { timeoutMs: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as Answer;
  };
  const GATEWAY = ['--gateway', 'bookinfo/bookinfo-gateway', '--method', 'GET', '--path', '/productpage', '--host', 'bookinfo.example.com', '--port', '443'];

  it('--gateway: no token 403, a token signed with the JWKS key 200, another key 401, another audience 403', async () => {
    const none = await run(GATEWAY);
    assert.equal(none.status, 403);
    assert.equal(none.matchedPolicy, null);
    assert.ok(none.trace.includes('AuthorizationPolicy bookinfo/require-jwt applies (targetRefs → Gateway bookinfo/bookinfo-gateway).'), none.trace.join('\n'));
    const ok = await run([...GATEWAY, '--token', await token()]);
    assert.equal(ok.status, 200, ok.trace.join('\n'));
    assert.deepEqual(ok.matchedPolicy, { namespace: 'bookinfo', name: 'require-jwt', action: 'ALLOW', rule: 0 });
    assert.ok(ok.trace.some((t) => t.includes(`signature with ${server.origin}/.well-known/jwks.json`)), ok.trace.join('\n'));
    assert.ok(server.requests.some((q) => q.url === '/.well-known/jwks.json'), 'the CLI fetched the key set');
    const other = await makeKey('RS256', 'auth0-key');
    const forged = await run([...GATEWAY, '--token', await signToken(other.privateJwk, { iss: ISSUER, sub: 'x', aud: AUDIENCE })]);
    assert.equal(forged.status, 401);
    assert.equal(forged.reason, 'Jwt verification fails');
    const aud = await run([...GATEWAY, '--token', await token({ aud: 'https://elsewhere.example.com' })]);
    assert.equal(aud.status, 403);
    assert.equal(aud.reason, 'Audiences in Jwt are not allowed');
  });

  it('--service through the namespace\'s waypoint: claims decide 200/403, the trace names the waypoint', async () => {
    const base = ['--service', 'bookinfo/reviews', '--method', 'GET', '--path', '/reviews/1', '--port', '9080'];
    const ok = await run([...base, '--token', await token({ permissions: ['read:book-reviews'] })]);
    assert.equal(ok.status, 200, ok.trace.join('\n'));
    assert.ok(ok.trace.includes('AuthorizationPolicy bookinfo/reviews-read applies (targetRefs → Service bookinfo/reviews via waypoint bookinfo/waypoint).'));
    assert.ok(ok.trace.includes('RequestAuthentication bookinfo/auth0-waypoint applies (targetRefs → waypoint Gateway bookinfo/waypoint).'));
    const denied = await run([...base, '--token', await token({ permissions: ['read:book-details'] })]);
    assert.equal(denied.status, 403);
    const elsewhere = await run([...base, '--waypoint', 'bookinfo/other-waypoint', '--token', await token({ permissions: ['read:book-reviews'] })]);
    assert.equal(elsewhere.status, 403, 'the other waypoint validates no token, so no permissions claim');
    const sidecar = await run(['--namespace', 'bookinfo', '--labels', 'app=reviews', '--method', 'GET', '--path', '/reviews/1']);
    assert.equal(sidecar.status, 200, 'a sidecar enforces none of the targetRefs policies');
  });

  it('--format text names the gateway', () => {
    const r = runCli(['simulate', ...GATEWAY, '--offline', '--format', 'text', dir], { timeoutMs: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^403 DENIED: RBAC: access denied/);
    assert.match(r.stdout, /\ntrace:\n {2}- Gateway API gateway bookinfo\/bookinfo-gateway \(class istio;/);
  });

  it('exits 2 on contradictory or malformed targets', () => {
    for (const args of [
      ['--gateway', 'bookinfo/gw', '--service', 'bookinfo/reviews'],
      ['--service', 'bookinfo/reviews', '--service-entry', 'bookinfo/ext'],
      ['--service', 'bookinfo/reviews', '--labels', 'app=x'],
      ['--gateway', 'Bad/Name'],
      ['--waypoint', 'a/b/c'],
    ]) {
      const r = runCli(['simulate', ...args, dir], { timeoutMs: 30_000 });
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, /istio-sec simulate: /);
    }
  });
});
