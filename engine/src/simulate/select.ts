/**
 * Which policies a proxy enforces, as istiod selects them (Istio 1.30.3):
 * - candidates are the policies of the root namespace, of the proxy's namespace and of the
 *   Service a waypoint handles (pilot/pkg/model/authorization.go ListAuthorizationPolicies,
 *   authentication.go getConfigsForWorkload);
 * - then pilot/pkg/model/policyattachment.go ShouldAttachPolicy decides:
 *   - a sidecar (pods without `gateway.networking.k8s.io/gateway-name`): a policy with
 *     `targetRef(s)` never applies; otherwise its `selector` (none: every workload) decides;
 *   - a Gateway API gateway without targetRefs on the policy: the selector decides
 *     (ENABLE_SELECTOR_BASED_K8S_GATEWAY_POLICY, default true); a waypoint ignores such policies;
 *   - with targetRefs (`targetRefs`, else the deprecated `targetRef`), any of them attaches:
 *     Service / ServiceEntry named like the waypoint's destination, in the policy's namespace
 *     (waypoints only); GatewayClass `istio-waypoint` from the root namespace (waypoints only);
 *     Gateway named like the proxy's `gateway-name`, policy and reference in the proxy's namespace.
 */
import type { SimResource, SimTarget } from './types';
import { isObj, type Obj } from '../jwt/plain';
import { GATEWAY_API_GROUP, GATEWAY_NAME_LABEL, WAYPOINT_CLASS, resolveProxy, type ProxyView } from './target';

export interface Selection {
  applies: SimResource[];
  /** One trace line per resource of the kind, saying why it does or does not apply. */
  trace: string[];
}

export function nsOf(r: SimResource, defaultNamespace: string): string {
  return r.namespace ?? defaultNamespace;
}

export function labelOf(r: SimResource, defaultNamespace: string): string {
  return `${r.kind} ${nsOf(r, defaultNamespace)}/${r.name ?? '(unnamed)'}`;
}

/** `targetRefs`, or the deprecated `targetRef` when targetRefs is empty (istiod's GetTargetRefs). */
export function targetRefsOf(spec: Obj): Obj[] {
  const refs = Array.isArray(spec.targetRefs) ? spec.targetRefs.filter(isObj) : [];
  return refs.length === 0 && isObj(spec.targetRef) ? [spec.targetRef] : refs;
}

/** istiod's config.CanonicalGroup: the core group is "" or "core". */
function canonicalGroup(group: unknown): string {
  return typeof group !== 'string' || group === '' ? 'core' : group;
}

function refIs(ref: Obj, group: string, kind: string): boolean {
  return canonicalGroup(ref.group) === canonicalGroup(group) && ref.kind === kind;
}

function refText(ref: Obj): string {
  return `${String(ref.kind ?? '?')} ${typeof ref.namespace === 'string' ? `${ref.namespace}/` : ''}${String(ref.name ?? '?')}`;
}

type Verdict = { how: string } | { why: string };

interface PolicyContext {
  proxy: ProxyView;
  policyNamespace: string;
  rootNamespace: string;
}

/** How one targetRef attaches the policy to the proxy, or why it does not. */
function attachByRef(ref: Obj, c: PolicyContext): Verdict {
  const { proxy, policyNamespace } = c;
  const name = ref.name;
  const svc = proxy.service;
  const via = proxy.waypoint ? ` via waypoint ${proxy.waypoint.namespace}/${proxy.waypoint.name}` : ' via its waypoint';
  for (const kind of ['Service', 'ServiceEntry'] as const) {
    if (!refIs(ref, kind === 'Service' ? '' : 'networking.istio.io', kind)) continue;
    if (!proxy.isWaypoint) return { why: `${refText(ref)}: a ${kind} target is enforced only by its waypoint` };
    if (svc?.kind === kind && svc.name === name && svc.namespace === policyNamespace) return { how: `targetRefs → ${kind} ${svc.namespace}/${svc.name}${via}` };
    return { why: `${refText(ref)} in namespace ${policyNamespace} is not the request's destination${svc ? ` (${svc.kind} ${svc.namespace}/${svc.name})` : ''}` };
  }
  if (refIs(ref, GATEWAY_API_GROUP, 'GatewayClass')) {
    if (name !== WAYPOINT_CLASS) return { why: `${refText(ref)}: only the ${WAYPOINT_CLASS} GatewayClass can be targeted` };
    if (!proxy.isWaypoint) return { why: `${refText(ref)} applies to waypoints only` };
    if (policyNamespace !== c.rootNamespace) return { why: `${refText(ref)}: a GatewayClass target counts only in the root namespace (${c.rootNamespace})` };
    return { how: `targetRefs → GatewayClass ${WAYPOINT_CLASS} (root namespace: every waypoint)` };
  }
  if (refIs(ref, GATEWAY_API_GROUP, 'Gateway')) {
    const gatewayName = proxy.labels[GATEWAY_NAME_LABEL];
    if (proxy.namespace === undefined) return { why: `${refText(ref)}: the waypoint is not known` };
    if (policyNamespace !== proxy.namespace) return { why: `${refText(ref)}: a Gateway target counts only for a policy in the Gateway's namespace (${proxy.namespace}), not ${policyNamespace}` };
    if (typeof ref.namespace === 'string' && ref.namespace !== '' && ref.namespace !== proxy.namespace) return { why: `${refText(ref)}: a cross-namespace targetRef never matches` };
    if (name !== gatewayName) return { why: `${refText(ref)} is not this proxy's Gateway (${gatewayName})` };
    return { how: `targetRefs → ${proxy.isWaypoint ? 'waypoint ' : ''}Gateway ${proxy.namespace}/${gatewayName}` };
  }
  return { why: `${refText(ref)} (group ${JSON.stringify(ref.group ?? '')}) is not a kind Istio attaches policies to` };
}

function selectorVerdict(r: SimResource, c: PolicyContext): Verdict {
  const selector = isObj(r.spec.selector) && isObj(r.spec.selector.matchLabels) ? r.spec.selector.matchLabels : undefined;
  const missing = Object.entries(selector ?? {}).filter(([k, v]) => c.proxy.labels[k] !== v);
  if (missing.length > 0) return { why: `its selector needs ${missing.map(([k, v]) => `${k}=${String(v)}`).join(', ')}` };
  const root = c.policyNamespace === c.rootNamespace && c.policyNamespace !== c.proxy.namespace;
  if (selector && Object.keys(selector).length > 0) return { how: `selector ${Object.entries(selector).map(([k, v]) => `${k}=${String(v)}`).join(', ')}${root ? ', root namespace' : ''}` };
  return { how: root ? 'root namespace: mesh-wide, no selector' : 'namespace-wide: no selector' };
}

/** Why `r` does not attach to the proxy, or how it does (istiod's ShouldAttachPolicy). */
function attachment(r: SimResource, c: PolicyContext): Verdict {
  const refs = targetRefsOf(r.spec);
  // A waypoint's pods always carry the gateway-name label, even when the simulator does not know the waypoint.
  if (c.proxy.labels[GATEWAY_NAME_LABEL] === undefined && !c.proxy.isWaypoint) {
    if (refs.length > 0) return { why: `it uses targetRef(s) (${refs.map(refText).join(', ')}): it applies to that Gateway/Service (gateway or waypoint proxy), not to a workload sidecar` };
    return selectorVerdict(r, c);
  }
  if (refs.length === 0) {
    if (c.proxy.isWaypoint) return { why: 'it has no targetRefs, and a waypoint ignores selector-based policies' };
    return selectorVerdict(r, c);
  }
  const misses: string[] = [];
  for (const ref of refs) {
    const v = attachByRef(ref, c);
    if ('how' in v) return v;
    misses.push(v.why);
  }
  return { why: misses.join('; ') };
}

function candidateNamespaces(proxy: ProxyView, rootNamespace: string): Set<string> {
  const out = new Set([rootNamespace]);
  if (proxy.namespace !== undefined) out.add(proxy.namespace);
  if (proxy.service) out.add(proxy.service.namespace);
  return out;
}

/** The resources of `kind` that the proxy enforces, with a trace line for each. */
export function selectForProxy(resources: readonly SimResource[], kind: string, proxy: ProxyView, rootNamespace: string, defaultNamespace: string): Selection {
  const applies: SimResource[] = [];
  const trace: string[] = [];
  const namespaces = candidateNamespaces(proxy, rootNamespace);
  for (const r of resources) {
    if (r.kind !== kind) continue;
    const ns = nsOf(r, defaultNamespace);
    const label = labelOf(r, defaultNamespace);
    if (!namespaces.has(ns)) {
      trace.push(`${label} does not apply: namespace ${ns} is none of ${[...namespaces].join(', ')} (the proxy's, ${proxy.service ? "the destination's, " : ''}the root namespace).`);
      continue;
    }
    const v = attachment(r, { proxy, policyNamespace: ns, rootNamespace });
    if ('why' in v) {
      trace.push(`${label} does not apply: ${v.why}.`);
      continue;
    }
    applies.push(r);
    trace.push(`${label} applies (${v.how}).`);
  }
  return { applies, trace };
}

/** The resources of `kind` that apply to the target, with a trace line for each. */
export function selectPolicies(resources: readonly SimResource[], kind: string, target: SimTarget, rootNamespace: string, defaultNamespace: string): Selection {
  return selectForProxy(resources, kind, resolveProxy(target, resources, defaultNamespace), rootNamespace, defaultNamespace);
}
