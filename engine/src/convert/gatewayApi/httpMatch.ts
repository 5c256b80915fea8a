/**
 * One VirtualService HTTPMatchRequest → one HTTPRoute match. The facts come from istiod's reverse
 * mapping (pilot/pkg/config/kube/gateway/conversion.go createURIMatch, createHeadersMatch...)
 * and Envoy's matching: a Gateway API PathPrefix is path-element based (PathSeparatedPrefix),
 * RegularExpression is RE2 full match (safe_regex), so a StringMatch that has no Gateway API
 * type (a header prefix, a case-insensitive path, a path Gateway API refuses) becomes an
 * equivalent RegularExpression. A condition with no equivalent drops the whole match: dropping
 * the condition alone would widen the route.
 */
import { HEADER_NAME, HTTP_METHODS, asRecord, asString, escapeRegex, stringMatchRegex, type Obj } from './common';

/** The path values Gateway API accepts for Exact and PathPrefix (the CRD's CEL rules). */
function acceptedPath(value: string): boolean {
  return (
    value.startsWith('/') &&
    !['//', '/./', '/../', '%2f', '%2F', '#'].some((s) => value.includes(s)) &&
    !value.endsWith('/..') &&
    !value.endsWith('/.') &&
    /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/.test(value)
  );
}

export interface MatchResult {
  match?: Obj;
  /** Why the match cannot be converted (it is dropped). */
  drop?: string;
  /** Facts worth a note (path prefix semantics, regex used for a prefix...). */
  info: string[];
}

function pathMatch(uri: Obj, ignoreCase: boolean, info: string[]): Obj | string {
  const exact = asString(uri.exact);
  const prefix = asString(uri.prefix);
  if (ignoreCase) {
    const re = stringMatchRegex(uri);
    if (re === undefined) return 'uri has no exact, prefix or regex';
    info.push('ignoreUriCase: the path is matched by a case-insensitive RegularExpression');
    return { type: 'RegularExpression', value: `(?i)${re}` };
  }
  if (exact !== undefined) {
    if (acceptedPath(exact)) return { type: 'Exact', value: exact };
    info.push(`uri exact ${JSON.stringify(exact)} is not a Gateway API path: matched by an equivalent RegularExpression`);
    return { type: 'RegularExpression', value: escapeRegex(exact) };
  }
  if (prefix !== undefined) {
    if (prefix !== '/' && acceptedPath(prefix)) {
      info.push(`uri prefix ${JSON.stringify(prefix)} becomes PathPrefix, which matches whole path segments: ${JSON.stringify(prefix.replace(/\/$/, ''))} and ${JSON.stringify(`${prefix.replace(/\/$/, '')}/...`)}, no longer ${JSON.stringify(`${prefix.replace(/\/$/, '')}x`)}`);
      return { type: 'PathPrefix', value: prefix };
    }
    if (prefix === '/') return { type: 'PathPrefix', value: '/' };
    info.push(`uri prefix ${JSON.stringify(prefix)} is not a Gateway API path: matched by an equivalent RegularExpression`);
    return { type: 'RegularExpression', value: `${escapeRegex(prefix)}.*` };
  }
  if (typeof uri.regex === 'string') return { type: 'RegularExpression', value: uri.regex };
  return 'uri has no exact, prefix or regex';
}

/** Header or query parameter matches; a prefix or presence match becomes a RegularExpression. */
function valueMatches(map: Obj, what: string, info: string[]): Obj[] | string {
  const out: Obj[] = [];
  for (const [name, raw] of Object.entries(map)) {
    const m = asRecord(raw);
    if (!m) return `${what} ${name} is not a string match`;
    if (!HEADER_NAME.test(name)) return `${what} name ${JSON.stringify(name)} is not a Gateway API ${what} name`;
    if (typeof m.exact === 'string') out.push({ name, value: m.exact });
    else if (typeof m.regex === 'string') out.push({ name, type: 'RegularExpression', value: m.regex });
    else {
      const re = stringMatchRegex(m);
      if (re === undefined) return `${what} ${name} has no exact, prefix or regex`;
      info.push(`${what} ${name}: ${typeof m.prefix === 'string' ? 'prefix' : 'presence'} match written as the RegularExpression ${JSON.stringify(re)}`);
      out.push({ name, type: 'RegularExpression', value: re });
    }
  }
  return out;
}

/** Conditions with no HTTPRoute equivalent; `gateways` and `statPrefix` are handled by the caller. */
const UNMAPPED: ReadonlyArray<[string, string]> = [
  ['withoutHeaders', 'header absence'],
  ['authority', 'the :authority of one match (hostnames apply to the whole route)'],
  ['scheme', 'the request scheme'],
  ['port', 'the listener port of one match (parentRefs sectionName or port apply to the whole route)'],
  ['sourceLabels', 'the labels of the calling workload'],
  ['sourceNamespace', 'the namespace of the calling workload'],
];

export function convertMatch(m: Obj): MatchResult {
  const info: string[] = [];
  for (const [field, what] of UNMAPPED) {
    const v = m[field];
    if (v === undefined || v === null || v === 0 || v === '' || (typeof v === 'object' && Object.keys(v as object).length === 0)) continue;
    return { drop: `${field} (${what}) has no HTTPRoute match field`, info };
  }
  const out: Obj = {};
  const uri = asRecord(m.uri);
  if (uri) {
    const path = pathMatch(uri, m.ignoreUriCase === true, info);
    if (typeof path === 'string') return { drop: path, info };
    out.path = path;
  }
  for (const [field, key, what] of [['headers', 'headers', 'header'], ['queryParams', 'queryParams', 'query parameter']] as const) {
    const map = asRecord(m[field]);
    if (!map || Object.keys(map).length === 0) continue;
    const list = valueMatches(map, what, info);
    if (typeof list === 'string') return { drop: list, info };
    out[key] = list;
  }
  const method = asRecord(m.method);
  if (method) {
    const exact = asString(method.exact);
    if (exact === undefined || !HTTP_METHODS.has(exact)) return { drop: `method ${JSON.stringify(method)}: an HTTPRoute method is one exact name of ${[...HTTP_METHODS].join(', ')}`, info };
    out.method = exact;
  }
  return { match: out, info };
}
