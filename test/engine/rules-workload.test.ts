import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCIDR, isIPAddress, isPortString, parsePortRange } from '../../engine/src/rules/common/net';
import { labelKeyProblem, labelValueProblem, targetRefProblem } from '../../engine/src/rules/common/workload';
import { doc, expectCode, expectNoError } from '../helpers/securityRules';

const NET = 'networking.istio.io/v1';
const SEC = 'security.istio.io/v1';

describe('workload selectors', () => {
  it('warns about a selector without labels on every kind that has one', () => {
    expectCode(doc(SEC, 'AuthorizationPolicy', '  selector:\n    matchLabels: {}\n'), 'workload-selector-empty', [['warning', '6:2-6:10']]);
    expectCode(doc(NET, 'Sidecar', '  workloadSelector: {}\n  egress:\n  - hosts: ["./*"]\n'), 'workload-selector-empty', [['warning', '6:2-6:18']]);
    expectCode(doc(NET, 'DestinationRule', '  host: a\n  workloadSelector:\n    matchLabels: {}\n'), 'workload-selector-empty', [['warning', '7:2-7:18']]);
    expectCode(doc('telemetry.istio.io/v1', 'Telemetry', '  selector: {}\n'), 'workload-selector-empty', [['warning', '6:2-6:10']]);
  });

  it('accepts a selector with labels, and a null selector', () => {
    expectCode(doc(SEC, 'AuthorizationPolicy', '  selector:\n    matchLabels: {app: a, version: ""}\n'), 'workload-selector-empty', []);
    expectCode(doc(SEC, 'AuthorizationPolicy', '  selector: null\n'), 'workload-selector-empty', []);
  });

  it('rejects empty and wildcard keys in networking workloadSelector.labels', () => {
    const text = doc(NET, 'Sidecar', '  workloadSelector:\n    labels:\n      "": a\n      app-*: b\n      app: c\n  egress:\n  - hosts: ["./*"]\n');
    expectCode(text, 'workload-selector-key-invalid', [['error', '8:6-8:8'], ['error', '9:6-9:11']]);
  });

  it('warns when selector labels are not Kubernetes label syntax', () => {
    const text = doc(SEC, 'AuthorizationPolicy', '  selector:\n    matchLabels:\n      "app name": a\n      tier: "front end"\n      example.com/role: ok\n');
    expectCode(text, 'workload-selector-label-syntax', [['warning', '8:6-8:16'], ['warning', '9:12-9:23']]);
    expectNoError(text);
  });
});

describe('label maps (labels.Instance.Validate)', () => {
  it('rejects invalid keys and values in DestinationRule subsets', () => {
    const text = doc(NET, 'DestinationRule', '  host: a\n  subsets:\n  - name: v1\n    labels:\n      version: v1\n      "bad key": x\n      app: -x\n');
    expectCode(text, 'workload-label-invalid', [['error', '11:6-11:15'], ['error', '12:11-12:13']]);
  });

  it('checks VirtualService sourceLabels, WorkloadEntry and WorkloadGroup labels', () => {
    expectCode(doc(NET, 'VirtualService', '  hosts: [a]\n  http:\n  - match:\n    - sourceLabels: {"a/b/c": x}\n    route:\n    - destination: {host: a}\n'), 'workload-label-invalid', [
      ['error', '9:21-9:28'],
    ]);
    expectCode(doc(NET, 'WorkloadEntry', '  address: 1.2.3.4\n  labels: {app: "a b"}\n'), 'workload-label-invalid', [['error', '7:16-7:21']]);
    expectCode(doc(NET, 'WorkloadGroup', '  metadata:\n    labels: {"": x}\n  template: {}\n'), 'workload-label-invalid', [['error', '7:13-7:15']]);
    expectNoError(doc(NET, 'WorkloadEntry', '  address: 1.2.3.4\n  labels: {app.kubernetes.io/name: a, version: "", x_y: Z.1}\n'));
  });

  it('knows Kubernetes label syntax', () => {
    assert.equal(labelKeyProblem('app'), undefined);
    assert.equal(labelKeyProblem('example.com/app'), undefined);
    assert.ok(labelKeyProblem('a/b/c'));
    assert.ok(labelKeyProblem('-a'));
    assert.ok(labelKeyProblem('a'.repeat(64)));
    assert.equal(labelValueProblem(''), undefined);
    assert.ok(labelValueProblem('a b'));
  });
});

describe('targetRef(s)', () => {
  const ref = (r: string): string => doc(SEC, 'AuthorizationPolicy', `  targetRefs:\n  - ${r}\n`);
  it('accepts Service, ServiceEntry, Gateway and GatewayClass', () => {
    for (const r of ['{kind: Service, group: "", name: a}', '{kind: Service, name: a}', '{kind: ServiceEntry, group: networking.istio.io, name: a}', '{kind: Gateway, group: gateway.networking.k8s.io, name: a}', '{kind: GatewayClass, group: gateway.networking.k8s.io, name: istio-waypoint}']) {
      expectNoError(ref(r));
    }
  });

  it('rejects other kinds and wrong groups', () => {
    expectCode(ref('{kind: Deployment, group: apps, name: a}'), 'workload-target-ref-kind', [['error', '7:11-7:21']]);
    expectCode(ref('{kind: Gateway, group: networking.istio.io, name: a}'), 'workload-target-ref-kind', [['error', '7:27-7:46']]);
    expectCode(ref('{kind: Gateway, name: a}'), 'workload-target-ref-kind', [['error', '7:11-7:18']]);
    expectCode(doc(SEC, 'RequestAuthentication', '  targetRef:\n    kind: Pod\n    name: a\n'), 'workload-target-ref-kind', [['error', '7:10-7:13']]);
  });

  it('leaves group/kind outside the CRD patterns to the schema validator', () => {
    expectCode(ref('{kind: Service, group: "__", name: a}'), 'workload-target-ref-kind', []);
  });

  it('warns that a GatewayClass target other than istio-waypoint, or from outside the root namespace, attaches to nothing', () => {
    const meta = (ns: string, r: string): string => `apiVersion: ${SEC}\nkind: AuthorizationPolicy\nmetadata:\n  name: p\n  namespace: ${ns}\nspec:\n  targetRefs:\n  - ${r}\n`;
    const other = expectCode(meta('istio-system', '{kind: GatewayClass, group: gateway.networking.k8s.io, name: istio}'), 'workload-target-ref-no-effect', [['warning', '7:65-7:70']]);
    assert.match(other[0].message, /^targetRefs\[0\]: Istio attaches a policy to a GatewayClass only when it is istio-waypoint/);
    const elsewhere = expectCode(meta('shop', '{kind: GatewayClass, group: gateway.networking.k8s.io, name: istio-waypoint}'), 'workload-target-ref-no-effect', [['warning', '7:65-7:79']]);
    assert.match(elsewhere[0].message, /honoured only for policies in the root namespace \(istio-system\); this AuthorizationPolicy is in shop/);
    expectCode(meta('istio-system', '{kind: GatewayClass, group: gateway.networking.k8s.io, name: istio-waypoint}'), 'workload-target-ref-no-effect', []);
    // The singular targetRef of Telemetry too; Gateway targets are not about this rule.
    expectCode(doc('telemetry.istio.io/v1', 'Telemetry', '  targetRef:\n    kind: GatewayClass\n    group: gateway.networking.k8s.io\n    name: other\n'), 'workload-target-ref-no-effect', [['warning', '9:10-9:15']]);
    expectCode(meta('shop', '{kind: Gateway, group: gateway.networking.k8s.io, name: istio-waypoint}'), 'workload-target-ref-no-effect', []);
  });

  it('explains the expected group', () => {
    assert.match(targetRefProblem('apps', 'Service') ?? '', /group "" \(or omit group\)/);
    assert.equal(targetRefProblem('core', 'Service'), undefined);
  });
});

describe('net helpers (Go netip and strconv semantics)', () => {
  it('parses IPs and CIDRs like netip', () => {
    for (const ok of ['1.2.3.4', '::', '::1', '2001:db8::1', '::ffff:1.2.3.4', 'fe80::1%eth0', '1:2:3:4:5:6:7:8']) assert.ok(isIPAddress(ok), ok);
    for (const bad of ['1.2.3', '01.2.3.4', '256.1.1.1', '1::2::3', '1:2:3:4:5:6:7:8:9', 'fe80::1%', 'ip1']) assert.ok(!isIPAddress(bad), bad);
    for (const ok of ['10.0.0.0/8', '10.1.2.3/16', '::/0', '2001:db8::/32']) assert.ok(isCIDR(ok), ok);
    for (const bad of ['10.0.0.0/33', '10.0.0.0/08', 'fe80::1%eth0/64', '10.0.0.0/', '::/129']) assert.ok(!isCIDR(bad), bad);
  });
  it('parses ports like strconv.ParseUint', () => {
    assert.ok(isPortString('0') && isPortString('65535') && isPortString('080'));
    assert.ok(!isPortString('65536') && !isPortString('+80') && !isPortString('http') && !isPortString('80-90'));
    assert.deepEqual(parsePortRange('8000-8002'), { from: 8000, to: 8002 });
    assert.equal(parsePortRange('9-8'), undefined);
  });
});
