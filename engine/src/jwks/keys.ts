/**
 * JWK Set analysis: the synchronous structural checks (usable for inline jwks in the per-document
 * pipeline) and the asynchronous import with jose (for remote sets and JWT verification).
 */
import { createPublicKey, type JsonWebKey as NodeJsonWebKey } from 'node:crypto';
import { importJWK, type CryptoKey, type JWK } from 'jose';
import type { JwksCode } from './codes';
import { BoundedCache } from '../cel/boundedCache';
import { parseJsonOnce } from './parseOnce';
import { jsonDepthExceeds } from '../text/jsonDepth';
import { quoted, someOf } from '../text/bounded';

/**
 * Bounds on what a key set of any size produces: per-key problems of one kind are reported for the
 * first keys only, then summed up in one problem with a count (a set of 10,000 keys sharing one
 * kid gives one finding, not 10,000 listing 10,000 indexes each).
 */
export const KEY_SET_LIMITS = {
  /** Per-key problems of one code reported individually. */
  perKeyProblems: 20,
  /** Reasons quoted in a "no usable key" message. */
  reasons: 5,
} as const;

/** What hover shows about one key. */
export interface KeySummary {
  index: number;
  kid?: string;
  kty?: string;
  alg?: string;
  use?: string;
  crv?: string;
}

/** A problem found in a key set; `index` is the key's position in `keys` when it concerns one key. */
export interface KeySetProblem {
  code: JwksCode;
  message: string;
  index?: number;
  /** The member the problem is about (e.g. 'kid', 'd', 'alg'), for precise ranges. */
  member?: string;
}

export interface KeySetAnalysis {
  /** 'set': {"keys": [...]}; 'single-jwk': one JWK object (jwx accepts it, Envoy does not); 'other'. */
  shape: 'set' | 'single-jwk' | 'other';
  /** The parsed set, or undefined when the text is not JSON / not a JWK Set. */
  jwks?: { keys: JWK[] };
  summaries: KeySummary[];
  /** Indexes of keys that passed every structural check. */
  usable: number[];
  problems: KeySetProblem[];
}

export interface ImportedKey {
  index: number;
  kid?: string;
  /** The algorithm the key was imported for (its own alg, or the kty/crv default). */
  alg: string;
  key: CryptoKey | Uint8Array;
  jwk: JWK;
}

const PRIVATE_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  RSA: ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'],
  EC: ['d'],
  OKP: ['d'],
  oct: ['k'],
};

const EC_ALG_CURVE: Readonly<Record<string, string>> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };
const DEFAULT_EC_ALG: Readonly<Record<string, string>> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' };

/** The JWS algorithms each key type can verify (RFC 7518, RFC 8037). */
function algFitsKey(alg: string, jwk: JWK): string | undefined {
  if (/^(RS|PS)(256|384|512)$/.test(alg)) return jwk.kty === 'RSA' ? undefined : `alg ${alg} needs kty RSA, not ${jwk.kty}`;
  if (alg in EC_ALG_CURVE) {
    if (jwk.kty !== 'EC') return `alg ${alg} needs kty EC, not ${jwk.kty}`;
    return jwk.crv === EC_ALG_CURVE[alg] ? undefined : `alg ${alg} needs crv ${EC_ALG_CURVE[alg]}, not ${jwk.crv}`;
  }
  if (alg === 'EdDSA' || alg === 'Ed25519') return jwk.kty === 'OKP' && jwk.crv === 'Ed25519' ? undefined : `alg ${alg} needs kty OKP with crv Ed25519`;
  if (/^HS(256|384|512)$/.test(alg)) return jwk.kty === 'oct' ? undefined : `alg ${alg} needs kty oct, not ${jwk.kty}`;
  return `alg ${alg} is not a JWS signature algorithm Envoy supports (RS*, PS*, ES256/384/512, EdDSA, HS*)`;
}

/** The algorithm to import a key for when it has no alg member. */
export function defaultAlg(jwk: JWK): string | undefined {
  if (jwk.alg) return jwk.alg;
  if (jwk.kty === 'RSA') return 'RS256';
  if (jwk.kty === 'EC') return DEFAULT_EC_ALG[jwk.crv ?? ''];
  if (jwk.kty === 'OKP') return jwk.crv === 'Ed25519' ? 'EdDSA' : undefined;
  if (jwk.kty === 'oct') return 'HS256';
  return undefined;
}

/** The key without private members (what verification needs). */
export function publicPart(jwk: JWK): JWK {
  const priv = new Set(PRIVATE_MEMBERS[jwk.kty ?? ''] ?? []);
  if (jwk.kty === 'oct') return { ...jwk };
  return Object.fromEntries(Object.entries(jwk).filter(([k]) => !priv.has(k))) as JWK;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Adds per-key problems up to the bound, counting the rest; `flush` sums up what was left out. */
class ProblemList {
  readonly problems: KeySetProblem[] = [];
  private readonly overflow = new Map<JwksCode, number[]>();
  private readonly counts = new Map<JwksCode, number>();

  add(p: KeySetProblem): void {
    const n = this.counts.get(p.code) ?? 0;
    this.counts.set(p.code, n + 1);
    if (p.index === undefined || n < KEY_SET_LIMITS.perKeyProblems) return void this.problems.push(p);
    const rest = this.overflow.get(p.code);
    if (rest) rest.push(p.index);
    else this.overflow.set(p.code, [p.index]);
  }

  /** One problem per code that had more keys than the bound: how many more, and which. */
  flush(what: Partial<Record<JwksCode, string>>): KeySetProblem[] {
    for (const [code, indexes] of this.overflow) {
      this.problems.push({ code, message: `${indexes.length} more keys ${what[code] ?? 'have the same problem'} (keys ${someOf(indexes)}); the first ${KEY_SET_LIMITS.perKeyProblems} are reported one by one` });
    }
    this.overflow.clear();
    return this.problems;
  }
}

const OVERFLOW_WHAT: Partial<Record<JwksCode, string>> = {
  'jwks-key-unusable': 'cannot verify JWTs',
  'jwks-private-key': 'contain private or secret key material',
};

/** "key 3 (kid "a")" — and the reasons — in at most a few lines, whatever the set. */
function reasonsText(reasons: readonly string[]): string {
  const shown = reasons.slice(0, KEY_SET_LIMITS.reasons).join('; ');
  return reasons.length > KEY_SET_LIMITS.reasons ? `${shown}; and ${reasons.length - KEY_SET_LIMITS.reasons} more` : shown;
}

function summarize(index: number, key: Record<string, unknown>): KeySummary {
  const str = (k: string): string | undefined => (typeof key[k] === 'string' ? (key[k] as string) : undefined);
  return { index, kid: str('kid'), kty: str('kty'), alg: str('alg'), use: str('use'), crv: str('crv') };
}

/**
 * Verdicts of Node on key material, by the key's JSON: a set repeating one key, or an edit of one
 * key of a large set, costs one createPublicKey per distinct key.
 */
const materialVerdicts = new BoundedCache<string, string | undefined>(20_000);

function materialProblem(jwk: JWK): string | undefined {
  return materialVerdicts.getOrCreate(JSON.stringify(publicPart(jwk)), (json) => {
    try {
      createPublicKey({ key: JSON.parse(json) as NodeJsonWebKey, format: 'jwk' });
      return undefined;
    } catch (err) {
      return `its key material is invalid (${(err as Error).message})`;
    }
  });
}

/** Why a key cannot verify JWTs, or undefined. Checks structure and lets Node parse the material. */
function unusableReason(jwk: JWK): { reason: string; member?: string } | undefined {
  if (typeof jwk.kty !== 'string') return { reason: 'it has no kty member', member: undefined };
  if (!(jwk.kty in PRIVATE_MEMBERS)) return { reason: `kty ${quoted(jwk.kty)} is not RSA, EC, OKP or oct`, member: 'kty' };
  if (jwk.use !== undefined && jwk.use !== 'sig') return { reason: `use is ${quoted(jwk.use)}; only "sig" keys verify signatures`, member: 'use' };
  if (Array.isArray(jwk.key_ops) && !jwk.key_ops.includes('verify')) return { reason: `key_ops ${quoted(jwk.key_ops)} does not include "verify"`, member: 'key_ops' };
  if (jwk.alg !== undefined) {
    const bad = typeof jwk.alg === 'string' ? algFitsKey(jwk.alg, jwk) : 'alg is not a string';
    if (bad) return { reason: bad, member: 'alg' };
  }
  if (jwk.kty === 'oct') return typeof jwk.k === 'string' && jwk.k !== '' ? undefined : { reason: 'kty oct without a k member' };
  const material = materialProblem(jwk);
  return material === undefined ? undefined : { reason: material };
}

function kidLabel(s: KeySummary): string {
  return s.kid !== undefined ? `key ${s.index} (kid ${quoted(s.kid)})` : `key ${s.index}`;
}

/** The last analyses, by text: a keystroke elsewhere in a document does not analyse its key sets again. */
const analyses = new BoundedCache<string, KeySetAnalysis & { notJson?: string }>(4);

/**
 * Structural analysis of a JWK Set given as text. Synchronous and pure; the result is shared
 * (read-only) with every caller that analyses the same text.
 */
export function analyzeJwksText(text: string): KeySetAnalysis & { notJson?: string } {
  return analyses.getOrCreate(text, analyzeText);
}

function analyzeText(text: string): KeySetAnalysis & { notJson?: string } {
  const json = parseJsonOnce(text);
  if (!json.ok) return { shape: 'other', summaries: [], usable: [], problems: [], notJson: json.error };
  const data = json.value;
  // A JWK Set is 4 levels deep ({"keys": [{"x5c": [...]}]}); a hostile body nesting thousands of
  // levels would later break recursive code (JSON.stringify of results), so it is refused here.
  if (jsonDepthExceeds(data, MAX_JWKS_DEPTH)) {
    return { shape: 'other', summaries: [], usable: [], problems: [{ code: 'jwks-not-key-set', message: `it nests arrays or objects deeper than ${MAX_JWKS_DEPTH} levels; a JWK Set {"keys": [...]} is 4 levels deep` }] };
  }
  return analyzeJwks(data);
}

/** Deepest nesting accepted in a JWKS body. */
const MAX_JWKS_DEPTH = 32;

/** Structural analysis of parsed JSON that should be a JWK Set. */
export function analyzeJwks(data: unknown): KeySetAnalysis {
  if (!isRecord(data) || !('keys' in data)) {
    const what = isRecord(data) ? (typeof data.kty === 'string' ? 'a single JWK' : 'an object without a "keys" member') : Array.isArray(data) ? 'an array' : `a ${data === null ? 'null' : typeof data}`;
    const single = isRecord(data) && typeof data.kty === 'string';
    return { shape: single ? 'single-jwk' : 'other', summaries: single ? [summarize(0, data)] : [], usable: [], problems: [{ code: 'jwks-not-key-set', message: `it is ${what}, not a JWK Set {"keys": [...]}` }] };
  }
  if (!Array.isArray(data.keys)) {
    return { shape: 'other', summaries: [], usable: [], problems: [{ code: 'jwks-not-key-set', message: '"keys" is not an array', member: 'keys' }] };
  }
  const summaries: KeySummary[] = [];
  const usable: number[] = [];
  const reasons: string[] = [];
  const list = new ProblemList();
  const byKid = new Map<string, number[]>();
  data.keys.forEach((raw: unknown, index: number) => {
    if (!isRecord(raw)) {
      summaries.push({ index });
      reasons.push(`key ${index} is not an object`);
      list.add({ code: 'jwks-key-unusable', message: `key ${index} is not an object`, index });
      return;
    }
    const jwk = raw as JWK;
    const s = summarize(index, raw);
    summaries.push(s);
    if (s.kid !== undefined) {
      const same = byKid.get(s.kid);
      if (same) same.push(index);
      else byKid.set(s.kid, [index]);
    }
    const priv = (PRIVATE_MEMBERS[s.kty ?? ''] ?? []).filter((m) => m in raw);
    if (priv.length > 0) {
      const secret = s.kty === 'oct' ? 'a shared secret (k): anyone who reads it can sign tokens' : `private key material (${priv.join(', ')})`;
      list.add({ code: 'jwks-private-key', message: `${kidLabel(s)} contains ${secret}; publish only public keys`, index, member: priv[0] });
    }
    const bad = unusableReason(jwk);
    if (bad) {
      reasons.push(`${kidLabel(s)}: ${bad.reason}`);
      list.add({ code: 'jwks-key-unusable', message: `${kidLabel(s)} cannot verify JWTs: ${bad.reason}`, index, member: bad.member });
    } else {
      usable.push(index);
    }
  });
  const problems = list.flush(OVERFLOW_WHAT);
  problems.push(...duplicateKids(byKid));
  if (usable.length === 0) {
    const why = data.keys.length === 0 ? 'the "keys" array is empty' : reasonsText(reasons);
    problems.push({ code: 'jwks-no-usable-keys', message: `no key can verify JWTs, so every request with a token is rejected: ${why}` });
  }
  return { shape: 'set', jwks: data as { keys: JWK[] }, summaries, usable, problems };
}

/** One problem per kid used by several keys (on its second key), bounded; the rest summed up. */
function duplicateKids(byKid: ReadonlyMap<string, number[]>): KeySetProblem[] {
  const out: KeySetProblem[] = [];
  let more = 0;
  for (const [kid, indexes] of byKid) {
    if (indexes.length < 2) continue;
    if (out.length >= KEY_SET_LIMITS.perKeyProblems) {
      more++;
      continue;
    }
    const users = indexes.length <= 5 ? `keys ${indexes.join(', ')}` : `${indexes.length} keys: ${someOf(indexes)}`;
    out.push({ code: 'jwks-duplicate-kid', message: `kid ${quoted(kid)} is used by ${users}; each key needs a unique kid`, index: indexes[1], member: 'kid' });
  }
  if (more > 0) out.push({ code: 'jwks-duplicate-kid', message: `${more} more kids are each used by several keys; each key needs a unique kid` });
  return out;
}

/**
 * Imports every structurally usable key with jose (public members only). Keys jose refuses are
 * reported as jwks-key-unusable (and jwks-no-usable-keys when none is left).
 */
export async function importKeySet(analysis: KeySetAnalysis): Promise<{ keys: ImportedKey[]; problems: KeySetProblem[] }> {
  const keys: ImportedKey[] = [];
  const list = new ProblemList();
  const reasons: string[] = [];
  for (const index of analysis.usable) {
    const jwk = publicPart(analysis.jwks!.keys[index]);
    const s = analysis.summaries[index];
    const alg = defaultAlg(jwk);
    try {
      if (!alg) throw new Error(`no algorithm fits kty ${jwk.kty} crv ${jwk.crv}`);
      keys.push({ index, kid: s.kid, alg, key: await importJWK(jwk, alg), jwk });
    } catch (err) {
      const reason = `jose cannot import it (${(err as Error).message})`;
      reasons.push(`${kidLabel(s)}: ${reason}`);
      list.add({ code: 'jwks-key-unusable', message: `${kidLabel(s)} cannot verify JWTs: ${reason}`, index });
    }
  }
  const problems = list.flush(OVERFLOW_WHAT);
  if (keys.length === 0 && analysis.usable.length > 0) {
    problems.push({ code: 'jwks-no-usable-keys', message: `no key can verify JWTs, so every request with a token is rejected: ${reasonsText(reasons)}` });
  }
  return { keys, problems };
}

/** What a JWKS body gives a verifier, in plain data (for the cluster check, which the client runs). */
export interface KeySetReport {
  /** Set when the body is not JSON (the parser's message). */
  notJson?: string;
  summaries: KeySummary[];
  /** Keys jose imported, with the algorithm each verifies. */
  usable: Array<{ kid?: string; alg: string }>;
  problems: KeySetProblem[];
}

/** Structural checks and a jose import of every key of a JWKS body (as for fetched or inline sets). */
export async function keySetReport(text: string): Promise<KeySetReport> {
  const analysis = analyzeJwksText(text);
  if (analysis.notJson !== undefined) return { notJson: analysis.notJson, summaries: [], usable: [], problems: [] };
  const { keys, problems } = await importKeySet(analysis);
  return { summaries: analysis.summaries, usable: keys.map((k) => ({ kid: k.kid, alg: k.alg })), problems: [...analysis.problems, ...problems] };
}
