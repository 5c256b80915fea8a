/**
 * One VirtualService `http` entry → HTTPRoute rule(s): matches (httpMatch.ts), backendRefs with
 * weights, RequestRedirect, URLRewrite, header modifiers, RequestMirror, CORS and timeouts, as
 * istiod maps them back (pilot/pkg/config/kube/gateway/conversion.go convertHTTPRoute).
 *
 * A rewrite with `uri` becomes ReplacePrefixMatch for a prefix match, ReplaceFullPath for an exact
 * or regex match; Gateway API allows ReplacePrefixMatch only in a rule with exactly one PathPrefix
 * match, so an entry with several matches becomes one rule per match (rules are not ordered in
 * Gateway API, so nothing else changes). What has no equivalent (retries, fault injection,
 * delegate, direct responses, regex rewrites...) is noted with its field path.
 */
import type { Path } from '../../model/locate';
import { backendRef, note, type RuleComment, type RuleEnv } from './backends';
import { HEADER_NAME, PRECISE_HOSTNAME, SECTION_NAME, asRecord, asString, durationSeconds, gatewayDuration, stringList, type Obj } from './common';
import { convertMatch } from './httpMatch';

export type { RuleComment, RuleEnv } from './backends';

export interface RuleOut {
  rule: Obj;
  comments: RuleComment[];
}

/** A header operations block (set/add/remove) as a Gateway API header filter body. */
function headerFilter(ops: Obj | undefined, at: Path, env: RuleEnv): Obj | undefined {
  if (!ops) return undefined;
  const out: Obj = {};
  for (const op of ['set', 'add'] as const) {
    const entries = Object.entries(asRecord(ops[op]) ?? {}).filter(([name]) => HEADER_NAME.test(name));
    if (entries.length > 0) out[op] = entries.map(([name, value]) => ({ name, value: asString(value) ?? '' }));
  }
  const remove = stringList(ops.remove);
  if (remove.length > 0) out.remove = remove;
  const dropped = [...Object.keys(asRecord(ops.set) ?? {}), ...Object.keys(asRecord(ops.add) ?? {})].filter((n) => !HEADER_NAME.test(n));
  if (dropped.length > 0) note(env, at, 'gwapi-unconvertible', 'warning', `headers ${dropped.join(', ')}: not a Gateway API header name; not converted.`);
  return Object.keys(out).length > 0 ? out : undefined;
}

function headerFilters(headers: Obj | undefined, at: Path, env: RuleEnv): Obj[] {
  const out: Obj[] = [];
  const req = headerFilter(asRecord(headers?.request), [...at, 'request'], env);
  if (req) out.push({ type: 'RequestHeaderModifier', requestHeaderModifier: req });
  const res = headerFilter(asRecord(headers?.response), [...at, 'response'], env);
  if (res) out.push({ type: 'ResponseHeaderModifier', responseHeaderModifier: res });
  return out;
}

function backendRefs(entry: Obj, at: Path, env: RuleEnv, comments: RuleComment[]): Obj[] {
  const routes = Array.isArray(entry.route) ? entry.route : [];
  const out: Obj[] = [];
  routes.forEach((raw, j) => {
    const rd = asRecord(raw);
    const dest = asRecord(rd?.destination);
    if (!rd || !dest) return;
    const rel: Path = ['backendRefs', out.length];
    const ref = backendRef(dest, [...at, 'route', j, 'destination'], env, 'HTTPRoute', comments, rel);
    if (!ref) return;
    if (typeof rd.weight === 'number' && routes.length > 1) ref.weight = rd.weight;
    const filters = headerFilters(asRecord(rd.headers), [...at, 'route', j, 'headers'], env);
    if (filters.length > 0) ref.filters = filters;
    out.push(ref);
  });
  return out;
}

function redirectFilter(redirect: Obj, at: Path, env: RuleEnv): Obj {
  const out: Obj = {};
  const scheme = asString(redirect.scheme);
  if (scheme === 'http' || scheme === 'https') out.scheme = scheme;
  else if (scheme !== undefined) note(env, [...at, 'scheme'], 'gwapi-unconvertible', 'warning', `redirect scheme ${JSON.stringify(scheme)}: Gateway API redirects to http or https only; not converted.`);
  const authority = asString(redirect.authority);
  if (authority !== undefined) {
    const [host, port] = authority.split(':');
    if (PRECISE_HOSTNAME.test(host.toLowerCase())) out.hostname = host.toLowerCase();
    else note(env, [...at, 'authority'], 'gwapi-unconvertible', 'warning', `redirect authority ${JSON.stringify(authority)} is not a Gateway API hostname; not converted.`);
    if (port !== undefined && /^\d+$/.test(port)) out.port = Number(port);
  }
  if (typeof redirect.port === 'number') out.port = redirect.port;
  const derive = asString(redirect.derivePort);
  if ((derive === 'FROM_PROTOCOL_DEFAULT' && out.scheme === undefined) || (derive === 'FROM_REQUEST_PORT' && out.scheme !== undefined)) {
    note(env, [...at, 'derivePort'], 'gwapi-unconvertible', 'warning', `redirect derivePort ${derive}: Gateway API derives the port from the scheme when one is set, else keeps the listener's; not expressible here.`);
  }
  const uri = asString(redirect.uri);
  if (uri !== undefined) out.path = { type: 'ReplaceFullPath', replaceFullPath: uri };
  out.statusCode = typeof redirect.redirectCode === 'number' ? redirect.redirectCode : 301;
  return { type: 'RequestRedirect', requestRedirect: out };
}

/** The URLRewrite for a rule whose single match is `match` (the rewrite depends on the match type). */
function rewriteFilter(rewrite: Obj, match: Obj | undefined, at: Path, env: RuleEnv): Obj | undefined {
  const out: Obj = {};
  const uri = asString(rewrite.uri);
  if (uri !== undefined) {
    const type = asString(asRecord(match?.path)?.type) ?? 'PathPrefix';
    out.path = type === 'PathPrefix' ? { type: 'ReplacePrefixMatch', replacePrefixMatch: uri } : { type: 'ReplaceFullPath', replaceFullPath: uri };
  }
  const authority = asString(rewrite.authority);
  if (authority !== undefined) {
    if (PRECISE_HOSTNAME.test(authority.toLowerCase())) out.hostname = authority.toLowerCase();
    else note(env, [...at, 'authority'], 'gwapi-unconvertible', 'warning', `rewrite authority ${JSON.stringify(authority)} is not a Gateway API hostname; not converted.`);
  }
  return Object.keys(out).length > 0 ? { type: 'URLRewrite', urlRewrite: out } : undefined;
}

function mirrorFilters(entry: Obj, at: Path, env: RuleEnv, comments: RuleComment[]): Obj[] {
  const mirrors: Array<{ dest: Obj; percent?: number; path: Path }> = [];
  const single = asRecord(entry.mirror);
  if (single) {
    const pct = asRecord(entry.mirrorPercentage)?.value ?? entry.mirrorPercent;
    mirrors.push({ dest: single, percent: typeof pct === 'number' ? pct : undefined, path: [...at, 'mirror'] });
  }
  (Array.isArray(entry.mirrors) ? entry.mirrors : []).forEach((raw, j) => {
    const m = asRecord(raw);
    const dest = asRecord(m?.destination);
    const pct = asRecord(m?.percentage)?.value;
    if (dest) mirrors.push({ dest, percent: typeof pct === 'number' ? pct : undefined, path: [...at, 'mirrors', j, 'destination'] });
  });
  const out: Obj[] = [];
  for (const m of mirrors) {
    const ref = backendRef(m.dest, m.path, env, 'HTTPRoute', comments, ['filters', out.length, 'requestMirror', 'backendRef']);
    if (!ref) continue;
    delete ref.weight;
    const mirror: Obj = { backendRef: ref };
    if (m.percent !== undefined && m.percent < 100) {
      if (Number.isInteger(m.percent)) mirror.percent = m.percent;
      else {
        const scale = 10 ** Math.min(6, (String(m.percent).split('.')[1] ?? '').length);
        mirror.fraction = { numerator: Math.round(m.percent * scale), denominator: 100 * scale };
      }
    }
    out.push({ type: 'RequestMirror', requestMirror: mirror });
  }
  return out;
}

const CORS_ORIGIN = /^(\*|https?:\/\/(((\*\.)?([a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+|\*)(:([0-9]{1,5}))?))$/;
const CORS_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', '*']);

/** corsPolicy → the CORS filter, when every origin and method has a Gateway API form. */
function corsFilter(cors: Obj, at: Path, env: RuleEnv): Obj | undefined {
  const origins = [
    ...stringList(cors.allowOrigin),
    ...(Array.isArray(cors.allowOrigins) ? cors.allowOrigins : []).map((o) => {
      const m = asRecord(o);
      return typeof m?.exact === 'string' ? m.exact : undefined;
    }),
  ];
  const badOrigin = origins.find((o) => o === undefined || !CORS_ORIGIN.test(o));
  const methods = stringList(cors.allowMethods);
  const badMethod = methods.find((m) => !CORS_METHODS.has(m));
  if (badOrigin !== undefined || origins.includes(undefined) || badMethod !== undefined) {
    const why = badMethod !== undefined ? `method ${JSON.stringify(badMethod)} is not one Gateway API accepts` : 'an origin is a prefix or regex match, or not scheme://host[:port]';
    note(env, at, 'gwapi-unconvertible', 'warning', `corsPolicy: ${why}; the CORS filter was not generated. Browsers calling from other origins will be refused until it is added.`);
    return undefined;
  }
  const out: Obj = { allowOrigins: origins };
  if (cors.allowCredentials === true) out.allowCredentials = true;
  if (methods.length > 0) out.allowMethods = methods;
  for (const key of ['allowHeaders', 'exposeHeaders'] as const) {
    const list = stringList(cors[key]).filter((h) => HEADER_NAME.test(h));
    if (list.length > 0) out[key] = list;
  }
  const maxAge = durationSeconds(cors.maxAge);
  if (maxAge !== undefined && maxAge > 0) out.maxAge = maxAge;
  if (asString(cors.unmatchedPreflights) !== 'IGNORE') {
    note(env, at, 'gwapi-cors-preflight', 'information', 'corsPolicy: for a Gateway API CORS filter Istio answers preflight requests that match no allowed origin itself (unmatchedPreflights IGNORE) instead of forwarding them to the backend.');
  }
  return { type: 'CORS', cors: out };
}

/** Fields of an http entry with no HTTPRoute equivalent, and what dropping them means. */
const UNMAPPED_ENTRY: ReadonlyArray<[string, 'information' | 'warning', string]> = [
  ['retries', 'warning', 'HTTPRoute retry is not in the Gateway API standard channel: the route gets Istio\'s default retry policy'],
  ['fault', 'warning', 'fault injection has no Gateway API form: requests are no longer delayed or aborted'],
  ['match[].statPrefix', 'information', 'statPrefix has no Gateway API form'],
];

function noteUnmapped(entry: Obj, at: Path, env: RuleEnv): void {
  for (const [field, severity, why] of UNMAPPED_ENTRY) {
    if (field.startsWith('match[]')) {
      (Array.isArray(entry.match) ? entry.match : []).forEach((m, j) => {
        if (asRecord(m)?.statPrefix !== undefined) note(env, [...at, 'match', j, 'statPrefix'], 'gwapi-unconvertible', severity, `http.match.statPrefix: ${why}; not converted.`);
      });
    } else if (entry[field] !== undefined) note(env, [...at, field], 'gwapi-unconvertible', severity, `http.${field}: ${why}; not converted.`);
  }
  if (asRecord(entry.rewrite)?.uriRegexRewrite !== undefined) note(env, [...at, 'rewrite', 'uriRegexRewrite'], 'gwapi-unconvertible', 'warning', 'http.rewrite.uriRegexRewrite has no Gateway API form: the path reaches the backend unchanged.');
}

/** The matches of an entry that apply at the converted gateways, converted; undefined: the entry is dropped. */
function entryMatches(entry: Obj, at: Path, env: RuleEnv): Array<Obj | undefined> | undefined {
  const matches = Array.isArray(entry.match) ? entry.match : [];
  if (matches.length === 0) return [undefined];
  const out: Obj[] = [];
  matches.forEach((raw, j) => {
    const m = asRecord(raw) ?? {};
    const gws = stringList(m.gateways);
    if (gws.length > 0 && !gws.some((g) => env.convertedRefs.has(g))) return;
    const r = convertMatch(m);
    for (const i of r.info) note(env, [...at, 'match', j], 'gwapi-match', 'information', `http.match: ${i}.`);
    if (r.match) out.push(r.match);
    else note(env, [...at, 'match', j], 'gwapi-match-dropped', 'warning', `http.match[${j}] is not converted: ${r.drop}. Requests it matched are not routed by this rule.`);
  });
  return out.length > 0 ? out : undefined;
}

/** One http entry → rules (several when a prefix rewrite needs one match per rule); [] when dropped. */
export function convertHttpEntry(entry: Obj, index: number, env: RuleEnv): RuleOut[] {
  const at: Path = ['spec', 'http', index];
  for (const [field, why] of [['delegate', 'delegation to another VirtualService'], ['directResponse', 'a direct response']] as const) {
    if (entry[field] === undefined) continue;
    note(env, [...at, field], 'gwapi-rule-dropped', 'warning', `http[${index}] is not converted: ${why} has no Gateway API standard form. Requests it matched now match another rule or get 404.`);
    return [];
  }
  const matches = entryMatches(entry, at, env);
  if (!matches) {
    if (Array.isArray(entry.match) && entry.match.length > 0) note(env, [...at, 'match'], 'gwapi-rule-dropped', 'warning', `http[${index}] is not converted: none of its matches has a Gateway API form here.`);
    return [];
  }
  noteUnmapped(entry, at, env);
  const comments: RuleComment[] = [];
  const filters: Obj[] = [];
  const redirect = asRecord(entry.redirect);
  if (redirect) filters.push(redirectFilter(redirect, [...at, 'redirect'], env));
  filters.push(...headerFilters(asRecord(entry.headers), [...at, 'headers'], env));
  filters.push(...mirrorFilters(entry, at, env, comments));
  const cors = asRecord(entry.corsPolicy);
  const corsOut = cors ? corsFilter(cors, [...at, 'corsPolicy'], env) : undefined;
  if (corsOut) filters.push(corsOut);
  const backends = redirect ? [] : backendRefs(entry, at, env, comments);
  const timeout = entry.timeout === undefined ? undefined : gatewayDuration(entry.timeout);
  if (entry.timeout !== undefined && !timeout) note(env, [...at, 'timeout'], 'gwapi-unconvertible', 'warning', `http.timeout ${JSON.stringify(entry.timeout)} is not a duration Gateway API can hold; not converted.`);
  if (timeout?.rounded) note(env, [...at, 'timeout'], 'gwapi-match', 'information', `http.timeout rounded up to ${timeout.value} (Gateway API durations count whole milliseconds).`);
  const name = asString(entry.name);
  const rewrite = asRecord(entry.rewrite);
  const real = matches.filter((m): m is Obj => m !== undefined && Object.keys(m).length > 0);
  const rule = (list: Obj[], k: number, of: number): RuleOut => {
    const out: Obj = {};
    if (name !== undefined && SECTION_NAME.test(name)) out.name = of > 1 ? `${name}-${k + 1}` : name;
    if (list.length > 0) out.matches = list;
    const rw = rewrite ? rewriteFilter(rewrite, list.length === 1 ? list[0] : undefined, [...at, 'rewrite'], env) : undefined;
    const ruleFilters = rw ? [...filters, rw] : filters;
    if (ruleFilters.length > 0) out.filters = ruleFilters;
    if (backends.length > 0) out.backendRefs = backends.map((b) => ({ ...b }));
    if (timeout) out.timeouts = { request: timeout.value };
    return { rule: out, comments: comments.map((c) => ({ ...c })) };
  };
  if (rewrite?.uri === undefined) return [rule(real, 0, 1)];
  // A path rewrite depends on each match's type; ReplacePrefixMatch needs one explicit PathPrefix match per rule.
  const withPath = (real.length > 0 ? real : [{}]).map((m) => (m.path ? m : { path: { type: 'PathPrefix', value: '/' }, ...m }));
  if (withPath.some((m) => asRecord(m.path)?.type === 'PathPrefix')) {
    note(env, [...at, 'rewrite', 'uri'], 'gwapi-match', 'information', 'http.rewrite.uri after a prefix match becomes ReplacePrefixMatch, which replaces whole path segments (Istio replaced the matched characters).');
  }
  return withPath.map((m, k) => rule([m], k, withPath.length));
}
