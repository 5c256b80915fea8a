/**
 * RequestAuthentication: istiod's webhook (pkg/config/validation/validation.go:
 * ValidateRequestAuthentication, validateJwtRule, warnPrivateJwksKeys) for what the CRD's schema
 * and CEL rules do not already reject, plus warnings beyond Istio for identity-provider issuer
 * forms and plain-http key fetching. Selector / targetRef rules live in common/workload.ts.
 */
import { parseGoDuration } from '../cel/goDuration';
import type { Fix } from '../diagnostics';
import type { Path } from '../model/locate';
import { parseJsonOnce } from '../jwks/parseOnce';
import { someOf } from '../text/bounded';
import { isIPv4 } from './common/net';
import { objItems, type Obj } from './common/workload';
import { defineRules, type RuleContext } from './rule';

const VALIDATION = 'pkg/config/validation/validation.go';
const KIND = ['RequestAuthentication'];

interface JwtRuleAt {
  rule: Obj;
  path: Path;
}

function jwtRulesOf(ctx: RuleContext): JwtRuleAt[] {
  return objItems(ctx.resource.spec.jwtRules).map(({ item, index }) => ({ rule: item, path: ['spec', 'jwtRules', index] }));
}

/** The jwksUri of a rule: the proto field also decodes from its original name jwks_uri. */
function jwksUriOf(rule: Obj): { value: string; field: string } | undefined {
  for (const field of ['jwksUri', 'jwks_uri']) {
    const v = rule[field];
    if (typeof v === 'string' && v !== '') return { value: v, field };
  }
  return undefined;
}

function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v !== '';
}

/** Path that anchors a finding about a whole jwtRules entry: its first key, else the entry. */
function anchorOf(r: JwtRuleAt): { path: Path; target: 'key' | 'value' } {
  const first = Object.keys(r.rule)[0];
  return first === undefined ? { path: r.path, target: 'value' } : { path: [...r.path, first], target: 'key' };
}

function replaceValueFix(ctx: RuleContext, path: Path, title: string, from: string, to: string, isPreferred: boolean): Fix {
  const range = ctx.doc.rangeOf(path);
  const lines = ctx.doc.lines;
  const source = ctx.doc.text.slice(lines.offsetAt(range.start), lines.offsetAt(range.end));
  return { title, isPreferred, edits: [{ range, newText: source.replace(from, to) }] };
}

// ---------------------------------------------------------------------------------------------
// Inline JWKS, with lestrrat-go/jwx v1 jwk.Parse's verdicts (the parser istiod uses).

const KEY_TYPES = new Set(['RSA', 'EC', 'oct', 'OKP']);

export interface JwksInspection {
  /** Why jwk.Parse would fail, or undefined. */
  error?: string;
  /** Indexes of keys that carry private or symmetric key material. */
  privateKeys: number[];
}

export function inspectJwks(text: string): JwksInspection {
  const json = parseJsonOnce(text);
  if (!json.ok) return { error: `not valid JSON (${json.error})`, privateKeys: [] };
  const data = json.value;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { error: 'a JWKS must be a JSON object ({"keys": [...]} or a single JWK)', privateKeys: [] };
  const obj = data as Obj;
  let keys: unknown[];
  if ('keys' in obj) {
    if (!Array.isArray(obj.keys)) return { error: '"keys" must be an array of JWKs', privateKeys: [] };
    keys = obj.keys;
  } else {
    keys = [obj];
  }
  const privateKeys: number[] = [];
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k === null || typeof k !== 'object' || Array.isArray(k)) return { error: `key at index ${i} is not a JSON object`, privateKeys };
    const kty = (k as Obj).kty;
    if (typeof kty !== 'string' || !KEY_TYPES.has(kty)) {
      return { error: `key at index ${i} has ${typeof kty === 'string' ? `the unsupported kty '${kty}'` : 'no kty'} (use RSA, EC, OKP or oct)`, privateKeys };
    }
    if (kty === 'oct' || (k as Obj).d !== undefined) privateKeys.push(i);
  }
  return { privateKeys };
}

// ---------------------------------------------------------------------------------------------
// Issuer forms of well-known identity providers (beyond Istio: Envoy compares `iss` exactly).

export interface IssuerAdvice {
  message: string;
  /** The exact issuer when it can be derived from what was written. */
  suggestion?: string;
}

function parseHttpUrl(s: string): URL | undefined {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u : undefined;
  } catch {
    return undefined;
  }
}

const withoutTrailingSlash = (s: string): string => s.replace(/\/+$/, '');

/** What is wrong with an issuer for a recognised provider, or undefined (unknown provider or exact form). */
export function issuerAdvice(issuer: string): IssuerAdvice | undefined {
  const u = parseHttpUrl(issuer);
  if (!u) return undefined;
  const host = u.hostname.toLowerCase();
  const path = u.pathname;
  if (/(^|\/)\.well-known\//.test(path) || /\/(jwks(\.json)?|certs|keys)\/?$/.test(path)) {
    return { message: `issuer '${issuer}' looks like a key-set or discovery URL; the issuer is the token's exact \`iss\` claim (e.g. https://idp.example.com/), and the key URL belongs in jwksUri.` };
  }
  if (host.endsWith('.auth0.com')) {
    const expected = `https://${u.host}/`;
    if (issuer === expected) return undefined;
    return { message: `Auth0 issues tokens with iss '${expected}' (https and a trailing slash); '${issuer}' will not match.`, suggestion: path === '/' || path === '' ? expected : undefined };
  }
  if (host.endsWith('.okta.com') || host.endsWith('.oktapreview.com')) {
    const m = /^(\/oauth2\/[^/]+)(\/.*)?$/.exec(path);
    const base = `https://${u.host}${m ? m[1] : ''}`;
    if (issuer === base) return undefined;
    const what = m ? `the authorization server's issuer '${base}'` : `the org issuer '${base}' (or https://${u.host}/oauth2/default for the default authorization server)`;
    return { message: `Okta issues tokens with ${what}, without a trailing slash or endpoint path; '${issuer}' will not match.`, suggestion: base };
  }
  if (host === 'accounts.google.com') {
    if (issuer === 'https://accounts.google.com') return undefined;
    return { message: `Google issues tokens with iss 'https://accounts.google.com' (no trailing slash or path); '${issuer}' will not match.`, suggestion: 'https://accounts.google.com' };
  }
  if (host === 'login.microsoftonline.com') {
    const m = /^\/([^/]+)(\/v2\.0)?\/?/.exec(path);
    if (!m) return undefined;
    const v2 = `https://login.microsoftonline.com/${m[1]}/v2.0`;
    if (issuer === v2) return undefined;
    return {
      message: `Azure AD (Entra ID) v2.0 tokens carry iss '${v2}' (v1.0 tokens carry 'https://sts.windows.net/${m[1]}/'); '${issuer}' will not match.`,
      suggestion: m[2] ? v2 : undefined,
    };
  }
  if (host === 'sts.windows.net') {
    const m = /^\/([^/]+)/.exec(path);
    const expected = m ? `https://sts.windows.net/${m[1]}/` : undefined;
    if (!expected || issuer === expected) return undefined;
    return { message: `Azure AD v1.0 tokens carry iss '${expected}' (with a trailing slash); '${issuer}' will not match.`, suggestion: expected };
  }
  const realm = /^(.*\/realms\/[^/]+)(\/.*)?$/.exec(path);
  if (realm) {
    const expected = `${u.protocol}//${u.host}${realm[1]}`;
    if (issuer === expected) return undefined;
    return { message: `Keycloak issues tokens with the realm URL '${expected}' as iss (no trailing slash or endpoint path); '${issuer}' will not match.`, suggestion: expected };
  }
  return undefined;
}

function isClusterLocalHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h.endsWith('.svc') || h.endsWith('.cluster.local') || (isIPv4(h) && /^(10|127)\.|^192\.168\.|^172\.(1[6-9]|2[0-9]|3[01])\./.test(h));
}

// ---------------------------------------------------------------------------------------------
// Rules.

export const requestAuthenticationRules = defineRules([
  {
    code: 'reqauth-issuer-or-jwks-uri',
    severity: 'error',
    kinds: KIND,
    summary: 'Each jwtRules entry needs a non-empty issuer or jwksUri (inline jwks alone is not enough).',
    source: `${VALIDATION}: validateJwtRule`,
    check(ctx) {
      for (const r of jwtRulesOf(ctx)) {
        if (nonEmptyString(r.rule.issuer) || jwksUriOf(r.rule)) continue;
        const a = anchorOf(r);
        ctx.report({
          ...a,
          message: `jwtRules[${r.path[2]}] needs \`issuer\` or \`jwksUri\`: set issuer to the token's exact iss claim (e.g. https://accounts.google.com)${nonEmptyString(r.rule.jwks) ? '; inline jwks does not replace it' : ''}.`,
        });
      }
    },
  },
  {
    code: 'reqauth-jwks-invalid',
    severity: 'error',
    kinds: KIND,
    summary: 'Inline jwks that jwk.Parse rejects (not JSON, not a JWK/JWK Set, missing or unknown kty).',
    source: `${VALIDATION}: validateJwtRule (jwk.Parse)`,
    check(ctx) {
      for (const r of jwtRulesOf(ctx)) {
        if (!nonEmptyString(r.rule.jwks)) continue;
        const { error } = inspectJwks(r.rule.jwks);
        if (error) ctx.report({ path: [...r.path, 'jwks'], message: `jwks parse error: ${error}. jwks must be a JSON Web Key Set such as {"keys": [{"kty": "RSA", "n": "...", "e": "AQAB"}]}.` });
      }
    },
  },
  {
    code: 'reqauth-jwks-private-key',
    severity: 'warning',
    kinds: KIND,
    summary: 'Inline jwks contains private or symmetric key material; only public keys are needed.',
    source: `${VALIDATION}: warnPrivateJwksKeys`,
    check(ctx) {
      for (const r of jwtRulesOf(ctx)) {
        if (!nonEmptyString(r.rule.jwks)) continue;
        const { error, privateKeys } = inspectJwks(r.rule.jwks);
        if (error || privateKeys.length === 0) continue;
        // One finding per jwks (they share its range), naming the keys: bounded whatever the set's size.
        const which = privateKeys.length === 1 ? `key at index ${privateKeys[0]} contains` : `keys at index ${someOf(privateKeys)} contain`;
        ctx.report({
          path: [...r.path, 'jwks'],
          message: `jwks ${which} private key material (a "d" member, or a symmetric "oct" key); only public keys are used for verification. Publish only the public key (kty, n, e / crv, x, y) and keep the private key secret.`,
        });
      }
    },
  },
  {
    code: 'reqauth-jwks-uri-scheme',
    severity: 'hint',
    kinds: KIND,
    summary: 'jwksUri without a scheme (rejected by the CRD rule "url must have scheme"): offers to add https://.',
    source: 'pkg/config/security/security.go: ParseJwksURI; CRD x-kubernetes-validations on jwksUri',
    check(ctx) {
      for (const r of jwtRulesOf(ctx)) {
        const uri = jwksUriOf(r.rule);
        // Only host[:port][/path] values: anything else is not recognisably a URL missing its scheme.
        if (!uri || !/^[A-Za-z0-9][A-Za-z0-9.-]*(:[0-9]+)?(\/\S*)?$/.test(uri.value) || !uri.value.split(/[:/]/)[0].includes('.')) continue;
        const path = [...r.path, uri.field];
        const fixed = `https://${uri.value}`;
        ctx.report({
          path,
          message: `jwksUri '${uri.value}' has no scheme; Istio fetches keys only from http:// or https:// URLs. Use '${fixed}'.`,
          fixes: [replaceValueFix(ctx, path, `Add https:// (${fixed})`, uri.value, fixed, true)],
        });
      }
    },
  },
  {
    code: 'reqauth-jwks-uri-http',
    severity: 'warning',
    kinds: KIND,
    summary: 'jwksUri over plain http://: the signing keys can be tampered with in transit (information for in-cluster hosts).',
    source: 'pkg/config/security/security.go: ParseJwksURI (http is accepted, UseSSL=false)',
    check(ctx) {
      for (const r of jwtRulesOf(ctx)) {
        const uri = jwksUriOf(r.rule);
        if (!uri || !/^http:\/\//i.test(uri.value)) continue;
        const u = parseHttpUrl(uri.value);
        const local = u !== undefined && isClusterLocalHost(u.hostname);
        const path = [...r.path, uri.field];
        const https = uri.value.replace(/^http:/i, 'https:');
        ctx.report({
          path,
          severity: local ? 'information' : undefined,
          message: local
            ? `jwksUri uses plain http:// to an in-cluster host; keys travel unencrypted inside the cluster. Prefer https:// if the server offers it.`
            : `jwksUri uses plain http://: istiod fetches the signing keys unencrypted, so anyone on the path can substitute keys and forge tokens. Use https://.`,
          fixes: [replaceValueFix(ctx, path, `Use https:// (${https})`, uri.value, https, false)],
        });
      }
    },
  },
  {
    code: 'reqauth-timeout-precision',
    severity: 'error',
    kinds: KIND,
    summary: 'jwtRules timeout must be a whole number of milliseconds.',
    source: `${VALIDATION}: validateJwtRule (agent.ValidateDuration)`,
    check(ctx) {
      for (const r of jwtRulesOf(ctx)) {
        if (typeof r.rule.timeout !== 'string') continue;
        const d = parseGoDuration(r.rule.timeout);
        if (!d.ok || d.nanos < 1_000_000n || d.nanos % 1_000_000n === 0n) continue; // invalid or < 1ms: CRD rule
        const ms = d.nanos / 1_000_000n;
        ctx.report({
          path: [...r.path, 'timeout'],
          message: `timeout '${r.rule.timeout}' is not a whole number of milliseconds; only durations to ms precision are supported (e.g. '${ms}ms').`,
          fixes: [replaceValueFix(ctx, [...r.path, 'timeout'], `Change to ${ms}ms`, r.rule.timeout, `${ms}ms`, true)],
        });
      }
    },
  },
  {
    code: 'reqauth-header-name-invalid',
    severity: 'warning',
    kinds: KIND,
    summary: 'fromHeaders[].name or outputPayloadToHeader is not an HTTP header name (RFC 7230 token); the token is never found or the header not set.',
    source: 'RFC 7230 section 3.2.6 (token); istiod only checks these names are non-empty',
    check(ctx) {
      const token = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/;
      for (const r of jwtRulesOf(ctx)) {
        const places: Array<{ value: string; path: Path; what: string }> = objItems(r.rule.fromHeaders).flatMap(({ item, index }) =>
          nonEmptyString(item.name) ? [{ value: item.name, path: [...r.path, 'fromHeaders', index, 'name'], what: 'fromHeaders name' }] : [],
        );
        if (nonEmptyString(r.rule.outputPayloadToHeader)) places.push({ value: r.rule.outputPayloadToHeader, path: [...r.path, 'outputPayloadToHeader'], what: 'outputPayloadToHeader' });
        for (const p of places) {
          if (token.test(p.value)) continue;
          const hint = p.value.includes(':') ? ' (write only the header name, e.g. Authorization; put "Bearer " in prefix)' : '';
          ctx.report({ path: p.path, message: `${p.what} '${p.value}' is not a valid HTTP header name: use letters, digits and !#$%&'*+-.^_\`|~ only${hint}.` });
        }
      }
    },
  },
  {
    code: 'reqauth-issuer-format',
    severity: 'warning',
    kinds: KIND,
    summary: "The issuer differs from the exact form the identity provider puts in tokens' iss (Auth0, Okta, Google, Azure AD, Keycloak), or looks like a key URL.",
    source: 'Envoy jwt_authn compares iss byte for byte; provider documentation for the issuer forms',
    check(ctx) {
      for (const r of jwtRulesOf(ctx)) {
        if (!nonEmptyString(r.rule.issuer)) continue;
        const advice = issuerAdvice(r.rule.issuer);
        if (!advice) continue;
        const path = [...r.path, 'issuer'];
        ctx.report({
          path,
          message: `${advice.message}${advice.suggestion ? ` Use '${advice.suggestion}'.` : ''} Tokens whose iss differs are rejected ("Jwt issuer is not configured").`,
          fixes: advice.suggestion ? [replaceValueFix(ctx, path, `Change issuer to ${advice.suggestion}`, r.rule.issuer, advice.suggestion, true)] : undefined,
        });
      }
    },
  },
]);

