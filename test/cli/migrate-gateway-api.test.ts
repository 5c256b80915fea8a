import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { removeTempDir, tempDir } from '../helpers/tmp';
import { ROOT } from '../helpers/build';
import { runCli } from '../helpers/cli';
import { ensureCliHas } from '../helpers/cliFresh';
import { byKind, errorsOf, objectsOf } from '../helpers/migrate';

describe('istio-sec migrate --to gateway-api', { timeout: 120_000 }, () => {
  let dir: string;
  before(() => {
    ensureCliHas('--to gateway-api');
    dir = tempDir('istio-sec-migrate-gwapi-');
    cpSync(join(ROOT, 'examples/bookinfo-auth0'), dir, { recursive: true });
  });
  after(() => removeTempDir(dir));

  it('converts the Gateway, its VirtualService and the ingress policies across files; notes on stderr; exit 0', () => {
    const r = runCli(['migrate', '--to', 'gateway-api', 'gateway.yaml', 'security.yaml'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const [gatewayPart, securityPart] = r.stdout.split('\n---\n# Source: security.yaml\n');
    assert.ok(gatewayPart.startsWith('# Source: gateway.yaml\n# Ingress for bookinfo'), r.stdout);
    assert.deepEqual(errorsOf(gatewayPart), []);
    assert.deepEqual(errorsOf(securityPart), []);
    const objs = objectsOf(r.stdout);
    assert.deepEqual(objs.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace}/${o.metadata.name}`).slice(0, 5), [
      'gateway.networking.k8s.io/v1 Gateway bookinfo/bookinfo-gateway',
      'gateway.networking.k8s.io/v1 HTTPRoute bookinfo/bookinfo-gateway-https-redirect',
      'gateway.networking.k8s.io/v1 HTTPRoute bookinfo/bookinfo',
      'security.istio.io/v1 PeerAuthentication bookinfo/default',
      'security.istio.io/v1 RequestAuthentication bookinfo/auth0-bookinfo-gateway',
    ]);
    assert.deepEqual(byKind(objs, 'AuthorizationPolicy').find((a) => a.metadata.name === 'require-jwt')?.spec.targetRefs, [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'bookinfo-gateway' }]);
    const notes = r.stderr.trim().split('\n');
    assert.ok(notes.some((l) => l.startsWith('gateway.yaml:17:23: information gwapi-certificate-namespace Secret bookinfo-tls: ')), r.stderr);
    assert.ok(notes.some((l) => l.startsWith('security.yaml:16:14: information gwapi-policy-namespace RequestAuthentication istio-system/auth0 moves to namespace bookinfo')), r.stderr);
    assert.ok(notes.every((l) => /^(gateway|security)\.yaml:\d+:\d+: (information|warning) gwapi-[a-z-]+ /.test(l)), r.stderr);
  });

  it('the default stays the removed-API conversion, which leaves these files alone; bad --to is a usage error', () => {
    const same = runCli(['migrate', 'gateway.yaml'], { cwd: dir });
    assert.equal(same.status, 0);
    assert.equal(same.stdout, readFileSync(join(dir, 'gateway.yaml'), 'utf8'));
    const bad = runCli(['migrate', '--to', 'gateway', 'gateway.yaml'], { cwd: dir });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown --to 'gateway' \(expected current or gateway-api\)/);
  });

  it('reads stdin with -', () => {
    const r = runCli(['migrate', '--to', 'gateway-api', '-'], { cwd: dir, input: readFileSync(join(dir, 'gateway.yaml'), 'utf8') });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(byKind(objectsOf(r.stdout), 'HTTPRoute').length, 2);
    assert.ok(r.stderr.split('\n').some((l) => l.startsWith('<stdin>:9:5: information gwapi-gateway-deployment ')), r.stderr);
  });
});
