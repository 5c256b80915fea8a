/**
 * A VirtualService bound to converted Istio Gateways → HTTPRoute(s) and TLSRoutes.
 *
 * - `gateways` → parentRefs. A route attaches to every listener whose hostname intersects its
 *   hostnames, as a VirtualService bound to every server whose hosts intersect its hosts; only
 *   a gateway with an https-redirect listener needs sectionNames, to keep the route off it.
 * - `hosts` → hostnames (`*` → none: every listener hostname).
 * - `http` → HTTPRoute rules (httpRule.ts), at most 16 per route; `tls` → one TLSRoute per entry
 *   (sniHosts → hostnames). `tcp` needs TCPRoute (experimental channel): noted, not converted.
 * - The VirtualService stays, without the converted gateways, when it also serves the mesh or
 *   other gateways (an empty `gateways` would mean the mesh).
 */
import type { Path } from '../../model/locate';
import { hostsIntersect, parseGatewayRef } from '../../workspace/refs';
import { backendRef } from './backends';
import { HOSTNAME, asRecord, carriedMeta, gatewayApiObject, isIpAddress, k8sName, stringList, type Obj } from './common';
import { convertHttpEntry, type RuleEnv, type RuleOut } from './httpRule';
import { gatewayKey, generated, type ConversionContext, type ConvertedGateway, type GeneratedDoc, type KeyComment, type ListenerInfo, type SourceDoc } from './types';

const MAX_RULES = 16;

interface Binding {
  /** The spec.gateways entry. */
  ref: string;
  gateway?: ConvertedGateway;
}

function bindings(src: SourceDoc, ctx: ConversionContext): Binding[] {
  return stringList(src.spec.gateways).map((ref) => {
    if (ref === 'mesh') return { ref };
    const { namespace, name } = parseGatewayRef(ref, src.ns);
    return { ref, gateway: ctx.converted.get(gatewayKey(namespace, name)) };
  });
}

/** Route hostnames from the VirtualService hosts (undefined: `*`, every hostname). */
function hostnames(src: SourceDoc, ctx: ConversionContext): string[] | undefined {
  const hosts = stringList(src.spec.hosts);
  if (hosts.includes('*')) return undefined;
  const out: string[] = [];
  hosts.forEach((h, i) => {
    const host = h.toLowerCase();
    if (HOSTNAME.test(host) && !isIpAddress(host) && host.includes('.')) out.push(host);
    else ctx.note(src, ['spec', 'hosts', i], 'gwapi-unconvertible', 'warning', `hosts ${JSON.stringify(h)}: a gateway route's hostname is a DNS name (no short name, no IP address); left out.`);
  });
  return [...new Set(out)];
}

function intersects(l: ListenerInfo, names: readonly string[] | undefined): boolean {
  return l.hostname === undefined || names === undefined || names.some((n) => hostsIntersect(n, l.hostname!));
}

/** parentRefs to the converted gateways for routes of one kind. */
function parentRefs(bound: readonly ConvertedGateway[], routeNs: string, names: readonly string[] | undefined, tls: boolean): Obj[] {
  const out: Obj[] = [];
  for (const g of bound) {
    const ref: Obj = { name: g.name, ...(g.namespace !== routeNs ? { namespace: g.namespace } : {}) };
    const usable = g.listeners.filter((l) => (tls ? l.protocol === 'TLS' : l.protocol !== 'TLS') && intersects(l, names));
    const attachable = usable.filter((l) => !l.redirect);
    if (attachable.length === 0) continue;
    if (attachable.length === usable.length) out.push(ref);
    else for (const l of attachable) out.push({ ...ref, sectionName: l.name });
  }
  return out;
}

function routeDoc(kind: string, name: string, src: SourceDoc, spec: Obj, header: string[], comments: KeyComment[]): GeneratedDoc {
  return generated(gatewayApiObject(kind, name, src.namespace, spec, carriedMeta(src.object)), header, comments);
}

/** HTTPRoutes of the http entries (split by 16 rules). */
function httpRoutes(src: SourceDoc, env: RuleEnv, parents: Obj[], names: string[] | undefined, header: string[]): GeneratedDoc[] {
  const rules: RuleOut[] = [];
  (Array.isArray(src.spec.http) ? src.spec.http : []).forEach((raw, i) => {
    const entry = asRecord(raw);
    if (entry) rules.push(...convertHttpEntry(entry, i, env));
  });
  if (rules.length === 0) return [];
  if (rules.length > 1 && rules.some((r) => !(r.rule.matches as Obj[] | undefined)?.every((m) => asRecord(m.path)?.type === 'Exact'))) {
    env.ctx.note(src, ['spec', 'http'], 'gwapi-rule-order', 'information', 'Istio tries the http entries in order; an HTTPRoute picks the most specific match (exact path, longest prefix, method, most headers, most query parameters). Check the rules whose matches overlap.');
  }
  const docs: GeneratedDoc[] = [];
  for (let start = 0; start < rules.length; start += MAX_RULES) {
    const chunk = rules.slice(start, start + MAX_RULES);
    const spec: Obj = { parentRefs: parents, ...(names ? { hostnames: names } : {}), rules: chunk.map((r) => r.rule) };
    const comments = chunk.flatMap((r, k) => r.comments.map((c) => ({ path: ['spec', 'rules', k, ...c.path], text: c.text })));
    docs.push(routeDoc('HTTPRoute', start === 0 ? src.name : k8sName([src.name, String(start / MAX_RULES + 1)]), src, spec, start === 0 ? header : [], comments));
  }
  return docs;
}

const UNMAPPED_TLS_MATCH = ['destinationSubnets', 'sourceLabels', 'sourceNamespace'];

/** One TLSRoute per tls entry: SNI hosts → hostnames, destinations → backendRefs. */
function tlsRoutes(src: SourceDoc, env: RuleEnv, bound: readonly ConvertedGateway[]): GeneratedDoc[] {
  const entries = Array.isArray(src.spec.tls) ? src.spec.tls : [];
  const docs: GeneratedDoc[] = [];
  entries.forEach((raw, i) => {
    const entry = asRecord(raw) ?? {};
    const at: Path = ['spec', 'tls', i];
    const sni = new Set<string>();
    (Array.isArray(entry.match) ? entry.match : []).forEach((m, j) => {
      const match = asRecord(m) ?? {};
      const extra = UNMAPPED_TLS_MATCH.filter((f) => match[f] !== undefined);
      if (extra.length > 0) {
        env.ctx.note(src, [...at, 'match', j], 'gwapi-match-dropped', 'warning', `tls.match[${j}] is not converted: ${extra.join(', ')} has no TLSRoute field.`);
        return;
      }
      if (match.port !== undefined) env.ctx.note(src, [...at, 'match', j, 'port'], 'gwapi-match', 'information', 'tls.match port: a TLSRoute attaches to every TLS listener that takes its SNI hostnames; the port is not kept.');
      for (const h of stringList(match.sniHosts)) if (HOSTNAME.test(h.toLowerCase())) sni.add(h.toLowerCase());
    });
    if (sni.size === 0) {
      env.ctx.note(src, at, 'gwapi-rule-dropped', 'warning', `tls[${i}] is not converted: a TLSRoute needs SNI hostnames (match.sniHosts) Gateway API accepts.`);
      return;
    }
    const parents = parentRefs(bound, src.ns, [...sni], true);
    if (parents.length === 0) {
      env.ctx.note(src, at, 'gwapi-no-listener', 'warning', `tls[${i}]: no TLS listener of the converted gateways takes the SNI hosts ${[...sni].join(', ')}; not converted.`);
      return;
    }
    const comments: Array<{ path: Path; text: string }> = [];
    const routes = Array.isArray(entry.route) ? entry.route : [];
    const backends: Obj[] = [];
    routes.forEach((r, j) => {
      const rd = asRecord(r);
      const dest = asRecord(rd?.destination);
      const ref = dest ? backendRef(dest, [...at, 'route', j, 'destination'], env, 'TLSRoute', comments, ['spec', 'rules', 0, 'backendRefs', backends.length]) : undefined;
      if (!ref) return;
      if (typeof rd?.weight === 'number' && routes.length > 1) ref.weight = rd.weight;
      backends.push(ref);
    });
    const spec = { parentRefs: parents, hostnames: [...sni], rules: [{ backendRefs: backends }] };
    docs.push(routeDoc('TLSRoute', k8sName([src.name, 'tls', entries.length > 1 ? String(i + 1) : '']), src, spec, [], comments));
  });
  return docs;
}

/** The VirtualService that still serves the mesh or unconverted gateways, or undefined. */
function residual(src: SourceDoc, binds: readonly Binding[]): GeneratedDoc | undefined {
  const remaining = binds.filter((b) => !b.gateway || b.gateway.keptServers.length > 0).map((b) => b.ref);
  if (remaining.length === 0) return undefined;
  const onlyPartial = binds.every((b) => b.gateway !== undefined);
  const spec: Obj = { ...src.spec, gateways: remaining };
  if (onlyPartial) {
    delete spec.http;
    delete spec.tls;
    if (!Array.isArray(spec.tcp) || spec.tcp.length === 0) return undefined;
  }
  return generated({ ...src.object, spec }, [' The part of the VirtualService that Gateway API routes do not carry (other gateways, the mesh, tcp).']);
}

/**
 * What became of a VirtualService bound to converted gateways: its replacement documents, or the
 * gateways it keeps from converting (routes they serve would be lost).
 */
export type VirtualServiceConversion = { docs: GeneratedDoc[] } | { blocks: ConvertedGateway[]; why: string };

/** Converts a VirtualService bound to converted gateways; undefined when it is bound to none. */
export function convertVirtualService(src: SourceDoc, ctx: ConversionContext): VirtualServiceConversion | undefined {
  const binds = bindings(src, ctx);
  const bound = binds.flatMap((b) => (b.gateway ? [b.gateway] : []));
  if (bound.length === 0) return undefined;
  const names = hostnames(src, ctx);
  if (names !== undefined && names.length === 0) return { blocks: bound, why: 'none of its hosts is a Gateway API hostname (a route without hostnames would take every host of the listeners)' };
  if (src.spec.exportTo !== undefined) ctx.note(src, ['spec', 'exportTo'], 'gwapi-unconvertible', 'information', 'exportTo has no route equivalent: which namespaces may attach routes is the listeners\' allowedRoutes.');
  const env: RuleEnv = { ctx, src, routeNamespace: src.ns, convertedRefs: new Set(binds.filter((b) => b.gateway).map((b) => b.ref)), grants: [] };
  const header = [` Converted from the VirtualService ${src.ns}/${src.name} (gateways ${bound.map((g) => `${g.namespace}/${g.name}`).join(', ')}).`];
  const httpParents = parentRefs(bound, src.ns, names, false);
  const docs: GeneratedDoc[] = [];
  if (Array.isArray(src.spec.http) && src.spec.http.length > 0) {
    if (httpParents.length === 0) ctx.note(src, ['spec', 'http'], 'gwapi-no-listener', 'warning', 'http: no HTTP or HTTPS listener of the converted gateways takes these hosts; the route would attach to none.');
    else docs.push(...httpRoutes(src, env, httpParents, names, header));
  }
  docs.push(...tlsRoutes(src, env, bound));
  (Array.isArray(src.spec.tcp) ? src.spec.tcp : []).forEach((_, i) => {
    ctx.note(src, ['spec', 'tcp', i], 'gwapi-unconvertible', 'warning', 'tcp routes need TCPRoute, which is not in the Gateway API standard channel; not converted.');
  });
  const carries = (Array.isArray(src.spec.http) && src.spec.http.length > 0) || (Array.isArray(src.spec.tls) && src.spec.tls.length > 0);
  if (docs.length === 0 && carries) return { blocks: bound, why: 'none of its http or tls routes has a Gateway API form (see the notes on them)' };
  const rest = residual(src, binds);
  return { docs: [...docs, ...env.grants, ...(rest ? [rest] : [])] };
}
