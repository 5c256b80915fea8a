import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { removeTempDir, tempDir } from '../helpers/tmp';
import { runCli } from '../helpers/cli';
import { ensureCliHas } from '../helpers/cliFresh';
import { errorsOf, objectsOf } from '../helpers/migrate';

const MIXED = `# Shop namespace security, Istio 1.4 style
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector: {app: api}
  ports: [{port: 8080}]
---
apiVersion: authentication.istio.io/v1alpha1
kind: Policy
metadata:
  name: api
  namespace: shop
spec:
  targets:
  - name: api
  origins:
  - jwt:
      issuer: https://issuer.example.com/
      jwksUri: https://issuer.example.com/.well-known/jwks.json
      triggerRules:
      - excludedPaths:
        - exact: /healthz
  principalBinding: USE_ORIGIN
---
apiVersion: rbac.istio.io/v1alpha1
kind: ServiceRole
metadata:
  name: reader
  namespace: shop
spec:
  rules:
  - services: [api.shop.svc.cluster.local]
    methods: [GET]
---
apiVersion: rbac.istio.io/v1alpha1
kind: ServiceRoleBinding
metadata:
  name: readers
  namespace: shop
spec:
  subjects:
  - properties:
      request.auth.claims[scope]: read
  roleRef: {kind: ServiceRole, name: reader}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: api
  namespace: shop
spec:
  hosts: [api]
  http:
  - route:
    - destination: {host: api}
`;

describe('istio-sec migrate', { timeout: 120_000 }, () => {
  let dir: string;
  before(() => {
    ensureCliHas('migrate needs at least one file');
    dir = tempDir('istio-sec-migrate-');
    writeFileSync(join(dir, 'mixed.yaml'), MIXED);
    writeFileSync(join(dir, 'mesh.yaml'), 'apiVersion: authentication.istio.io/v1alpha1\nkind: MeshPolicy\nmetadata:\n  name: default\nspec:\n  peers:\n  - mtls: {}\n');
  });
  after(() => removeTempDir(dir));

  it('converts a mixed multi-document file: current documents unchanged, legacy ones converted, notes on stderr, exit 0', () => {
    const r = runCli(['migrate', 'mixed.yaml'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.startsWith(MIXED.slice(0, MIXED.indexOf('---\n') + 4)), r.stdout);
    assert.ok(r.stdout.endsWith(MIXED.slice(MIXED.lastIndexOf('---\napiVersion: networking'))), r.stdout);
    assert.deepEqual(errorsOf(r.stdout), []);
    assert.deepEqual(
      objectsOf(r.stdout).map((o) => `${o.kind}/${o.metadata.name}`),
      ['Service/api', 'RequestAuthentication/api', 'AuthorizationPolicy/api-require-jwt', 'AuthorizationPolicy/readers', 'VirtualService/api'],
    );
    const lines = r.stderr.trim().split('\n');
    assert.ok(lines.includes('mixed.yaml:18:11: information migrate-guessed-selector Service api: the workload selector app=api is a guess (a service name does not give pod labels); confirm the pods carry that label.'), r.stderr);
    assert.ok(lines.some((l) => l.startsWith('mixed.yaml:26:21: information migrate-principal-binding ')), r.stderr);
    assert.ok(lines.some((l) => l.startsWith('mixed.yaml:35:16: information migrate-guessed-selector ')), r.stderr);
  });

  it('several files: separated by --- with a # Source comment each', () => {
    const r = runCli(['migrate', 'mesh.yaml', 'mixed.yaml'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.startsWith('# Source: mesh.yaml\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\n'), r.stdout);
    assert.ok(r.stdout.includes('\n---\n# Source: mixed.yaml\n# Shop namespace security, Istio 1.4 style\n'), r.stdout);
    assert.equal(objectsOf(r.stdout).length, 6);
  });

  it('reads stdin with -, and honours --root-namespace', () => {
    const r = runCli(['migrate', '--root-namespace', 'istio-config', '-'], { cwd: dir, input: 'apiVersion: authentication.istio.io/v1alpha1\nkind: MeshPolicy\nmetadata:\n  name: default\nspec:\n  peers:\n  - mtls: {}\n' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(objectsOf(r.stdout)[0].metadata.namespace, 'istio-config');
  });

  it('exits 2 on usage errors: no file, an unknown option', () => {
    for (const args of [['migrate'], ['migrate', '--bogus', 'mixed.yaml']]) {
      const r = runCli(args, { cwd: dir });
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /Usage: istio-sec migrate/);
    }
  });
});
