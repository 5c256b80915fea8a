/**
 * Host names as istiod's webhook reads them: DNS-1123 labels and FQDNs (pkg/config/labels,
 * pkg/config/validation/agent: ValidateFQDN, ValidateWildcardDomain, ValidatePartialWildCard,
 * ValidateNamespaceSlashWildcardHostname), host matching (pkg/config/host/name.go: Matches,
 * SubsetOf), gateway references (validation.go: validateGatewayNames) and exportTo
 * (validateExportTo, pkg/config/visibility). Pure functions returning a problem text or undefined.
 */
import { closestValue, requoted } from '../../text/similarity';
import type { Fix } from '../../diagnostics';
import type { Path } from '../../model/locate';
import type { RuleContext } from '../rule';
import { isIPAddress } from './net';

const DNS1123_LABEL_MAX = 63;
const DNS1123_LABEL = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
/** `*`, or a label optionally preceded by `*` or `*-` (labels.IsWildcardDNS1123Label). */
const WILDCARD_LABEL = /^(\*|(\*|\*-)?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)$/;
const DOMAIN_MAX = 255;

export function isDNS1123Label(value: string): boolean {
  return value.length <= DNS1123_LABEL_MAX && DNS1123_LABEL.test(value);
}

function isWildcardDNS1123Label(value: string): boolean {
  return value.length <= DNS1123_LABEL_MAX && WILDCARD_LABEL.test(value);
}

function preconditionProblem(name: string): string | undefined {
  if (name.length > DOMAIN_MAX) return `domain name '${name}' is too long (max ${DOMAIN_MAX} characters)`;
  if (name.length === 0) return 'an empty domain name is not allowed';
  return undefined;
}

const LABEL_HINT = 'labels are letters, digits and "-", start and end with a letter or digit, at most 63 characters';

function labelsProblem(domain: string, whole: string): string | undefined {
  const parts = domain.split('.');
  const tld = parts[parts.length - 1];
  if (/^[+-]?[0-9]+$/.test(tld)) return `domain name '${whole}' is invalid: the top-level domain '${tld}' cannot be all-numeric`;
  for (let i = 0; i < parts.length; i++) {
    if (i === parts.length - 1 && parts[i] === '') return undefined; // trailing dot: `istio.io.`
    if (!isDNS1123Label(parts[i])) return `domain name '${whole}' is invalid: label '${parts[i]}' is not a DNS-1123 label (${LABEL_HINT})`;
  }
  return undefined;
}

/** agent.ValidateFQDN: a domain name without wildcards. */
export function fqdnProblem(fqdn: string): string | undefined {
  return preconditionProblem(fqdn) ?? labelsProblem(fqdn, fqdn);
}

/** agent.ValidateWildcardDomain: an FQDN whose first label may be `*`, `*foo` or `*-foo`. */
export function wildcardDomainProblem(domain: string): string | undefined {
  const pre = preconditionProblem(domain);
  if (pre) return pre;
  const dot = domain.indexOf('.');
  const first = dot === -1 ? domain : domain.slice(0, dot);
  if (!isWildcardDNS1123Label(first)) {
    const hint = first.includes('*') ? ' (a wildcard may only be the leftmost label, e.g. *.example.com)' : ` (${LABEL_HINT})`;
    return `domain name '${domain}' is invalid: label '${first}' is not allowed${hint}`;
  }
  return dot === -1 ? undefined : labelsProblem(domain.slice(dot + 1), domain);
}

/** agent.ValidatePartialWildCard: `*` must be the whole host or a `*.` prefix. */
export function partialWildcardProblem(host: string): string | undefined {
  return host.includes('*') && host !== '*' && !host.startsWith('*.')
    ? `partial wildcard '${host}' is not allowed; use '*' or a '*.' prefix such as *.example.com`
    : undefined;
}

/** Problems of the dnsName part of a Gateway server host (validateSidecarOrGatewayHostnamePart, isGateway=true). */
function gatewayDnsNameProblems(hostname: string): string[] {
  const out: string[] = [];
  if (hostname !== '*' && !hostname.includes('.')) {
    out.push(`short name '${hostname}' is not allowed; use a fully qualified name such as ${hostname}.example.com, or '*'`);
  }
  const domain = wildcardDomainProblem(hostname);
  if (domain && !isIPAddress(hostname)) out.push(domain);
  const partial = partialWildcardProblem(hostname);
  if (partial) out.push(partial);
  return out;
}

/**
 * agent.ValidateNamespaceSlashWildcardHostname for Gateway servers: `host`, or `namespace/host`
 * where namespace is `*`, `.` or a DNS-1123 label.
 */
export function gatewayServerHostProblems(host: string): string[] {
  const slash = host.indexOf('/');
  if (slash === -1) return gatewayDnsNameProblems(host);
  const ns = host.slice(0, slash);
  const name = host.slice(slash + 1);
  const out: string[] = [];
  if (ns === '' || name === '') out.push(`'${host}': the namespace and the dnsName of a namespace/dnsName host cannot be empty`);
  if (ns !== '*' && ns !== '.' && !isDNS1123Label(ns)) {
    out.push(`'${host}': invalid namespace '${ns}'; use '*' (any namespace), '.' (the Gateway's namespace) or a namespace name`);
  }
  return [...out, ...gatewayDnsNameProblems(name)];
}

// ---------------------------------------------------------------------------------------------
// Host matching (pkg/config/host/name.go).

export function isWildcarded(host: string): boolean {
  return host.startsWith('*');
}

/** host.Name.Matches: the two names overlap (in either direction). */
export function hostsOverlap(a: string, b: string): boolean {
  const aw = isWildcarded(a);
  const bw = isWildcarded(b);
  if (aw && bw) return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
  if (aw) return b.endsWith(a.slice(1));
  if (bw) return a.endsWith(b.slice(1));
  return a === b;
}

/** host.Name.SubsetOf: every name matched by `n` is matched by `o`. */
export function hostSubsetOf(n: string, o: string): boolean {
  const nw = isWildcarded(n);
  const ow = isWildcarded(o);
  if (nw) return ow && n.length >= o.length && n.slice(1).endsWith(o.slice(1));
  if (ow) return n.endsWith(o.slice(1));
  return n === o;
}

// ---------------------------------------------------------------------------------------------
// Gateway references in VirtualService (validateGatewayNames).

export const MESH_GATEWAY = 'mesh';

export interface GatewayNameCheck {
  problems: string[];
  /** The `<namespace>/<name>` form istiod recommends for a legacy `name.namespace` reference. */
  recommended?: string;
}

export function gatewayNameCheck(name: string): GatewayNameCheck {
  const slash = name.indexOf('/');
  if (slash === -1) {
    const fqdn = fqdnProblem(name);
    const problems = fqdn ? [`gateway reference '${name}' is invalid: ${fqdn}`] : [];
    if (!name.includes('.')) return { problems };
    const parts = name.split('.');
    return { problems, recommended: `${parts[1]}/${parts[0]}` };
  }
  const ns = name.slice(0, slash);
  const gw = name.slice(slash + 1);
  const problems: string[] = [];
  if (ns === '' || gw === '') problems.push(`gateway reference '${name}': the namespace and the gateway name cannot be empty`);
  if (!isDNS1123Label(ns)) problems.push(`gateway reference '${name}': '${ns}' is not a valid namespace name`);
  if (!isDNS1123Label(gw)) problems.push(`gateway reference '${name}': '${gw}' is not a valid gateway name (a DNS-1123 label, no dots)`);
  return { problems };
}

// ---------------------------------------------------------------------------------------------
// exportTo (validateExportTo).

export interface ExportToProblem {
  index: number;
  message: string;
}

/** Every problem of an exportTo list, with the index of the entry to underline. */
export function exportToProblems(namespace: string, exportTo: ReadonlyArray<string | undefined>, isServiceEntry: boolean): ExportToProblem[] {
  const out: ExportToProblem[] = [];
  const seen = new Set<string>();
  const valid = new Set<string>();
  exportTo.forEach((e, index) => {
    if (e === undefined) return;
    const key = e === '.' ? namespace : e;
    if (seen.has(key)) {
      out.push({
        index,
        message: key !== e ? `exportTo lists both '.' and the current namespace '${namespace}'; keep one.` : `exportTo lists '${e}' twice; remove the duplicate.`,
      });
      return;
    }
    seen.add(key);
    if (e === '~' && !isServiceEntry) out.push({ index, message: "exportTo '~' (export to no one) is only allowed on ServiceEntry; use '.' to keep it in this namespace." });
    else if (e !== '*' && e !== '.' && e !== '~' && !isDNS1123Label(e)) {
      out.push({ index, message: `exportTo entry '${e}' is invalid: only '.', '*' or a namespace name (DNS-1123 label) is allowed.` });
    } else valid.add(key);
  });
  if (valid.has('*') && exportTo.length > 1) {
    out.push({ index: exportTo.indexOf('*'), message: "exportTo cannot mix '*' (public) with other entries; '*' alone already exports everywhere." });
  }
  if (isServiceEntry && valid.has('~') && exportTo.length > 1) {
    out.push({ index: exportTo.indexOf('~'), message: "exportTo cannot combine '~' (no one) with other entries." });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Port names and protocols (pkg/config/protocol: Parse; validation.go: ValidatePortName, ValidateProtocol).

export type Protocol = 'TCP' | 'UDP' | 'GRPC' | 'GRPC-Web' | 'HTTP' | 'HTTP_PROXY' | 'HTTP2' | 'HTTPS' | 'TLS' | 'Mongo' | 'Redis' | 'MySQL' | 'Unsupported';

const PROTOCOLS: Readonly<Record<string, Protocol>> = {
  tcp: 'TCP',
  udp: 'UDP',
  grpc: 'GRPC',
  'grpc-web': 'GRPC-Web',
  http: 'HTTP',
  http_proxy: 'HTTP_PROXY',
  http2: 'HTTP2',
  https: 'HTTPS',
  tls: 'TLS',
  mongo: 'Mongo',
  redis: 'Redis',
  mysql: 'MySQL',
};

/** The canonical upper-case spellings offered in messages and quick fixes. */
export const PROTOCOL_NAMES: readonly string[] = ['HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'GRPC-WEB', 'TCP', 'TLS', 'MONGO', 'REDIS', 'MYSQL', 'UDP', 'HTTP_PROXY'];

/** protocol.Parse: case-insensitive. */
export function parseProtocol(s: string): Protocol {
  return PROTOCOLS[s.toLowerCase()] ?? 'Unsupported';
}

export const isHTTPProtocol = (p: Protocol): boolean => p === 'HTTP' || p === 'HTTP2' || p === 'HTTP_PROXY' || p === 'GRPC' || p === 'GRPC-Web';
export const isTLSProtocol = (p: Protocol): boolean => p === 'HTTPS' || p === 'TLS';
export const isTCPProtocol = (p: Protocol): boolean => p === 'TCP' || p === 'HTTPS' || p === 'TLS' || p === 'Mongo' || p === 'Redis' || p === 'MySQL';

export function portNameProblem(name: string): string | undefined {
  return isDNS1123Label(name) ? undefined : `invalid port name '${name}': use a DNS-1123 label (lower-case letters, digits and "-", e.g. http-web)`;
}

// ---------------------------------------------------------------------------------------------
// Suggestions and value fixes.

export { closestValue };

/** A quick fix replacing the scalar at path with value. */
export function replaceValueFix(ctx: RuleContext, path: Path, value: string, title = `Change to '${value}'`): Fix {
  const range = ctx.doc.rangeOf(path, 'value');
  const start = ctx.doc.lines.offsetAt(range.start);
  const end = ctx.doc.lines.offsetAt(range.end);
  return { title, isPreferred: true, edits: [{ range, newText: requoted(ctx.doc.text.slice(start, end), value) }] };
}

/** Reports every exportTo problem of the resource (spec.exportTo); the namespace defaults from settings. */
export function reportExportTo(ctx: RuleContext, isServiceEntry: boolean): void {
  const ns = ctx.resource.namespace ?? ctx.settings.defaultNamespace;
  const raw = ctx.resource.spec.exportTo;
  const list = (Array.isArray(raw) ? raw : []).map((e: unknown) => (typeof e === 'string' ? e : undefined));
  for (const p of exportToProblems(ns, list, isServiceEntry)) ctx.report({ path: ['spec', 'exportTo', p.index], message: p.message });
}

/** Where to underline a whole mapping on one line: its first key (or the mapping itself when empty). */
export function firstKeyAnchor(obj: Record<string, unknown>, path: Path): { path: Path; target: 'key' | 'value' } {
  const first = Object.keys(obj)[0];
  return first === undefined ? { path, target: 'value' } : { path: [...path, first], target: 'key' };
}
