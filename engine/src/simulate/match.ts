/**
 * The matchers Istio generates for AuthorizationPolicy values (pilot/pkg/security/authz/model/
 * generator.go, authz/matcher/*.go), evaluated directly. `undefined` means the value is invalid:
 * istiod could not generate a matcher for it.
 */
import { principalMatcher } from '../rules/common/principals';
import { BlockList, isIP } from 'node:net';

export const SPIFFE = 'spiffe://';

/** Full-match test of an RE2-style pattern (Envoy's safe_regex matches the whole string). */
function fullMatch(re: string, value: string): boolean {
  return new RegExp(`^(?:${re})$`, 's').test(value);
}

export function quoteMeta(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Envoy StringMatcher built from an Istio value (matcher.StringMatcher): "*" any non-empty
 * string, "*x" suffix, "x*" prefix, else exact.
 */
export function matchString(pattern: string, value: string | undefined, ignoreCase = false): boolean {
  if (value === undefined) return false;
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  if (p === '*') return v.length > 0;
  if (p.startsWith('*')) return v.endsWith(p.slice(1));
  if (p.endsWith('*')) return v.startsWith(p.slice(0, -1));
  return v === p;
}

/** Envoy HeaderMatcher (matcher.HeaderMatcher / HostMatcher): like matchString, but "*" means "present". */
export function matchHeader(pattern: string, value: string | undefined, ignoreCase = false): boolean {
  if (pattern === '*') return value !== undefined;
  return matchString(pattern, value, ignoreCase);
}

/** hosts: the :authority header, case-insensitive (HostMatcher). */
export function matchHost(pattern: string, host: string | undefined): boolean {
  return matchHeader(pattern, host, true);
}

const ONE_SEGMENT = "[A-Za-z0-9\\-._~%!$&'()+,;:@=]+";
const ANY_SEGMENTS = "[A-Za-z0-9\\-._~%!$&'()+,;:@=/]*";

/** Does the value use Istio's path templates {*} / {**}? */
export function isPathTemplate(pattern: string): boolean {
  return pattern.includes('{*}') || pattern.includes('{**}');
}

/** The path without query string or fragment (what Envoy's path matchers see). */
export function pathOnly(path: string): string {
  return path.replace(/[?#].*$/s, '');
}

/** paths: exact / "x*" prefix / "*x" suffix / "*", or a {*} / {**} template (uri_template). */
export function matchPath(pattern: string, path: string | undefined): boolean {
  if (path === undefined) return false;
  const p = pathOnly(path);
  if (!isPathTemplate(pattern)) return matchString(pattern, p);
  const re = pattern
    .split(/(\{\*\*\}|\{\*\})/)
    .map((part) => (part === '{*}' ? ONE_SEGMENT : part === '{**}' ? ANY_SEGMENTS : quoteMeta(part)))
    .join('');
  return fullMatch(re, p);
}

/** ipBlocks / source.ip / destination.ip: an address or CIDR; undefined when the value is not one. */
export function matchCidr(pattern: string, ip: string | undefined): boolean | undefined {
  const [addr, bits, extra] = pattern.split('/');
  const family = isIP(addr);
  if (family === 0 || extra !== undefined) return undefined;
  const max = family === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : /^\d+$/.test(bits) ? Number(bits) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return undefined;
  if (ip === undefined) return false;
  const ipFamily = isIP(ip);
  if (ipFamily !== family) return false;
  const list = new BlockList();
  const type = family === 4 ? 'ipv4' : 'ipv6';
  list.addSubnet(addr, prefix, type);
  return list.check(ip, type);
}

/** ports / destination.port. */
export function matchPort(pattern: string, port: number | undefined): boolean | undefined {
  if (!/^\d+$/.test(pattern) || Number(pattern) > 65535) return undefined;
  return port !== undefined && Number(pattern) === port;
}

/** The peer identity as Envoy sees it (spiffe://...), or undefined without mTLS. */
export function spiffeOf(principal: string | undefined): string | undefined {
  if (principal === undefined || principal === '') return undefined;
  return principal.startsWith(SPIFFE) ? principal : `${SPIFFE}${principal}`;
}

/** principals / source.principal (StringMatcherWithPrefix(value, "spiffe://")). */
export function matchPrincipal(pattern: string, spiffe: string | undefined): boolean {
  if (spiffe === undefined) return false;
  return matchString(pattern, spiffe.slice(SPIFFE.length));
}

/** namespaces / source.namespace: regex .* /ns/<value, * → .*>/.* on the peer identity. */
export function matchNamespace(pattern: string, spiffe: string | undefined): boolean {
  if (spiffe === undefined) return false;
  const ns = pattern.split('*').map(quoteMeta).join('.*');
  return fullMatch(`.*/ns/${ns}/.*`, spiffe);
}

/** serviceAccounts / source.serviceAccount: "<sa>" (policy namespace) or "<ns>/<sa>". */
export function matchServiceAccount(pattern: string, policyNamespace: string, spiffe: string | undefined): boolean {
  if (spiffe === undefined) return false;
  const slash = pattern.indexOf('/');
  const [ns, sa] = slash === -1 ? [policyNamespace, pattern] : [pattern.slice(0, slash), pattern.slice(slash + 1)];
  return fullMatch(`spiffe://.+/ns/${quoteMeta(ns)}/(.+/|)sa/${quoteMeta(sa)}(/.+)?`, spiffe);
}

/** trustDomains / source.trustDomain. */
export function matchTrustDomain(pattern: string, spiffe: string | undefined): boolean {
  if (spiffe === undefined) return false;
  if (pattern === '*') return spiffe.startsWith(SPIFFE);
  if (!pattern.includes('*')) return spiffe.startsWith(`${SPIFFE}${pattern}/`);
  const star = pattern.indexOf('*');
  return fullMatch(`spiffe://${quoteMeta(pattern.slice(0, star))}[^/]*${quoteMeta(pattern.slice(star + 1))}/.*`, spiffe);
}

/** requestPrincipals / request.auth.principal against a token's iss and sub (see rules/common/principals.ts). */
export function matchRequestPrincipal(pattern: string, iss: string | undefined, sub: string | undefined): boolean {
  if (iss === undefined || sub === undefined) return false;
  const m = principalMatcher(pattern);
  return m.iss(iss) && m.sub(sub);
}

/**
 * request.auth.claims / audiences / presenter: the claim is a string matching the value, or a
 * list with a string element matching it (MetadataListValueMatcher with extended JWT matching).
 * Numbers, booleans and objects never match.
 */
export function matchClaim(pattern: string, claim: unknown): boolean {
  if (typeof claim === 'string') return matchString(pattern, claim);
  return Array.isArray(claim) && claim.some((c) => typeof c === 'string' && matchString(pattern, c));
}

/** "request.auth.claims[a][b]" → ["a", "b"]; undefined when the brackets are malformed. */
export function claimPath(key: string, prefix: string): string[] | undefined {
  const rest = key.slice(prefix.length);
  const m = rest.match(/^(\[[^\[\]]+\])+$/);
  if (!m) return undefined;
  return [...rest.matchAll(/\[([^\[\]]+)\]/g)].map((x) => x[1]);
}

/** "request.headers[X-Foo]" → "x-foo"; undefined when malformed. */
export function headerName(key: string, prefix: string): string | undefined {
  const m = key.slice(prefix.length).match(/^\[([^\[\]]+)\]$/);
  return m ? m[1].toLowerCase() : undefined;
}
