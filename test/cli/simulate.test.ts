import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { tempDir } from '../helpers/tmp';
import { runCli } from '../helpers/cli';
import { ensureCliHas } from '../helpers/cliFresh';
import { ISTIO_JWT_SAMPLES, sample, sampleRequestAuthentication, sampleRequireJwt } from '../helpers/jwtSign';

const MANIFESTS = `${sampleRequestAuthentication()}---
${sampleRequireJwt('*')}    to:
    - operation:
        methods: ["GET"]
        paths: ["/headers", "/ip"]
    when:
    - key: request.headers[x-env]
      values: ["prod"]
`;

const BASE = ['simulate', '--namespace', 'foo', '--labels', 'app=httpbin,version=v1', '--method', 'GET', '--path', '/headers', '--header', 'x-env: prod'];

describe('istio-sec simulate', { timeout: 120_000 }, () => {
  let dir: string;
  before(() => {
    ensureCliHas('simulate needs at least one manifest');
    dir = tempDir('istio-sec-sim-');
    writeFileSync(join(dir, 'policies.yaml'), MANIFESTS);
  });

  const run = (args: string[]) => {
    const r = runCli([...BASE, ...args, dir], { timeoutMs: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  };

  it('prints exactly {status, allowed, reason, matchedPolicy, signatureChecked, trace}: the sample token is allowed', () => {
    const out = run(['--token', sample('demo.jwt')]);
    assert.deepEqual(Object.keys(out), ['status', 'allowed', 'reason', 'matchedPolicy', 'signatureChecked', 'trace']);
    assert.equal(out.status, 200);
    assert.equal(out.allowed, true);
    assert.deepEqual(out.matchedPolicy, { namespace: 'foo', name: 'require-jwt', action: 'ALLOW', rule: 0 });
    assert.ok(out.trace.every((t: string) => typeof t === 'string' && !t.includes(sample('demo.jwt'))));
  });

  it('--token-file, missing token (403), garbage token (401), other header value (403): exit 0 each time', () => {
    assert.equal(run(['--token-file', join(ISTIO_JWT_SAMPLES, 'groups-scope.jwt')]).status, 200);
    const none = run([]);
    assert.equal(none.status, 403);
    assert.equal(none.matchedPolicy, null);
    assert.match(none.reason, /^RBAC: access denied/);
    const garbage = run(['--token', 'garbage']);
    assert.equal(garbage.status, 401);
    assert.equal(garbage.allowed, false);
    const staging = runCli([...BASE.slice(0, -1), 'x-env: staging', '--token', sample('demo.jwt'), dir], { timeoutMs: 30_000 });
    assert.equal(JSON.parse(staging.stdout).status, 403);
  });

  it('--format text prints the decision and the trace', () => {
    const r = runCli([...BASE, '--format', 'text', dir], { timeoutMs: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^403 DENIED: RBAC: access denied/);
    assert.match(r.stdout, /\ntrace:\n {2}- Workload: namespace foo/);
  });

  it('exits 2 on usage errors', () => {
    for (const args of [
      ['simulate'],
      ['simulate', '--format', 'xml', dir],
      ['simulate', '--port', 'http', dir],
      ['simulate', '--labels', 'novalue', dir],
      ['simulate', '--header', 'nocolon', dir],
      ['simulate', '--token', 'a', '--token-file', 'b', dir],
      ['simulate', join(dir, 'missing.yaml')],
    ]) {
      const r = runCli(args, { timeoutMs: 30_000 });
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, /istio-sec simulate: /);
    }
  });
});
