/**
 * Verification of a token against one jwtRule, check by check, in the order Envoy's jwt_authn
 * makes them (extensions/filters/http/jwt_authn/authenticator.cc and jwt_verify_lib):
 * format → alg → issuer → exp/nbf (60 s skew) → audiences → key lookup (kid, alg) → signature.
 * Every check is reported (not only the first failure); `envoyStatus` is the first failure Envoy
 * would answer with.
 */
import { compactVerify, importJWK, type JWK } from 'jose';
import { CLOCK_SKEW_SECONDS, ENVOY_ALGORITHMS, decodeToken, type DecodedJwt } from './decode';
import { audienceAccepted, slashVariant } from './rules';
import { isObj } from './plain';

export type CheckName = 'format' | 'alg' | 'issuer' | 'exp' | 'nbf' | 'audience' | 'kid' | 'key-alg' | 'signature';

export interface VerifyCheck {
  check: CheckName;
  /** true passed, false failed, null not checked (no key set available, or an earlier check made it meaningless). */
  ok: boolean | null;
  detail: string;
}

/** Envoy's 401/403 body for each failure (jwt_verify_lib status strings). */
export const ENVOY_MESSAGES = {
  format: 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections',
  alg: 'Jwt header [alg] field value is invalid',
  issuer: 'Jwt issuer is not configured',
  exp: 'Jwt is expired',
  nbf: 'Jwt not yet valid',
  audience: 'Audiences in Jwt are not allowed',
  kid: "Jwks doesn't have key to match kid or alg from Jwt",
  'key-alg': "Jwks doesn't have key to match kid or alg from Jwt",
  signature: 'Jwt verification fails',
} as const satisfies Record<CheckName, string>;

export interface JwkSetLike {
  keys: unknown[];
}

export interface VerifyTarget {
  issuer: string;
  audiences?: readonly string[];
  /** The key set (inline jwks or fetched); undefined: the signature is not checked. */
  jwks?: JwkSetLike;
  /** Why there is no key set (shown in the signature check). */
  jwksUnavailable?: string;
}

export interface VerifyResult {
  /** Every check that ran passed (checks not run, ok null, do not count as failures). */
  ok: boolean;
  checks: VerifyCheck[];
  /** The first failure in Envoy's order, or undefined. */
  failed?: CheckName;
  /** Envoy's response body for the failure. */
  envoyMessage?: string;
  /** Envoy answers 403 for audiences, 401 for every other failure. */
  httpStatus?: 401 | 403;
  /** False when the signature could not be checked (no key set). */
  signatureChecked: boolean;
  jwt?: DecodedJwt;
}

type Jwk = JWK & { kid?: string; alg?: string };

const EC_CURVES: Readonly<Record<string, string>> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

/** Can a key of this type verify `alg` (jwt_verify_lib's per-family key selection)? */
export function keyFitsAlg(jwk: { kty?: unknown; crv?: unknown }, alg: string): boolean {
  if (/^(RS|PS)/.test(alg)) return jwk.kty === 'RSA';
  if (alg in EC_CURVES) return jwk.kty === 'EC' && (jwk.crv === undefined || jwk.crv === EC_CURVES[alg]);
  if (alg.startsWith('HS')) return jwk.kty === 'oct';
  if (alg === 'EdDSA') return jwk.kty === 'OKP' && jwk.crv === 'Ed25519';
  return false;
}

export function isSymmetricAlg(alg: string): boolean {
  return /^HS(256|384|512)$/.test(alg);
}


/** Parses an inline jwks (string or object) into a key set, or explains why it is not one. */
export function parseJwkSet(jwks: string | object): { jwks?: JwkSetLike; error?: string } {
  let data: unknown = jwks;
  if (typeof jwks === 'string') {
    try {
      data = JSON.parse(jwks);
    } catch (err) {
      return { error: `the inline jwks is not JSON (${(err as Error).message})` };
    }
  }
  if (!isObj(data) || !Array.isArray(data.keys)) return { error: 'the inline jwks is not a JWK Set {"keys": [...]}' };
  return { jwks: data as unknown as JwkSetLike };
}

async function signatureVerifies(token: string, jwk: Jwk, alg: string): Promise<boolean> {
  try {
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
    const key = await importJWK(jwk.kty === 'oct' ? jwk : pub, alg);
    await compactVerify(token, key, { algorithms: [alg] });
    return true;
  } catch {
    return false;
  }
}

const ok = (check: CheckName, detail: string): VerifyCheck => ({ check, ok: true, detail });
const fail = (check: CheckName, detail: string): VerifyCheck => ({ check, ok: false, detail });
const skip = (check: CheckName, detail: string): VerifyCheck => ({ check, ok: null, detail });

function issuerCheck(jwt: DecodedJwt, issuer: string): VerifyCheck {
  if (jwt.issuer === issuer) return ok('issuer', `iss ${JSON.stringify(issuer)} matches exactly`);
  if (jwt.issuer === undefined) return fail('issuer', `the token has no iss claim; the rule's issuer is ${JSON.stringify(issuer)}`);
  const hint = slashVariant(jwt.issuer) === issuer ? ' (they differ only by a trailing slash: Envoy compares exactly)' : '';
  return fail('issuer', `iss ${JSON.stringify(jwt.issuer)} is not the rule's issuer ${JSON.stringify(issuer)}${hint}`);
}

function timeChecks(jwt: DecodedJwt, nowSeconds: number): VerifyCheck[] {
  const out: VerifyCheck[] = [];
  const exp = jwt.times.exp;
  if (!exp) out.push(ok('exp', 'no exp claim: the token does not expire'));
  else if (nowSeconds > exp.epoch + CLOCK_SKEW_SECONDS) out.push(fail('exp', `expired ${exp.relative} (${exp.iso}), beyond Envoy's ${CLOCK_SKEW_SECONDS} s clock skew`));
  else out.push(ok('exp', `expires ${exp.relative} (${exp.iso})${nowSeconds > exp.epoch ? `, accepted within the ${CLOCK_SKEW_SECONDS} s clock skew` : ''}`));
  const nbf = jwt.times.nbf;
  if (!nbf) out.push(ok('nbf', 'no nbf claim'));
  else if (nowSeconds + CLOCK_SKEW_SECONDS < nbf.epoch) out.push(fail('nbf', `not valid before ${nbf.iso} (${nbf.relative}), beyond Envoy's ${CLOCK_SKEW_SECONDS} s clock skew`));
  else out.push(ok('nbf', `valid since ${nbf.iso} (${nbf.relative})`));
  return out;
}

function audienceCheck(jwt: DecodedJwt, audiences: readonly string[]): VerifyCheck {
  if (audiences.length === 0) return ok('audience', 'the rule lists no audiences, so Envoy does not check aud');
  const list = audiences.map((a) => JSON.stringify(a)).join(', ');
  if (audienceAccepted(audiences, jwt.audiences)) return ok('audience', `aud ${JSON.stringify(jwt.audiences)} includes one of ${list}`);
  const got = jwt.audiences.length ? `aud ${JSON.stringify(jwt.audiences)}` : 'the token has no aud claim';
  return fail('audience', `${got}; the rule accepts ${list}`);
}

/** Key lookup and signature, as jwt_verify_lib does: kid filter, alg filter, then each candidate key. */
async function keyChecks(token: string, jwt: DecodedJwt, target: VerifyTarget): Promise<VerifyCheck[]> {
  const alg = jwt.alg ?? '';
  if (!target.jwks) {
    const why = target.jwksUnavailable ?? 'no key set was given';
    return [skip('kid', why), skip('key-alg', why), skip('signature', `not checked: ${why}`)];
  }
  const keys = target.jwks.keys.filter(isObj) as Jwk[];
  const byKid = jwt.kid === undefined ? keys : keys.filter((k) => k.kid === undefined || k.kid === jwt.kid);
  const kidNames = keys.map((k) => (k.kid === undefined ? '(no kid)' : JSON.stringify(k.kid))).join(', ') || 'none';
  const out: VerifyCheck[] = [];
  if (byKid.length === 0) {
    out.push(fail('kid', `kid ${JSON.stringify(jwt.kid)} is not in the key set (kids: ${kidNames})`));
    out.push(skip('key-alg', 'no key has the token\'s kid'), skip('signature', 'no key has the token\'s kid'));
    return out;
  }
  out.push(ok('kid', jwt.kid === undefined ? `the token has no kid: all ${keys.length} key(s) are candidates` : `kid ${JSON.stringify(jwt.kid)} found`));
  const candidates = byKid.filter((k) => (k.alg === undefined || k.alg === alg) && keyFitsAlg(k, alg));
  if (candidates.length === 0) {
    const kinds = byKid.map((k) => `${k.kty}${k.alg ? ` ${k.alg}` : ''}`).join(', ');
    out.push(fail('key-alg', `alg ${alg} does not fit the matching key(s) (${kinds})`), skip('signature', 'no key fits the token\'s kid and alg'));
    return out;
  }
  out.push(ok('key-alg', `${candidates.length} key(s) fit alg ${alg}`));
  for (const key of candidates) {
    if (await signatureVerifies(token, key, alg)) {
      return [...out, ok('signature', `verified with ${key.kid !== undefined ? `key ${JSON.stringify(key.kid)}` : `a ${key.kty} key`}`)];
    }
  }
  return [...out, fail('signature', `the signature does not verify with any of the ${candidates.length} candidate key(s)`)];
}

/**
 * Verifies `token` as Envoy would for one jwtRule. `now` is epoch milliseconds. Never throws.
 */
export async function verifyToken(token: string, target: VerifyTarget, now: number = Date.now()): Promise<VerifyResult> {
  const decoded = decodeToken(token, now);
  if (!decoded.ok) {
    return { ok: false, checks: [fail('format', decoded.error)], failed: 'format', envoyMessage: ENVOY_MESSAGES.format, httpStatus: 401, signatureChecked: false };
  }
  const jwt = decoded.jwt;
  const raw = token.trim().replace(/^Bearer\s+/i, '');
  const checks: VerifyCheck[] = [ok('format', 'three base64url segments with JSON header and payload')];
  const alg = jwt.alg;
  const algOk = alg !== undefined && ENVOY_ALGORITHMS.has(alg);
  checks.push(algOk ? ok('alg', `alg ${alg} is supported`) : fail('alg', alg === 'none' ? 'alg "none" (unsigned token): Envoy never accepts it' : `alg ${JSON.stringify(alg)} is not one Envoy verifies (RS*, PS*, ES256/384/512, HS*, EdDSA)`));
  checks.push(issuerCheck(jwt, target.issuer));
  checks.push(...timeChecks(jwt, Math.floor(now / 1000)));
  checks.push(audienceCheck(jwt, target.audiences ?? []));
  if (algOk) checks.push(...(await keyChecks(raw, jwt, target)));
  else checks.push(skip('kid', 'unsupported alg'), skip('key-alg', 'unsupported alg'), skip('signature', 'unsupported alg'));
  const first = checks.find((c) => c.ok === false);
  const signatureChecked = checks.some((c) => c.check === 'signature' && c.ok !== null);
  return {
    ok: first === undefined,
    checks,
    failed: first?.check,
    envoyMessage: first ? ENVOY_MESSAGES[first.check] : undefined,
    httpStatus: first ? (first.check === 'audience' ? 403 : 401) : undefined,
    signatureChecked,
    jwt,
  };
}
