/**
 * JWTs (issue 7): detect, decode, verify. Engine-only (no LSP or VS Code imports); uses jose.
 *
 * API
 * - `findTokens(text)`: every JWT-shaped string in a text (values, block scalars, comments) with
 *   offsets [start, end) and its decoded header; tokens over 64 KiB are skipped, at most 100.
 *   `tokenAt(text, offset)`: the token under the cursor (hover).
 * - `decodeToken(token, now?)`: `{ ok: true, jwt }` with header, payload, iat/nbf/exp (epoch, ISO
 *   UTC, relative), status valid / expired / not-yet-valid with Envoy's 60 s clock skew, principal
 *   `<iss>/<sub>`, audiences; or `{ ok: false, error }` for malformed input. Never throws.
 * - `jwtRulesOf(resources)`: the jwtRules of RequestAuthentication resources (e.g. every
 *   `entry.analysis.resource` of the workspace's FileModels) as `JwtRuleInfo`.
 *   `rulesAccepting(jwt, rules)`: which rules accept the token's issuer and audience.
 * - `checkTokensInText(text, rules, now?)`: Findings (codes `jwt-*`, see JWT_CODES and
 *   docs/diagnostics/jwt.md) with ranges relative to `text`: run it on a whole file's text.
 * - `verifyToken(token, { issuer, audiences, jwks }, now?)`: every check Envoy makes, in its
 *   order, as `{ check, ok, detail }` (ok null: not checked), the first failure and Envoy's answer.
 *   `resolveKeySet(rule, { offline, jwks })`: the key set for a jwtRule (inline jwks, or fetched
 *   through engine/src/jwks getJwks), or why it is unavailable; pass its `jwks`/`unavailable` to
 *   verifyToken.
 * - `redactToken(token)`: the only way to show a token (a short prefix and the length). Never log
 *   or echo a whole token.
 * `now` is always epoch milliseconds.
 */
export { redactToken } from './redact';
export {
  CLOCK_SKEW_SECONDS,
  ENVOY_ALGORITHMS,
  JWT_LIMITS,
  decodeToken,
  relativeTime,
  timeStatus,
  type DecodeResult,
  type DecodedJwt,
  type JsonObject,
  type JwtTime,
  type TokenStatus,
} from './decode';
export { findTokens, tokenAt, type FoundToken } from './detect';
export { audienceAccepted, jwtRulesOf, ruleLabel, rulesAccepting, sanitizeAudience, type JwtRuleInfo, type ResourceLike, type RuleAcceptance } from './rules';
export {
  ENVOY_MESSAGES,
  isSymmetricAlg,
  keyFitsAlg,
  parseJwkSet,
  verifyToken,
  type CheckName,
  type JwkSetLike,
  type VerifyCheck,
  type VerifyResult,
  type VerifyTarget,
} from './verify';
export { resolveKeySet, type KeySetOptions, type KeySetResolution } from './keys';
export { checkTokensInText } from './check';
export { JWT_CODES, type JwtCode, type JwtCodeInfo } from './codes';
