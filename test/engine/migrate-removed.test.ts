import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../engine/src/diagnostics';
import { FileModel } from '../../engine/src/model/fileModel';
import { applyFirstFix } from '../helpers/ruleAssert';
import { errorsOf, objectsOf } from '../helpers/migrate';

function removedApi(text: string): Finding[] {
  const m = new FileModel();
  m.update(text);
  return m.findings().filter((f) => f.code === 'removed-api');
}

const GATEWAY = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["*"]\n';

const POLICY = `# JWT for the API
apiVersion: authentication.istio.io/v1alpha1
kind: Policy
metadata:
  name: api
  namespace: shop
spec:
  targets:
  - name: api
  peers:
  - mtls:
      mode: PERMISSIVE
  origins:
  - jwt:
      issuer: https://issuer.example.com/
      jwksUri: https://issuer.example.com/.well-known/jwks.json
`;

describe('removed-api: per-document conversion fix', () => {
  it('offers "Convert to PeerAuthentication + RequestAuthentication + AuthorizationPolicy" replacing the document below its ---', () => {
    const text = `${GATEWAY}---\n${POLICY}--- # next\n${GATEWAY.replace('name: gw', 'name: gw2')}`;
    const [f] = removedApi(text);
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.range, { start: { line: 11, character: 12 }, end: { line: 11, character: 44 } });
    assert.equal(f.fixes?.length, 1);
    assert.equal(f.fixes![0].title, 'Convert to PeerAuthentication + RequestAuthentication + AuthorizationPolicy');
    assert.deepEqual(f.fixes![0].edits[0].range, { start: { line: 10, character: 0 }, end: { line: 26, character: 0 } });
    const fixed = applyFirstFix(text, f);
    assert.deepEqual(errorsOf(fixed), [], fixed);
    assert.ok(fixed.startsWith(`${GATEWAY}---\n# JWT for the API\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\n`), fixed);
    assert.ok(fixed.endsWith(`--- # next\n${GATEWAY.replace('name: gw', 'name: gw2')}`), fixed);
    assert.deepEqual(
      objectsOf(fixed).map((o) => `${o.kind}/${o.metadata.name}`),
      ['Gateway/gw', 'PeerAuthentication/api', 'RequestAuthentication/api', 'AuthorizationPolicy/api-require-jwt', 'Gateway/gw2'],
    );
    assert.deepEqual(objectsOf(fixed)[1].spec.mtls, { mode: 'PERMISSIVE' });
  });

  it('RbacConfig converts alone; mode OFF is replaced by an explanation', () => {
    const on = 'apiVersion: rbac.istio.io/v1alpha1\nkind: ClusterRbacConfig\nmetadata:\n  name: default\nspec:\n  mode: ON_WITH_INCLUSION\n  inclusion:\n    namespaces: [shop]\n';
    const [f] = removedApi(on);
    assert.equal(f.fixes![0].title, 'Convert to AuthorizationPolicy');
    assert.deepEqual(objectsOf(applyFirstFix(on, f)).map((o) => [o.metadata.namespace, o.metadata.name, o.spec]), [['shop', 'allow-nothing', {}]]);
    const off = on.replace('ON_WITH_INCLUSION', '"OFF"');
    const [g] = removedApi(off);
    assert.match(g.fixes![0].title, /^Replace with an explanation/);
    assert.deepEqual(objectsOf(applyFirstFix(off, g)), []);
  });

  it('ServiceRole and ServiceRoleBinding get no per-document fix: the message points to the whole-file conversion', () => {
    const text = 'apiVersion: rbac.istio.io/v1alpha1\nkind: ServiceRole\nmetadata:\n  name: r\nspec:\n  rules:\n  - services: ["*"]\n---\napiVersion: rbac.istio.io/v1alpha1\nkind: ServiceRoleBinding\nmetadata:\n  name: b\nspec:\n  subjects:\n  - user: "*"\n  roleRef: {kind: ServiceRole, name: r}\n';
    const found = removedApi(text);
    assert.equal(found.length, 2);
    for (const f of found) {
      assert.equal(f.fixes, undefined);
      assert.match(f.message, /was removed in Istio 1\.6.*convert together into AuthorizationPolicies: run "Istio: Convert removed APIs" \(or `istio-sec migrate`\)/);
    }
  });

  it('a binding with inline actions (Istio 1.4) converts alone', () => {
    const text = 'apiVersion: rbac.istio.io/v1alpha1\nkind: ServiceRoleBinding\nmetadata:\n  name: b\n  namespace: shop\nspec:\n  subjects:\n  - user: cluster.local/ns/shop/sa/web\n  actions:\n  - services: ["*"]\n    methods: [GET]\n';
    const [f] = removedApi(text);
    assert.equal(f.fixes![0].title, 'Convert to AuthorizationPolicy');
    const [ap] = objectsOf(applyFirstFix(text, f));
    assert.deepEqual(ap.spec.rules, [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }], to: [{ operation: { methods: ['GET'] } }] }]);
  });

  it('Mixer kinds: no fix, and a message per kind that names the replacement', () => {
    const mixer = (kind: string) => `apiVersion: config.istio.io/v1alpha2\nkind: ${kind}\nmetadata:\n  name: x\nspec: {}\n`;
    const cases: Array<[string, RegExp]> = [
      ['handler', /Mixer adapter handler.*Telemetry \(telemetry\.istio\.io\/v1\)/],
      ['instance', /Mixer template instance.*Telemetry/],
      ['rule', /Mixer rule.*Telemetry/],
      ['QuotaSpec', /quota specification.*rate limit/],
      ['QuotaSpecBinding', /quota binding.*rate limit/],
      ['attributemanifest', /attribute vocabulary.*Envoy attributes are built in/],
      ['metric', /Mixer template instance/],
      ['prometheus', /Mixer adapter handler/],
    ];
    for (const [kind, re] of cases) {
      const [f] = removedApi(mixer(kind));
      assert.equal(f.fixes, undefined, kind);
      assert.match(f.message, /removed in Istio 1\.8/);
      assert.match(f.message, re, kind);
      assert.match(f.message, /No automatic conversion exists/);
    }
  });
});
