/**
 * Shared vocabulary of the Istio → Gateway API conversion: the Gateway API v1.5.1 field patterns
 * (from its CRDs), object skeletons, durations, regular expressions and backend references.
 */
import { parseGoDuration } from '../../cel/goDuration';
import { asRecord, asString, dnsName, stringList } from '../../legacy/convert/types';

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
export const GATEWAY_API_V1 = `${GATEWAY_API_GROUP}/v1`;
/** The GatewayClass Istio installs for ingress gateways. */
export const ISTIO_GATEWAY_CLASS = 'istio';
/** Istio's listener option for client-certificate modes (pilot/pkg/config/kube/gatewaycommon). */
export const TLS_TERMINATE_MODE_OPTION = 'gateway.istio.io/tls-terminate-mode';
export const TLS_CIPHER_SUITES_OPTION = 'gateway.istio.io/tls-cipher-suites';

/** Hostname (listeners, routes): RFC 1123 with an optional leading `*.`. */
export const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Hostname without wildcard (redirect and rewrite hostnames). */
export const PRECISE_HOSTNAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** SectionName (listener and rule names). */
export const SECTION_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** HTTP header and query parameter names. */
export const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
/** HTTPRoute methods. */
export const HTTP_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);
/** A Gateway API Duration: 1 to 4 groups of up to 5 digits and a unit. */
const GATEWAY_DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

export type Obj = Record<string, unknown>;
export { asRecord, asString, stringList };

export function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/** A Gateway API object skeleton; namespace only when the source had one. */
export function gatewayApiObject(kind: string, name: string, namespace: string | undefined, spec: Obj, meta: Obj = {}, apiVersion = GATEWAY_API_V1): Obj {
  const metadata: Obj = { name };
  if (namespace !== undefined) metadata.namespace = namespace;
  return { apiVersion, kind, metadata: { ...metadata, ...meta }, spec };
}

/** The labels and annotations worth carrying over to a generated object (not kubectl's bookkeeping). */
export function carriedMeta(object: Obj): Obj {
  const meta = asRecord(object.metadata) ?? {};
  const out: Obj = {};
  const labels = asRecord(meta.labels);
  if (labels && Object.keys(labels).length > 0) out.labels = labels;
  const annotations = Object.fromEntries(Object.entries(asRecord(meta.annotations) ?? {}).filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration'));
  if (Object.keys(annotations).length > 0) out.annotations = annotations;
  return out;
}

/** A Go/Istio duration as a Gateway API Duration (exact to the millisecond), or undefined. */
export function gatewayDuration(value: unknown): { value: string; rounded: boolean } | undefined {
  const text = asString(value);
  if (text === undefined) return undefined;
  const parsed = parseGoDuration(text);
  if (!parsed.ok || parsed.nanos < 0n) return undefined;
  const ms = parsed.nanos / 1_000_000n + (parsed.nanos % 1_000_000n === 0n ? 0n : 1n);
  const rounded = parsed.nanos % 1_000_000n !== 0n;
  for (const [unit, size] of [['h', 3_600_000n], ['m', 60_000n], ['s', 1_000n]] as const) {
    if (ms % size === 0n && ms / size <= 99_999n && ms > 0n) return { value: `${ms / size}${unit}`, rounded };
  }
  const out = ms === 0n ? '0s' : `${ms}ms`;
  return GATEWAY_DURATION.test(out) ? { value: out, rounded } : undefined;
}

/** Whole seconds of a duration (CORS maxAge), or undefined. */
export function durationSeconds(value: unknown): number | undefined {
  const text = asString(value);
  const parsed = text === undefined ? undefined : parseGoDuration(text);
  if (!parsed?.ok || parsed.nanos < 0n) return undefined;
  return Number(parsed.nanos / 1_000_000_000n);
}

/** RE2 escaping of a literal (Envoy's safe_regex is RE2). */
export function escapeRegex(literal: string): string {
  return literal.replace(/[\\^$.*+?()[\]{}|]/g, (c) => `\\${c}`);
}

/** An Istio StringMatch (exact / prefix / regex; `{}` means "present") as a full-match regex. */
export function stringMatchRegex(m: Obj): string | undefined {
  if (typeof m.exact === 'string') return escapeRegex(m.exact);
  if (typeof m.prefix === 'string') return `${escapeRegex(m.prefix)}.*`;
  if (typeof m.regex === 'string') return m.regex;
  return Object.keys(m).length === 0 ? '.*' : undefined;
}

/** A lowercase DNS-1123 name built from parts, within `max` characters. */
export function k8sName(parts: readonly string[], max = 253): string {
  return dnsName(...parts).slice(0, max).replace(/[-.]+$/, '');
}

/** A name unique among `taken` (adds -2, -3...), recorded in `taken`. */
export function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  taken.add(name);
  return name;
}

/** What an Istio destination host names, as a Gateway API backend. */
export type BackendTarget = { kind: 'Service'; name: string; namespace: string } | { kind: 'Hostname'; name: string };

/**
 * A destination host as Istio resolves it from a route in `namespace` (ResolveShortnameToFQDN):
 * a name without a dot is a Service of that namespace, `name.ns.svc.cluster.local` a Service of
 * `ns`; any other name is taken literally (a ServiceEntry host), which Istio's
 * `networking.istio.io/Hostname` backend expresses.
 */
export function backendTarget(host: string, namespace: string): BackendTarget | undefined {
  if (host === '' || host.includes('*')) return undefined;
  const h = host.toLowerCase();
  if (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(h)) return { kind: 'Service', name: h, namespace };
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc\.cluster\.local$/.exec(h);
  if (m) return { kind: 'Service', name: m[1], namespace: m[3] };
  return { kind: 'Hostname', name: h };
}

/** The backendRef fields for a target (namespace only when it differs from the route's). */
export function backendRefFields(t: BackendTarget, routeNamespace: string, port: number | undefined): Obj {
  if (t.kind === 'Hostname') return { group: 'networking.istio.io', kind: 'Hostname', name: t.name, ...(port !== undefined ? { port } : {}) };
  return { name: t.name, ...(t.namespace !== routeNamespace ? { namespace: t.namespace } : {}), ...(port !== undefined ? { port } : {}) };
}
