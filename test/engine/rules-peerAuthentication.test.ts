import path from 'node:path';
import { describe, it } from 'node:test';
import { itEachRealworld } from '../helpers/realworld';
import { doc, expectCode, expectNoError, findings } from '../helpers/securityRules';
import assert from 'node:assert/strict';

const pa = (spec: string, namespace = 'ns'): string => doc('security.istio.io/v1', 'PeerAuthentication', spec).replace('namespace: ns', `namespace: ${namespace}`);

describe('PeerAuthentication', () => {
  it('notes mesh-wide DISABLE (root namespace, no selector)', () => {
    expectCode(pa('  mtls:\n    mode: DISABLE\n', 'istio-system'), 'peerauth-mesh-wide-disable', [['information', '7:10-7:17']]);
  });

  it('stays quiet for namespace-wide or workload DISABLE and for mesh-wide STRICT', () => {
    expectCode(pa('  mtls:\n    mode: DISABLE\n'), 'peerauth-mesh-wide-disable', []);
    expectCode(pa('  selector:\n    matchLabels: {app: a}\n  mtls:\n    mode: DISABLE\n', 'istio-system'), 'peerauth-mesh-wide-disable', []);
    expectCode(pa('  mtls:\n    mode: STRICT\n', 'istio-system'), 'peerauth-mesh-wide-disable', []);
  });

  it('accepts port-level mTLS with a selector', () => {
    expectNoError(pa('  selector:\n    matchLabels: {app: a}\n  mtls: {mode: STRICT}\n  portLevelMtls:\n    8080:\n      mode: DISABLE\n'));
  });

  it('leaves CRD-rule violations (portLevelMtls without selector, port 0) to the schema validator', () => {
    assert.deepEqual(findings(pa('  portLevelMtls:\n    0:\n      mode: DISABLE\n')), []);
  });

  it('warns (as istiod does) about a selector without labels', () => {
    expectCode(pa('  selector: {}\n  mtls: {mode: STRICT}\n'), 'workload-selector-empty', [['warning', '6:2-6:10']]);
  });

  itEachRealworld([
    'istio-istio/pkg/config/validation/testdata/crds/peerauth-valid.yaml',
    'istio-istio/pkg/test/datasets/validation/dataset/security-v1-PeerAuthentication.yaml',
    'istio-istio/pkg/test/datasets/validation/dataset/security-v1beta1-PeerAuthentication.yaml',
  ], (file) => `no error on ${path.basename(file)}`, expectNoError);
});
