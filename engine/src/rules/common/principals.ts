/**
 * requestPrincipals (and request.auth.principal) values as istiod compiles them
 * (pilot/pkg/security/authz/model/generator.go, requestPrincipalGenerator): the value is split at
 * its LAST "/" into issuer and subject, each matched on its own against the token's iss and sub
 * claims; a leading "*" makes the issuer a suffix match, a trailing "*" the subject a prefix match.
 * So `https://tenant.auth0.com/*` wants the issuer `https://tenant.auth0.com` exactly, never
 * `https://tenant.auth0.com/`: Auth0 principals are written `https://tenant.auth0.com//*`.
 */
export interface PrincipalMatcher {
  iss(iss: string): boolean;
  sub(sub: string): boolean;
}

const any = (v: string): boolean => v.length > 0;

export function principalMatcher(pattern: string): PrincipalMatcher {
  const idx = pattern.lastIndexOf('/');
  const found = idx >= 0;
  const pIss = found ? pattern.slice(0, idx) : pattern;
  const pSub = found ? pattern.slice(idx + 1) : '';
  if (pattern === '*') return { iss: any, sub: any };
  if (pattern.startsWith('*')) {
    if (!found) return { iss: any, sub: (s) => s.endsWith(pattern.slice(1)) };
    return { iss: pIss === '*' ? any : (i) => i.endsWith(pIss.slice(1)), sub: (s) => s === pSub };
  }
  if (pattern.endsWith('*')) {
    if (!found) return { iss: (i) => i.startsWith(pattern.slice(0, -1)), sub: any };
    return { iss: (i) => i === pIss, sub: pSub === '*' ? any : (s) => s.startsWith(pSub.slice(0, -1)) };
  }
  return { iss: (i) => i === pIss, sub: (s) => s === pSub };
}
