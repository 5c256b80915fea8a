/**
 * Decoding of compact JWS tokens (header.payload.signature) without verification: claims,
 * times with Envoy's clock skew, the principal Istio derives. Never throws on bad input.
 */

import { jsonDepthExceeds } from '../text/jsonDepth';

/** Bounds that keep hostile input cheap. */
export const JWT_LIMITS = {
  /** Tokens longer than this are not decoded (Envoy's default header limit is 60 KiB). */
  maxTokenLength: 64 * 1024,
  /** Maximum nesting of objects/arrays in the header or payload. */
  maxDepth: 32,
  /** Maximum number of tokens reported in one text. */
  maxTokens: 100,
} as const;

/** Envoy jwt_authn JwtProvider.clock_skew_seconds default (applied to exp and nbf). */
export const CLOCK_SKEW_SECONDS = 60;

/** The JWS algorithms Envoy's jwt_authn verifies. */
export const ENVOY_ALGORITHMS: ReadonlySet<string> = new Set([
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'HS256', 'HS384', 'HS512', 'EdDSA',
]);

export type JsonObject = Record<string, unknown>;

export type TimeClaim = 'iat' | 'nbf' | 'exp';

export interface JwtTime {
  /** Seconds since the epoch, as in the token. */
  epoch: number;
  /** ISO 8601 UTC. */
  iso: string;
  /** Relative to `now`: "in 3 days", "5 minutes ago". */
  relative: string;
}

export type TokenStatus = 'valid' | 'expired' | 'not-yet-valid';

export interface DecodedJwt {
  header: JsonObject;
  payload: JsonObject;
  alg?: string;
  kid?: string;
  times: Partial<Record<TimeClaim, JwtTime>>;
  status: TokenStatus;
  /** One sentence about the status, including the 60 s skew when it matters. */
  statusDetail: string;
  issuer?: string;
  subject?: string;
  /** `aud` as a list (a string aud gives one element). */
  audiences: string[];
  /** `<iss>/<sub>`: Istio's request principal (request.auth.principal, requestPrincipals). */
  principal?: string;
  /** Claims Envoy would refuse to parse (e.g. a non-numeric exp). */
  problems: string[];
}

export type DecodeResult = { ok: true; jwt: DecodedJwt } | { ok: false; error: string };

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Decodes one base64url segment to bytes, or explains why it is not base64url. */
export function decodeBase64Url(segment: string): { bytes?: Buffer; error?: string } {
  if (!BASE64URL.test(segment)) {
    const bad = segment.match(/[^A-Za-z0-9_-]/)?.[0] ?? '';
    return { error: `it contains ${JSON.stringify(bad)}, which is not a base64url character (A-Z a-z 0-9 - _, no padding)` };
  }
  if (segment.length % 4 === 1) return { error: 'its length is not a valid base64url length' };
  return { bytes: Buffer.from(segment, 'base64url') };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a base64url segment holding a JSON object. */
export function decodeJsonSegment(segment: string, what: string): { value?: JsonObject; error?: string } {
  const { bytes, error } = decodeBase64Url(segment);
  if (!bytes) return { error: `the ${what} is not base64url: ${error}` };
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return { error: `the ${what} is not UTF-8 text` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: `the ${what} is not JSON (${(err as Error).message})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: `the ${what} is JSON but not an object` };
  if (jsonDepthExceeds(value, JWT_LIMITS.maxDepth)) return { error: `the ${what} nests objects deeper than ${JWT_LIMITS.maxDepth} levels` };
  return { value: value as JsonObject };
}

const UNITS: Array<[string, number]> = [
  ['year', 365 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "in 3 days" / "5 minutes ago" / "now" for a difference in seconds (positive = future). */
export function relativeTime(deltaSeconds: number): string {
  const abs = Math.abs(deltaSeconds);
  if (abs < 1) return 'now';
  const [unit, size] = UNITS.find(([, s]) => abs >= s) ?? UNITS[UNITS.length - 1];
  const n = Math.floor(abs / size);
  const text = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return deltaSeconds > 0 ? `in ${text}` : `${text} ago`;
}

function isoOf(epochSeconds: number): string {
  const ms = epochSeconds * 1000;
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `(out of range: ${epochSeconds})`;
}

export function timeOf(epoch: number, nowSeconds: number): JwtTime {
  return { epoch, iso: isoOf(epoch), relative: relativeTime(epoch - nowSeconds) };
}

/** The status Envoy's jwt_authn gives a token's exp/nbf at `nowSeconds` (with its 60 s skew). */
export function timeStatus(exp: number | undefined, nbf: number | undefined, nowSeconds: number): { status: TokenStatus; detail: string } {
  if (exp !== undefined && nowSeconds > exp + CLOCK_SKEW_SECONDS) {
    return { status: 'expired', detail: `expired ${relativeTime(exp - nowSeconds).replace(/ ago$/, '')} ago (exp ${isoOf(exp)}; Envoy allows ${CLOCK_SKEW_SECONDS} s of clock skew)` };
  }
  if (nbf !== undefined && nowSeconds + CLOCK_SKEW_SECONDS < nbf) {
    return { status: 'not-yet-valid', detail: `not valid before ${isoOf(nbf)} (${relativeTime(nbf - nowSeconds)}; Envoy allows ${CLOCK_SKEW_SECONDS} s of clock skew)` };
  }
  if (exp !== undefined && nowSeconds > exp) return { status: 'valid', detail: `exp passed ${relativeTime(exp - nowSeconds)}, still accepted within Envoy's ${CLOCK_SKEW_SECONDS} s clock skew` };
  if (nbf !== undefined && nowSeconds < nbf) return { status: 'valid', detail: `nbf is ${relativeTime(nbf - nowSeconds)}, already accepted within Envoy's ${CLOCK_SKEW_SECONDS} s clock skew` };
  return { status: 'valid', detail: exp === undefined ? 'valid: no exp claim, the token never expires' : `valid until ${isoOf(exp)} (${relativeTime(exp - nowSeconds)})` };
}

/** `aud` as a list of strings (non-string members are ignored). */
export function audiencesOf(payload: JsonObject): string[] {
  const aud = payload.aud;
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

function str(o: JsonObject, k: string): string | undefined {
  return typeof o[k] === 'string' ? (o[k] as string) : undefined;
}

/** Splits a compact token in three segments, or says why it is not one. */
export function splitToken(token: string): { parts?: [string, string, string]; error?: string } {
  if (token.length > JWT_LIMITS.maxTokenLength) return { error: `the token has ${token.length} characters, more than the ${JWT_LIMITS.maxTokenLength} this tool decodes` };
  const parts = token.split('.');
  if (parts.length !== 3) return { error: `a JWT has 3 dot-separated segments (header.payload.signature); this has ${parts.length}` };
  return { parts: parts as [string, string, string] };
}

/**
 * Decodes a compact JWT (no verification). `now` is epoch milliseconds. Surrounding whitespace
 * and a "Bearer " prefix are ignored.
 */
export function decodeToken(input: string, now: number = Date.now()): DecodeResult {
  const token = input.trim().replace(/^Bearer\s+/i, '');
  if (token === '') return { ok: false, error: 'the token is empty' };
  const { parts, error } = splitToken(token);
  if (!parts) return { ok: false, error: error! };
  const header = decodeJsonSegment(parts[0], 'header');
  if (!header.value) return { ok: false, error: header.error! };
  const payload = decodeJsonSegment(parts[1], 'payload');
  if (!payload.value) return { ok: false, error: payload.error! };
  const sig = decodeBase64Url(parts[2]);
  if (!sig.bytes) return { ok: false, error: `the signature is not base64url: ${sig.error}` };

  const nowSeconds = Math.floor(now / 1000);
  const times: Partial<Record<TimeClaim, JwtTime>> = {};
  const problems: string[] = [];
  const numeric: Partial<Record<TimeClaim, number>> = {};
  for (const claim of ['iat', 'nbf', 'exp'] as const) {
    const v = payload.value[claim];
    if (v === undefined) continue;
    if (typeof v === 'number' && Number.isFinite(v)) {
      numeric[claim] = v;
      times[claim] = timeOf(v, nowSeconds);
    } else {
      problems.push(`${claim} is ${JSON.stringify(v)}, not a number of seconds since the epoch: Envoy rejects the token`);
    }
  }
  const alg = header.value.alg;
  if (typeof alg !== 'string') problems.push('the header has no string alg: Envoy rejects the token');
  else if (alg === 'none') problems.push('alg is "none": the token is unsigned, and Envoy\'s jwt_authn never accepts an unsigned token');
  else if (!ENVOY_ALGORITHMS.has(alg)) problems.push(`alg ${JSON.stringify(alg.slice(0, 40))} is not an algorithm Envoy verifies (RS*, PS*, ES256/384/512, HS*, EdDSA): Envoy rejects the token`);
  const { status, detail } = timeStatus(numeric.exp, numeric.nbf, nowSeconds);
  const issuer = str(payload.value, 'iss');
  const subject = str(payload.value, 'sub');
  return {
    ok: true,
    jwt: {
      header: header.value,
      payload: payload.value,
      alg: str(header.value, 'alg'),
      kid: str(header.value, 'kid'),
      times,
      status,
      statusDetail: detail,
      issuer,
      subject,
      audiences: audiencesOf(payload.value),
      principal: issuer !== undefined && subject !== undefined ? `${issuer}/${subject}` : undefined,
      problems,
    },
  };
}
