/**
 * How Istio reads Gateway API objects for attachment and references (pilot/pkg/config/kube/gateway
 * conversion.go and conditions.go, gatewaycommon/references.go), as pure functions of index
 * resources and lookups: parents and listeners, the route kinds a listener supports, which
 * namespaces its allowedRoutes admit, route/listener hostname overlap, ReferenceGrants, and the
 * waypoint labels of namespaces and services.
 */
import type { Path } from '../../model/locate';
import { coreKey, GATEWAY_API_GROUP, gatewayApiKey } from '../../model/resource';
import type { Facet, IndexedResource } from '../index';
import type { IndexView } from '../incremental';
import { hostsIntersect, objectsAt, stringsAt, stringValues, type Obj } from '../refs';

export const GATEWAY = gatewayApiKey('Gateway');
export const LISTENER_SET = gatewayApiKey('ListenerSet');
export const REFERENCE_GRANT = gatewayApiKey('ReferenceGrant');
export const NAMESPACE = coreKey('Namespace');
export const SERVICE = coreKey('Service');

/** Route kinds whose parentRefs, hostnames and backendRefs are checked. */
export const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute'] as const;
export const ROUTE_KEYS: readonly string[] = ROUTE_KINDS.map(gatewayApiKey);

/** label.IoIstioUseWaypoint */
export const USE_WAYPOINT = 'istio.io/use-waypoint';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);

/** "" and "core" are the core group (config.CanonicalGroup). */
export function canonicalGroup(group: string): string {
  return group === '' ? 'core' : group;
}

// ---------------------------------------------------------------------------------------------
// Listeners and parents.

export interface Listener {
  index: number;
  name?: string;
  port?: number;
  protocol?: string;
  hostname?: string;
  tls?: Obj;
  allowedRoutes?: Obj;
  /** Path of the listener in its owner (Gateway or ListenerSet). */
  path: Path;
}

export function listenersOf(owner: IndexedResource): Listener[] {
  return objectsAt(owner.resource.spec.listeners).map((l, index) => ({
    index,
    name: str(l.name),
    port: num(l.port),
    protocol: str(l.protocol),
    hostname: str(l.hostname),
    tls: l.tls !== null && typeof l.tls === 'object' ? (l.tls as Obj) : undefined,
    allowedRoutes: l.allowedRoutes !== null && typeof l.allowedRoutes === 'object' ? (l.allowedRoutes as Obj) : undefined,
    path: ['spec', 'listeners', index],
  }));
}

/** A route's parentRefs[i] with the Gateway API defaults filled in. */
export interface ParentRef {
  i: number;
  group: string;
  kind: string;
  namespace: string;
  name: string;
  sectionName?: string;
  port?: number;
  /** Whether namespace was written (a cross-namespace parent). */
  explicitNamespace: boolean;
}

export function parentRefsOf(route: IndexedResource): ParentRef[] {
  const out: ParentRef[] = [];
  objectsAt(route.resource.spec.parentRefs).forEach((ref, i) => {
    const name = str(ref.name);
    if (name === undefined) return;
    const namespace = str(ref.namespace);
    out.push({
      i,
      group: str(ref.group) ?? GATEWAY_API_GROUP,
      kind: str(ref.kind) ?? 'Gateway',
      namespace: namespace || route.namespace,
      name,
      sectionName: str(ref.sectionName) || undefined,
      port: num(ref.port),
      explicitNamespace: Boolean(namespace),
    });
  });
  return out;
}

/** Parent kinds that carry listeners: Gateway and ListenerSet. */
export function listenerOwnerKey(ref: Pick<ParentRef, 'group' | 'kind'>): string | undefined {
  if (ref.group !== GATEWAY_API_GROUP) return undefined;
  return ref.kind === 'Gateway' ? GATEWAY : ref.kind === 'ListenerSet' ? LISTENER_SET : undefined;
}

// ---------------------------------------------------------------------------------------------
// What a listener admits.

/** A route kind as `group/Kind`. */
export const routeKindId = (kind: string, group: string = GATEWAY_API_GROUP): string => `${group}/${kind}`;

/**
 * The route kinds a listener supports (conditions.go generateSupportedKinds): HTTPRoute and
 * GRPCRoute on HTTP/HTTPS, TLSRoute on TLS (and TCPRoute when TLS terminates), TCPRoute on TCP,
 * none on UDP; narrowed by allowedRoutes.kinds when given (group defaults to the Gateway API's).
 */
export function supportedKinds(l: Listener): string[] {
  const protocolKinds: Record<string, string[]> = {
    HTTP: ['HTTPRoute', 'GRPCRoute'],
    HTTPS: ['HTTPRoute', 'GRPCRoute'],
    TCP: ['TCPRoute'],
    TLS: str(l.tls?.mode) === 'Terminate' ? ['TLSRoute', 'TCPRoute'] : ['TLSRoute'],
  };
  const supported = (protocolKinds[l.protocol ?? ''] ?? []).map((k) => routeKindId(k));
  const allowed = objectsAt(l.allowedRoutes?.kinds).flatMap((k) => (str(k.kind) ? [routeKindId(str(k.kind) as string, str(k.group) ?? GATEWAY_API_GROUP)] : []));
  return allowed.length > 0 ? supported.filter((k) => allowed.includes(k)) : supported;
}

export type Admission = { admitted: true } | { admitted: false; why: string } | { admitted: 'unknown' };

/** metav1.LabelSelectorAsSelector(...).Matches(labels) for matchLabels and matchExpressions. */
export function selectorMatches(selector: Obj, labels: Readonly<Record<string, string>>): boolean {
  const matchLabels = stringValues(selector.matchLabels);
  if (Object.entries(matchLabels).some(([k, v]) => labels[k] !== v)) return false;
  return objectsAt(selector.matchExpressions).every((e) => {
    const key = str(e.key) ?? '';
    const values = stringsAt(e.values);
    const has = Object.hasOwn(labels, key);
    switch (e.operator) {
      case 'In':
        return has && values.includes(labels[key]);
      case 'NotIn':
        return !has || !values.includes(labels[key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

/** kubernetes.io/metadata.name: Kubernetes sets it on every namespace; Istio adds it when missing. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * Namespace objects by name (a Namespace has no namespace of its own, so `named` cannot find it):
 * rules that read a Namespace's labels declare this facet.
 */
export const namespaceByName: Facet = {
  id: 'namespace-by-name',
  kinds: [NAMESPACE],
  keys: (ns) => (ns.resource.name ? [ns.resource.name] : []),
};

/** The Namespace object of that name, when the workspace has it. */
export function namespaceObject(view: IndexView, name: string): IndexedResource | undefined {
  return view.withFacet(namespaceByName, name)[0];
}

export function labelsOf(r: IndexedResource): Record<string, string> {
  const metadata = r.resource.object.metadata;
  return stringValues(metadata !== null && typeof metadata === 'object' ? (metadata as Obj).labels : undefined);
}

/**
 * Does the listener's allowedRoutes.namespaces admit routes of `routeNs` (conversion.go
 * namespacesFromSelector)? Same (the default) and All are decided here; Selector only when the
 * workspace has the route's Namespace object (its labels), else 'unknown'.
 */
export function namespaceAdmission(l: Listener, ownerNs: string, routeNs: string, view: IndexView): Admission {
  const namespaces = l.allowedRoutes?.namespaces as Obj | undefined;
  const from = str(namespaces?.from) ?? 'Same';
  if (from === 'All') return { admitted: true };
  if (from === 'Same') return routeNs === ownerNs ? { admitted: true } : { admitted: false, why: `allowedRoutes.namespaces.from is Same (the default): only routes in ${ownerNs}` };
  if (from !== 'Selector') return { admitted: 'unknown' };
  const selector = namespaces?.selector;
  if (selector === null || typeof selector !== 'object') return { admitted: true };
  const ns = namespaceObject(view, routeNs);
  if (!ns) return { admitted: 'unknown' };
  const labels = { [NAMESPACE_NAME_LABEL]: routeNs, ...labelsOf(ns) };
  return selectorMatches(selector as Obj, labels)
    ? { admitted: true }
    : { admitted: false, why: `the labels of Namespace ${routeNs} do not match allowedRoutes.namespaces.selector` };
}

/** Do the route's hostnames overlap the listener's (no hostnames on either side matches everything)? */
export function hostnamesOverlap(routeHostnames: readonly string[], listenerHostname: string | undefined): boolean {
  if (!listenerHostname || routeHostnames.length === 0) return true;
  return routeHostnames.some((h) => hostsIntersect(h, listenerHostname));
}

// ---------------------------------------------------------------------------------------------
// References to other objects.

/** A reference to another object: where it is written, and what it names (defaults filled in). */
export interface ObjectRef {
  path: Path;
  group: string;
  kind: string;
  namespace?: string;
  name: string;
}

function objectRef(o: Obj, path: Path, defaultKind: string): ObjectRef | undefined {
  const name = str(o.name);
  if (name === undefined) return undefined;
  return { path, group: str(o.group) ?? '', kind: str(o.kind) ?? defaultKind, namespace: str(o.namespace) || undefined, name };
}

/** requestMirror backendRefs of a filter list. */
function mirrorRefs(filters: unknown, base: Path): ObjectRef[] {
  return objectsAt(filters).flatMap((f, i) => {
    const mirror = f.requestMirror as Obj | undefined;
    const ref = mirror && typeof mirror.backendRef === 'object' && mirror.backendRef !== null ? objectRef(mirror.backendRef as Obj, [...base, i, 'requestMirror', 'backendRef'], 'Service') : undefined;
    return ref ? [ref] : [];
  });
}

/** Every backendRef of a route: rules[].backendRefs[], and the requestMirror filters of rules and backendRefs. */
export function backendRefsOf(route: IndexedResource): ObjectRef[] {
  const out: ObjectRef[] = [];
  objectsAt(route.resource.spec.rules).forEach((rule, r) => {
    objectsAt(rule.backendRefs).forEach((b, i) => {
      const ref = objectRef(b, ['spec', 'rules', r, 'backendRefs', i], 'Service');
      if (ref) out.push(ref);
      out.push(...mirrorRefs(b.filters, ['spec', 'rules', r, 'backendRefs', i, 'filters']));
    });
    out.push(...mirrorRefs(rule.filters, ['spec', 'rules', r, 'filters']));
  });
  return out;
}

/** The certificateRefs of a Gateway's or ListenerSet's listeners. */
export function certificateRefsOf(owner: IndexedResource): ObjectRef[] {
  return listenersOf(owner).flatMap((l) =>
    objectsAt(l.tls?.certificateRefs).flatMap((c, i) => {
      const ref = objectRef(c, [...l.path, 'tls', 'certificateRefs', i], 'Secret');
      return ref ? [ref] : [];
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// ReferenceGrants (gatewaycommon/references.go ReferenceGrantsCollection).

/** Kinds a ReferenceGrant may admit references to, in Istio (core Secret, Service, ConfigMap). */
const GRANTABLE = new Set(['core/Secret', 'core/Service', 'core/ConfigMap']);

export interface GrantQuery {
  /** The referring object's kind (HTTPRoute, Gateway...) and namespace. */
  fromKind: string;
  fromNamespace: string;
  /** The referent: group ("" for core), kind, namespace, name. */
  toGroup: string;
  toKind: string;
  toNamespace: string;
  toName: string;
}

/** Can a grant decide this reference (Istio honours grants only to core Secret, Service, ConfigMap)? */
export function isGrantable(q: Pick<GrantQuery, 'toGroup' | 'toKind'>): boolean {
  return GRANTABLE.has(`${canonicalGroup(q.toGroup)}/${q.toKind}`);
}

/** The ReferenceGrants of the referent's namespace that permit the reference. */
export function grantsFor(q: GrantQuery, view: IndexView): IndexedResource[] {
  return view.inScope(REFERENCE_GRANT, q.toNamespace, q.toNamespace).filter((g) => {
    const fromOk = objectsAt(g.resource.spec.from).some((f) => str(f.group) === GATEWAY_API_GROUP && str(f.kind) === q.fromKind && str(f.namespace) === q.fromNamespace);
    const toOk = objectsAt(g.resource.spec.to).some(
      (t) => canonicalGroup(str(t.group) ?? '') === canonicalGroup(q.toGroup) && str(t.kind) === q.toKind && (t.name === undefined || t.name === null || str(t.name) === q.toName),
    );
    return fromOk && toOk;
  });
}

// ---------------------------------------------------------------------------------------------
// Waypoints (the istio.io/use-waypoint label).

export type WaypointUse = { uses: true; by: string } | { uses: false; why: string } | { uses: 'unknown' };

/** Is a waypoint configured by a label map: set, non-empty and not "none" (conversion.go waypointConfigured)? */
function waypointLabel(labels: Readonly<Record<string, string>>): 'set' | 'none' | 'absent' {
  const v = labels[USE_WAYPOINT];
  if (v === undefined || v === '') return 'absent';
  return v.toLowerCase() === 'none' ? 'none' : 'set';
}

/**
 * Whether the workspace shows a waypoint for a Service or ServiceEntry: its own label decides
 * ("none" opts out), else its Namespace's. 'unknown' unless the object is in the workspace and,
 * when it has no label, its Namespace object too.
 */
export function waypointUse(target: IndexedResource | undefined, view: IndexView): WaypointUse {
  if (!target) return { uses: 'unknown' };
  const own = waypointLabel(labelsOf(target));
  const what = `${target.resource.kind} ${target.namespace}/${target.resource.name ?? ''}`;
  if (own === 'set') return { uses: true, by: what };
  if (own === 'none') return { uses: false, why: `${what} is labelled ${USE_WAYPOINT}: none` };
  const ns = namespaceObject(view, target.namespace);
  if (!ns) return { uses: 'unknown' };
  const nsLabel = waypointLabel(labelsOf(ns));
  if (nsLabel === 'set') return { uses: true, by: `Namespace ${target.namespace}` };
  return { uses: false, why: `neither ${what} nor Namespace ${target.namespace} has a ${USE_WAYPOINT} label${nsLabel === 'none' ? ' (the namespace says none)' : ''}` };
}

// ---------------------------------------------------------------------------------------------
// The pods Istio deploys for a Gateway (istio-discovery files/kube-gateway.yaml, waypoint.yaml).

/** Istio's managed GatewayClasses and whether the deployment name gets the `-<class>` suffix (classinfo.go). */
const MANAGED_CLASSES: Readonly<Record<string, { suffix: boolean }>> = {
  istio: { suffix: true },
  'istio-waypoint': { suffix: false },
  'istio-east-west': { suffix: false },
};

/** label.IoK8sNetworkingGatewayGatewayName */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/**
 * Labels of the pods istiod deploys for a Gateway of one of its classes (undefined for other
 * classes: their pods are not Istio's to describe). Infrastructure labels first, as the template
 * merges them under Istio's own.
 */
export function managedPodLabels(gw: IndexedResource): Record<string, string> | undefined {
  const spec = gw.resource.spec;
  const cls = str(spec.gatewayClassName);
  const info = cls !== undefined ? MANAGED_CLASSES[cls] : undefined;
  const name = gw.resource.name;
  if (!info || cls === undefined || name === undefined) return undefined;
  const infrastructure = spec.infrastructure !== null && typeof spec.infrastructure === 'object' ? stringValues((spec.infrastructure as Obj).labels) : {};
  return {
    'sidecar.istio.io/inject': 'false',
    'service.istio.io/canonical-name': info.suffix ? `${name}-${cls}` : name,
    'service.istio.io/canonical-revision': 'latest',
    ...infrastructure,
    [GATEWAY_NAME_LABEL]: name,
    'gateway.networking.k8s.io/gateway-class-name': cls,
  };
}
