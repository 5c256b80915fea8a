import { isGatewayApiGroup } from '../model/resource';
import { ATTRIBUTES } from '../rules/authorizationPolicy';
import { schemaAt, type KindInfo } from '../schema/catalog';
import type { JSONSchema } from '../schema/types';
import { documentKind, typeLabel } from './complete';
import { cursorContext } from './cursor';

/** Istio's reference page of each Istio kind (hover links there). */
const ISTIO_REFERENCE_PAGES: Record<string, string> = {
  AuthorizationPolicy: 'https://istio.io/latest/docs/reference/config/security/authorization-policy/',
  RequestAuthentication: 'https://istio.io/latest/docs/reference/config/security/request_authentication/',
  PeerAuthentication: 'https://istio.io/latest/docs/reference/config/security/peer_authentication/',
  Gateway: 'https://istio.io/latest/docs/reference/config/networking/gateway/',
  VirtualService: 'https://istio.io/latest/docs/reference/config/networking/virtual-service/',
  DestinationRule: 'https://istio.io/latest/docs/reference/config/networking/destination-rule/',
  ServiceEntry: 'https://istio.io/latest/docs/reference/config/networking/service-entry/',
  Sidecar: 'https://istio.io/latest/docs/reference/config/networking/sidecar/',
  EnvoyFilter: 'https://istio.io/latest/docs/reference/config/networking/envoy-filter/',
  WorkloadEntry: 'https://istio.io/latest/docs/reference/config/networking/workload-entry/',
  WorkloadGroup: 'https://istio.io/latest/docs/reference/config/networking/workload-group/',
  ProxyConfig: 'https://istio.io/latest/docs/reference/config/networking/proxy-config/',
  Telemetry: 'https://istio.io/latest/docs/reference/config/telemetry/',
  WasmPlugin: 'https://istio.io/latest/docs/reference/config/proxy_extensions/wasm-plugin/',
};

/** The reference page of a kind and its site: istio.io, or the Gateway API v1.5 spec reference. */
export function referencePage(info: Pick<KindInfo, 'group' | 'kind'>): { url: string; site: string } | undefined {
  if (isGatewayApiGroup(info.group)) return { url: `https://gateway-api.sigs.k8s.io/reference/1.5/spec/#${info.kind.toLowerCase()}`, site: 'gateway-api.sigs.k8s.io' };
  const url = ISTIO_REFERENCE_PAGES[info.kind];
  return url ? { url, site: 'istio.io' } : undefined;
}

const KEY_LINE = /^(\s*(?:-\s+)*)(["']?)([^"':#][^:#]*?)\2[ \t]*:(?:[ \t]|$)/;

function fieldMarkdown(name: string, s: JSONSchema, required: boolean, info: KindInfo, value?: string): string {
  const parts = [`**${name}** · \`${typeLabel(s)}\`${required ? ' · required' : ''}`];
  if (s.enum?.length) parts.push(`Allowed values: ${s.enum.map((v) => (String(v) === value ? `**\`${String(v)}\`**` : `\`${String(v)}\``)).join(', ')}`);
  if (s.default !== undefined) parts.push(`Default: \`${JSON.stringify(s.default)}\``);
  if (s.description) parts.push(s.description.trim());
  const page = referencePage(info);
  if (page) parts.push(`[${info.kind} reference on ${page.site}](${page.url})`);
  return parts.join('\n\n');
}

function attributeMarkdown(key: string): string | undefined {
  const a = ATTRIBUTES.find((x) => (x.map ? key.startsWith(`${x.key}[`) || key.startsWith(x.key) : key === x.key));
  if (!a) return undefined;
  return [
    `**${key}** · AuthorizationPolicy condition key`,
    `Value format: ${a.values === 'ip' ? 'IP address or CIDR' : a.values === 'serviceAccount' ? '`<namespace>/<service account>`' : 'string (exact, `prefix*`, `*suffix` or `*`)'}; example \`${a.example}\`.`,
    '[Authorization policy conditions on istio.io](https://istio.io/latest/docs/reference/config/security/conditions/)',
  ].join('\n\n');
}

/** Hover text (markdown) at (line, character) of one document's text, or undefined. */
export function describeAt(text: string, line: number, character: number): string | undefined {
  const doc = documentKind(text);
  if (!doc.info || !doc.version) return undefined;
  const lineText = text.split('\n')[line]?.replace(/\r$/, '') ?? '';
  const m = KEY_LINE.exec(lineText);
  const ctx = cursorContext(text, line, lineText.length);
  if (m && ctx.mode === 'value' && ctx.key) {
    const keyStart = m[1].length;
    const keyEnd = keyStart + m[2].length * 2 + m[3].length;
    const onValue = character > keyEnd;
    const value = lineText.slice(keyEnd + 1).replace(/\s+#.*$/, '').trim().replace(/^["']|["']$/g, '');
    if (onValue && ctx.key === 'key' && ctx.path.includes('when')) return attributeMarkdown(value) ?? undefined;
    if (character < keyStart) return undefined;
    const parent = schemaAt(doc.info, doc.version, ctx.path);
    const s = schemaAt(doc.info, doc.version, [...ctx.path, ctx.key]);
    if (!s) return undefined;
    return fieldMarkdown(ctx.key, s, parent?.required?.includes(ctx.key) ?? false, doc.info, onValue ? value : undefined);
  }
  if (ctx.mode === 'sequence-value' || /^\s*-\s+\S/.test(lineText)) {
    const list = cursorContext(text, line, lineText.length);
    const name = list.path[list.path.length - (list.mode === 'sequence-value' ? 1 : 2)];
    const path = list.mode === 'sequence-value' ? list.path : list.path.slice(0, -1);
    const s = typeof name === 'string' ? schemaAt(doc.info, doc.version, path) : undefined;
    if (s && typeof name === 'string') return fieldMarkdown(name, s, false, doc.info);
  }
  return undefined;
}
