/**
 * What Envoy does to a request before any filter sees it, with Istio's settings: the HTTP/1.1 codec
 * (known, upper-case methods; request-target characters), fragment stripping, and the path
 * normalisation of meshConfig.pathNormalization. The policies then match the normalised path.
 *
 * Sources: Istio "Authorization Policy Normalization" reference and its integration test
 * tests/integration/security/normalization_test.go (expected paths per mode); pilot's
 * httpConnectionManager setup (NONE: normalize_path false; BASE and DEFAULT: normalize_path;
 * MERGE_SLASHES: + merge_slashes; DECODE_AND_MERGE_SLASHES: + path_with_escaped_slashes_action
 * UNESCAPE_AND_FORWARD); Envoy's balsa_parser.cc (isMethodValid, isUrlValid) and PathUtil
 * (canonicalPath on Chromium's CanonicalizePath, mergeSlashes, unescapeSlashes); istio-agent's
 * bootstrap (http_reject_path_with_fragment false: fragments are stripped, not rejected).
 */

export const PATH_NORMALIZATIONS = ['NONE', 'BASE', 'MERGE_SLASHES', 'DECODE_AND_MERGE_SLASHES'] as const;
export type PathNormalization = (typeof PATH_NORMALIZATIONS)[number];

/** meshConfig.pathNormalization DEFAULT is BASE. */
export const DEFAULT_PATH_NORMALIZATION: PathNormalization = 'BASE';

/** The methods Envoy's HTTP/1.1 codec accepts (allow_custom_methods is off in Istio): upper case only. */
const HTTP1_METHODS: ReadonlySet<string> = new Set([
  'ACL', 'BIND', 'CHECKOUT', 'CONNECT', 'COPY', 'DELETE', 'GET', 'HEAD', 'LINK', 'LOCK', 'MERGE', 'MKACTIVITY', 'MKCALENDAR', 'MKCOL', 'MOVE',
  'MSEARCH', 'NOTIFY', 'OPTIONS', 'PATCH', 'POST', 'PROPFIND', 'PROPPATCH', 'PURGE', 'PUT', 'REBIND', 'REPORT', 'SEARCH', 'SOURCE', 'SUBSCRIBE',
  'TRACE', 'UNBIND', 'UNLINK', 'UNLOCK', 'UNSUBSCRIBE',
]);

/** Characters the codec accepts in a request target: tab, form feed and visible ASCII. */
const TARGET_CHARS = /^[\t\f!-~]*$/;

/** Unreserved characters (RFC 3986): decoded from %XX by normalize_path. */
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/** Characters Chromium's CanonicalizePath escapes in a path (after the codec let them through). */
const ESCAPED = new Set(['\t', '\f', '"', '<', '>', '`', '{', '}']);

export type RequestLine = { ok: true; method?: string; path?: string; trace: string[] } | { ok: false; reason: string; trace: string[] };

const BAD_REQUEST = 'Bad Request';

/** RFC 3986 section 5.2.4 on an absolute path: "." and ".." segments resolved, ".." never above the root. */
function removeDotSegments(path: string): string {
  const segments = path.split('/');
  const out: string[] = [];
  for (let i = 1; i < segments.length; i++) {
    const s = segments[i];
    const last = i === segments.length - 1;
    if (s === '.' || s === '..') {
      if (s === '..') out.pop();
      if (last) out.push('');
      continue;
    }
    out.push(s);
  }
  return `/${out.join('/')}`;
}

/** normalize_path: unreserved %XX decoded (once), "\" as "/", a few characters escaped, dot segments resolved. */
function canonicalPath(path: string): string {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    const hex = c === '%' ? path.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      const decoded = String.fromCharCode(parseInt(hex, 16));
      out += UNRESERVED.test(decoded) ? decoded : `%${hex}`;
      i += 2;
    } else if (c === '\\') out += '/';
    else if (ESCAPED.has(c)) out += `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
    else out += c;
  }
  return removeDotSegments(out);
}

/** The path part after each step of `mode`. */
function normalizePathPart(path: string, mode: PathNormalization): string {
  if (mode === 'NONE') return path;
  const unescaped = mode === 'DECODE_AND_MERGE_SLASHES' ? path.replace(/%2f/gi, '/').replace(/%5c/gi, '\\') : path;
  const canonical = canonicalPath(unescaped);
  return mode === 'BASE' ? canonical : canonical.replace(/\/{2,}/g, '/');
}

/**
 * The method and path the policies see, or why Envoy answers 400 before any policy: a method the
 * HTTP/1.1 codec does not know (lower case included), a request target with characters HTTP/1.1
 * forbids, or %00 in the path. The trace says which normalisation was applied.
 */
export function normalizeRequestLine(method: string | undefined, rawPath: string | undefined, mode: PathNormalization = DEFAULT_PATH_NORMALIZATION): RequestLine {
  const trace: string[] = [];
  if (method !== undefined && !HTTP1_METHODS.has(method)) {
    const upper = method.toUpperCase();
    const hint = HTTP1_METHODS.has(upper) ? ` (methods are case-sensitive: ${upper})` : '';
    return {
      ok: false,
      reason: `${BAD_REQUEST}: Envoy's HTTP/1.1 codec rejects the method ${JSON.stringify(method)} before any policy (HPE_INVALID_METHOD)${hint}`,
      trace: [`The method ${JSON.stringify(method)} is not one Envoy's HTTP/1.1 codec accepts${hint}: the request is answered 400 before authentication and authorization.`],
    };
  }
  if (rawPath === undefined) return { ok: true, method, trace };
  const reject = (why: string): RequestLine => ({ ok: false, reason: `${BAD_REQUEST}: ${why}`, trace: [`The path is rejected before any policy: ${why}.`] });
  if (!TARGET_CHARS.test(rawPath)) return reject("the request target holds a space, a control character or a non-ASCII character, which HTTP/1.1 forbids (Envoy's codec: HPE_INVALID_URL)");
  if (!rawPath.startsWith('/') && rawPath !== '*') return reject('the request target does not start with "/" (HPE_INVALID_URL)');
  const hash = rawPath.indexOf('#');
  const noFragment = hash >= 0 ? rawPath.slice(0, hash) : rawPath;
  if (hash >= 0) trace.push(`The fragment ${JSON.stringify(rawPath.slice(hash))} is removed from the path (Istio's proxies strip fragments).`);
  const q = noFragment.indexOf('?');
  const pathPart = q >= 0 ? noFragment.slice(0, q) : noFragment;
  const query = q >= 0 ? noFragment.slice(q) : '';
  if (/%00/.test(pathPart)) return reject('the path contains %00, which Istio always rejects');
  const normalized = pathPart === '*' ? pathPart : normalizePathPart(pathPart, mode);
  const how = `Path normalization ${mode}${mode === DEFAULT_PATH_NORMALIZATION ? " (Istio's default)" : ''}`;
  trace.push(normalized === pathPart ? `${how}: the path ${JSON.stringify(pathPart)} is unchanged.` : `${how}: the path ${JSON.stringify(pathPart)} is matched as ${JSON.stringify(normalized)}.`);
  return { ok: true, method, path: normalized + query, trace };
}
