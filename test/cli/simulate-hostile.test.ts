/**
 * `istio-sec simulate` answers what a default mesh answers to requests written to slip past a
 * policy (issue 17): Istio's path normalisation (meshConfig.pathNormalization), methods Envoy's
 * codec rejects, istio.io/dry-run values istiod parses with strconv.ParseBool, and a token whose
 * signature could not be checked.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, runCliAsync } from '../helpers/cli';
import { makeKey } from '../helpers/jwks';
import { signToken } from '../helpers/jwtSign';
import { closedPort } from '../helpers/loopbackServers';
import { tempDir } from '../helpers/tmp';

interface SimOut {
  status: number;
  allowed: boolean;
  reason: string;
  signatureChecked: boolean | null;
  trace: string[];
}

const DENY_ADMIN = (annotations = ''): string =>
  `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: deny-admin\n  namespace: default\n${annotations}spec:\n  action: DENY\n  rules:\n  - to:\n    - operation:\n        paths: ["/admin", "/admin/*"]\n`;

describe('istio-sec simulate: requests written to slip past a policy', () => {
  let dir: string;
  before(() => {
    dir = tempDir('istio-sec-sim-hostile-');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const simulate = (manifest: string, args: string[]): SimOut => {
    const file = join(dir, `m${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, manifest);
    const r = runCli(['simulate', ...args, file]);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as SimOut;
  };

  it('paths that normalise to /admin are denied, as in a default mesh (BASE: RFC 3986, backslashes, unreserved %XX)', () => {
    for (const path of ['/public/../admin', '/./admin', '/%61dmin', '/public/%2e%2e/admin', '/public\\..\\admin', '/admin/./x', '/ADMIN/../admin']) {
      const out = simulate(DENY_ADMIN(), ['--method', 'GET', '--path', path]);
      assert.equal(out.status, 403, `${path}: ${out.reason}`);
      assert.ok(out.trace.some((t) => t.startsWith("Path normalization BASE (Istio's default)")), out.trace.join('\n'));
    }
    const plain = simulate(DENY_ADMIN(), ['--method', 'GET', '--path', '/public/x']);
    assert.equal(plain.status, 200);
    // A request target that does not start with "/" never reaches the policies: Envoy's HTTP/1.1 codec answers 400.
    const backslash = simulate(DENY_ADMIN(), ['--method', 'GET', '--path', '\\admin']);
    assert.equal(backslash.status, 400, backslash.reason);
    assert.match(backslash.reason, /HPE_INVALID_URL/);
  });

  it('--path-normalization sets the mesh setting, and the trace names it', () => {
    const none = simulate(DENY_ADMIN(), ['--method', 'GET', '--path', '/public/../admin', '--path-normalization', 'NONE']);
    assert.equal(none.status, 200, 'without normalisation the path is matched as sent');
    assert.ok(none.trace.some((t) => /^Path normalization NONE: the path "\/public\/\.\.\/admin" is unchanged/.test(t)), none.trace.join('\n'));
    assert.equal(simulate(DENY_ADMIN(), ['--method', 'GET', '--path', '//admin']).status, 200, 'BASE does not merge slashes');
    assert.equal(simulate(DENY_ADMIN(), ['--method', 'GET', '--path', '/\\admin']).status, 200, 'BASE: "/\\admin" is "//admin" (CVE-2021-31920)');
    assert.equal(simulate(DENY_ADMIN(), ['--method', 'GET', '--path', '/\\admin', '--path-normalization', 'MERGE_SLASHES']).status, 403);
    assert.equal(simulate(DENY_ADMIN(), ['--method', 'GET', '--path', '//admin', '--path-normalization', 'MERGE_SLASHES']).status, 403);
    assert.equal(simulate(DENY_ADMIN(), ['--method', 'GET', '--path', '/x%2f..%2fadmin', '--path-normalization', 'MERGE_SLASHES']).status, 200);
    assert.equal(simulate(DENY_ADMIN(), ['--method', 'GET', '--path', '/x%2f..%2fadmin', '--path-normalization', 'decode_and_merge_slashes']).status, 403);
    const bad = runCli(['simulate', '--path-normalization', 'STRICT', dir]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--path-normalization: "STRICT" is not one of NONE, BASE, MERGE_SLASHES, DECODE_AND_MERGE_SLASHES/);
  });

  it('a lower-case method is answered 400 by Envoy before any policy', () => {
    const out = simulate(DENY_ADMIN(), ['--method', 'post', '--path', '/public']);
    assert.equal(out.status, 400, out.reason);
    assert.equal(out.allowed, false);
    assert.match(out.reason, /^Bad Request: Envoy's HTTP\/1.1 codec rejects the method "post".*case-sensitive: POST/);
    assert.equal(simulate(DENY_ADMIN(), ['--method', 'POST', '--path', '/public']).status, 200);
    assert.equal(simulate(DENY_ADMIN(), ['--method', 'GET', '--path', '/admin%00']).status, 400);
  });

  it('istio.io/dry-run is read with strconv.ParseBool: "1", "t" and "T" make the policy dry-run', () => {
    for (const value of ['1', 't', 'T', 'TRUE', 'True', 'true']) {
      const out = simulate(DENY_ADMIN(`  annotations:\n    istio.io/dry-run: "${value}"\n`), ['--method', 'GET', '--path', '/admin']);
      assert.equal(out.status, 200, `${value}: ${out.reason}`);
      assert.ok(out.trace.some((t) => /is dry-run \(istio\.io\/dry-run\): it would match rules\[0\]/.test(t)), value);
    }
    for (const value of ['0', 'f', 'false']) assert.equal(simulate(DENY_ADMIN(`  annotations:\n    istio.io/dry-run: "${value}"\n`), ['--method', 'GET', '--path', '/admin']).status, 403, value);
    const invalid = simulate(DENY_ADMIN('  annotations:\n    istio.io/dry-run: "yes"\n'), ['--method', 'GET', '--path', '/admin']);
    assert.equal(invalid.status, 403, 'a value ParseBool refuses leaves the policy enforced');
    assert.ok(invalid.trace.some((t) => /"yes" is not a boolean strconv.ParseBool accepts/.test(t)), invalid.trace.join('\n'));
  });

  it('says signatureChecked: false when the JWKS could not be fetched (and true when it was checked)', async () => {
    const key = await makeKey('ES256', 'k1');
    const port = await closedPort();
    const issuer = 'https://idp.example.com';
    const token = await signToken(key.privateJwk, { iss: issuer, sub: 'alice', exp: Math.floor(Date.now() / 1000) + 3600 });
    const require = `---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: require-jwt\n  namespace: default\nspec:\n  rules:\n  - from:\n    - source:\n        requestPrincipals: ["*"]\n`;
    const remote = `apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: ra\n  namespace: default\nspec:\n  jwtRules:\n  - issuer: ${issuer}\n    jwksUri: http://127.0.0.1:${port}/jwks.json\n${require}`;
    const file = join(dir, 'remote.yaml');
    writeFileSync(file, remote);
    const r = await runCliAsync(['simulate', '--method', 'GET', '--path', '/', '--token', token, file]);
    const out = JSON.parse(r.stdout) as SimOut;
    assert.equal(out.status, 200, out.reason);
    assert.equal(out.signatureChecked, false, 'the key set could not be fetched');
    assert.deepEqual(Object.keys(out), ['status', 'allowed', 'reason', 'matchedPolicy', 'signatureChecked', 'trace']);

    const inline = remote.replace(`jwksUri: http://127.0.0.1:${port}/jwks.json`, `jwks: '${JSON.stringify({ keys: [key.publicJwk] })}'`);
    assert.equal(simulate(inline, ['--method', 'GET', '--path', '/', '--token', token]).signatureChecked, true);
    assert.equal(simulate(inline, ['--method', 'GET', '--path', '/']).signatureChecked, null, 'no token: nothing was authenticated');
  });
});
