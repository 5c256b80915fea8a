import type { IndexedResource } from './index';

/** The one lookup reference resolution needs: the index itself or a rule's recording view. */
export interface NamedLookup {
  named(kind: string, namespace: string, name: string): IndexedResource | undefined;
}

/** Helpers shared by cross-resource rules and navigation: how Istio resolves references. */

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function stringsAt(v: unknown): string[] {
  return asArray(v).filter((x): x is string => typeof x === 'string');
}

export type Obj = Record<string, unknown>;

/** The object elements of a list (anything else gives []). */
export function objectsAt(v: unknown): Obj[] {
  return asArray(v).filter((x): x is Obj => x !== null && typeof x === 'object');
}

/** Labels as `k=v` strings, in their order. */
export function labelList(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`);
}

/** The string-valued entries of a map such as a selector's matchLabels (anything else gives {}). */
export function stringValues(v: unknown): Record<string, string> {
  if (v === null || typeof v !== 'object') return {};
  return Object.fromEntries(Object.entries(v as Obj).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** `ns/name` or `name` (in `defaultNs`) → [namespace, name]. FQDN gateway names are reduced too. */
export function parseGatewayRef(ref: string, defaultNs: string): { namespace: string; name: string } {
  const slash = ref.indexOf('/');
  if (slash !== -1) return { namespace: ref.slice(0, slash), name: ref.slice(slash + 1) };
  const m = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(ref);
  if (m) return { namespace: m[2], name: m[1] };
  return { namespace: defaultNs, name: ref };
}

export function findGateway(index: NamedLookup, namespace: string, name: string): IndexedResource | undefined {
  return index.named('Gateway', namespace, name);
}

/** A Gateway a VirtualService binds to: its entry in spec.gateways, and the Gateway when the workspace defines it. */
export interface GatewayBinding {
  /** Index in spec.gateways. */
  i: number;
  namespace: string;
  name: string;
  gw?: IndexedResource;
}

/** The Gateways of a VirtualService's spec.gateways, `mesh` left out, resolved as Istio does. */
export function boundGateways(index: NamedLookup, vs: IndexedResource): GatewayBinding[] {
  const out: GatewayBinding[] = [];
  stringsAt(vs.resource.spec.gateways).forEach((ref, i) => {
    if (ref === 'mesh') return;
    const { namespace, name } = parseGatewayRef(ref, vs.namespace);
    out.push({ i, namespace, name, gw: findGateway(index, namespace, name) });
  });
  return out;
}

/** DNS wildcard match in either direction, as Istio intersects hosts (`*` matches everything). */
export function hostsIntersect(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === '*' || y === '*' || x === y) return true;
  if (x.startsWith('*.') && (y.endsWith(x.slice(1)) || (y.startsWith('*.') && (y.endsWith(x.slice(1)) || x.endsWith(y.slice(1)))))) return true;
  if (y.startsWith('*.') && x.endsWith(y.slice(1))) return true;
  return false;
}

/** A Gateway server host `ns/host` (or `host`, meaning `*` namespaces) as [namespace, host]. */
export function splitServerHost(h: string): { namespace: string; host: string } {
  const slash = h.indexOf('/');
  return slash === -1 ? { namespace: '*', host: h } : { namespace: h.slice(0, slash), host: h.slice(slash + 1) };
}

/** Does a Gateway server host entry admit a VirtualService host from namespace `vsNs`? */
export function serverHostAdmits(serverHost: string, gatewayNs: string, vsNs: string, vsHost: string): boolean {
  const { namespace, host } = splitServerHost(serverHost);
  const nsOk = namespace === '*' || namespace === vsNs || (namespace === '.' && gatewayNs === vsNs) || namespace === '~';
  return nsOk && namespace !== '~' && hostsIntersect(host, vsHost);
}

/** Short host names resolve against the namespace of the resource that names them. */
export function fqdn(host: string, namespace: string): string {
  if (host.includes('*') || host.includes('.')) return host.toLowerCase();
  return `${host}.${namespace}.svc.cluster.local`;
}

export function normalizeServiceHost(host: string, namespace: string): string {
  const h = host.toLowerCase();
  if (h.includes('*')) return h;
  const parts = h.split('.');
  if (parts.length === 1) return `${h}.${namespace}.svc.cluster.local`;
  if (parts.length === 2) return `${h}.svc.cluster.local`;
  if (h.endsWith('.svc')) return `${h}.cluster.local`;
  return h;
}
