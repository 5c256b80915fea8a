/**
 * The parts of Go's net/url that Kubernetes' CEL url library relies on:
 * url.ParseRequestURI (isURL, and the first check in url()), url.Parse, and the
 * URL accessors Hostname(), Port(), EscapedPath(), Query().
 *
 * Go strings are byte strings: everything here works on "byte strings", JS
 * strings whose char codes are the UTF-8 bytes (0–255) of the input, and
 * converts back to text at the edges.
 */

export interface GoUrl {
  scheme: string;
  opaque: string;
  host: string;
  path: string;
  rawPath: string;
  rawQuery: string;
  forceQuery: boolean;
  fragment: string;
}

export type UrlParse = { ok: true; url: GoUrl } | { ok: false; error: string };

type Mode = 'path' | 'host' | 'zone' | 'userPassword' | 'queryComponent' | 'fragment';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function toByteString(text: string): string {
  return String.fromCharCode(...encoder.encode(text));
}

export function fromByteString(bytes: string): string {
  const arr = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) arr[i] = bytes.charCodeAt(i);
  return decoder.decode(arr);
}

function isAlnum(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}

const HOST_SUB_DELIMS = new Set([...'!$&\'()*+,;=:[]<>"']);
const RESERVED = new Set([...'$&+,/:;=?@']);

/** Go's shouldEscape(c, mode): whether byte c must be %-escaped in the given URL part. */
function shouldEscape(c: string, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  if ((mode === 'host' || mode === 'zone') && HOST_SUB_DELIMS.has(c)) return false;
  if (c === '-' || c === '_' || c === '.' || c === '~') return false;
  if (RESERVED.has(c)) {
    switch (mode) {
      case 'path':
        return c === '?';
      case 'userPassword':
        return c === '@' || c === '/' || c === '?' || c === ':';
      case 'queryComponent':
        return true;
      case 'fragment':
        return false;
      default:
        break;
    }
  }
  if (mode === 'fragment' && '!()*'.includes(c)) return false;
  return true;
}

class UrlError extends Error {}

/** Go's unescape(s, mode) on a byte string. Throws UrlError like Go returns errors. */
function unescape(s: string, mode: Mode): string {
  for (let i = 0; i < s.length; ) {
    const c = s[i];
    if (c === '%') {
      if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2])) {
        throw new UrlError(`invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      }
      const triple = s.slice(i, i + 3);
      const byte = parseInt(s.slice(i + 1, i + 3), 16);
      if (mode === 'host' && byte < 0x80 && triple !== '%25') {
        throw new UrlError(`invalid URL escape ${JSON.stringify(triple)}`);
      }
      if (mode === 'zone' && triple !== '%25' && byte !== 0x20 && shouldEscape(String.fromCharCode(byte), 'host')) {
        throw new UrlError(`invalid URL escape ${JSON.stringify(triple)}`);
      }
      i += 3;
    } else {
      if ((mode === 'host' || mode === 'zone') && c.charCodeAt(0) < 0x80 && shouldEscape(c, mode)) {
        throw new UrlError(`invalid character ${JSON.stringify(c)} in host name`);
      }
      i++;
    }
  }
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '%') {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === '+' && mode === 'queryComponent') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

/** Go's escape(s, mode) on a byte string. */
function escape(s: string, mode: Mode): string {
  let out = '';
  for (const c of s) {
    if (c === ' ' && mode === 'queryComponent') out += '+';
    else if (shouldEscape(c, mode)) out += '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
    else out += c;
  }
  return out;
}

function getScheme(raw: string): { scheme: string; rest: string } {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c === '+' || c === '-' || c === '.') {
      if (i === 0) return { scheme: '', rest: raw };
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new UrlError('missing protocol scheme');
      return { scheme: raw.slice(0, i), rest: raw.slice(i + 1) };
    }
    return { scheme: '', rest: raw };
  }
  return { scheme: '', rest: raw };
}

function validOptionalPort(port: string): boolean {
  return port === '' || /^:[0-9]*$/.test(port);
}

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) throw new UrlError("missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${JSON.stringify(colonPort)} after host`);
    const zone = host.slice(0, close).indexOf('%25');
    if (zone >= 0) {
      return unescape(host.slice(0, zone), 'host') + unescape(host.slice(zone, close), 'zone') + unescape(host.slice(close), 'host');
    }
  } else {
    const colon = host.lastIndexOf(':');
    if (colon !== -1) {
      const colonPort = host.slice(colon);
      if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${JSON.stringify(colonPort)} after host`);
    }
  }
  return unescape(host, 'host');
}

function validUserinfo(s: string): boolean {
  return /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(s);
}

function parseAuthority(authority: string): string {
  const at = authority.lastIndexOf('@');
  const host = parseHost(at < 0 ? authority : authority.slice(at + 1));
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    if (!validUserinfo(userinfo)) throw new UrlError('net/url: invalid userinfo');
    for (const part of userinfo.split(':').slice(0, 2)) unescape(part, 'userPassword');
  }
  return host;
}

function hasCtlByte(s: string): boolean {
  return /[\x00-\x1f\x7f]/.test(s);
}

function emptyUrl(): GoUrl {
  return { scheme: '', opaque: '', host: '', path: '', rawPath: '', rawQuery: '', forceQuery: false, fragment: '' };
}

function setPath(u: GoUrl, p: string): void {
  u.path = unescape(p, 'path');
  u.rawPath = escape(u.path, 'path') === p ? '' : p;
}

/** Go's unexported parse(rawURL, viaRequest), on a byte string. */
function parseBytes(raw: string, viaRequest: boolean): GoUrl {
  if (hasCtlByte(raw)) throw new UrlError('net/url: invalid control character in URL');
  if (raw === '' && viaRequest) throw new UrlError('empty url');
  const u = emptyUrl();
  if (raw === '*') {
    u.path = '*';
    return u;
  }
  const { scheme, rest: afterScheme } = getScheme(raw);
  u.scheme = scheme.toLowerCase();
  let rest = afterScheme;
  if (rest.endsWith('?') && rest.split('?').length === 2) {
    u.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      u.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (u.scheme !== '') {
      u.opaque = rest;
      return u;
    }
    if (viaRequest) throw new UrlError('invalid URI for request');
    const firstSegment = rest.split('/')[0];
    if (firstSegment.includes(':')) throw new UrlError('first path segment in URL cannot contain colon');
  }
  if ((u.scheme !== '' || (!viaRequest && !rest.startsWith('///'))) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    u.host = parseAuthority(authority);
  }
  setPath(u, rest);
  return u;
}

function attempt(raw: string, parse: (bytes: string) => GoUrl, op: string): UrlParse {
  const bytes = toByteString(raw);
  try {
    return { ok: true, url: parse(bytes) };
  } catch (e) {
    if (!(e instanceof UrlError)) throw e;
    return { ok: false, error: `${op} ${JSON.stringify(raw)}: ${fromByteString(e.message)}` };
  }
}

/** Go's url.ParseRequestURI: absolute URI or absolute path, no fragment splitting. */
export function parseRequestUri(raw: string): UrlParse {
  return attempt(raw, (b) => parseBytes(b, true), 'parse');
}

/** Go's url.Parse: any URI reference; the fragment after '#' is split off first. */
export function parseUrl(raw: string): UrlParse {
  return attempt(
    raw,
    (b) => {
      const hash = b.indexOf('#');
      const u = parseBytes(hash < 0 ? b : b.slice(0, hash), false);
      if (hash >= 0) u.fragment = unescape(b.slice(hash + 1), 'fragment');
      return u;
    },
    'parse',
  );
}

/** Accessors: results are text (UTF-8 decoded), like Go strings handed to CEL. */

function splitHostPort(hostPort: string): { host: string; port: string } {
  let host = hostPort;
  let port = '';
  const colon = host.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(host.slice(colon))) {
    port = host.slice(colon + 1);
    host = host.slice(0, colon);
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host, port };
}

export function urlHost(u: GoUrl): string {
  return fromByteString(u.host);
}

export function urlHostname(u: GoUrl): string {
  return fromByteString(splitHostPort(u.host).host);
}

export function urlPort(u: GoUrl): string {
  return fromByteString(splitHostPort(u.host).port);
}

function validEncodedPath(s: string): boolean {
  for (const c of s) {
    if ('!$&\'()*+,;=:@[]%'.includes(c)) continue;
    if (shouldEscape(c, 'path')) return false;
  }
  return true;
}

export function urlEscapedPath(u: GoUrl): string {
  if (u.rawPath !== '' && validEncodedPath(u.rawPath)) {
    try {
      if (unescape(u.rawPath, 'path') === u.path) return fromByteString(u.rawPath);
    } catch (e) {
      if (!(e instanceof UrlError)) throw e;
    }
  }
  if (u.path === '*') return '*';
  return fromByteString(escape(u.path, 'path'));
}

/** Go's url.Values from RawQuery, silently dropping malformed pairs like URL.Query(). */
export function urlQuery(u: GoUrl): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const pair of u.rawQuery.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    try {
      const key = fromByteString(unescape(eq < 0 ? pair : pair.slice(0, eq), 'queryComponent'));
      const value = fromByteString(unescape(eq < 0 ? '' : pair.slice(eq + 1), 'queryComponent'));
      values.set(key, [...(values.get(key) ?? []), value]);
    } catch (e) {
      if (!(e instanceof UrlError)) throw e;
    }
  }
  return values;
}
