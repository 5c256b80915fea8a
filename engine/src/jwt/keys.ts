/**
 * One path to the key set of a jwtRule: inline `jwks`, or `jwksUri` / OIDC discovery fetched by
 * the jwks module (getJwks). Offline, cluster-local or unreachable sets leave the signature
 * unchecked, and say why.
 */
import { getJwks, type JwksOptions } from '../jwks/index';
import type { JwtRuleInfo } from './rules';
import { parseJwkSet, type JwkSetLike } from './verify';

export interface KeySetResolution {
  /** The key set to verify with; undefined when it could not be obtained here. */
  jwks?: JwkSetLike;
  /** Why there is no key set (for the signature check and traces). */
  unavailable?: string;
  /** Where the keys came from, for traces: "inline jwks", "https://…/jwks.json". */
  source: string;
}

export interface KeySetOptions {
  /** Never fetch: jwksUri / discovery keys are not checked. */
  offline?: boolean;
  /** Network options and cache passed to getJwks. */
  jwks?: JwksOptions;
}

/** Resolves the key set a jwtRule verifies with. Never throws. */
export async function resolveKeySet(rule: Pick<JwtRuleInfo, 'jwks' | 'jwksUri' | 'issuer' | 'namespace'>, opts: KeySetOptions = {}): Promise<KeySetResolution> {
  if (rule.jwks !== undefined) {
    const parsed = parseJwkSet(rule.jwks);
    // Envoy cannot load a broken inline set: no key matches, every token is rejected.
    return parsed.jwks ? { jwks: parsed.jwks, source: 'inline jwks' } : { jwks: { keys: [] }, source: `inline jwks (unusable: ${parsed.error})` };
  }
  const where = rule.jwksUri ?? `OIDC discovery of ${rule.issuer}`;
  if (opts.offline) return { unavailable: `offline: the key set (${where}) was not fetched, so the signature was not checked`, source: where };
  const r = await getJwks({ jwksUri: rule.jwksUri, issuer: rule.issuer }, { ...opts.jwks, namespace: rule.namespace });
  const url = r.url ?? where;
  if (r.status === 'ok' && r.jwks) return { jwks: r.jwks, source: url };
  if (r.status === 'cluster-local') return { unavailable: `${url} is a cluster-local address, not fetched from here; the signature was not checked`, source: url };
  if (r.status === 'offline') return { unavailable: `offline: ${url} was not fetched, so the signature was not checked`, source: url };
  const why = r.failure?.message ?? 'unknown failure';
  return {
    unavailable: `the key set could not be fetched from here (${why}); the signature was not checked. If istiod cannot fetch it either, it serves a placeholder key set and Envoy rejects every token`,
    source: url,
  };
}
