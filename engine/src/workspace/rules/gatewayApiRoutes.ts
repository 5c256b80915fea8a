/**
 * HTTPRoute / GRPCRoute / TLSRoute parentRefs against the Gateways and ListenerSets of the
 * workspace: a parent that is not there (information: it may be in the cluster), and a parent
 * that is there but whose listeners all refuse the route, with the reason Istio writes in the
 * route's status (pilot/pkg/config/kube/gateway/conversion.go referenceAllowed).
 */
import type { Path } from '../../model/locate';
import type { CrossRule } from '../crossCheck';
import { attachment, type RejectedAt } from '../gatewayApi/attachment';
import { listenerOwnerKey, namespaceByName, parentRefsOf, ROUTE_KEYS, type ParentRef } from '../gatewayApi/model';

const ATTACHMENT = 'pilot/pkg/config/kube/gateway/conversion.go: referenceAllowed; conditions.go (route parent status)';

export const routeParentNotFound: CrossRule = {
  code: 'xref-route-parent-not-found',
  severity: 'information',
  summary: 'A route names a parent Gateway (or ListenerSet) that no file of the workspace defines; it may exist in the cluster.',
  source: ATTACHMENT,
  subjects: ROUTE_KEYS,
  check(route, { index, report }) {
    for (const ref of parentRefsOf(route)) {
      const key = listenerOwnerKey(ref);
      if (!key || index.named(key, ref.namespace, ref.name)) continue;
      report({
        path: ['spec', 'parentRefs', ref.i, 'name'],
        message: `parentRefs[${ref.i}]: no ${ref.kind} ${ref.namespace}/${ref.name} in the workspace (it may exist in the cluster), so its listeners could not be checked.${ref.explicitNamespace ? '' : ` Without namespace, the parent is looked up in the route's namespace ${route.namespace}.`}`,
      });
    }
  },
};

/** Where a rejection is shown: the field of the parentRef (or the route's hostnames) it is about. */
function placeOf(ref: ParentRef, at: RejectedAt, hasHostnames: boolean): { path: Path; target?: 'key' } {
  if (at === 'port' && ref.port !== undefined) return { path: ['spec', 'parentRefs', ref.i, 'port'] };
  if (at === 'sectionName' && ref.sectionName !== undefined) return { path: ['spec', 'parentRefs', ref.i, 'sectionName'] };
  if (at === 'hostnames' && hasHostnames) return { path: ['spec', 'hostnames'], target: 'key' };
  return { path: ['spec', 'parentRefs', ref.i, 'name'] };
}

const FIX: Record<string, string> = {
  NoMatchingParent: 'Use the name (sectionName) or port of one of its listeners.',
  NotAllowedByListeners: "Change the listener's allowedRoutes, or the route's namespace or kind.",
  NoMatchingListenerHostname: 'Add a hostname the listener serves, or remove hostnames to take the listener\'s.',
};

export const routeNotAccepted: CrossRule = {
  code: 'xref-route-not-accepted',
  severity: 'warning',
  summary:
    'A route names a Gateway of the workspace, but none of its listeners accepts it: no listener with that sectionName/port (NoMatchingParent), its namespace or kind is not allowed (NotAllowedByListeners), or no hostname overlaps (NoMatchingListenerHostname). Istio sets Accepted=False and routes nothing. Namespace selectors are decided only when the workspace has the Namespace object.',
  source: ATTACHMENT,
  subjects: ROUTE_KEYS,
  facets: [namespaceByName],
  check(route, { index, report }) {
    const hasHostnames = Array.isArray(route.resource.spec.hostnames) && route.resource.spec.hostnames.length > 0;
    for (const ref of parentRefsOf(route)) {
      const key = listenerOwnerKey(ref);
      const owner = key ? index.named(key, ref.namespace, ref.name) : undefined;
      if (!owner) continue;
      const verdict = attachment(route, ref, owner, index);
      if (verdict.attached) continue;
      report({
        ...placeOf(ref, verdict.at, hasHostnames),
        message: `parentRefs[${ref.i}]: ${owner.resource.kind} ${owner.namespace}/${owner.resource.name} does not accept this ${route.resource.kind} (${verdict.reason}): ${verdict.message}. ${FIX[verdict.reason]}`,
        related: verdict.listeners.map((l) => ({ at: owner, path: l.path, message: `listener ${l.name ?? `#${l.index}`} of ${owner.resource.kind} ${owner.namespace}/${owner.resource.name}` })),
      });
    }
  },
};
