/**
 * An inline jwks is read by several checks of the same document (the webhook's jwk.Parse verdict,
 * private keys, the key-set analysis), and again at every keystroke elsewhere in the document:
 * the last few texts are parsed once and the results shared, read-only.
 */
import { BoundedCache } from '../cel/boundedCache';

export type ParsedJson = { ok: true; value: unknown } | { ok: false; error: string };

/** A document's jwtRules hold a handful of key sets; a few entries keep memory bounded. */
const parsed = new BoundedCache<string, ParsedJson>(4);

/** JSON.parse of `text`, shared by every caller with the same text. Never throws. */
export function parseJsonOnce(text: string): ParsedJson {
  return parsed.getOrCreate(text, (t) => {
    try {
      return { ok: true, value: JSON.parse(t) as unknown };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  });
}
