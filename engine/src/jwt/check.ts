/** Findings about the tokens found in a text (YAML values, block scalars, comments). */
import type { Finding } from '../diagnostics';
import { LineIndex } from '../text/lineIndex';
import { JWT_CODES, type JwtCode } from './codes';
import { decodeToken, type DecodedJwt } from './decode';
import { findTokens, type FoundToken } from './detect';
import { redactToken } from './redact';
import { ruleLabel, rulesAccepting, type JwtRuleInfo } from './rules';
import { isSymmetricAlg, keyFitsAlg, parseJwkSet } from './verify';

type Emit = (code: JwtCode, message: string) => void;

function issuerFindings(jwt: DecodedJwt, rules: readonly JwtRuleInfo[], emit: Emit, name: string): void {
  if (jwt.issuer === undefined) return;
  const acceptance = rulesAccepting(jwt, rules);
  const byIssuer = acceptance.filter((a) => a.issuer);
  if (byIssuer.length === 0) {
    const hint = acceptance.find((a) => a.slashHint);
    const known = [...new Set(rules.map((r) => JSON.stringify(r.issuer)))].slice(0, 5).join(', ');
    emit(
      'jwt-issuer-not-accepted',
      `${name}: its issuer ${JSON.stringify(jwt.issuer)} is accepted by no RequestAuthentication in the workspace; where one applies, Envoy answers 401 "Jwt issuer is not configured".` +
        (hint ? ` ${ruleLabel(hint.rule)}: ${hint.slashHint}.` : known ? ` Issuers configured: ${known}.` : ' Add a RequestAuthentication jwtRule with this issuer.'),
    );
    return;
  }
  if (!byIssuer.some((a) => a.audience)) {
    const wanted = [...new Set(byIssuer.flatMap((a) => a.rule.audiences))].map((a) => JSON.stringify(a)).join(', ');
    emit('jwt-audience-not-accepted', `${name}: aud ${JSON.stringify(jwt.audiences)} contains none of the audiences ${wanted} that ${ruleLabel(byIssuer[0].rule)} accepts; Envoy answers 403 "Audiences in Jwt are not allowed".`);
  }
}

/** HS* token, and every inline key set of the rules with its issuer has only asymmetric keys. */
function symmetricMismatch(jwt: DecodedJwt, rules: readonly JwtRuleInfo[]): JwtRuleInfo | undefined {
  if (!jwt.alg || !isSymmetricAlg(jwt.alg)) return undefined;
  const inline = rules.filter((r) => r.issuer === jwt.issuer && r.jwks !== undefined);
  if (inline.length === 0) return undefined;
  const allAsymmetric = inline.every((r) => {
    const keys = parseJwkSet(r.jwks!).jwks?.keys ?? [];
    return keys.length > 0 && !keys.some((k) => keyFitsAlg(k as { kty?: string }, jwt.alg!));
  });
  return allAsymmetric ? inline[0] : undefined;
}

function tokenFindings(found: FoundToken, rules: readonly JwtRuleInfo[], now: number, emit: Emit): void {
  const decoded = decodeToken(found.token, now);
  if (!decoded.ok) return;
  const jwt = decoded.jwt;
  const name = `JWT ${redactToken(found.token)}`;
  if (jwt.status === 'expired') emit('jwt-expired', `${name}: ${jwt.statusDetail}; Envoy answers 401 "Jwt is expired".`);
  if (jwt.status === 'not-yet-valid') emit('jwt-not-yet-valid', `${name}: ${jwt.statusDetail}; Envoy answers 401 "Jwt not yet valid".`);
  if (jwt.alg === 'none') emit('jwt-alg-none', `${name} has alg "none" (unsigned); Envoy never accepts it. Sign it with RS256, ES256 or another algorithm the issuer's JWKS supports.`);
  const mismatch = symmetricMismatch(jwt, rules);
  if (mismatch) {
    emit('jwt-symmetric-alg', `${name} uses alg ${jwt.alg} (shared secret), but the inline jwks of ${ruleLabel(mismatch)} has only asymmetric keys; no key can verify it ("Jwks doesn't have key to match kid or alg from Jwt"). Use the issuer's asymmetric algorithm (e.g. RS256).`);
  }
  issuerFindings(jwt, rules, emit, name);
}

/**
 * Findings for every JWT in `text` (ranges relative to `text`). `rules`: the workspace's jwtRules
 * (see jwtRulesOf); `now`: epoch milliseconds. Messages never contain a whole token.
 */
export function checkTokensInText(text: string, rules: readonly JwtRuleInfo[], now: number = Date.now()): Finding[] {
  const tokens = findTokens(text);
  if (tokens.length === 0) return [];
  const lines = new LineIndex(text);
  const out: Finding[] = [];
  for (const found of tokens) {
    const range = lines.range(found.start, found.end);
    tokenFindings(found, rules, now, (code, message) => out.push({ code, severity: JWT_CODES[code].severity, message, range }));
  }
  return out;
}
