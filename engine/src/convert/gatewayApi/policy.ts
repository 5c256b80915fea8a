/**
 * RequestAuthentication, AuthorizationPolicy, Telemetry and WasmPlugin whose `selector` picks the
 * pods of a converted Istio Gateway → the same policy with `targetRefs` to the Gateway API Gateway.
 *
 * Istio 1.30 (pilot/pkg/model/policyattachment.go): a targetRefs policy attaches to a Gateway only
 * from the Gateway's namespace, so a policy of the root namespace moves to each Gateway's
 * namespace. A selector policy applies to pods of its own namespace (or all, from the root
 * namespace); the conversion takes it to target the gateway when its matchLabels are all among
 * the Istio Gateway's selector and it is in the root namespace or the Gateway's namespace.
 */
import { stringValues } from '../../workspace/refs';
import { GATEWAY_API_GROUP, asRecord, k8sName, type Obj } from './common';
import { generated, type ConversionContext, type ConvertedGateway, type GeneratedDoc, type SourceDoc } from './types';

export const POLICY_KINDS: ReadonlySet<string> = new Set([
  'security.istio.io/RequestAuthentication',
  'security.istio.io/AuthorizationPolicy',
  'telemetry.istio.io/Telemetry',
  'extensions.istio.io/WasmPlugin',
]);

export interface PolicyConversion {
  docs: GeneratedDoc[];
  /** The original stays too (its pods still serve other Istio Gateways). */
  keepOriginal: boolean;
}

function subset(labels: Record<string, string>, of: Record<string, string>): boolean {
  return Object.entries(labels).every(([k, v]) => of[k] === v);
}

function text(labels: Record<string, string>): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
}

/** Does the policy use ports that were the old gateway pods' container ports? */
function usesPorts(spec: Obj): boolean {
  return (Array.isArray(spec.rules) ? spec.rules : []).some((r) => {
    const rule = asRecord(r) ?? {};
    const ops = (Array.isArray(rule.to) ? rule.to : []).map((t) => asRecord(asRecord(t)?.operation) ?? {});
    const when = (Array.isArray(rule.when) ? rule.when : []).map((w) => asRecord(w) ?? {});
    return ops.some((o) => o.ports !== undefined || o.notPorts !== undefined) || when.some((w) => w.key === 'destination.port');
  });
}

/** The policy's name in `namespace`: its own, unless that kind and name are taken there (or the original stays). */
function nameIn(src: SourceDoc, namespace: string, gateways: readonly ConvertedGateway[], ctx: ConversionContext, originalStays: boolean): string {
  if (namespace === src.ns && !originalStays) return src.name;
  let name = src.name;
  for (let i = 0; ctx.taken.has(`${src.kind}/${namespace}/${name}`); i++) name = k8sName([src.name, gateways[0].name, i > 0 ? String(i + 1) : '']);
  ctx.taken.add(`${src.kind}/${namespace}/${name}`);
  if (name !== src.name) ctx.note(src, ['metadata', 'name'], 'gwapi-policy-renamed', 'information', `${src.kind} ${namespace}/${src.name} already exists: the policy with targetRefs is named ${name}.`);
  return name;
}

function policyFor(src: SourceDoc, namespace: string, gateways: readonly ConvertedGateway[], ctx: ConversionContext, originalStays: boolean): GeneratedDoc {
  const meta: Obj = { ...(asRecord(src.object.metadata) ?? {}), name: nameIn(src, namespace, gateways, ctx, originalStays) };
  if (namespace !== src.ns || src.namespace !== undefined) meta.namespace = namespace;
  const spec: Obj = {};
  for (const [k, v] of Object.entries(src.spec)) {
    if (k === 'selector') spec.targetRefs = gateways.map((g) => ({ group: GATEWAY_API_GROUP, kind: 'Gateway', name: g.name }));
    else spec[k] = v;
  }
  const header = [` Attached with targetRefs to ${gateways.map((g) => `Gateway ${g.namespace}/${g.name}`).join(', ')} (was selector ${text(stringValues(asRecord(src.spec.selector)?.matchLabels))}).`];
  return generated({ ...src.object, metadata: meta, spec }, header);
}

/** Converts a selector policy that targets converted gateway pods; undefined when it targets none. */
export function convertPolicy(src: SourceDoc, ctx: ConversionContext): PolicyConversion | undefined {
  if (src.spec.targetRef !== undefined || src.spec.targetRefs !== undefined) return undefined;
  const labels = stringValues(asRecord(src.spec.selector)?.matchLabels);
  if (Object.keys(labels).length === 0) return undefined;
  const candidates = [...ctx.converted.values()].filter((g) => Object.keys(g.selector).length > 0 && subset(labels, g.selector));
  const matched = candidates.filter((g) => src.ns === ctx.rootNamespace || src.ns === g.namespace);
  for (const g of candidates.filter((c) => !matched.includes(c))) {
    ctx.note(src, ['spec', 'selector'], 'gwapi-policy-not-converted', 'information', `selector ${text(labels)} is among the selector of the Istio Gateway ${g.namespace}/${g.name}, but from namespace ${src.ns} it applies only to such pods running in ${src.ns}: not converted (convert it by hand if the gateway pods run there).`);
  }
  if (matched.length === 0) return undefined;
  const stillServing = [
    ...matched.filter((g) => g.keptServers.length > 0).map((g) => `${g.namespace}/${g.name} (servers kept as an Istio Gateway)`),
    ...ctx.untouched.filter((gw) => subset(labels, stringValues(gw.spec.selector))).map((gw) => `${gw.ns}/${gw.name}`),
  ];
  const byNs = new Map<string, ConvertedGateway[]>();
  for (const g of matched) byNs.set(g.namespace, [...(byNs.get(g.namespace) ?? []), g]);
  const docs = [...byNs].sort(([a], [b]) => a.localeCompare(b)).map(([ns, gws]) => policyFor(src, ns, gws.sort((a, b) => a.name.localeCompare(b.name)), ctx, stillServing.length > 0));
  const targets = matched.map((g) => `${g.namespace}/${g.name}`).join(', ');
  const keep = stillServing.length > 0 ? ` The original stays for the Istio Gateway(s) still served by those pods: ${stillServing.join(', ')}.` : ' If Istio Gateways outside these files still use those pods, keep a copy of the original for them.';
  ctx.note(src, ['spec', 'selector'], 'gwapi-policy-retargeted', 'information', `${src.kind} ${src.ns}/${src.name}: selector ${text(labels)} picked the pods of the Istio Gateway(s) ${targets}; the policy now attaches with targetRefs to the Gateway API Gateway(s) of that name.${keep}`);
  const moved = [...byNs.keys()].filter((ns) => ns !== src.ns);
  if (moved.length > 0) {
    ctx.note(src, src.namespace !== undefined ? ['metadata', 'namespace'] : ['metadata', 'name'], 'gwapi-policy-namespace', 'information', `${src.kind} ${src.ns}/${src.name} moves to namespace ${moved.join(', ')}: a targetRefs policy attaches only to a Gateway of its own namespace.`);
  }
  if (src.kind === 'AuthorizationPolicy' && usesPorts(src.spec)) {
    ctx.note(src, ['spec', 'rules'], 'gwapi-policy-port', 'warning', 'The rules match ports: the old gateway pods saw their container ports (istio-ingressgateway listens on 8080 and 8443 behind Service ports 80 and 443), a Gateway API gateway sees its listener ports. Check the port values.');
  }
  return { docs, keepOriginal: stillServing.length > 0 };
}
