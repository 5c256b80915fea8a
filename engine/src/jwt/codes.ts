/** Every diagnostic code of the JWT features (documented in docs/diagnostics/jwt.md). */
import type { Severity } from '../diagnostics';

export interface JwtCodeInfo {
  severity: Severity;
  summary: string;
  source: string;
}

export const JWT_CODES = {
  'jwt-expired': {
    severity: 'information',
    summary: 'A token in the file is expired beyond Envoy\'s 60 s clock skew: Envoy answers 401 "Jwt is expired".',
    source: 'Envoy jwt_authn JwtProvider.clock_skew_seconds (default 60); jwt_verify_lib verifyTimeConstraint',
  },
  'jwt-not-yet-valid': {
    severity: 'information',
    summary: 'A token\'s nbf is more than 60 s in the future: Envoy answers 401 "Jwt not yet valid".',
    source: 'Envoy jwt_authn JwtProvider.clock_skew_seconds (default 60); jwt_verify_lib verifyTimeConstraint',
  },
  'jwt-alg-none': {
    severity: 'warning',
    summary: 'A token with alg "none" (unsigned): Envoy never accepts it.',
    source: 'Envoy jwt_authn supported algorithms (RS*, PS*, ES256/384/512, HS*, EdDSA)',
  },
  'jwt-symmetric-alg': {
    severity: 'warning',
    summary: 'A token signed with HS* (shared secret) for an issuer whose inline jwks has only asymmetric keys: no key can verify it.',
    source: 'jwt_verify_lib key selection: HS* tokens verify only with kty "oct" keys',
  },
  'jwt-issuer-not-accepted': {
    severity: 'information',
    summary: 'No RequestAuthentication jwtRule in the workspace has the token\'s issuer: Envoy answers 401 "Jwt issuer is not configured" where RequestAuthentications apply.',
    source: 'pilot/pkg/security/authn/policy_applier.go (one Envoy provider per jwtRule, issuer matched exactly)',
  },
  'jwt-audience-not-accepted': {
    severity: 'information',
    summary: 'The jwtRules with the token\'s issuer list audiences, none of which is in the token\'s aud: Envoy answers 403 "Audiences in Jwt are not allowed".',
    source: 'Envoy jwt_authn JwtProvider.audiences; jwt_verify_lib CheckAudience',
  },
} as const satisfies Record<string, JwtCodeInfo>;

export type JwtCode = keyof typeof JWT_CODES;
