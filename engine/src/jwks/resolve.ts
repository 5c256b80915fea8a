/** getJwks / getDiscovery: fetch (or reuse), parse and import a key set, with precise failures. */
import { isIP } from 'node:net';
import type { JWK } from 'jose';
import { JwksCache } from './cache';
import { isClusterLocalHost, isDnsName, kubectlProxyArgs } from './clusterLocal';
import type { JwksCode } from './codes';
import { fetchUrl, stripCredentials, type FetchOptions, type FetchOutcome } from './http';
import { analyzeJwksText, importKeySet, type ImportedKey, type KeySetProblem, type KeySummary } from './keys';

export interface JwksSource {
  jwksUri?: string;
  issuer?: string;
}

export interface JwksOptions extends FetchOptions {
  /** Shared results cache (TTL, de-duplication, concurrency). Default: DEFAULT_JWKS_CACHE. */
  cache?: JwksCache;
  /** Make no request at all; the result says status 'offline'. */
  offline?: boolean;
  /** Ignore cached results for this call (a user-requested re-check). */
  force?: boolean;
  /** Namespace for single-label cluster hosts in kubectl arguments (the document's namespace). */
  namespace?: string;
  /** kubectl context for cluster-local checks. */
  kubeContext?: string;
}

export type JwksStatus = 'ok' | 'failed' | 'offline' | 'cluster-local';

export interface JwksFailure {
  code: JwksCode;
  message: string;
  /** Which request failed. */
  stage: 'discovery' | 'jwks';
  url: string;
  status?: number;
  /** The failure concerns where the URL redirected to (e.g. a file:// Location), not the configured URL. */
  redirected?: boolean;
}

export interface DiscoveryInfo {
  url: string;
  /** The discovery document's `issuer` and `jwks_uri` (when strings). */
  issuer?: string;
  jwksUri?: string;
  latencyMs: number;
}

export interface DiscoveryResult {
  status: JwksStatus;
  url?: string;
  discovery?: DiscoveryInfo;
  failure?: JwksFailure;
  kubectlArgs?: string[];
  checkedAt: number;
  fromCache: boolean;
}

/** Everything known about one key set: for findings, hover, and JWT verification. */
export interface JwksResult {
  status: JwksStatus;
  /** How the JWKS URL was obtained. */
  source: 'jwksUri' | 'discovery';
  /** The JWKS URL fetched or to fetch (credentials stripped); undefined when discovery failed. */
  url?: string;
  /** The URL that answered after redirects. */
  finalUrl?: string;
  discovery?: DiscoveryInfo;
  /** The JWK Set as fetched (plain objects; may include keys that are unusable). */
  jwks?: { keys: JWK[] };
  /** Usable keys imported with jose (public members only). */
  keys: ImportedKey[];
  summaries: KeySummary[];
  /** Key-set problems that do not stop verification (private material, duplicate kid, unusable key). */
  problems: KeySetProblem[];
  failure?: JwksFailure;
  /** kubectl arguments to check a cluster-local URL through the API server. */
  kubectlArgs?: string[];
  /** Request latency of the JWKS fetch (discovery not included). */
  latencyMs?: number;
  /** Epoch ms of the check (the cache's clock). */
  checkedAt: number;
  fromCache: boolean;
  /** The URL had user:password@, which was stripped and never sent. */
  hadCredentials?: boolean;
  proxy?: string;
}

/** The cache used when the caller passes none (shared by every document in a process). */
export const DEFAULT_JWKS_CACHE = new JwksCache();

const WELL_KNOWN = '/.well-known/openid-configuration';

/** istiod's discovery URL: one trailing slash of the issuer trimmed, then the well-known suffix. */
export function discoveryUrlOf(issuer: string): string {
  return `${issuer.endsWith('/') ? issuer.slice(0, -1) : issuer}${WELL_KNOWN}`;
}

type Target =
  | { kind: 'fetch'; url: URL; hadCredentials: boolean }
  | { kind: 'stop'; status: JwksStatus; url?: string; failure?: Omit<JwksFailure, 'stage'>; kubectlArgs?: string[]; hadCredentials?: boolean };

/**
 * What is wrong with a URL before any request: not an absolute URL, or not http(s). Needs no
 * network, so it is reported offline too. Undefined when the URL can be fetched.
 */
export function staticUrlProblem(raw: string): { code: JwksCode; message: string; url: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return { code: 'jwks-invalid-url', message: `${JSON.stringify(raw)} is not a valid absolute URL`, url: raw };
  }
  const url = stripCredentials(parsed).url;
  if (url.protocol === 'http:' || url.protocol === 'https:') return undefined;
  return { code: 'jwks-unsupported-scheme', message: `scheme ${JSON.stringify(url.protocol.replace(/:$/, ''))} is not supported; use https:// (or http://)`, url: url.href };
}

/** Decides whether a URL can be fetched from here (scheme, cluster-local, offline). */
function planFetch(raw: string, opts: JwksOptions): Target {
  const problem = staticUrlProblem(raw);
  if (problem) {
    const hadCredentials = problem.code === 'jwks-invalid-url' ? undefined : stripCredentials(new URL(raw)).hadCredentials;
    return { kind: 'stop', status: 'failed', url: problem.url, hadCredentials, failure: problem };
  }
  const { url, hadCredentials } = stripCredentials(new URL(raw));
  if (!isDnsName(url.hostname) && !isIP(url.hostname.replace(/^\[|\]$/g, ''))) {
    const message = `the host name ${JSON.stringify(url.hostname)} is not a valid DNS name (a template placeholder?), so it cannot resolve`;
    return { kind: 'stop', status: 'failed', url: url.href, hadCredentials, failure: { code: 'jwks-dns-failure', message, url: url.href } };
  }
  if (isClusterLocalHost(url.hostname)) {
    const kubectlArgs = kubectlProxyArgs(url.href, { context: opts.kubeContext, namespace: opts.namespace });
    return { kind: 'stop', status: 'cluster-local', url: url.href, kubectlArgs, hadCredentials };
  }
  if (opts.offline) return { kind: 'stop', status: 'offline', url: url.href, hadCredentials };
  return { kind: 'fetch', url, hadCredentials };
}

function cacheOf(opts: JwksOptions): JwksCache {
  return opts.cache ?? DEFAULT_JWKS_CACHE;
}

interface LoadedJwks {
  outcome: FetchOutcome;
  result?: Pick<JwksResult, 'jwks' | 'keys' | 'summaries' | 'problems'>;
  failure?: Omit<JwksFailure, 'stage'>;
  checkedAt: number;
}

async function loadJwks(url: URL, opts: JwksOptions, cache: JwksCache): Promise<LoadedJwks> {
  const outcome = await fetchUrl(url.href, opts);
  const checkedAt = cache.now();
  if (!outcome.ok) return { outcome, failure: { code: outcome.code, message: outcome.message, url: outcome.url, status: outcome.status, redirected: outcome.redirected }, checkedAt };
  const analysis = analyzeJwksText(outcome.body.toString('utf8'));
  if (analysis.notJson !== undefined) {
    return { outcome, failure: { code: 'jwks-not-json', message: `the body (${outcome.contentType ?? 'no content type'}) is not JSON: ${analysis.notJson}`, url: outcome.url }, checkedAt };
  }
  const imported = analysis.jwks ? await importKeySet(analysis) : { keys: [], problems: [] };
  const problems = [...analysis.problems, ...imported.problems];
  const fatal = problems.find((p) => p.code === 'jwks-not-key-set' || p.code === 'jwks-no-usable-keys');
  return {
    outcome,
    result: { jwks: analysis.jwks, keys: imported.keys, summaries: analysis.summaries, problems: problems.filter((p) => p !== fatal) },
    failure: fatal ? { code: fatal.code, message: fatal.message, url: outcome.url } : undefined,
    checkedAt,
  };
}

async function loadDiscovery(url: URL, opts: JwksOptions, cache: JwksCache): Promise<{ info?: DiscoveryInfo; failure?: Omit<JwksFailure, 'stage'>; checkedAt: number }> {
  const outcome = await fetchUrl(url.href, opts);
  const checkedAt = cache.now();
  if (!outcome.ok) return { failure: { code: outcome.code, message: outcome.message, url: outcome.url, status: outcome.status, redirected: outcome.redirected }, checkedAt };
  let data: unknown;
  try {
    data = JSON.parse(outcome.body.toString('utf8'));
  } catch (err) {
    return { failure: { code: 'jwks-not-json', message: `the OIDC discovery document is not JSON: ${(err as Error).message}`, url: outcome.url }, checkedAt };
  }
  const doc = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  const info: DiscoveryInfo = {
    url: outcome.url,
    issuer: typeof doc.issuer === 'string' ? doc.issuer : undefined,
    jwksUri: typeof doc.jwks_uri === 'string' ? doc.jwks_uri : undefined,
    latencyMs: outcome.latencyMs,
  };
  if (info.jwksUri === undefined) {
    const got = 'jwks_uri' in doc ? `jwks_uri is ${JSON.stringify(doc.jwks_uri)}` : 'it has no jwks_uri member';
    return { info, failure: { code: 'jwks-discovery-invalid', message: `the OIDC discovery document ${outcome.url} cannot be used: ${got}; istiod needs a string jwks_uri`, url: outcome.url }, checkedAt };
  }
  return { info, checkedAt };
}

/** Fetches (or reuses) an issuer's OIDC discovery document, exactly at the URL istiod uses. */
export async function getDiscovery(issuer: string, opts: JwksOptions = {}): Promise<DiscoveryResult> {
  const cache = cacheOf(opts);
  const plan = planFetch(discoveryUrlOf(issuer), opts);
  if (plan.kind === 'stop') {
    return { status: plan.status, url: plan.url, failure: plan.failure && { ...plan.failure, stage: 'discovery' }, kubectlArgs: plan.kubectlArgs, checkedAt: cache.now(), fromCache: false };
  }
  const { value, fromCache } = await cache.getOrLoad(`discovery ${plan.url.href}`, () => loadDiscovery(plan.url, opts, cache), opts.force);
  return {
    status: value.failure ? 'failed' : 'ok',
    url: plan.url.href,
    discovery: value.info,
    failure: value.failure && { ...value.failure, stage: 'discovery' },
    checkedAt: value.checkedAt,
    fromCache,
  };
}

async function fetchKeySet(rawUrl: string, base: Pick<JwksResult, 'source' | 'discovery'>, opts: JwksOptions): Promise<JwksResult> {
  const cache = cacheOf(opts);
  const plan = planFetch(rawUrl, opts);
  const empty = { ...base, keys: [], summaries: [], problems: [] };
  if (plan.kind === 'stop') {
    return { ...empty, status: plan.status, url: plan.url, failure: plan.failure && { ...plan.failure, stage: 'jwks' }, kubectlArgs: plan.kubectlArgs, checkedAt: cache.now(), fromCache: false, hadCredentials: plan.hadCredentials };
  }
  const { value, fromCache } = await cache.getOrLoad(`jwks ${plan.url.href}`, () => loadJwks(plan.url, opts, cache), opts.force);
  const out = value.outcome;
  return {
    ...empty,
    ...value.result,
    status: value.failure ? 'failed' : 'ok',
    url: plan.url.href,
    finalUrl: out.ok ? out.finalUrl : undefined,
    failure: value.failure && { ...value.failure, stage: 'jwks' },
    latencyMs: out.latencyMs,
    checkedAt: value.checkedAt,
    fromCache,
    hadCredentials: plan.hadCredentials,
    proxy: out.ok ? out.proxy : undefined,
  };
}

/**
 * The key set for a jwtRule, resolved the way istiod does: `jwksUri` when set, else the issuer's
 * OIDC discovery document and its `jwks_uri`. Never throws; `status` and `failure` say what happened.
 */
export async function getJwks(source: JwksSource, opts: JwksOptions = {}): Promise<JwksResult> {
  if (source.jwksUri) return fetchKeySet(source.jwksUri, { source: 'jwksUri' }, opts);
  const cache = cacheOf(opts);
  if (!source.issuer) {
    return { status: 'failed', source: 'jwksUri', keys: [], summaries: [], problems: [], checkedAt: cache.now(), fromCache: false, failure: { code: 'jwks-invalid-url', message: 'neither jwksUri nor issuer is set', stage: 'jwks', url: '' } };
  }
  const d = await getDiscovery(source.issuer, opts);
  if (d.status !== 'ok' || !d.discovery?.jwksUri) {
    return { status: d.status, source: 'discovery', discovery: d.discovery, keys: [], summaries: [], problems: [], failure: d.failure, kubectlArgs: d.kubectlArgs, checkedAt: d.checkedAt, fromCache: d.fromCache };
  }
  const r = await fetchKeySet(d.discovery.jwksUri, { source: 'discovery', discovery: d.discovery }, opts);
  return { ...r, fromCache: r.fromCache && d.fromCache };
}

