/**
 * JWKS and OIDC reachability for RequestAuthentication jwtRules (issue 8). Engine-only: no LSP or
 * VS Code imports; uses Node's http/https and jose.
 *
 * API
 * - `collectJwtRules(doc)`: every spec.jwtRules[i] with issuer, jwksUri, inline jwks and their
 *   document-relative ranges.
 * - `checkInlineJwks(doc, out)`: synchronous, no I/O. Register it as a document check:
 *   `(doc, _settings, out) => checkInlineJwks(doc, out)`.
 * - `checkJwksReachability(doc, opts)`: async; fetches jwksUri (or the issuer's OIDC discovery
 *   document `<issuer minus one trailing "/">/.well-known/openid-configuration`, then jwks_uri, as
 *   istiod's pilot/pkg/model/jwks_resolver.go does) and returns `{ findings, checks }`: findings are
 *   document-relative (shift them like other findings), `checks` are the hover data per jwtRule
 *   (status, url, latency ms, keys with kid/kty/alg/use, checkedAt, kubectl args).
 *   A successful fetch produces no finding. Rules with inline jwks are never fetched.
 * - `getJwks({ jwksUri?, issuer? }, opts)`: the key set for JWT verification: `jwks` (plain JWK
 *   objects, usable with jose's createLocalJWKSet), `keys` (public keys imported with jose, with
 *   the alg used), or `status`/`failure` saying precisely why not. `getDiscovery(issuer, opts)`.
 * - `JwksCache`: TTL (default 5 min), injectable clock, de-duplicated concurrent loads, at most 4
 *   fetches at once. Share one instance per process (DEFAULT_JWKS_CACHE is used when none is passed);
 *   `cache.invalidate(url)` or `opts.force` re-checks; call `cache.invalidate()` when network options
 *   change (proxy, CAs, timeouts): cached results do not record the options they were fetched with.
 * - `kubectlProxyArgs(url, { context, namespace })`: kubectl args to GET a cluster-local URL
 *   through the API server's service proxy; `isClusterLocalHost(host)`.
 * - `JWKS_CODES`: every code with severity, summary and Istio source (docs/diagnostics/jwks.md).
 *
 * Options (`ReachabilityOptions` ⊃ `JwksOptions` ⊃ `FetchOptions`): timeoutMs (5000), maxBytes
 * (1 MiB), maxRedirects (3), proxy (explicit, e.g. VS Code http.proxy; else HTTPS_PROXY/HTTP_PROXY
 * and NO_PROXY from `env`, default process.env), rejectUnauthorized (VS Code http.proxyStrictSSL),
 * caCertificates (PEM strings; NODE_EXTRA_CA_CERTS is honoured), offline (no request; status
 * 'offline'), force, namespace / kubeContext (kubectl args), compareDiscovery (true), cache.
 * No cookies, no Authorization, user:password@ is stripped from URLs (and reported).
 */
export { JWKS_CODES, severityOf, type JwksCode, type JwksCodeInfo } from './codes';
export { JwksCache, JWKS_CACHE_DEFAULTS, type JwksCacheOptions } from './cache';
export { clusterServiceOf, isClusterLocalHost, isDnsName, kubectlProxyArgs, type ClusterService } from './clusterLocal';
export { fetchUrl, FETCH_DEFAULTS, type FetchOptions, type FetchOutcome, type FetchSuccess, type FetchFailure } from './http';
export { isNoProxy, proxyFor, type ProxySettings } from './proxy';
export { analyzeJwks, analyzeJwksText, importKeySet, keySetReport, defaultAlg, publicPart, type ImportedKey, type KeySetAnalysis, type KeySetProblem, type KeySetReport, type KeySummary } from './keys';
export {
  DEFAULT_JWKS_CACHE,
  discoveryUrlOf,
  getDiscovery,
  getJwks,
  type DiscoveryInfo,
  type DiscoveryResult,
  type JwksFailure,
  type JwksOptions,
  type JwksResult,
  type JwksSource,
  type JwksStatus,
} from './resolve';
export {
  checkInlineJwks,
  checkJwksReachability,
  collectJwtRules,
  type JwksReport,
  type JwtRuleCheck,
  type JwtRuleRef,
  type LocatedString,
  type ReachabilityOptions,
} from './check';
