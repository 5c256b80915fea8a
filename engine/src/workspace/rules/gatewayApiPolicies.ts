/**
 * Istio policies attached to Gateway API objects (RequestAuthentication, AuthorizationPolicy,
 * Telemetry, WasmPlugin): a targetRef to a Gateway the workspace does not define, a targetRef to a
 * Service or ServiceEntry that the workspace shows has no waypoint (such policies apply only at
 * waypoints: pilot/pkg/model/policyattachment.go), and a selector that picks the pods Istio
 * deploys for a Gateway (istioctl analyze IST0166).
 */
import { asObj, targetRefKind, targetRefsOf, TARGET_REF_FIELDS } from '../../rules/common/workload';
import type { CrossRule } from '../crossCheck';
import { GATEWAY, GATEWAY_NAME_LABEL, managedPodLabels, namespaceByName, SERVICE, waypointUse } from '../gatewayApi/model';
import type { IndexView } from '../incremental';
import type { IndexedResource } from '../index';
import { stringValues } from '../refs';

/** Kinds with targetRef(s). */
const POLICY_KEYS = Object.keys(TARGET_REF_FIELDS);

/** analyzers/k8sgateway/workloadselector.go policyGVKs */
const SELECTOR_POLICY_KEYS = ['AuthorizationPolicy', 'RequestAuthentication', 'Telemetry', 'WasmPlugin'];

function nameOf(ref: Record<string, unknown>): string | undefined {
  return typeof ref.name === 'string' && ref.name !== '' ? ref.name : undefined;
}

export const policyTargetNotFound: CrossRule = {
  code: 'xref-policy-target-not-found',
  severity: 'information',
  summary: 'A policy targetRef names a Gateway that no file of the workspace defines in the policy\'s namespace; it may exist in the cluster.',
  source: 'pilot/pkg/model/policyattachment.go: ShouldAttachPolicy (Gateway targets, same namespace)',
  subjects: POLICY_KEYS,
  check(policy, { index, report }) {
    for (const { ref, path } of targetRefsOf(policy)) {
      const name = nameOf(ref);
      if (targetRefKind(ref) !== 'Gateway' || name === undefined || index.named(GATEWAY, policy.namespace, name)) continue;
      report({
        path: [...path, 'name'],
        message: `targetRef: no Gateway ${policy.namespace}/${name} in the workspace (it may exist in the cluster). A policy attaches only to a Gateway of its own namespace, ${policy.namespace}.`,
      });
    }
  },
};

/** The Service or ServiceEntry a targetRef names, when the workspace defines it. */
function serviceTarget(kind: string, namespace: string, name: string, view: IndexView): IndexedResource | undefined {
  return kind === 'Service' ? view.named(SERVICE, namespace, name) : view.named('ServiceEntry', namespace, name);
}

export const policyTargetNoWaypoint: CrossRule = {
  code: 'xref-policy-target-no-waypoint',
  severity: 'warning',
  summary:
    'A policy targets a Service or ServiceEntry that, by the labels the workspace shows (istio.io/use-waypoint on it or its Namespace), has no waypoint: policies with targetRefs to a Service apply only at its waypoint, sidecars ignore them, so the policy has no effect.',
  source: 'pilot/pkg/model/policyattachment.go: ShouldAttachPolicy (Service and ServiceEntry targets apply on waypoints only)',
  subjects: POLICY_KEYS,
  facets: [namespaceByName],
  check(policy, { index, report }) {
    for (const { ref, path } of targetRefsOf(policy)) {
      const kind = targetRefKind(ref);
      const name = nameOf(ref);
      if ((kind !== 'Service' && kind !== 'ServiceEntry') || name === undefined) continue;
      const target = serviceTarget(kind, policy.namespace, name, index);
      const use = waypointUse(target, index);
      if (use.uses !== false || !target) continue;
      report({
        path: [...path, 'name'],
        message: `targetRef: ${use.why}, so ${kind} ${policy.namespace}/${name} has no waypoint. A ${policy.resource.kind} targeting a ${kind} is applied by its waypoint only (sidecars ignore policies with targetRefs): this one has no effect. Label the ${kind} or its namespace with istio.io/use-waypoint: <waypoint>, or select the workloads (selector) instead.`,
        related: [{ at: target, path: ['metadata', 'name'], message: `${target.resource.kind} ${target.namespace}/${target.resource.name}` }],
      });
    }
  },
};

export const selectorOnK8sGateway: CrossRule = {
  code: 'xref-selector-on-k8s-gateway',
  severity: 'warning',
  summary: 'A policy selects, by labels, the pods Istio deploys for a Gateway API Gateway of the workspace: Istio recommends targetRefs for Kubernetes gateways (waypoints ignore selectors).',
  source: 'istioctl analyze: k8sgateway/workloadselector.go (IST0166 IneffectiveSelector); pod labels from istio-discovery files/kube-gateway.yaml',
  subjects: SELECTOR_POLICY_KEYS,
  check(policy, { index, report }) {
    const spec = policy.resource.spec;
    const selector = asObj(spec.selector);
    if (!selector || spec.targetRef !== undefined || spec.targetRefs !== undefined) return;
    const matchLabels = stringValues(selector.matchLabels);
    for (const gw of index.inScope(GATEWAY, policy.namespace, policy.namespace)) {
      const pod = managedPodLabels(gw);
      if (!pod || !Object.entries(matchLabels).every(([k, v]) => pod[k] === v)) continue;
      const name = pod[GATEWAY_NAME_LABEL];
      report({
        path: ['spec', 'selector'],
        target: 'key',
        istioCode: 'IST0166',
        message: `Ineffective selector on Kubernetes Gateway ${name}: the selector picks the pods Istio deploys for Gateway ${gw.namespace}/${name}. Use the targetRefs field instead: targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: ${name}}].`,
        related: [{ at: gw, path: ['metadata', 'name'], message: `Gateway ${gw.namespace}/${name} (class ${String(gw.resource.spec.gatewayClassName)})` }],
      });
    }
  },
};
