/**
 * The proxy a simulated request goes through, as istiod sees it when it selects policies
 * (pilot/pkg/model/policyattachment.go WorkloadPolicyMatcher): its namespace, its pod labels,
 * whether it is a waypoint, and the Service a waypoint is handling.
 *
 * - A Gateway API gateway's pods carry the labels of Istio's deployment template
 *   (manifests/charts/istio-control/istio-discovery/files/kube-gateway.yaml): among them
 *   `gateway.networking.k8s.io/gateway-name: <Gateway>` and the Gateway's
 *   `spec.infrastructure.labels`. The deployment is named `<Gateway>-<gatewayClassName>`.
 * - A waypoint is a Gateway of class `istio-waypoint`; a Service uses the waypoint its
 *   `istio.io/use-waypoint` label names (`istio.io/use-waypoint-namespace` for another namespace),
 *   else its namespace's labels; `none` opts out.
 */
import { isObj, type Obj } from '../jwt/plain';
import type { GatewayTarget, ObjectRef, SimResource, SimTarget, WaypointTarget } from './types';

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
export const GATEWAY_CLASS_LABEL = 'gateway.networking.k8s.io/gateway-class-name';
export const WAYPOINT_CLASS = 'istio-waypoint';
const USE_WAYPOINT = 'istio.io/use-waypoint';
const USE_WAYPOINT_NAMESPACE = 'istio.io/use-waypoint-namespace';
const WAYPOINT_FOR = 'istio.io/waypoint-for';

export interface ProxyView {
  /** The proxy's namespace; undefined for a waypoint the manifests do not name. */
  namespace?: string;
  labels: Record<string, string>;
  isWaypoint: boolean;
  /** The destination a waypoint is handling (istiod's WithService). */
  service?: ObjectRef & { kind: 'Service' | 'ServiceEntry' };
  /** The waypoint, when known. */
  waypoint?: ObjectRef;
  /** The first trace line. */
  describe: string;
  /** Facts the trace should state (assumptions, why a waypoint is unknown...). */
  notes: string[];
}

function groupOf(r: SimResource): string {
  const av = r.apiVersion ?? (typeof r.object?.apiVersion === 'string' ? r.object.apiVersion : '');
  const slash = av.indexOf('/');
  return slash === -1 ? '' : av.slice(0, slash);
}

function stringMap(v: unknown): Record<string, string> {
  return isObj(v) ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};
}

function labelsOf(r: SimResource): Record<string, string> {
  return stringMap(isObj(r.object?.metadata) ? (r.object.metadata as Obj).labels : undefined);
}

export function formatLabels(labels: Record<string, string>): string {
  return `{${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ')}}`;
}

function nsOf(r: SimResource, defaultNamespace: string): string {
  return r.namespace ?? defaultNamespace;
}

/** The Gateway API Gateway of the manifests with that namespace and name. */
export function findGatewayApiGateway(resources: readonly SimResource[], ref: ObjectRef, defaultNamespace: string): SimResource | undefined {
  return resources.find((r) => r.kind === 'Gateway' && groupOf(r) === GATEWAY_API_GROUP && r.name === ref.name && nsOf(r, defaultNamespace) === ref.namespace);
}

function find(resources: readonly SimResource[], kind: string, namespace: string | undefined, name: string, defaultNamespace: string): SimResource | undefined {
  return resources.find((r) => r.kind === kind && groupOf(r) === '' && r.name === name && (namespace === undefined || nsOf(r, defaultNamespace) === namespace));
}

/** The pod labels of a Gateway API gateway's deployment. */
export function gatewayPodLabels(ref: ObjectRef, gateway: SimResource | undefined, extra: Record<string, string> = {}): Record<string, string> {
  const className = typeof gateway?.spec.gatewayClassName === 'string' ? gateway.spec.gatewayClassName : 'istio';
  const infrastructure = isObj(gateway?.spec.infrastructure) ? stringMap((gateway.spec.infrastructure as Obj).labels) : {};
  return {
    'sidecar.istio.io/inject': 'false',
    'service.istio.io/canonical-name': `${ref.name}-${className}`,
    'service.istio.io/canonical-revision': 'latest',
    ...infrastructure,
    [GATEWAY_NAME_LABEL]: ref.name,
    [GATEWAY_CLASS_LABEL]: className,
    'gateway.istio.io/managed': className === WAYPOINT_CLASS ? 'istio.io-mesh-controller' : 'istio.io-gateway-controller',
    ...extra,
  };
}

function gatewayProxy(t: GatewayTarget, resources: readonly SimResource[], defaultNamespace: string): ProxyView {
  const gateway = findGatewayApiGateway(resources, t, defaultNamespace);
  const labels = gatewayPodLabels(t, gateway, t.labels);
  const notes = gateway ? [] : [`Gateway ${t.namespace}/${t.name} is not in the manifests: its class is assumed to be istio and its pods to carry no infrastructure labels.`];
  const isWaypoint = labels[GATEWAY_CLASS_LABEL] === WAYPOINT_CLASS;
  return {
    namespace: t.namespace,
    labels,
    isWaypoint,
    waypoint: isWaypoint ? { namespace: t.namespace, name: t.name } : undefined,
    describe: `${isWaypoint ? 'Waypoint' : 'Gateway API gateway'} ${t.namespace}/${t.name} (class ${labels[GATEWAY_CLASS_LABEL]}; pods labelled ${GATEWAY_NAME_LABEL}=${t.name})`,
    notes,
  };
}

/** The waypoint a Service uses according to the manifests' labels, or why there is none. */
export function waypointOfService(service: ObjectRef, resources: readonly SimResource[], defaultNamespace: string): { waypoint?: ObjectRef; why: string } {
  const svc = find(resources, 'Service', service.namespace, service.name, defaultNamespace);
  const ns = find(resources, 'Namespace', undefined, service.namespace, defaultNamespace);
  for (const [source, what] of [
    [svc, `Service ${service.namespace}/${service.name}`],
    [ns, `Namespace ${service.namespace}`],
  ] as const) {
    if (!source) continue;
    const labels = labelsOf(source);
    const name = labels[USE_WAYPOINT];
    if (name === undefined) continue;
    if (name === 'none') return { why: `${what} is labelled ${USE_WAYPOINT}=none: its traffic goes through no waypoint` };
    return { waypoint: { namespace: labels[USE_WAYPOINT_NAMESPACE] ?? service.namespace, name }, why: `${what} is labelled ${USE_WAYPOINT}=${name}` };
  }
  return { why: `neither Service ${service.namespace}/${service.name} nor Namespace ${service.namespace} with an ${USE_WAYPOINT} label is in the manifests` };
}

function waypointProxy(t: WaypointTarget, resources: readonly SimResource[], defaultNamespace: string): ProxyView {
  const notes: string[] = [];
  let waypoint = t.waypoint;
  if (!waypoint && t.service) {
    const found = waypointOfService(t.service, resources, defaultNamespace);
    waypoint = found.waypoint;
    notes.push(found.waypoint ? `Waypoint ${found.waypoint.namespace}/${found.waypoint.name}: ${found.why}.` : `Waypoint unknown (${found.why}): policies whose targetRefs name a waypoint Gateway are not considered; name the waypoint to include them.`);
  }
  const gateway = waypoint ? findGatewayApiGateway(resources, waypoint, defaultNamespace) : undefined;
  const waypointFor = gateway ? labelsOf(gateway)[WAYPOINT_FOR] : undefined;
  if (waypointFor === 'workload' || waypointFor === 'none') {
    notes.push(`Waypoint ${waypoint!.namespace}/${waypoint!.name} is labelled ${WAYPOINT_FOR}=${waypointFor}: it does not handle traffic addressed to a Service, so istiod would not send this request through it.`);
  }
  const labels = waypoint ? gatewayPodLabels(waypoint, gateway ?? { kind: 'Gateway', spec: { gatewayClassName: WAYPOINT_CLASS } }) : {};
  const service = t.service ? { namespace: t.service.namespace, name: t.service.name, kind: t.service.kind ?? 'Service' } : undefined;
  const via = waypoint ? `waypoint ${waypoint.namespace}/${waypoint.name}` : 'an unknown waypoint';
  const to = service ? `${service.kind} ${service.namespace}/${service.name}` : 'no particular service';
  return { namespace: waypoint?.namespace, labels, isWaypoint: true, service, waypoint, describe: `Request to ${to} through ${via}`, notes };
}

/** The proxy of a target, from the manifests where they say more (Gateway class, waypoint labels). */
export function resolveProxy(target: SimTarget, resources: readonly SimResource[], defaultNamespace: string): ProxyView {
  if (target.kind === 'gateway') return gatewayProxy(target, resources, defaultNamespace);
  if (target.kind === 'waypoint') return waypointProxy(target, resources, defaultNamespace);
  const gatewayName = target.labels[GATEWAY_NAME_LABEL];
  const what = gatewayName !== undefined ? `Gateway API gateway pod (${GATEWAY_NAME_LABEL}=${gatewayName})` : 'Workload';
  return { namespace: target.namespace, labels: target.labels, isWaypoint: target.labels[GATEWAY_CLASS_LABEL] === WAYPOINT_CLASS, describe: `${what}: namespace ${target.namespace}, labels ${formatLabels(target.labels)}`, notes: [] };
}
