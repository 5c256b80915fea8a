import type { Severity } from '../diagnostics';

/** One JWKS/OIDC diagnostic: data for findings, docs/diagnostics/jwks.md and hover. */
export interface JwksCodeInfo {
  severity: Severity;
  summary: string;
  /** Where Istio states the behaviour. */
  source: string;
}

const RESOLVER = 'pilot/pkg/model/jwks_resolver.go (istiod fetches the key set; on failure JWT requests are rejected)';

/**
 * Every code this module reports. Network and key-set problems are warnings: Istio accepts the
 * RequestAuthentication, istiod only fails at run time (and then rejects every request carrying a JWT).
 */
export const JWKS_CODES = {
  'jwks-dns-failure': { severity: 'warning', summary: 'The JWKS or discovery host name does not resolve.', source: RESOLVER },
  'jwks-connection-refused': { severity: 'warning', summary: 'Nothing listens on the JWKS or discovery host and port.', source: RESOLVER },
  'jwks-timeout': { severity: 'warning', summary: 'The JWKS or discovery server did not answer within the timeout.', source: RESOLVER },
  'jwks-network-error': { severity: 'warning', summary: 'The connection failed for another network reason (reset, unreachable...).', source: RESOLVER },
  'jwks-proxy-error': { severity: 'warning', summary: 'The configured HTTP proxy refused or failed the request.', source: RESOLVER },
  'jwks-tls-untrusted': { severity: 'warning', summary: 'The server certificate is issued by a CA that is not trusted.', source: RESOLVER },
  'jwks-tls-self-signed': { severity: 'warning', summary: 'The server certificate (or its chain) is self-signed.', source: RESOLVER },
  'jwks-tls-expired': { severity: 'warning', summary: 'The server certificate has expired or is not yet valid.', source: RESOLVER },
  'jwks-tls-hostname-mismatch': { severity: 'warning', summary: 'The server certificate does not cover the URL host name.', source: RESOLVER },
  'jwks-tls-error': { severity: 'warning', summary: 'The TLS handshake failed for another reason.', source: RESOLVER },
  'jwks-http-status': { severity: 'warning', summary: 'The server answered with a status outside 200-299.', source: `${RESOLVER}: getRemoteContentWithRetry` },
  'jwks-too-many-redirects': { severity: 'warning', summary: 'The server redirected more than the allowed number of times.', source: RESOLVER },
  'jwks-too-large': { severity: 'warning', summary: 'The response exceeded the size cap and was not read.', source: 'istio-sec network limits' },
  'jwks-decode-error': { severity: 'warning', summary: 'The gzip/deflate/br response body could not be decoded.', source: RESOLVER },
  'jwks-not-json': { severity: 'warning', summary: 'The JWKS or discovery body is not JSON.', source: RESOLVER },
  'jwks-not-key-set': { severity: 'warning', summary: 'The JSON is not a JWK Set ({"keys": [...]}), e.g. a single JWK: Envoy fails with "Jwks does not have [keys] field".', source: 'RFC 7517 section 5; Envoy source/common/jwt/jwks.cc (JwksNoKeys)' },
  'jwks-no-usable-keys': { severity: 'warning', summary: 'No key of the set can verify a JWT; every token will be rejected.', source: 'Envoy jwt_authn (JwksNoValidKeys)' },
  'jwks-key-unusable': { severity: 'information', summary: 'One key of the set cannot be used to verify JWTs (others can).', source: 'RFC 7517/7518; Envoy jwt_authn skips such keys' },
  'jwks-private-key': { severity: 'warning', summary: 'A key carries private or secret material (d, p, q, dp, dq, qi, oth, k).', source: 'pkg/config/validation/validation.go: warnPrivateJwksKeys' },
  'jwks-duplicate-kid': { severity: 'warning', summary: 'Two keys of the set share a kid, so the key a token names is ambiguous.', source: 'RFC 7517 section 4.5' },
  'jwks-insecure-http': { severity: 'warning', summary: 'OIDC discovery or its jwks_uri uses plain http://, so the keys can be tampered with (a configured http:// jwksUri is reported by reqauth-jwks-uri-http).', source: 'pkg/config/security/security.go: ParseJwksURI' },
  'jwks-url-credentials': { severity: 'warning', summary: 'The URL carries user:password@; it was not sent and should not be in a manifest.', source: 'istio-sec network hygiene' },
  'jwks-unsupported-scheme': { severity: 'warning', summary: 'The issuer (or a discovered jwks_uri) is not http:// or https://, so istiod cannot fetch keys from it.', source: `${RESOLVER}: resolveJwksURIUsingOpenID` },
  'jwks-invalid-url': { severity: 'warning', summary: 'The issuer (or a discovered jwks_uri) is not an absolute URL, so OIDC discovery cannot work.', source: `${RESOLVER}: resolveJwksURIUsingOpenID` },
  'jwks-discovery-invalid': { severity: 'warning', summary: 'The OIDC discovery document has no string jwks_uri.', source: `${RESOLVER}: resolveJwksURIUsingOpenID` },
  'jwks-issuer-mismatch': { severity: 'warning', summary: 'The discovery document names a different issuer than the configured one.', source: 'OpenID Connect Discovery 1.0 section 4.3; Envoy compares iss exactly' },
  'jwks-uri-mismatch': { severity: 'information', summary: 'The configured jwksUri differs from the jwks_uri the issuer publishes.', source: 'OpenID Connect Discovery 1.0 section 3' },
  'jwks-cluster-local': { severity: 'information', summary: 'The host only resolves inside the cluster; it was not fetched from here.', source: 'Kubernetes DNS for Services' },
} as const satisfies Record<string, JwksCodeInfo>;

export type JwksCode = keyof typeof JWKS_CODES;

export function severityOf(code: JwksCode): Severity {
  return JWKS_CODES[code].severity;
}
