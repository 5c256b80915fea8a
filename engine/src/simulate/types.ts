/** Inputs and output of the request simulator (see docs/simulate.md). */
import type { JwksOptions } from '../jwks/index';
import type { PathNormalization } from './normalize';

/** A resource as plain data (IstioResource satisfies it). */
export interface SimResource {
  /** `group/version` (tells an Istio Gateway from a Gateway API one). */
  apiVersion?: string;
  kind: string;
  name?: string;
  namespace?: string;
  spec: Record<string, unknown>;
  /** The whole object, for metadata.annotations (istio.io/dry-run). */
  object?: Record<string, unknown>;
}

/** A namespaced object named by the user (`ns/name`). */
export interface ObjectRef {
  namespace: string;
  name: string;
}

/**
 * The proxy that enforces the policies (docs/simulate.md §1):
 * - a workload's sidecar (`kind` omitted or `workload`): policies attach by `selector`. Labels
 *   that include `gateway.networking.k8s.io/gateway-name` make it a Gateway API gateway's pod;
 * - a Gateway API gateway (`gateway`): policies attach by `targetRefs` to the Gateway, or by a
 *   selector matching its pods' labels (derived from the Gateway, plus `labels`);
 * - a waypoint (`waypoint`) carrying a request to `service`: policies attach by `targetRefs` to
 *   the Service (or ServiceEntry), to the waypoint Gateway, or to the `istio-waypoint` GatewayClass.
 *   The waypoint is `waypoint`, else the one the manifests' `istio.io/use-waypoint` labels name.
 */
export type SimTarget = WorkloadTarget | GatewayTarget | WaypointTarget;

export interface WorkloadTarget {
  kind?: 'workload';
  namespace: string;
  labels: Record<string, string>;
}

export interface GatewayTarget extends ObjectRef {
  kind: 'gateway';
  /** Pod labels besides those Istio puts on a gateway's deployment. */
  labels?: Record<string, string>;
}

export interface WaypointTarget {
  kind: 'waypoint';
  /** The request's destination (a Service, or a ServiceEntry by its name). */
  service?: ObjectRef & { kind?: 'Service' | 'ServiceEntry' };
  /** The waypoint Gateway; default: from the manifests' istio.io/use-waypoint labels. */
  waypoint?: ObjectRef;
}

export interface SimRequest {
  method?: string;
  /** Path with optional query string (?access_token=... is a token location). */
  path?: string;
  /** Host / :authority header. */
  host?: string;
  /** Destination port (destination.port, to.operation.ports). */
  port?: number;
  /** Header names are case-insensitive; repeated values are joined with ",", as Envoy does. */
  headers?: Record<string, string | string[]>;
  /** mTLS peer identity, e.g. cluster.local/ns/default/sa/sleep (without spiffe://). */
  sourcePrincipal?: string;
  /** Source namespace; used as cluster.local/ns/<ns>/sa/default when no principal is given. */
  sourceNamespace?: string;
  sourceIp?: string;
  /** remote.ip / remoteIpBlocks (original client, e.g. from X-Forwarded-For); default sourceIp. */
  remoteIp?: string;
  destinationIp?: string;
  sni?: string;
  /** A JWT sent as "Authorization: Bearer <token>". */
  token?: string;
}

export interface SimSettings {
  /** Istio's root namespace (mesh-wide policies). Default istio-system. */
  rootNamespace?: string;
  /** Namespace of resources without metadata.namespace. Default "default". */
  defaultNamespace?: string;
  /** Do not fetch jwksUri / OIDC discovery: signatures of such rules are not checked. */
  offline?: boolean;
  /** Network options and cache for getJwks. */
  jwks?: JwksOptions;
  /** Epoch milliseconds (token times). Default Date.now(). */
  now?: number;
  /** meshConfig.pathNormalization of the mesh. Default BASE (Istio's default). */
  pathNormalization?: PathNormalization;
}

export interface MatchedPolicy {
  namespace: string;
  name: string;
  action: string;
  rule: number;
}

export interface SimulationResult {
  /** 400: Envoy rejects the request line before any filter (method, path); 401/403: jwt_authn or RBAC. */
  status: 200 | 400 | 401 | 403;
  allowed: boolean;
  reason: string;
  matchedPolicy: MatchedPolicy | null;
  /**
   * Whether the signature of the token that authenticated the request was checked: false when its
   * key set could not be had (offline, unreachable JWKS, cluster-local URL); null when no token
   * authenticated the request.
   */
  signatureChecked: boolean | null;
  trace: string[];
}
