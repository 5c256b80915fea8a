/**
 * PeerAuthentication. Everything istiod's webhook checks (ValidatePeerAuthentication in
 * pkg/config/validation/validation.go) is also in the CRD: mode enums, "portLevelMtls requires
 * selector" and "port must be between 1-65535" are CEL rules, an empty portLevelMtls is
 * minProperties, and the selector rules are shared (common/workload.ts). What remains here are
 * verdicts beyond the webhook.
 */
import { asObj, hasWorkloadSelector } from './common/workload';
import { defineRules } from './rule';

const KIND = ['PeerAuthentication'];

export const peerAuthenticationRules = defineRules([
  {
    code: 'peerauth-mesh-wide-disable',
    severity: 'information',
    kinds: KIND,
    summary: 'A PeerAuthentication in the root namespace without selector and mode DISABLE turns mTLS off for the whole mesh.',
    source: 'security.istio.io PeerAuthentication reference (mesh-wide policy: root namespace, no selector)',
    check(ctx) {
      const namespace = ctx.resource.namespace ?? ctx.settings.defaultNamespace;
      if (namespace !== ctx.settings.rootNamespace || hasWorkloadSelector(ctx)) return;
      const mtls = asObj(ctx.resource.spec.mtls);
      if (mtls?.mode !== 'DISABLE') return;
      ctx.report({
        path: ['spec', 'mtls', 'mode'],
        message: `This policy is in the root namespace (${ctx.settings.rootNamespace}) without a selector, so mode DISABLE turns mutual TLS off for every workload in the mesh (plaintext between sidecars). Limit it with a selector or a namespace-level policy if that is not intended.`,
      });
    },
  },
]);
