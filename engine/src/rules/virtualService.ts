/**
 * VirtualService rules: what istiod's webhook decides (pkg/config/validation/validation.go:
 * ValidateVirtualService and helpers; virtualservice.go: validateHTTPRoute and friends;
 * header_value_validator.go). Label maps are checked by common/workload.ts; durations below 1ms
 * and match-type exclusivity are the schema validator's (CEL rules, oneOf).
 */
import type { Path } from '../model/locate';
import { compileRe2 } from '../cel/regex';
import { defineRules, type Report, type RuleContext } from './rule';
import { asList, asObj, isSet, objItems, stringItems, type Obj } from './common/workload';
import { isIPAddress, isCIDR } from './common/net';
import {
  MESH_GATEWAY,
  closestValue,
  reportExportTo,
  firstKeyAnchor,
  gatewayNameCheck,
  hostSubsetOf,
  hostsOverlap,
  isDNS1123Label,
  replaceValueFix,
  wildcardDomainProblem,
  fqdnProblem,
} from './common/hosts';
import { durationProblem } from './common/durations';

const VALIDATION = 'pkg/config/validation/validation.go';
const VS_VALIDATION = 'pkg/config/validation/virtualservice.go';

// ---------------------------------------------------------------------------------------------
// Where things are.

interface At<T = Obj> {
  item: T;
  path: Path;
}

const spec = (ctx: RuleContext): Obj => ctx.resource.spec;

function routesOf(ctx: RuleContext, kind: 'http' | 'tls' | 'tcp'): Array<At & { index: number }> {
  return objItems(spec(ctx)[kind]).map(({ item, index }) => ({ item, index, path: ['spec', kind, index] }));
}

function matchesOf(route: At): At[] {
  return objItems(route.item.match).map(({ item, index }) => ({ item, path: [...route.path, 'match', index] }));
}

const gatewaysOf = (ctx: RuleContext): string[] => stringItems(spec(ctx).gateways).map((g) => g.value);
const hostsOf = (ctx: RuleContext): string[] => stringItems(spec(ctx).hosts).map((h) => h.value);

/** isGateway(): bound to gateways only (gateways set and none is `mesh`). */
function appliesToGatewayOnly(ctx: RuleContext): boolean {
  const gws = gatewaysOf(ctx);
  return asList(spec(ctx).gateways).length > 0 && !gws.includes(MESH_GATEWAY);
}

function isSniVirtualService(ctx: RuleContext): boolean {
  return routesOf(ctx, 'tls').some((r) => matchesOf(r).some((m) => asList(m.item.sniHosts).length > 0));
}

const OUTBOUND_SNI = /^outbound_\./;

/** ValidateWildcardDomainForVirtualServiceBoundToGateway (sni=true allows outbound_.<port>_._.<host>). */
function gatewayBoundDomainProblem(sni: boolean, domain: string): string | undefined {
  if (sni && domain.startsWith('outbound_')) {
    const parts = domain.split('_');
    if (parts.length < 4) return `domain name '${domain}' is invalid: it should follow the outbound_.<port>_._.<hostname> format`;
    const port = parts[1].replace(/^\.+|\.+$/g, '');
    const host = parts[3].replace(/^\.+|\.+$/g, '');
    if (!OUTBOUND_SNI.test(domain)) return `domain name '${domain}' is invalid: label '${parts[0]}' is not 'outbound'`;
    if (!/[0-9]/.test(port)) return `domain name '${domain}' is invalid: '${port}' should be a port number (outbound_.<port>_._.<hostname>)`;
    if (!/[a-zA-Z]/.test(host)) return `domain name '${domain}' is invalid: '${host}' should be a host name (outbound_.<port>_._.<hostname>)`;
    return undefined;
  }
  return wildcardDomainProblem(domain);
}

interface StringMatchAt {
  sm: Obj;
  path: Path;
  where: string;
  /** uri allows an empty prefix; scheme/method/authority/headers/queryParams do not. */
  allowEmptyPrefix: boolean;
}

function stringMatchesOf(match: At): StringMatchAt[] {
  const out: StringMatchAt[] = [];
  for (const field of ['uri', 'scheme', 'method', 'authority']) {
    const sm = asObj(match.item[field]);
    if (sm) out.push({ sm, path: [...match.path, field], where: field, allowEmptyPrefix: field === 'uri' });
  }
  for (const field of ['headers', 'queryParams', 'withoutHeaders']) {
    for (const [name, v] of Object.entries(asObj(match.item[field]) ?? {})) {
      const sm = asObj(v);
      if (!sm) continue;
      // withoutHeaders: regex `*` is a presence match, not an RE2 pattern.
      if (field === 'withoutHeaders' && sm.regex === '*') continue;
      out.push({ sm, path: [...match.path, field, name], where: field, allowEmptyPrefix: false });
    }
  }
  return out;
}

/** Every HTTP match of every route. */
function httpMatches(ctx: RuleContext): At[] {
  return routesOf(ctx, 'http').flatMap(matchesOf);
}

// ---------------------------------------------------------------------------------------------
// Regexes, headers, destinations.

const REGEX_MAX = 1024;

export function regexProblem(re: string, where: string): string | undefined {
  if (re.length > REGEX_MAX) return `${where}: regex is too large (${re.length} characters); the maximum is ${REGEX_MAX}.`;
  try {
    compileRe2(re);
    return undefined;
  } catch (err) {
    return `${where}: '${re}' is not a valid RE2 regex (${(err as Error).message.split('\n')[0]}). Istio uses RE2 syntax: no lookahead/lookbehind or backreferences (https://github.com/google/re2/wiki/Syntax).`;
  }
}

const TCHAR_NAME = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/;
const PSEUDO_HEADERS = new Set([':method', ':scheme', ':authority', ':path', ':status']);
const JWT_CLAIM_PREFIX = '@request.auth.claims';

/** jwt.ToRoutingClaim(name).Match */
export function isJwtClaimRoute(name: string): boolean {
  if (!name.toLowerCase().startsWith(JWT_CLAIM_PREFIX)) return false;
  const rest = name.slice(JWT_CLAIM_PREFIX.length);
  return (rest.startsWith('.') && rest.length > 1) || (rest.startsWith('[') && rest.endsWith(']') && rest.length > 2);
}

/** ValidateHTTPHeaderNameOrJwtClaimRoute (match headers / withoutHeaders). */
function matchHeaderNameProblem(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (isJwtClaimRoute(name) || PSEUDO_HEADERS.has(name)) return undefined;
  return TCHAR_NAME.test(name) ? undefined : `'${name}' is not a valid header name (letters, digits and !#$%&'*+-.^_\`|~ only)`;
}

const isInternalHeader = (n: string): boolean => n.startsWith(':') || n.toLowerCase() === 'host';
const isAuthorityHeader = (n: string): boolean => n.toLowerCase() === ':authority' || n.toLowerCase() === 'host';

/** ValidateHTTPHeaderWithAuthorityOperationName (request add/set). */
function requestSetNameProblem(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (isInternalHeader(name) && !isAuthorityHeader(name)) return `header '${name}' cannot have a ":" prefix`;
  return undefined;
}

/** ValidateHTTPHeaderOperationName (request remove, response add/set/remove). */
function operationNameProblem(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (name.toLowerCase() === 'host') return `cannot set or remove the Host header '${name}' here (use rewrite.authority)`;
  if (name.startsWith(':')) return `header '${name}' cannot have a ":" prefix`;
  return undefined;
}

const CONTROL_CHARS = /[\u0000-\u0008\u000A-\u001F\u007F]/;

/** ValidateHTTPHeaderValue: no control characters, and Envoy's %VARIABLE% syntax (header_value_validator.go). */
export function headerValueProblem(value: string): string | undefined {
  if (CONTROL_CHARS.test(value)) return 'header value contains control characters';
  let state: 'literal' | 'name' | 'array' | 'string' | 'stringStart' | 'delimiter' | 'argsEnd' | 'varEnd' = 'literal';
  for (let pos = 0; pos < value.length; pos++) {
    const ch = value[pos];
    const hasNext = pos + 1 < value.length;
    switch (state) {
      case 'literal':
        if (ch !== '%') break;
        if (!hasNext) return "un-escaped '%' at the end of the value (write '%%' for a literal percent sign)";
        if (value[pos + 1] === '%') pos++;
        else state = 'name';
        break;
      case 'name':
        if (ch === '%') state = 'literal';
        else if (ch === '(') state = 'array';
        break;
      case 'array':
        if (ch === '[') state = 'stringStart';
        else if (ch !== ' ') state = 'string';
        break;
      case 'delimiter':
        if (ch === ',') state = 'stringStart';
        else if (ch === ']') state = 'argsEnd';
        else if (ch !== ' ') return "expecting ',', ']' or whitespace in a %VAR([...])% argument list";
        break;
      case 'stringStart':
        if (ch === '"') state = 'string';
        else if (ch !== ' ') return "expecting '\"' to start a %VAR([...])% argument";
        break;
      case 'string':
        if (ch === '\\') {
          if (!hasNext) return 'un-terminated backslash in a %VAR(...)% argument';
          pos++;
        } else if (ch === ')') state = 'varEnd';
        else if (ch === '"') state = 'delimiter';
        break;
      case 'argsEnd':
        if (ch === ')') state = 'varEnd';
        else if (ch !== ' ') return "expecting ')' after a %VAR([...])% argument list";
        break;
      case 'varEnd':
        if (ch === '%') state = 'literal';
        else if (ch !== ' ') return "expecting '%' to close a %VAR(...)% expression";
        break;
    }
  }
  return state === 'literal' ? undefined : `un-terminated variable expression: a '%' starts an Envoy %VARIABLE% that is never closed (write '%%' for a literal percent sign)`;
}

/** `%` doubled everywhere, for values that contain no %VARIABLE% at all. */
function escapePercents(value: string): string | undefined {
  const fixed = value.replace(/%/g, '%%');
  return value.includes('%') && headerValueProblem(fixed) === undefined && !/%[A-Z_]+(\(|%)/.test(value) ? fixed : undefined;
}

interface HeadersAt {
  headers: Obj;
  path: Path;
}

/** http[i].headers and http[i].route[j].headers. */
function headerBlocks(ctx: RuleContext): HeadersAt[] {
  const out: HeadersAt[] = [];
  for (const r of routesOf(ctx, 'http')) {
    const h = asObj(r.item.headers);
    if (h) out.push({ headers: h, path: [...r.path, 'headers'] });
    for (const { item, index } of objItems(r.item.route)) {
      const rh = asObj(item.headers);
      if (rh) out.push({ headers: rh, path: [...r.path, 'route', index, 'headers'] });
    }
  }
  return out;
}

interface DestinationAt {
  dest: Obj;
  path: Path;
}

/** Destinations istiod checks with validateDestination: http/tls/tcp route[], mirror, mirrors[]. */
function destinationsOf(ctx: RuleContext): DestinationAt[] {
  const out: DestinationAt[] = [];
  for (const kind of ['http', 'tls', 'tcp'] as const) {
    for (const r of routesOf(ctx, kind)) {
      for (const { item, index } of objItems(r.item.route)) {
        const dest = asObj(item.destination);
        if (dest) out.push({ dest, path: [...r.path, 'route', index, 'destination'] });
      }
      if (kind !== 'http') continue;
      const mirror = asObj(r.item.mirror);
      if (mirror) out.push({ dest: mirror, path: [...r.path, 'mirror'] });
      for (const { item, index } of objItems(r.item.mirrors)) {
        const dest = asObj(item.destination);
        if (dest) out.push({ dest, path: [...r.path, 'mirrors', index, 'destination'] });
      }
    }
  }
  return out;
}

// Go's net/http StatusText: the status codes retryOn accepts as numbers.
const HTTP_STATUS_CODES = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403, 404, 405, 406,
  407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506,
  507, 508, 510, 511,
]);

export const RETRY_ON_POLICIES: readonly string[] = [
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'retriable-headers',
  'envoy-ratelimited',
  'http3-post-connect-failure',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
];

function isValidRetryOn(policy: string): boolean {
  if (RETRY_ON_POLICIES.includes(policy)) return true;
  return /^[+-]?[0-9]+$/.test(policy) && HTTP_STATUS_CODES.has(Number(policy));
}

const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', '*'];

const GRPC_STATUSES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
];

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/** Percent.value, for `{value: n}` wrappers. */
function percentValue(v: unknown): number | undefined {
  return num(asObj(v)?.value);
}

// ---------------------------------------------------------------------------------------------
// Unreachable rules and ineffective matches (IST0130, IST0131).

/** A canonical serialization of a match (keys sorted, `name` removed for HTTP), like istiod's asJSON. */
function matchKey(v: unknown, dropName: boolean): string {
  const norm = (x: unknown, top: boolean): unknown => {
    if (Array.isArray(x)) return x.map((e) => norm(e, false));
    const o = asObj(x);
    if (!o) return x;
    const keys = Object.keys(o)
      .filter((k) => !(top && dropName && k === 'name') && o[k] !== null && o[k] !== undefined)
      .sort();
    return Object.fromEntries(keys.map((k) => [k, norm(o[k], false)]));
  };
  return JSON.stringify(norm(v, true));
}

/** A one-line place to underline a whole route or match: its name, else its first key. */
function anchorOf(route: At): { path: Path; target: 'key' | 'value' } {
  return typeof route.item.name === 'string' ? { path: [...route.path, 'name'], target: 'value' } : firstKeyAnchor(route.item, route.path);
}

interface Unreachable {
  path: Path;
  target: 'key' | 'value';
  message: string;
  istioCode: 'IST0130' | 'IST0131';
}

function routeLabel(route: At & { index: number }, http: boolean): string {
  return http && typeof route.item.name === 'string' && route.item.name !== '' ? `"${route.item.name}"` : `#${route.index}`;
}

function unreachableRules(ctx: RuleContext, kind: 'http' | 'tls' | 'tcp'): Unreachable[] {
  const out: Unreachable[] = [];
  const http = kind === 'http';
  const seen = new Map<string, number>();
  const routes = routesOf(ctx, kind);
  let emptyMatchAt = -1;
  for (const route of routes) {
    const matches = matchesOf(route);
    const label = routeLabel(route, http);
    if (asList(route.item.match).length === 0) {
      if (emptyMatchAt >= 0) {
        out.push({ ...anchorOf(route), istioCode: 'IST0130', message: `VirtualService ${kind} rule ${label} is never used: only the last rule can have no matches, and rule #${emptyMatchAt} before it already matches everything.` });
      }
      emptyMatchAt = route.index;
      continue;
    }
    let duplicates = 0;
    for (const m of matches) {
      if (emptyMatchAt >= 0) {
        out.push({ ...anchorOf(route), istioCode: 'IST0130', message: `VirtualService ${kind} rule ${label} is never used: rule #${emptyMatchAt} before it has no match and catches all traffic. Move the catch-all rule last.` });
        break;
      }
      const key = matchKey(m.item, http);
      const dup = seen.get(key);
      if (dup !== undefined) {
        duplicates++;
        out.push({ ...anchorOf(m), istioCode: 'IST0131', message: `This match of ${kind} rule ${label} is never used: rule ${routeLabel(routes[dup], http)} has the same match earlier.` });
      } else seen.set(key, route.index);
    }
    if (emptyMatchAt < 0 && duplicates === asList(route.item.match).length) {
      out.push({ ...anchorOf(route), istioCode: 'IST0130', message: `VirtualService ${kind} rule ${label} is never used: all its matches are used by earlier rules.` });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rules.

function reportAll(ctx: RuleContext, reports: Report[]): void {
  for (const r of reports) ctx.report(r);
}

export const virtualServiceRules = defineRules([
  {
    code: 'vs-delegate-invalid',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: 'A VirtualService without hosts is a delegate: it cannot have gateways, tls or tcp routes.',
    source: `${VALIDATION}: ValidateVirtualService`,
    check(ctx) {
      if (asList(spec(ctx).hosts).length > 0) return;
      for (const field of ['gateways', 'tls', 'tcp']) {
        if (asList(spec(ctx)[field]).length === 0) continue;
        ctx.report({
          path: ['spec', field],
          target: 'key',
          message: `This VirtualService has no hosts, so it is a delegate, and a delegate virtual service must have no ${field === 'gateways' ? 'gateways' : `${field} routes`}. Add hosts, or remove ${field}.`,
        });
      }
    },
  },
  {
    code: 'vs-no-routes',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: 'A VirtualService needs at least one of http, tcp or tls.',
    source: `${VALIDATION}: ValidateVirtualService`,
    check(ctx) {
      if (['http', 'tcp', 'tls'].some((k) => asList(spec(ctx)[k]).length > 0)) return;
      ctx.report({ path: ['spec'], target: 'key', message: 'http, tcp or tls must be provided in a VirtualService (e.g. http: [{route: [{destination: {host: reviews}}]}]).' });
    },
  },
  {
    code: 'vs-host-invalid',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: "A host is not a valid (wildcard) domain or IP, or is '*' on a VirtualService bound to the mesh.",
    source: `${VALIDATION}: ValidateVirtualService (agent.ValidateWildcardDomain)`,
    check(ctx) {
      const gatewayOnly = appliesToGatewayOnly(ctx);
      const sni = isSniVirtualService(ctx);
      for (const { value, index } of stringItems(spec(ctx).hosts)) {
        const problem = gatewayOnly ? gatewayBoundDomainProblem(sni, value) : wildcardDomainProblem(value);
        const path = ['spec', 'hosts', index];
        if (problem) {
          if (!isIPAddress(value)) ctx.report({ path, message: `Host ${problem}.` });
        } else if (!gatewayOnly && value === '*') {
          ctx.report({ path, message: "Wildcard host '*' is not allowed for virtual services bound to the mesh: list the service hosts, or bind the VirtualService to gateways only (without mesh)." });
        }
      }
    },
  },
  {
    code: 'vs-host-duplicate',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: 'Two hosts overlap (literally or by wildcard, e.g. *.foo.com and a.foo.com).',
    source: `${VALIDATION}: ValidateVirtualService (host.Name.Matches)`,
    check(ctx) {
      const hosts = stringItems(spec(ctx).hosts);
      const gatewayOnly = appliesToGatewayOnly(ctx);
      const sni = isSniVirtualService(ctx);
      const valid = hosts.every(({ value }) => {
        const p = gatewayOnly ? gatewayBoundDomainProblem(sni, value) : wildcardDomainProblem(value);
        return p ? isIPAddress(value) : gatewayOnly || value !== '*';
      });
      if (!valid || hosts.length !== asList(spec(ctx).hosts).length) return;
      for (let i = 0; i < hosts.length; i++) {
        for (let j = i + 1; j < hosts.length; j++) {
          if (!hostsOverlap(hosts[i].value, hosts[j].value)) continue;
          ctx.report({ path: ['spec', 'hosts', hosts[j].index], message: `Duplicate hosts in virtual service: '${hosts[i].value}' and '${hosts[j].value}' overlap; remove one (a wildcard already covers the names under it).` });
        }
      }
    },
  },
  {
    code: 'vs-gateway-ref-invalid',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: "gateways entries (and match gateways) must be 'mesh', '<namespace>/<name>' or a gateway name.",
    source: `${VALIDATION}: validateGatewayNames`,
    check(ctx) {
      for (const { list, path } of gatewayLists(ctx)) {
        for (const { value, index } of checkedGatewayNames(list)) {
          const { problems } = gatewayNameCheck(value);
          if (problems.length > 0) ctx.report({ path: [...path, index], message: `${problems.join('; ')}. Use 'mesh' or '<namespace>/<gateway-name>' (e.g. istio-system/ingressgateway).` });
        }
      }
    },
  },
  {
    code: 'vs-gateway-ref-legacy',
    severity: 'warning',
    kinds: ['VirtualService'],
    summary: "A gateway reference uses the legacy 'name.namespace' form; istiod warns and prefers '<namespace>/<name>'.",
    source: `${VALIDATION}: validateGatewayNames`,
    check(ctx) {
      for (const { list, path } of gatewayLists(ctx)) {
        for (const { value, index } of checkedGatewayNames(list)) {
          const { recommended } = gatewayNameCheck(value);
          if (!recommended) continue;
          ctx.report({
            path: [...path, index],
            message: `Legacy gateway name format '${value}'; prefer the <namespace>/<name> format: '${recommended}'.`,
            fixes: [replaceValueFix(ctx, [...path, index], recommended)],
          });
        }
      }
    },
  },
  {
    code: 'vs-jwt-claim-route-mesh',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: 'Routing on @request.auth.claims headers is only supported on gateways, not the mesh.',
    source: `${VALIDATION}: ValidateVirtualService`,
    check(ctx) {
      if (appliesToGatewayOnly(ctx)) return;
      for (const m of httpMatches(ctx)) {
        for (const field of ['headers', 'withoutHeaders']) {
          for (const name of Object.keys(asObj(m.item[field]) ?? {})) {
            if (!isJwtClaimRoute(name)) continue;
            ctx.report({ path: [...m.path, field, name], target: 'key', message: `JWT claim based routing (${name}) is only supported for gateways; this VirtualService applies to the mesh. Set gateways to ingress gateways only (without mesh).` });
          }
        }
      }
    },
  },
  {
    code: 'vs-route-conflict',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: 'An HTTP route needs exactly one action: route, redirect, directResponse or delegate, with compatible fault/rewrite/mirror.',
    source: `${VS_VALIDATION}: validateHTTPRouteConflict`,
    check(ctx) {
      const isDelegateVs = asList(spec(ctx).hosts).length === 0;
      for (const r of routesOf(ctx, 'http')) reportAll(ctx, routeConflicts(r, isDelegateVs));
    },
  },
  {
    code: 'vs-match-invalid',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: 'A match has an empty prefix/regex, an invalid header name, an invalid port or sourceNamespace.',
    source: `${VS_VALIDATION}: validateHTTPRouteMatchRequest; ${VALIDATION}: validateStringMatch`,
    check(ctx) {
      for (const m of httpMatches(ctx)) {
        for (const { sm, path, where, allowEmptyPrefix } of stringMatchesOf(m)) {
          if (sm.prefix === '' && !allowEmptyPrefix) ctx.report({ path: [...path, 'prefix'], message: `${where}: a prefix string match must not be empty; remove the match or use a non-empty prefix.` });
          if (sm.regex === '') ctx.report({ path: [...path, 'regex'], message: `${where}: a regex string match must not be empty; use '.*' to match anything.` });
        }
        for (const field of ['headers', 'withoutHeaders']) {
          for (const name of Object.keys(asObj(m.item[field]) ?? {})) {
            const problem = matchHeaderNameProblem(name);
            if (problem) ctx.report({ path: [...m.path, field, name], target: 'key', message: `${field}: ${problem}.` });
          }
        }
        const port = num(m.item.port);
        if (port !== undefined && port !== 0 && port > 65535) ctx.report({ path: [...m.path, 'port'], message: `Match port ${port} must be in the range 1..65535.` });
        const ns = m.item.sourceNamespace;
        if (typeof ns === 'string' && ns !== '' && !isDNS1123Label(ns)) ctx.report({ path: [...m.path, 'sourceNamespace'], message: `sourceNamespace '${ns}' is not a valid namespace name (DNS-1123 label).` });
      }
      for (const kind of ['tls', 'tcp'] as const) {
        for (const r of routesOf(ctx, kind)) {
          for (const m of matchesOf(r)) {
            const port = num(m.item.port);
            if (port !== undefined && port > 65535) ctx.report({ path: [...m.path, 'port'], message: `Match port ${port} must be in the range 1..65535.` });
            for (const { value, index } of stringItems(m.item.destinationSubnets)) {
              const ok = value.split('/').length === 2 ? isCIDR(value) : isIPAddress(value);
              if (!ok) ctx.report({ path: [...m.path, 'destinationSubnets', index], message: `destinationSubnets entry '${value}' is not a valid IP address or CIDR block (e.g. 10.0.0.0/16).` });
            }
          }
        }
      }
    },
  },
  {
    code: 'vs-regex-invalid',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: 'A regex (match, CORS origin, uriRegexRewrite) is not valid RE2 or is longer than 1024 characters.',
    source: `${VALIDATION}: validateStringRegexp`,
    check(ctx) {
      for (const m of httpMatches(ctx)) {
        for (const { sm, path, where } of stringMatchesOf(m)) {
          if (typeof sm.regex !== 'string' || sm.regex === '') continue;
          const problem = regexProblem(sm.regex, where);
          if (problem) ctx.report({ path: [...path, 'regex'], message: problem });
        }
      }
      for (const r of routesOf(ctx, 'http')) {
        for (const { item, index } of objItems(asObj(r.item.corsPolicy)?.allowOrigins)) {
          if (typeof item.regex !== 'string' || item.regex === '') continue;
          const problem = regexProblem(item.regex, 'corsPolicy.allowOrigins');
          if (problem) ctx.report({ path: [...r.path, 'corsPolicy', 'allowOrigins', index, 'regex'], message: problem });
        }
        const rr = asObj(asObj(r.item.rewrite)?.uriRegexRewrite);
        if (rr && typeof rr.match === 'string' && rr.match !== '') {
          const problem = regexProblem(rr.match, 'rewrite.uriRegexRewrite.match');
          if (problem) ctx.report({ path: [...r.path, 'rewrite', 'uriRegexRewrite', 'match'], message: problem });
        }
      }
    },
  },
  {
    code: 'vs-header-name-invalid',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: 'A header operation names a pseudo-header (":path") or Host where Envoy cannot change it.',
    source: `${VALIDATION}: ValidateHTTPHeaderWithAuthorityOperationName, ValidateHTTPHeaderOperationName`,
    check(ctx) {
      for (const { headers, path } of headerBlocks(ctx)) {
        for (const side of ['request', 'response'] as const) {
          const ops = asObj(headers[side]);
          if (!ops) continue;
          for (const op of ['add', 'set']) {
            for (const name of Object.keys(asObj(ops[op]) ?? {})) {
              const problem = side === 'request' ? requestSetNameProblem(name) : operationNameProblem(name);
              if (problem) ctx.report({ path: [...path, side, op, name], target: 'key', message: `headers.${side}.${op}: ${problem}.` });
            }
          }
          for (const { value, index } of stringItems(ops.remove)) {
            const problem = operationNameProblem(value);
            if (problem) ctx.report({ path: [...path, side, 'remove', index], message: `headers.${side}.remove: ${problem}.` });
          }
        }
      }
    },
  },
  {
    code: 'vs-header-value-invalid',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: "A header value has a lone '%' or a malformed %VARIABLE% (Envoy's header formatter), or control characters.",
    source: 'pkg/config/validation/header_value_validator.go: validateHeaderValue',
    check(ctx) {
      for (const { headers, path } of headerBlocks(ctx)) {
        for (const side of ['request', 'response'] as const) {
          for (const op of ['add', 'set']) {
            for (const [name, value] of Object.entries(asObj(asObj(headers[side])?.[op]) ?? {})) {
              if (typeof value !== 'string') continue;
              const problem = headerValueProblem(value);
              if (!problem) continue;
              const valuePath = [...path, side, op, name];
              const fixed = escapePercents(value);
              ctx.report({
                path: valuePath,
                message: `Header value for '${name}': ${problem}.`,
                fixes: fixed ? [replaceValueFix(ctx, valuePath, fixed, "Escape '%' as '%%'")] : undefined,
              });
            }
          }
        }
      }
    },
  },
  {
    code: 'vs-authority-rewrite-conflict',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: 'The authority is rewritten in more than one place (rewrite.authority and a :authority/Host header).',
    source: `${VS_VALIDATION}: validateAuthorityRewrite`,
    check(ctx) {
      for (const r of routesOf(ctx, 'http')) {
        let current = typeof asObj(r.item.rewrite)?.authority === 'string' ? String(asObj(r.item.rewrite)?.authority) : '';
        const req = asObj(asObj(r.item.headers)?.request);
        for (const op of ['set', 'add']) {
          for (const [name, value] of Object.entries(asObj(req?.[op]) ?? {})) {
            if (!isAuthorityHeader(name)) continue;
            if (current !== '') {
              ctx.report({ path: [...r.path, 'headers', 'request', op, name], target: 'key', message: `The authority is already set to '${current}'; it cannot be set again to '${String(value)}'. Keep one of rewrite.authority or the ${name} header.` });
              break;
            }
            current = String(value);
          }
        }
      }
    },
  },
  {
    code: 'vs-cors-invalid',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: 'corsPolicy has an empty origin, an unknown method, an invalid header name or a maxAge that is not whole seconds.',
    source: `${VALIDATION}: validateCORSPolicy`,
    check(ctx) {
      for (const r of routesOf(ctx, 'http')) {
        const cors = asObj(r.item.corsPolicy);
        if (!cors) continue;
        const base = [...r.path, 'corsPolicy'];
        for (const { item, index } of objItems(cors.allowOrigins)) {
          const value = item.exact ?? item.prefix ?? item.regex;
          if (value === '' || value === undefined) ctx.report({ path: [...base, 'allowOrigins', index], message: "corsPolicy.allowOrigins entries need a non-empty exact, prefix or regex (e.g. exact: https://example.com)." });
        }
        for (const { value, index } of stringItems(cors.allowMethods)) {
          if (CORS_METHODS.includes(value)) continue;
          const fix = CORS_METHODS.find((m) => m === value.toUpperCase());
          const path = [...base, 'allowMethods', index];
          ctx.report({ path, message: `'${value}' is not a supported HTTP method; use one of ${CORS_METHODS.join(', ')} (upper case).`, fixes: fix ? [replaceValueFix(ctx, path, fix)] : undefined });
        }
        for (const field of ['allowHeaders', 'exposeHeaders']) {
          for (const { value, index } of stringItems(cors[field])) {
            if (value === '*' || TCHAR_NAME.test(value)) continue;
            ctx.report({ path: [...base, field, index], message: `${field}: '${value}' is not a valid header name${value === '' ? ' (empty)' : ''}.` });
          }
        }
        if (typeof cors.maxAge === 'string') {
          const problem = durationProblem('corsPolicy.maxAge', cors.maxAge, { precision: 's' });
          if (problem) ctx.report({ path: [...base, 'maxAge'], message: problem });
        }
      }
    },
  },
  {
    code: 'vs-cors-allow-origin-deprecated',
    severity: 'warning',
    kinds: ['VirtualService'],
    summary: 'corsPolicy.allowOrigin (a list of exact strings) is deprecated; use allowOrigins with exact/prefix/regex.',
    source: 'istio.io/api networking/v1alpha3 CorsPolicy.allow_origin (deprecated); pilot/pkg/networking/core/route/route.go still reads it',
    check(ctx) {
      for (const r of routesOf(ctx, 'http')) {
        const cors = asObj(r.item.corsPolicy);
        if (!cors || cors.allowOrigin === undefined) continue;
        ctx.report({
          path: [...r.path, 'corsPolicy', 'allowOrigin'],
          target: 'key',
          tags: ['deprecated'],
          message: 'corsPolicy.allowOrigin is deprecated (its entries are exact matches only); use allowOrigins with a StringMatch per origin, e.g. allowOrigins: [{exact: https://example.com}].',
        });
      }
    },
  },
  {
    code: 'vs-fault-invalid',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: 'fault needs abort and/or delay; percentages 0-100; HTTP status 200-600; known gRPC status; no http2Error or exponentialDelay.',
    source: `${VALIDATION}: validateHTTPFaultInjection`,
    check(ctx) {
      for (const r of routesOf(ctx, 'http')) reportAll(ctx, faultProblems(r));
    },
  },
  {
    code: 'vs-fault-abort-no-error',
    severity: 'warning',
    kinds: ['VirtualService'],
    summary: 'fault.abort without httpStatus, grpcStatus or http2Error does nothing (istiod warns).',
    source: `${VALIDATION}: validateHTTPFaultInjectionAbort`,
    check(ctx) {
      for (const r of routesOf(ctx, 'http')) {
        const abort = asObj(asObj(r.item.fault)?.abort);
        if (!abort || ['httpStatus', 'grpcStatus', 'http2Error'].some((k) => isSet(abort, k))) continue;
        ctx.report({ path: [...r.path, 'fault', 'abort'], target: 'key', message: 'fault.abort is configured without an error type: add httpStatus (e.g. 503) or grpcStatus (e.g. UNAVAILABLE).' });
      }
    },
  },
  {
    code: 'vs-mirror-invalid',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: 'mirror and mirrors together, or a mirror percentage outside 0-100.',
    source: `${VS_VALIDATION}: validateHTTPRoute; ${VALIDATION}: validateHTTPMirrors`,
    check(ctx) {
      for (const r of routesOf(ctx, 'http')) {
        if (isSet(r.item, 'mirror') && asList(r.item.mirrors).length > 0) {
          ctx.report({ path: [...r.path, 'mirrors'], target: 'key', message: 'An HTTP route cannot contain both mirror and mirrors; move the mirror destination into mirrors.' });
        }
        const legacy = num(r.item.mirrorPercent);
        if (legacy !== undefined && legacy > 100) ctx.report({ path: [...r.path, 'mirrorPercent'], message: `mirrorPercent must be at most 100 (it is ${legacy}).` });
        const checkPct = (v: unknown, path: Path, label: string): void => {
          const pct = percentValue(v);
          if (pct !== undefined && (pct > 100 || pct < 0)) ctx.report({ path: [...path, 'value'], message: `${label} must be between 0 and 100 (it is ${pct}).` });
        };
        checkPct(r.item.mirrorPercentage, [...r.path, 'mirrorPercentage'], 'mirrorPercentage');
        for (const { item, index } of objItems(r.item.mirrors)) checkPct(item.percentage, [...r.path, 'mirrors', index, 'percentage'], 'mirrors percentage');
      }
    },
  },
  {
    code: 'vs-mirror-percent-deprecated',
    severity: 'warning',
    kinds: ['VirtualService'],
    summary: 'mirrorPercent is deprecated (istiod warns); use mirrorPercentage.',
    source: `${VS_VALIDATION}: validateHTTPRoute`,
    check(ctx) {
      for (const r of routesOf(ctx, 'http')) {
        if (!isSet(r.item, 'mirrorPercent')) continue;
        ctx.report({ path: [...r.path, 'mirrorPercent'], target: 'key', tags: ['deprecated'], message: 'mirrorPercent is deprecated; use mirrorPercentage: {value: <0-100>} instead.' });
      }
    },
  },
  {
    code: 'vs-destination-invalid',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: "A destination host is '*' or not a valid domain, its subset is not a DNS-1123 label, or its port is outside 1-65535.",
    source: `${VALIDATION}: validateDestination, validateSubsetName, validatePortSelector`,
    check(ctx) {
      for (const { dest, path } of destinationsOf(ctx)) {
        if (typeof dest.host === 'string') {
          const problem = dest.host === '*' ? "'*' is not a valid destination host; name a service (e.g. reviews or reviews.default.svc.cluster.local)" : wildcardDomainProblem(dest.host);
          if (problem) ctx.report({ path: [...path, 'host'], message: `Destination host: ${problem}.` });
        }
        if (typeof dest.subset === 'string' && dest.subset !== '' && !isDNS1123Label(dest.subset)) {
          ctx.report({ path: [...path, 'subset'], message: `Subset name '${dest.subset}' is invalid: use a DNS-1123 label (lower-case letters, digits and "-", e.g. v1).` });
        }
        const port = asObj(dest.port);
        const n = num(port?.number) ?? 0;
        if (port && (n < 1 || n > 65535)) {
          const hasNumber = isSet(port, 'number');
          ctx.report({ path: [...path, 'port', ...(hasNumber ? ['number'] : [])], target: hasNumber ? 'value' : 'key', message: `Destination port number ${n} must be in the range 1..65535.` });
        }
      }
    },
  },
  {
    code: 'vs-weight-invalid',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: 'A route weight is negative, or several destinations all have weight 0.',
    source: `${VALIDATION}: validateHTTPRouteDestinations, validateRouteDestinations`,
    check(ctx) {
      for (const kind of ['http', 'tls', 'tcp'] as const) {
        for (const r of routesOf(ctx, kind)) {
          const dests = objItems(r.item.route);
          let total = 0;
          for (const { item, index } of dests) {
            const w = num(item.weight) ?? 0;
            if (w < 0) ctx.report({ path: [...r.path, 'route', index, 'weight'], message: `Weight ${w} must not be negative.` });
            total += w;
          }
          if (asList(r.item.route).length > 1 && total === 0) {
            ctx.report({ path: [...r.path, 'route'], target: 'key', message: 'The total destination weight is 0: give at least one destination a positive weight (Istio normalizes weights, they need not sum to 100).' });
          }
        }
      }
    },
  },
  {
    code: 'vs-redirect-invalid',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: 'A redirect changes nothing, has a non-3xx redirectCode, a scheme other than http/https, or a port outside 1-65535.',
    source: `${VALIDATION}: validateHTTPRedirect`,
    check(ctx) {
      for (const r of routesOf(ctx, 'http')) {
        const red = asObj(r.item.redirect);
        if (!red) continue;
        const base = [...r.path, 'redirect'];
        const setStr = (k: string): boolean => typeof red[k] === 'string' && red[k] !== '';
        if (!setStr('uri') && !setStr('authority') && !setStr('scheme') && !isSet(red, 'port') && !isSet(red, 'derivePort')) {
          ctx.report({ path: base, target: 'key', message: 'A redirect must specify uri, authority, scheme or port.' });
          continue;
        }
        const code = num(red.redirectCode);
        if (code !== undefined && code !== 0 && (code < 300 || code > 399)) {
          ctx.report({ path: [...base, 'redirectCode'], message: `${code} is not a valid redirect code; use a 3xx code such as 301 or 302.` });
          continue;
        }
        if (setStr('scheme') && red.scheme !== 'http' && red.scheme !== 'https') {
          const path = [...base, 'scheme'];
          const lower = String(red.scheme).toLowerCase();
          ctx.report({ path, message: `Invalid redirect scheme '${String(red.scheme)}': it must be "http" or "https".`, fixes: lower === 'http' || lower === 'https' ? [replaceValueFix(ctx, path, lower)] : undefined });
          continue;
        }
        const port = num(red.port);
        if (port !== undefined && port > 65535) ctx.report({ path: [...base, 'port'], message: `Redirect port ${port} must be in the range 1..65535.` });
      }
    },
  },
  {
    code: 'vs-direct-response-invalid',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: 'directResponse status must be 200-600 and its body under 1MB (over 100KB is a warning).',
    source: `${VALIDATION}: validateHTTPDirectResponse`,
    check(ctx) {
      for (const r of routesOf(ctx, 'http')) {
        const dr = asObj(r.item.directResponse);
        if (!dr) continue;
        const base = [...r.path, 'directResponse'];
        const body = asObj(dr.body);
        const text = typeof body?.string === 'string' ? body.string : typeof body?.bytes === 'string' ? body.bytes : undefined;
        if (text !== undefined) {
          const size = typeof body?.string === 'string' ? Buffer.byteLength(text, 'utf8') : Math.floor((text.replace(/=+$/, '').length * 3) / 4);
          const key = typeof body?.string === 'string' ? 'string' : 'bytes';
          if (size > 1024 * 1024) ctx.report({ path: [...base, 'body', key], target: 'key', message: `The directResponse body is ${size} bytes; it must be less than 1MB (large direct responses impact control plane performance).` });
          else if (size > 100 * 1024) ctx.report({ path: [...base, 'body', key], target: 'key', severity: 'warning', message: `The directResponse body is ${size} bytes; bodies over 100KB may impact control plane performance.` });
        }
        const status = num(dr.status);
        if (status !== undefined && (status < 200 || status > 600)) ctx.report({ path: [...base, 'status'], message: `HTTP status ${status} is not in range 200-599.` });
      }
    },
  },
  {
    code: 'vs-retry-invalid',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: 'retries: attempts negative, settings with attempts 0, or an unknown retryOn policy (comma-separated, no spaces).',
    source: `${VALIDATION}: validateHTTPRetry`,
    check(ctx) {
      for (const r of routesOf(ctx, 'http')) {
        const retries = asObj(r.item.retries);
        if (!retries) continue;
        const base = [...r.path, 'retries'];
        const attempts = num(retries.attempts) ?? 0;
        if (attempts < 0) ctx.report({ path: [...base, 'attempts'], message: `attempts ${attempts} cannot be negative.` });
        const retryOn = typeof retries.retryOn === 'string' ? retries.retryOn : '';
        if (attempts === 0 && (isSet(retries, 'perTryTimeout') || retryOn !== '' || isSet(retries, 'retryRemoteLocalities'))) {
          ctx.report({ path: isSet(retries, 'attempts') ? [...base, 'attempts'] : base, target: isSet(retries, 'attempts') ? 'value' : 'key', message: 'A retry policy is configured but attempts is 0 (retries disabled): set attempts (e.g. 3) or remove the other retry settings.' });
        }
        if (retryOn !== '') {
          const bad = retryOn.split(',').filter((p) => !isValidRetryOn(p));
          if (bad.length > 0) {
            const fixedParts = retryOn.split(',').map((p) => (isValidRetryOn(p) ? p : isValidRetryOn(p.trim()) ? p.trim() : closestValue(p.trim(), RETRY_ON_POLICIES, 2)));
            const fixed = fixedParts.every((p): p is string => p !== undefined) ? fixedParts.join(',') : undefined;
            ctx.report({
              path: [...base, 'retryOn'],
              message: `retryOn: ${bad.map((b) => `'${b}'`).join(', ')} ${bad.length > 1 ? 'are not valid policies' : 'is not a valid policy'}. Use comma-separated values without spaces from ${RETRY_ON_POLICIES.join(', ')}, or HTTP status codes.`,
              fixes: fixed ? [replaceValueFix(ctx, [...base, 'retryOn'], fixed)] : undefined,
            });
          }
        }
      }
    },
  },
  {
    code: 'vs-rewrite-invalid',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: 'rewrite sets both uri and uriRegexRewrite, sets nothing, or uriRegexRewrite lacks match or rewrite.',
    source: `${VALIDATION}: validateHTTPRewrite, validateURIRegexRewrite`,
    check(ctx) {
      for (const r of routesOf(ctx, 'http')) {
        const rw = asObj(r.item.rewrite);
        if (!rw) continue;
        const base = [...r.path, 'rewrite'];
        const uri = typeof rw.uri === 'string' && rw.uri !== '';
        const rr = asObj(rw.uriRegexRewrite);
        if (uri && rr) ctx.report({ path: [...base, 'uriRegexRewrite'], target: 'key', message: 'rewrite may only contain one of uri or uriRegexRewrite.' });
        else if (!uri && !rr && !(typeof rw.authority === 'string' && rw.authority !== '')) {
          ctx.report({ path: base, target: 'key', message: 'rewrite must specify at least one of uri, uriRegexRewrite or authority.' });
        } else if (rr && (typeof rr.match !== 'string' || rr.match === '' || typeof rr.rewrite !== 'string' || rr.rewrite === '')) {
          ctx.report({ path: [...base, 'uriRegexRewrite'], target: 'key', message: "uriRegexRewrite requires both match and rewrite (e.g. match: ^/service/([^/]+)(/.*)$, rewrite: \\2/instance/\\1)." });
        }
      }
    },
  },
  {
    code: 'vs-duration-invalid',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: 'timeout, retries.perTryTimeout, retries.backoff or fault delays have sub-millisecond precision.',
    source: 'pkg/config/validation/agent/validation.go: ValidateDuration',
    check(ctx) {
      for (const r of routesOf(ctx, 'http')) {
        const retries = asObj(r.item.retries);
        const delay = asObj(asObj(r.item.fault)?.delay);
        const fields: Array<[unknown, Path, string]> = [
          [r.item.timeout, [...r.path, 'timeout'], 'timeout'],
          [retries?.perTryTimeout, [...r.path, 'retries', 'perTryTimeout'], 'retries.perTryTimeout'],
          [retries?.backoff, [...r.path, 'retries', 'backoff'], 'retries.backoff'],
          [delay?.fixedDelay, [...r.path, 'fault', 'delay', 'fixedDelay'], 'fault.delay.fixedDelay'],
        ];
        for (const [value, path, label] of fields) {
          if (typeof value !== 'string') continue;
          const problem = durationProblem(label, value);
          if (problem) ctx.report({ path, message: problem });
        }
      }
    },
  },
  {
    code: 'vs-tls-route-invalid',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: 'A tls route needs matches with sniHosts that are valid and within the VirtualService hosts, and a route.',
    source: `${VALIDATION}: validateTLSRoute, validateTLSMatch, validateSniHost`,
    check(ctx) {
      const gatewayOnly = appliesToGatewayOnly(ctx);
      const hosts = hostsOf(ctx);
      for (const r of routesOf(ctx, 'tls')) {
        if (Array.isArray(r.item.match) && r.item.match.length === 0) ctx.report({ path: [...r.path, 'match'], target: 'key', message: 'A TLS route must have at least one match condition with sniHosts.' });
        if (asList(r.item.route).length === 0) ctx.report({ ...(isSet(r.item, 'route') ? { path: [...r.path, 'route'], target: 'key' as const } : anchorOf(r)), message: 'A TLS route needs a route (destinations to forward to).' });
        for (const m of matchesOf(r)) {
          const snis = stringItems(m.item.sniHosts);
          if (Array.isArray(m.item.sniHosts) && m.item.sniHosts.length === 0) ctx.report({ path: [...m.path, 'sniHosts'], target: 'key', message: 'A TLS match must have at least one SNI host.' });
          for (const { value, index } of snis) {
            const path = [...m.path, 'sniHosts', index];
            const problem = gatewayOnly ? gatewayBoundDomainProblem(true, value) : wildcardDomainProblem(value);
            if (problem) {
              if (isIPAddress(value)) ctx.report({ path, severity: 'warning', message: `Using an IP address ('${value}') as SNI goes against the SNI spec and most clients do not send it; use a host name.` });
              else ctx.report({ path, message: `SNI host ${problem}.` });
            } else if (!hosts.some((h) => hostSubsetOf(value, h))) {
              ctx.report({ path, message: `SNI host '${value}' is not covered by any of the VirtualService hosts [${hosts.join(', ')}]; add it to hosts or use one of them.` });
            }
          }
        }
      }
    },
  },
  {
    code: 'vs-tcp-route-invalid',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: 'A tcp route needs a route.',
    source: `${VALIDATION}: validateTCPRoute`,
    check(ctx) {
      for (const r of routesOf(ctx, 'tcp')) {
        if (asList(r.item.route).length > 0) continue;
        ctx.report({ ...(isSet(r.item, 'route') ? { path: [...r.path, 'route'], target: 'key' as const } : anchorOf(r)), message: 'A TCP route needs a route (destinations to forward to).' });
      }
    },
  },
  {
    code: 'vs-export-to-invalid',
    severity: 'error',
    kinds: ['VirtualService'],
    summary: "exportTo entries must be '.', '*' or namespace names, without duplicates or mixing '*'.",
    source: `${VALIDATION}: validateExportTo`,
    check(ctx) {
      reportExportTo(ctx, false);
    },
  },
  {
    code: 'vs-unreachable-rule',
    severity: 'warning',
    kinds: ['VirtualService'],
    summary: 'A route is never used: an earlier rule has no match (catch-all) or already uses all its matches (IST0130).',
    source: `${VALIDATION}: analyzeUnreachableHTTPRules/TCPRules/TLSRules; msg VirtualServiceUnreachableRule`,
    check(ctx) {
      reportUnreachable(ctx, 'IST0130');
    },
  },
  {
    code: 'vs-ineffective-match',
    severity: 'information',
    kinds: ['VirtualService'],
    summary: 'A match repeats a match of an earlier rule, so it never applies (IST0131).',
    source: `${VALIDATION}: analyzeUnreachableHTTPRules/TCPRules/TLSRules; msg VirtualServiceIneffectiveMatch`,
    check(ctx) {
      reportUnreachable(ctx, 'IST0131');
    },
  },
]);

/** The entries istiod looks at: it stops after the first entry without a slash. */
function checkedGatewayNames(list: Array<{ value: string; index: number }>): Array<{ value: string; index: number }> {
  const stop = list.findIndex((g) => !g.value.includes('/'));
  return stop === -1 ? list : list.slice(0, stop + 1);
}

/** gateways lists istiod validates: spec.gateways and every match's gateways. */
function gatewayLists(ctx: RuleContext): Array<{ list: Array<{ value: string; index: number }>; path: Path }> {
  const out = [{ list: stringItems(spec(ctx).gateways), path: ['spec', 'gateways'] as Path }];
  for (const kind of ['http', 'tls', 'tcp'] as const) {
    for (const r of routesOf(ctx, kind)) for (const m of matchesOf(r)) out.push({ list: stringItems(m.item.gateways), path: [...m.path, 'gateways'] });
  }
  return out;
}

function reportUnreachable(ctx: RuleContext, istioCode: Unreachable['istioCode']): void {
  for (const kind of ['http', 'tls', 'tcp'] as const) {
    for (const u of unreachableRules(ctx, kind)) if (u.istioCode === istioCode) ctx.report({ path: u.path, target: u.target, istioCode, message: u.message });
  }
}

function routeConflicts(r: At, isDelegateVs: boolean): Report[] {
  const out: Report[] = [];
  const has = (k: string): boolean => isSet(r.item, k);
  const routeSet = has('route');
  const routeItems = asList(r.item.route).length > 0;
  const at = (k: string, message: string): void => void out.push({ path: [...r.path, k], target: 'key', message });
  if (has('delegate') && !isDelegateVs) {
    if (has('redirect')) at('redirect', 'A root HTTP route with delegate must not specify redirect; the delegate VirtualService handles the request.');
    if (routeSet) at('route', 'A root HTTP route with delegate must not specify route; the delegate VirtualService handles the request.');
    return out;
  }
  if (isDelegateVs && has('delegate')) at('delegate', 'A delegate VirtualService (no hosts) cannot itself delegate: delegation is one level deep.');
  if (has('redirect')) {
    if (routeItems) at('route', 'An HTTP route cannot contain both route and redirect; keep one.');
    if (has('fault')) at('fault', 'An HTTP route cannot contain both fault and redirect.');
    if (has('rewrite')) at('rewrite', 'An HTTP route cannot contain both rewrite and redirect.');
    if (has('directResponse')) at('directResponse', 'An HTTP route cannot contain both directResponse and redirect.');
  } else if (has('directResponse')) {
    if (routeItems) at('route', 'An HTTP route cannot contain both route and directResponse; keep one.');
    if (has('fault')) at('fault', 'An HTTP route cannot contain both fault and directResponse.');
    if (has('rewrite')) at('rewrite', 'An HTTP route cannot contain both rewrite and directResponse.');
  } else if (!routeItems) {
    out.push({ ...anchorOf(r), message: 'An HTTP route needs route, redirect or directResponse (or delegate on a root VirtualService).' });
  }
  return out;
}

function faultProblems(r: At): Report[] {
  const fault = asObj(r.item.fault);
  if (!fault) return [];
  const base = [...r.path, 'fault'];
  const out: Report[] = [];
  const abort = asObj(fault.abort);
  const delay = asObj(fault.delay);
  if (!abort && !delay) out.push({ path: base, target: 'key', message: 'HTTP fault injection must have an abort and/or a delay.' });
  const pct = (v: unknown, path: Path): void => {
    const p = percentValue(v);
    if (p !== undefined && (p < 0 || p > 100 || (p > 0 && p < 0.0001))) out.push({ path: [...path, 'value'], message: `percentage ${p} is neither 0 nor in range [0.0001, 100].` });
  };
  if (abort) {
    pct(abort.percentage, [...base, 'abort', 'percentage']);
    const status = num(abort.httpStatus);
    if (status !== undefined && (status < 200 || status > 600)) out.push({ path: [...base, 'abort', 'httpStatus'], message: `HTTP status ${status} is not in range 200-599.` });
    if (typeof abort.grpcStatus === 'string' && !GRPC_STATUSES.includes(abort.grpcStatus)) {
      out.push({ path: [...base, 'abort', 'grpcStatus'], message: `gRPC status '${abort.grpcStatus}' is not supported; use a code name such as NOT_FOUND or UNAVAILABLE.` });
    }
    if (isSet(abort, 'http2Error')) out.push({ path: [...base, 'abort', 'http2Error'], target: 'key', message: 'HTTP/2 abort fault injection (http2Error) is not supported yet; use httpStatus or grpcStatus.' });
  }
  if (delay) {
    pct(delay.percentage, [...base, 'delay', 'percentage']);
    if (isSet(delay, 'exponentialDelay')) out.push({ path: [...base, 'delay', 'exponentialDelay'], target: 'key', message: 'exponentialDelay is not supported yet; use fixedDelay.' });
  }
  return out;
}
