/**
 * RequestAuthentication jwtRules as plain inputs, and which of them accept a token's issuer and
 * audience (Envoy jwt_authn: exact issuer; audiences checked only when the rule lists some).
 */
import type { DecodedJwt } from './decode';
import { isObj, stringsOf } from './plain';

/** One spec.jwtRules[i] of a RequestAuthentication, as the JWT features need it. */
export interface JwtRuleInfo {
  namespace: string;
  name: string;
  /** Index in spec.jwtRules. */
  ruleIndex: number;
  issuer: string;
  audiences: string[];
  /** Inline JWK Set (the CRD field is a JSON string; an already parsed object is accepted too). */
  jwks?: string | object;
  jwksUri?: string;
  /** Token locations; none means Envoy's defaults (Authorization: Bearer, ?access_token=). */
  fromHeaders?: Array<{ name: string; prefix?: string }>;
  fromParams?: string[];
  fromCookies?: string[];
  /** Extra claims Envoy splits on spaces (scope and permission always are). */
  spaceDelimitedClaims?: string[];
  /** The RequestAuthentication's workload selector (matchLabels), if any. */
  selector?: Record<string, string>;
}

/** The minimum of a resource this module reads (IstioResource satisfies it). */
export interface ResourceLike {
  kind: string;
  name?: string;
  namespace?: string;
  spec: Record<string, unknown>;
}


function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isObj(v)) return undefined;
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** Every jwtRule of the RequestAuthentications among `resources`. */
export function jwtRulesOf(resources: readonly ResourceLike[], defaultNamespace = 'default'): JwtRuleInfo[] {
  const out: JwtRuleInfo[] = [];
  for (const r of resources) {
    if (r.kind !== 'RequestAuthentication' || !Array.isArray(r.spec.jwtRules)) continue;
    const selector = isObj(r.spec.selector) ? stringMap(r.spec.selector.matchLabels) : undefined;
    r.spec.jwtRules.forEach((raw: unknown, ruleIndex: number) => {
      if (!isObj(raw) || typeof raw.issuer !== 'string') return;
      out.push({
        namespace: r.namespace ?? defaultNamespace,
        name: r.name ?? '',
        ruleIndex,
        issuer: raw.issuer,
        audiences: stringsOf(raw.audiences),
        jwks: typeof raw.jwks === 'string' || isObj(raw.jwks) ? (raw.jwks as string | object) : undefined,
        jwksUri: typeof raw.jwksUri === 'string' ? raw.jwksUri : undefined,
        fromHeaders: Array.isArray(raw.fromHeaders)
          ? raw.fromHeaders.filter(isObj).flatMap((h) => (typeof h.name === 'string' ? [{ name: h.name, prefix: typeof h.prefix === 'string' ? h.prefix : undefined }] : []))
          : undefined,
        fromParams: Array.isArray(raw.fromParams) ? stringsOf(raw.fromParams) : undefined,
        fromCookies: Array.isArray(raw.fromCookies) ? stringsOf(raw.fromCookies) : undefined,
        spaceDelimitedClaims: Array.isArray(raw.spaceDelimitedClaims) ? stringsOf(raw.spaceDelimitedClaims) : undefined,
        selector,
      });
    });
  }
  return out;
}

/** `ns/name jwtRules[i]`, for messages and traces. */
export function ruleLabel(rule: Pick<JwtRuleInfo, 'namespace' | 'name' | 'ruleIndex'>): string {
  return `RequestAuthentication ${rule.namespace}/${rule.name} jwtRules[${rule.ruleIndex}]`;
}

/**
 * Envoy (jwt_verify_lib CheckAudience) compares audiences after removing an http:// or https://
 * prefix and one trailing slash.
 */
export function sanitizeAudience(aud: string): string {
  const noScheme = aud.replace(/^https?:\/\//, '');
  return noScheme.endsWith('/') ? noScheme.slice(0, -1) : noScheme;
}

/** Does a token with these audiences pass a rule's audiences? Empty rule audiences: not checked. */
export function audienceAccepted(ruleAudiences: readonly string[], tokenAudiences: readonly string[]): boolean {
  if (ruleAudiences.length === 0) return true;
  const allowed = new Set(ruleAudiences.map(sanitizeAudience));
  return tokenAudiences.some((a) => allowed.has(sanitizeAudience(a)));
}

/** The issuer with one trailing slash added or removed (the most common issuer mismatch). */
export function slashVariant(issuer: string): string {
  return issuer.endsWith('/') ? issuer.slice(0, -1) : `${issuer}/`;
}

export interface RuleAcceptance {
  rule: JwtRuleInfo;
  issuer: boolean;
  audience: boolean;
  /** Both issuer and audience accepted. */
  accepted: boolean;
  /** Set when the issuers differ only by a trailing slash. */
  slashHint?: string;
}

/** For each rule: does it accept the token's issuer (exact match) and audience? */
export function rulesAccepting(jwt: Pick<DecodedJwt, 'issuer' | 'audiences'>, rules: readonly JwtRuleInfo[]): RuleAcceptance[] {
  return rules.map((rule) => {
    const issuer = jwt.issuer !== undefined && jwt.issuer === rule.issuer;
    const audience = audienceAccepted(rule.audiences, jwt.audiences);
    const slashHint =
      !issuer && jwt.issuer !== undefined && slashVariant(jwt.issuer) === rule.issuer
        ? `the token's iss ${JSON.stringify(jwt.issuer)} and the rule's issuer ${JSON.stringify(rule.issuer)} differ only by a trailing slash; Envoy compares them exactly`
        : undefined;
    return { rule, issuer, audience, accepted: issuer && audience, slashHint };
  });
}
