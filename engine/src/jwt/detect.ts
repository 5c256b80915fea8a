/**
 * Finds JWT-shaped strings in any text (YAML values, block scalars, comments): three base64url
 * segments whose first decodes to a JSON object with a string `alg`. Dotted hostnames and
 * versions never qualify because their first segment does not decode to such a header.
 */
import { JWT_LIMITS, decodeJsonSegment, type JsonObject } from './decode';

export interface FoundToken {
  /** Offsets in the text: [start, end). */
  start: number;
  end: number;
  token: string;
  header: JsonObject;
}

/**
 * A header segment starts with "eyJ" (base64url of '{"'); segments are runs of base64url
 * characters; the signature may be empty (alg "none"). The look-arounds keep the match from
 * starting or ending inside a longer dotted word.
 */
const CANDIDATE = /(?<![A-Za-z0-9_.-])eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*(?![A-Za-z0-9_-]|\.[A-Za-z0-9_-])/g;

/** Every JWT in `text`, in order, at most JWT_LIMITS.maxTokens; tokens over 64 KiB are skipped. */
export function findTokens(text: string, limit: number = JWT_LIMITS.maxTokens): FoundToken[] {
  const out: FoundToken[] = [];
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m !== null && out.length < limit; m = CANDIDATE.exec(text)) {
    const token = m[0];
    if (token.length > JWT_LIMITS.maxTokenLength) continue;
    const header = decodeJsonSegment(token.slice(0, token.indexOf('.')), 'header').value;
    if (!header || typeof header.alg !== 'string') continue;
    out.push({ start: m.index, end: m.index + token.length, token, header });
  }
  return out;
}

/** The token whose span contains `offset` (for hover), or undefined. */
export function tokenAt(text: string, offset: number): FoundToken | undefined {
  return findTokens(text, Number.MAX_SAFE_INTEGER).find((t) => t.start <= offset && offset <= t.end);
}
