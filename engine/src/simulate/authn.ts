/**
 * Request authentication as Istio configures Envoy's jwt_authn filter
 * (pilot/pkg/security/authn/policy_applier.go convertToEnvoyJwtConfig): one provider per jwtRule;
 * the requirement is "any provider verifies, or every provider sees no token or a valid one"
 * (allow_missing). So: no token → anonymous; a token → it must verify with a rule of its issuer,
 * else 401 (403 for audiences).
 */
import { decodeToken, type JsonObject } from '../jwt/decode';
import { resolveKeySet, type KeySetOptions } from '../jwt/keys';
import { redactToken } from '../jwt/redact';
import { ruleLabel, type JwtRuleInfo } from '../jwt/rules';
import { ENVOY_MESSAGES, verifyToken, type VerifyResult } from '../jwt/verify';
import type { RequestView } from './request';

/** Claims Envoy always splits on spaces (normalize_payload_in_metadata). */
export const SPACE_DELIMITED_CLAIMS: readonly string[] = ['permission', 'scope'];

export interface AuthOutcome {
  kind: 'anonymous' | 'authenticated' | 'rejected';
  status?: 401 | 403;
  reason?: string;
  /** The verified token's claims, space-delimited claims split into lists. */
  claims?: JsonObject;
  /** For an authenticated request: whether the token's signature was checked (false: no key set). */
  signatureChecked?: boolean;
  trace: string[];
}

interface RuleToken {
  rule: JwtRuleInfo;
  token?: string;
  location?: string;
}

/** The token a rule's locations hold (Envoy's defaults: Authorization: Bearer, ?access_token=). */
export function extractToken(rule: JwtRuleInfo, req: RequestView): { token?: string; location?: string } {
  const custom = (rule.fromHeaders?.length ?? 0) + (rule.fromParams?.length ?? 0) + (rule.fromCookies?.length ?? 0) > 0;
  const headers = custom ? (rule.fromHeaders ?? []) : [{ name: 'authorization', prefix: 'Bearer ' }];
  for (const h of headers) {
    const value = req.header(h.name);
    if (value === undefined) continue;
    const prefix = h.prefix ?? '';
    if (!value.toLowerCase().startsWith(prefix.toLowerCase())) continue;
    const token = value.slice(prefix.length).trim();
    if (token) return { token, location: `header ${h.name}${prefix ? ` (prefix ${JSON.stringify(prefix)})` : ''}` };
  }
  for (const p of custom ? (rule.fromParams ?? []) : ['access_token']) {
    const token = req.query.get(p);
    if (token) return { token, location: `query parameter ${p}` };
  }
  for (const c of rule.fromCookies ?? []) {
    const token = req.cookie(c);
    if (token) return { token, location: `cookie ${c}` };
  }
  return {};
}

/** Claims as the RBAC filter sees them: space-delimited string claims become lists. */
export function normalizeClaims(payload: JsonObject, extra: readonly string[] = []): JsonObject {
  const out: JsonObject = { ...payload };
  for (const c of new Set([...SPACE_DELIMITED_CLAIMS, ...extra])) {
    if (typeof out[c] === 'string') out[c] = (out[c] as string).split(' ').filter(Boolean);
  }
  return out;
}

type RuleVerdict = { rt: RuleToken; result: VerifyResult };

async function verifyForRule(rt: RuleToken & { token: string }, opts: KeySetOptions, now: number, trace: string[]): Promise<VerifyResult> {
  const decoded = decodeToken(rt.token, now);
  const issuerMatches = decoded.ok && decoded.jwt.issuer === rt.rule.issuer;
  // Keys are only needed (and fetched) when the issuer is the rule's.
  const keys = issuerMatches ? await resolveKeySet(rt.rule, opts) : undefined;
  const result = await verifyToken(rt.token, { issuer: rt.rule.issuer, audiences: rt.rule.audiences, jwks: keys?.jwks, jwksUnavailable: keys?.unavailable }, now);
  const label = ruleLabel(rt.rule);
  if (result.ok) {
    trace.push(`${label}: token from ${rt.location} verified (issuer, exp/nbf, audiences${result.signatureChecked ? `, signature with ${keys?.source}` : ''}).`);
    if (!result.signatureChecked) trace.push(`${label}: signature NOT checked: ${keys?.unavailable ?? 'no key set'}.`);
  } else {
    const failed = result.checks.find((c) => c.ok === false)!;
    trace.push(`${label}: token from ${rt.location} fails the ${failed.check} check: ${failed.detail}.`);
  }
  return result;
}

/** The failure Envoy reports when no requirement is met: a real verification error before "issuer not configured". */
function rejection(verdicts: RuleVerdict[]): { status: 401 | 403; reason: string } {
  const failures = verdicts.filter((v) => !v.result.ok);
  const specific = failures.find((v) => v.result.failed !== 'issuer') ?? failures[0];
  return { status: specific.result.httpStatus ?? 401, reason: specific.result.envoyMessage ?? ENVOY_MESSAGES.signature };
}

/** Authenticates the request against the jwtRules that apply to the workload. */
export async function authenticate(rules: readonly JwtRuleInfo[], req: RequestView, opts: KeySetOptions, now: number): Promise<AuthOutcome> {
  const trace: string[] = [];
  if (rules.length === 0) {
    const t = req.anyToken ? ' The token is ignored: no RequestAuthentication applies, so it gives no identity.' : '';
    return { kind: 'anonymous', trace: [`No jwtRules apply: the request has no request principal.${t}`] };
  }
  const sorted = [...rules].sort((a, b) => (a.issuer < b.issuer ? -1 : a.issuer > b.issuer ? 1 : 0));
  const withTokens: RuleToken[] = sorted.map((rule) => ({ rule, ...extractToken(rule, req) }));
  const present = withTokens.filter((rt): rt is RuleToken & { token: string } => rt.token !== undefined);
  if (present.length === 0) {
    trace.push(`No token at the locations of the ${rules.length} applicable jwtRule(s): allowed without identity (allow_missing).`);
    return { kind: 'anonymous', trace };
  }
  trace.push(`Token ${redactToken(present[0].token)} found; checking it against ${present.length} jwtRule(s) in issuer order.`);
  const verdicts: RuleVerdict[] = [];
  for (const rt of present) {
    const result = await verifyForRule(rt, opts, now, trace);
    verdicts.push({ rt, result });
    if (result.ok) {
      const claims = normalizeClaims(result.jwt!.payload, rt.rule.spaceDelimitedClaims);
      const principal = result.jwt!.principal;
      trace.push(`Authenticated: request.auth.principal = ${principal !== undefined ? JSON.stringify(principal) : '(none: the token lacks iss or sub)'}.`);
      return { kind: 'authenticated', claims, signatureChecked: result.signatureChecked === true, trace };
    }
  }
  const { status, reason } = rejection(verdicts);
  trace.push(`jwt_authn rejects the request: ${status} "${reason}".`);
  return { kind: 'rejected', status, reason, trace };
}
