/** Inputs and output of the request simulator (see docs/simulate.md). */
import type { JwksOptions } from '../jwks/index';

/** A resource as plain data (IstioResource satisfies it). */
export interface SimResource {
  kind: string;
  name?: string;
  namespace?: string;
  spec: Record<string, unknown>;
  /** The whole object, for metadata.annotations (istio.io/dry-run). */
  object?: Record<string, unknown>;
}

/** The workload receiving the request (its sidecar enforces the policies). */
export interface SimTarget {
  namespace: string;
  labels: Record<string, string>;
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
}

export interface MatchedPolicy {
  namespace: string;
  name: string;
  action: string;
  rule: number;
}

export interface SimulationResult {
  status: 200 | 401 | 403;
  allowed: boolean;
  reason: string;
  matchedPolicy: MatchedPolicy | null;
  trace: string[];
}
