/**
 * How istiod attaches a policy with targetRefs (pilot/pkg/model/policyattachment.go,
 * WorkloadPolicyMatcher.ShouldAttachPolicy), for what one document shows: a GatewayClass target
 * attaches the policy to waypoints only when it is `istio-waypoint` and the policy lives in the
 * root namespace. Anything else is accepted by the webhook and applies to nothing.
 */
import { defineRules } from '../rule';
import { targetRefKind, targetRefsOf, TARGET_REF_FIELDS } from './workload';

/** constants.WaypointGatewayClassName */
export const WAYPOINT_GATEWAY_CLASS = 'istio-waypoint';

const SOURCE = 'pilot/pkg/model/policyattachment.go: ShouldAttachPolicy (GatewayClass targets)';

export const policyAttachmentRules = defineRules([
  {
    code: 'workload-target-ref-no-effect',
    severity: 'warning',
    kinds: Object.keys(TARGET_REF_FIELDS),
    summary: `A GatewayClass targetRef other than ${WAYPOINT_GATEWAY_CLASS}, or ${WAYPOINT_GATEWAY_CLASS} from outside the root namespace: istiod accepts the policy and attaches it to nothing.`,
    source: SOURCE,
    check(ctx) {
      const namespace = ctx.resource.namespace ?? ctx.settings.defaultNamespace;
      for (const { ref, path } of targetRefsOf(ctx)) {
        if (targetRefKind(ref) !== 'GatewayClass' || typeof ref.name !== 'string') continue;
        const where = path.length === 2 ? 'targetRef' : `targetRefs[${path[2]}]`;
        if (ref.name !== WAYPOINT_GATEWAY_CLASS) {
          ctx.report({
            path: [...path, 'name'],
            message: `${where}: Istio attaches a policy to a GatewayClass only when it is ${WAYPOINT_GATEWAY_CLASS} (every waypoint of the mesh); GatewayClass '${ref.name}' gets nothing, so this ${ctx.resource.kind} has no effect. Target the Gateway itself (kind: Gateway, group: gateway.networking.k8s.io) or GatewayClass ${WAYPOINT_GATEWAY_CLASS}.`,
          });
        } else if (namespace !== ctx.settings.rootNamespace) {
          ctx.report({
            path: [...path, 'name'],
            message: `${where}: GatewayClass ${WAYPOINT_GATEWAY_CLASS} is honoured only for policies in the root namespace (${ctx.settings.rootNamespace}); this ${ctx.resource.kind} is in ${namespace}, so it applies to no waypoint. Move it to ${ctx.settings.rootNamespace}, or target a waypoint of ${namespace} (kind: Gateway).`,
          });
        }
      }
    },
  },
]);
