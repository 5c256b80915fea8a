/**
 * Istio Gateway (networking.istio.io) → Gateway API Gateway (gatewayClassName istio).
 *
 * Each server host becomes a listener (a listener has one hostname); `ns/host` becomes the
 * listener's allowedRoutes (`*` All, `.` Same, names a namespace selector). Protocols and TLS
 * modes map as istiod maps them back (pilot/pkg/config/kube/gateway/conversion.go buildListener,
 * buildTLS): SIMPLE → Terminate with certificateRefs; MUTUAL, OPTIONAL_MUTUAL and ISTIO_MUTUAL →
 * Terminate with the `gateway.istio.io/tls-terminate-mode` option; PASSTHROUGH → a TLS listener
 * in Passthrough; cipherSuites → the `gateway.istio.io/tls-cipher-suites` option.
 * `tls.httpsRedirect` becomes an HTTPRoute with a RequestRedirect filter on that listener.
 * Servers with no Gateway API form in Istio 1.30 (TCP needs the experimental TCPRoute, file
 * certificates, AUTO_PASSTHROUGH) stay in an Istio Gateway of the same name.
 */
import { splitServerHost } from '../../workspace/refs';
import {
  GATEWAY_API_GROUP,
  HOSTNAME,
  ISTIO_GATEWAY_CLASS,
  TLS_CIPHER_SUITES_OPTION,
  TLS_TERMINATE_MODE_OPTION,
  asRecord,
  asString,
  carriedMeta,
  gatewayApiObject,
  isIpAddress,
  k8sName,
  stringList,
  uniqueName,
  type Obj,
} from './common';
import { generated, type ConversionContext, type ConvertedGateway, type GeneratedDoc, type KeyComment, type ListenerInfo, type SourceDoc } from './types';

type Note = ConversionContext['note'];

const UNMAPPED_TLS_FIELDS: ReadonlyArray<[string, string]> = [
  ['minProtocolVersion', 'a minimum TLS version'],
  ['maxProtocolVersion', 'a maximum TLS version'],
  ['subjectAltNames', 'client certificate subject alternative names'],
  ['verifyCertificateSpki', 'client certificate SPKI pins'],
  ['verifyCertificateHash', 'client certificate hash pins'],
  ['caCrl', 'a certificate revocation list'],
];

interface ServerPlan {
  listeners: Obj[];
  infos: ListenerInfo[];
  /** The listener port is a guess (the default ingress gateway's container port → its Service port). */
  guessedPort?: number;
  /** Why the server stays in an Istio Gateway, if it does. */
  kept?: string;
}

/** Listener protocol and TLS for a server, or why it cannot be converted. */
function protocolAndTls(server: Obj, src: SourceDoc, at: (string | number)[], note: Note): { protocol: ListenerInfo['protocol']; tls?: Obj; redirect: boolean } | { kept: string } {
  const port = asRecord(server.port) ?? {};
  const protocol = (asString(port.protocol) ?? '').toUpperCase();
  const tls = asRecord(server.tls);
  if (protocol === 'HTTP' || ((protocol === 'HTTP2' || protocol === 'GRPC') && !tls)) {
    return { protocol: 'HTTP', redirect: tls?.httpsRedirect === true };
  }
  if (!['HTTPS', 'TLS', 'HTTP2', 'GRPC'].includes(protocol)) {
    return { kept: `protocol ${protocol || '(none)'}: a TCP listener needs TCPRoute, which is not in the Gateway API standard channel (Istio 1.30 serves it only with PILOT_ENABLE_ALPHA_GATEWAY_API)` };
  }
  const mode = asString(tls?.mode) ?? 'PASSTHROUGH';
  if (mode === 'PASSTHROUGH') {
    if (protocol !== 'TLS') note(src, [...at, 'port', 'protocol'], 'gwapi-passthrough', 'information', `servers: protocol ${protocol} with tls.mode PASSTHROUGH becomes a TLS listener in Passthrough mode; its routes are TLSRoutes (SNI), as the VirtualService's tls section was.`);
    return { protocol: 'TLS', tls: { mode: 'Passthrough' }, redirect: false };
  }
  if (mode === 'AUTO_PASSTHROUGH') return { kept: 'tls.mode AUTO_PASSTHROUGH (east-west multi-network gateways) has no Gateway API listener form here' };
  const out: Obj = { mode: 'Terminate' };
  const options: Record<string, string> = {};
  if (mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL' || mode === 'ISTIO_MUTUAL') options[TLS_TERMINATE_MODE_OPTION] = mode;
  const credentials = [asString(tls?.credentialName), ...stringList(tls?.credentialNames)].filter((c): c is string => c !== undefined && c !== '');
  if (mode !== 'ISTIO_MUTUAL') {
    if (credentials.length === 0) return { kept: 'tls without credentialName: certificates read from files (serverCertificate, privateKey) have no Gateway API form; certificateRefs name Secrets' };
    out.certificateRefs = credentials.map((name) => ({ name }));
    const credPath = typeof tls?.credentialName === 'string' ? [...at, 'tls', 'credentialName'] : [...at, 'tls', 'credentialNames'];
    note(src, credPath, 'gwapi-certificate-namespace', 'information', `Secret ${credentials.join(', ')}: an Istio Gateway reads it from the namespace of the gateway pods; the Gateway API Gateway reads it from its own namespace (${src.ns}). Create the Secret there, or set certificateRefs[].namespace with a ReferenceGrant in the Secret's namespace.`);
  }
  const ciphers = stringList(tls?.cipherSuites);
  if (ciphers.length > 0) options[TLS_CIPHER_SUITES_OPTION] = ciphers.join(',');
  if (Object.keys(options).length > 0) out.options = options;
  for (const [field, what] of UNMAPPED_TLS_FIELDS) {
    if (tls?.[field] === undefined || (Array.isArray(tls[field]) && (tls[field] as unknown[]).length === 0)) continue;
    note(src, [...at, 'tls', field], 'gwapi-unconvertible', 'warning', `servers tls.${field} (${what}) has no Gateway API listener field: not converted; the listener accepts what Istio's defaults accept.`);
  }
  return { protocol: protocol === 'TLS' ? 'TLS' : 'HTTPS', tls: out, redirect: false };
}

/** `*` All, the Gateway's namespace only Same, other names a kubernetes.io/metadata.name selector. */
function allowedRoutes(namespaces: ReadonlySet<string>, gatewayNs: string): Obj {
  if (namespaces.has('*')) return { namespaces: { from: 'All' } };
  const names = [...namespaces].map((n) => (n === '.' ? gatewayNs : n)).sort();
  const unique = [...new Set(names)];
  if (unique.length === 1 && unique[0] === gatewayNs) return { namespaces: { from: 'Same' } };
  const selector = unique.length === 1 ? { matchLabels: { 'kubernetes.io/metadata.name': unique[0] } } : { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: unique }] };
  return { namespaces: { from: 'Selector', selector } };
}

/** Hostnames of a server with the namespaces each admits; invalid hosts are noted and left out. */
function hostsByHostname(server: Obj, src: SourceDoc, at: (string | number)[], note: Note): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  stringList(server.hosts).forEach((raw, h) => {
    const { namespace, host } = splitServerHost(raw);
    const hostname = host === '*' ? '*' : host.toLowerCase();
    if (namespace === '~') {
      note(src, [...at, 'hosts', h], 'gwapi-unconvertible', 'information', `servers hosts ${raw}: the "~/" namespace binds no route; left out.`);
      return;
    }
    if (hostname !== '*' && (!HOSTNAME.test(hostname) || isIpAddress(hostname))) {
      note(src, [...at, 'hosts', h], 'gwapi-unconvertible', 'warning', `servers hosts ${raw}: ${JSON.stringify(host)} is not a Gateway API hostname (RFC 1123, optional leading "*."; no IP address); left out.`);
      return;
    }
    (out.get(hostname) ?? out.set(hostname, new Set()).get(hostname)!).add(namespace);
  });
  return out;
}

/**
 * istio-ingressgateway's Service maps ports 80 and 443 to the pods' 8080 and 8443, and an Istio
 * Gateway may name either; a Gateway API listener port is the port clients call (Istio's own
 * samples use 8080 in networking/ and 80 in gateway-api/).
 */
const INGRESS_CONTAINER_PORTS: ReadonlyMap<number, number> = new Map([
  [8080, 80],
  [8443, 443],
]);

function listenerPort(server: Obj, src: SourceDoc, at: (string | number)[], note: Note): { port: number; guessed?: number } {
  const port = Number((asRecord(server.port) ?? {}).number);
  const service = INGRESS_CONTAINER_PORTS.get(port);
  if (service === undefined || asRecord(src.spec.selector)?.istio !== 'ingressgateway') return { port };
  note(src, [...at, 'port', 'number'], 'gwapi-guessed-port', 'information', `servers port ${port} is the container port of istio-ingressgateway's pods (its Service port ${service}); a Gateway API listener's port is the one clients call, so the listener uses ${service}. Change it if clients called ${port}.`);
  return { port: service, guessed: port };
}

function planServer(server: Obj, i: number, src: SourceDoc, taken: Set<string>, seen: Set<string>, note: Note): ServerPlan {
  const at = ['spec', 'servers', i];
  const pt = protocolAndTls(server, src, at, note);
  if ('kept' in pt) return { listeners: [], infos: [], kept: pt.kept };
  const { port, guessed } = listenerPort(server, src, at, note);
  const base = k8sName([asString((asRecord(server.port) ?? {}).name) ?? pt.protocol.toLowerCase()], 63);
  const hosts = hostsByHostname(server, src, at, note);
  for (const field of ['bind', 'defaultEndpoint'] as const) {
    if (server[field] !== undefined) note(src, [...at, field], 'gwapi-unconvertible', 'warning', `servers ${field} has no Gateway API listener field: not converted.`);
  }
  if ((asRecord(server.port) ?? {}).targetPort !== undefined) note(src, [...at, 'port', 'targetPort'], 'gwapi-unconvertible', 'information', 'servers port.targetPort: a Gateway API gateway listens on the listener port itself; not converted.');
  const plan: ServerPlan = { listeners: [], infos: [], guessedPort: guessed };
  for (const [hostname, namespaces] of hosts) {
    const name = uniqueName(hosts.size === 1 ? base : k8sName([base, hostname === '*' ? 'any' : hostname.replace('*', 'wildcard')], 63), taken);
    const key = `${port}/${pt.protocol}/${hostname}`;
    if (seen.has(key)) {
      note(src, [...at, 'hosts'], 'gwapi-unconvertible', 'warning', `servers: port ${port} ${pt.protocol} host ${hostname} is already a listener of this Gateway (Gateway API requires unique port, protocol and hostname); left out.`);
      continue;
    }
    seen.add(key);
    const listener: Obj = { name, ...(hostname !== '*' ? { hostname } : {}), port, protocol: pt.protocol };
    if (pt.tls) listener.tls = pt.tls;
    listener.allowedRoutes = allowedRoutes(namespaces, src.ns);
    plan.listeners.push(listener);
    plan.infos.push({ name, protocol: pt.protocol, hostname: hostname === '*' ? undefined : hostname, redirect: pt.redirect });
  }
  return plan;
}

/** The HTTPRoute that answers the redirect listeners with a 301 to https (Envoy's https_redirect). */
function redirectRoute(src: SourceDoc, listeners: readonly ListenerInfo[]): GeneratedDoc {
  const parentRefs = listeners.map((l) => ({ name: src.name, sectionName: l.name }));
  const spec = { parentRefs, rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }] };
  return generated(gatewayApiObject('HTTPRoute', k8sName([src.name, 'https-redirect']), src.namespace, spec), [' tls.httpsRedirect of the Istio Gateway: plain HTTP is redirected to HTTPS (301).']);
}

/** The Istio Gateway reduced to the servers Gateway API cannot express. */
function keptIstioGateway(src: SourceDoc, kept: readonly number[]): GeneratedDoc {
  const servers = kept.map((i) => (src.spec.servers as unknown[])[i]);
  return generated({ ...src.object, spec: { ...src.spec, servers } }, [' Servers with no Gateway API form in Istio 1.30 stay on the Istio Gateway (see the notes).']);
}

export interface GatewayConversion {
  plan: ConvertedGateway;
  docs: GeneratedDoc[];
}

/** Converts one Istio Gateway; undefined when none of its servers can become a listener. */
export function convertGateway(src: SourceDoc, note: Note): GatewayConversion | undefined {
  const taken = new Set<string>();
  const seen = new Set<string>();
  const listeners: Obj[] = [];
  const infos: ListenerInfo[] = [];
  const keptServers: number[] = [];
  const comments: KeyComment[] = [];
  const servers = Array.isArray(src.spec.servers) ? src.spec.servers : [];
  servers.forEach((raw, i) => {
    const server = asRecord(raw);
    if (!server) return;
    const plan = planServer(server, i, src, taken, seen, note);
    if (plan.kept) {
      keptServers.push(i);
      note(src, ['spec', 'servers', i, 'port'], 'gwapi-server-kept', 'warning', `servers[${i}] stays on the Istio Gateway: ${plan.kept}.`);
    }
    if (plan.guessedPort !== undefined) {
      plan.listeners.forEach((_, k) => comments.push({ path: ['spec', 'listeners', listeners.length + k, 'port'], text: ` TODO(istio-sec): was ${plan.guessedPort}, the ingress pods' container port; confirm the port clients call` }));
    }
    listeners.push(...plan.listeners);
    infos.push(...plan.infos);
  });
  if (listeners.length === 0) {
    note(src, ['kind'], 'gwapi-not-converted', 'warning', `Istio Gateway ${src.ns}/${src.name}: no server can become a Gateway API listener; left unchanged.`);
    return undefined;
  }
  const selector = Object.fromEntries(Object.entries(asRecord(src.spec.selector) ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const selectorText = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',') || '(none)';
  note(src, ['spec', 'selector'], 'gwapi-gateway-deployment', 'information', `The Istio Gateway configured the existing pods ${selectorText}. Istio deploys the Gateway API Gateway itself (Deployment and LoadBalancer Service ${src.name}-${ISTIO_GATEWAY_CLASS} in namespace ${src.ns}): point DNS at its address, or set spec.addresses to an existing Service to keep one (Istio's "manual deployment").`);
  const header = [
    ` Converted from the Istio Gateway ${src.ns}/${src.name} (selector ${selectorText}).`,
    ` Istio deploys this Gateway itself: Deployment and Service ${src.name}-${ISTIO_GATEWAY_CLASS}, pods labelled ${GATEWAY_API_GROUP}/gateway-name=${src.name}.`,
  ];
  const gateway = generated(gatewayApiObject('Gateway', src.name, src.namespace, { gatewayClassName: ISTIO_GATEWAY_CLASS, listeners }, carriedMeta(src.object)), header, comments);
  const docs = [gateway];
  const redirects = infos.filter((l) => l.redirect);
  if (redirects.length > 0) docs.push(redirectRoute(src, redirects));
  if (keptServers.length > 0) docs.push(keptIstioGateway(src, keptServers));
  return { plan: { source: src, namespace: src.ns, name: src.name, selector, listeners: infos, keptServers }, docs };
}
