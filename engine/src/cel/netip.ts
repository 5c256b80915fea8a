/**
 * The parts of Go's net/netip that Kubernetes' CEL ip/cidr library relies on:
 * ParseAddr, ParsePrefix, Addr.String (RFC 5952), Prefix.Masked/Contains and
 * the address classification predicates. Addresses are 4 or 16 bytes.
 */

export interface Addr {
  bytes: Uint8Array;
  /** IPv6 zone ("fe80::1%eth0"); Kubernetes rejects addresses that have one. */
  zone: string;
}

export interface Prefix {
  addr: Addr;
  bits: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function fail<T>(error: string): Parsed<T> {
  return { ok: false, error };
}

/** Dotted-quad IPv4, Go rules: exactly four decimal fields 0–255, no leading zeros. */
function parseIPv4Bytes(s: string): Uint8Array | string {
  const fields = s.split('.');
  if (fields.length !== 4) return 'IPv4 address too short or too long';
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const f = fields[i];
    if (!/^[0-9]{1,3}$/.test(f)) return 'unexpected character or empty field in IPv4 address';
    if (f.length > 1 && f[0] === '0') return 'IPv4 field has octet with leading zero';
    const n = Number(f);
    if (n > 255) return 'IPv4 field has value >255';
    out[i] = n;
  }
  return out;
}

/** IPv6 with optional "::" and trailing dotted IPv4; zone already split off. */
function parseIPv6Bytes(s: string): Uint8Array | string {
  const out = new Uint8Array(16);
  const halves = s.split('::');
  if (halves.length > 2) return 'multiple :: in IPv6 address';
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const words: number[] = [];
  const all = [...head, ...(halves.length === 2 ? ['::'] : []), ...tail];
  let ellipsisAt = -1;
  for (let i = 0; i < all.length; i++) {
    const g = all[i];
    if (g === '::') {
      ellipsisAt = words.length;
      continue;
    }
    if (i === all.length - 1 && g.includes('.')) {
      const v4 = parseIPv4Bytes(g);
      if (typeof v4 === 'string') return v4;
      words.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return g.length > 4 ? 'IPv6 field has value >=2^16' : 'unexpected character or empty field in IPv6 address';
    words.push(parseInt(g, 16));
  }
  if (ellipsisAt < 0 && words.length !== 8) return 'address string too short';
  if (ellipsisAt >= 0 && words.length > 7) return 'the :: must expand to at least one field of zeros';
  const expanded =
    ellipsisAt < 0 ? words : [...words.slice(0, ellipsisAt), ...new Array<number>(8 - words.length).fill(0), ...words.slice(ellipsisAt)];
  expanded.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

export function parseAddr(s: string): Parsed<Addr> {
  if (s === '') return fail('ParseAddr(""): unable to parse IP');
  const quoted = `ParseAddr(${JSON.stringify(s)})`;
  if (!s.includes(':')) {
    const v4 = parseIPv4Bytes(s);
    return typeof v4 === 'string' ? fail(`${quoted}: ${v4}`) : { ok: true, value: { bytes: v4, zone: '' } };
  }
  const pct = s.indexOf('%');
  const zone = pct < 0 ? '' : s.slice(pct + 1);
  if (pct >= 0 && zone === '') return fail(`${quoted}: zone must be a non-empty string`);
  const v6 = parseIPv6Bytes(pct < 0 ? s : s.slice(0, pct));
  return typeof v6 === 'string' ? fail(`${quoted}: ${v6}`) : { ok: true, value: { bytes: v6, zone } };
}

export function is4(a: Addr): boolean {
  return a.bytes.length === 4;
}

/** An IPv6 address of the form ::ffff:a.b.c.d. */
export function is4In6(a: Addr): boolean {
  const b = a.bytes;
  return b.length === 16 && b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
}

function formatIPv6(b: Uint8Array): string {
  const words = Array.from({ length: 8 }, (_, i) => (b[2 * i] << 8) | b[2 * i + 1]);
  // RFC 5952: the longest run (length ≥ 2) of zero words becomes "::"; the first wins a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(':');
  if (bestStart < 0) return hex(words);
  return `${hex(words.slice(0, bestStart))}::${hex(words.slice(bestStart + bestLen))}`;
}

/** Go's Addr.String(). */
export function formatAddr(a: Addr): string {
  if (is4(a)) return Array.from(a.bytes).join('.');
  const text = is4In6(a) ? `::ffff:${Array.from(a.bytes.slice(12)).join('.')}` : formatIPv6(a.bytes);
  return a.zone === '' ? text : `${text}%${a.zone}`;
}

export function bitLength(a: Addr): number {
  return a.bytes.length * 8;
}

export function parsePrefix(s: string): Parsed<Prefix> {
  const quoted = `netip.ParsePrefix(${JSON.stringify(s)})`;
  const slash = s.lastIndexOf('/');
  if (slash < 0) return fail(`${quoted}: no '/'`);
  const addr = parseAddr(s.slice(0, slash));
  if (!addr.ok) return fail(`${quoted}: ${addr.error}`);
  if (addr.value.zone !== '') return fail(`${quoted}: IPv6 zones cannot be present in a prefix`);
  const bitsText = s.slice(slash + 1);
  if (!/^(0|[1-9][0-9]*)$/.test(bitsText)) return fail(`${quoted}: bad bits after slash: ${JSON.stringify(bitsText)}`);
  const bits = Number(bitsText);
  if (bits > bitLength(addr.value)) return fail(`${quoted}: prefix length out of range`);
  return { ok: true, value: { addr: addr.value, bits } };
}

export function formatPrefix(p: Prefix): string {
  return `${formatAddr(p.addr)}/${p.bits}`;
}

function maskBytes(bytes: Uint8Array, bits: number): Uint8Array {
  return bytes.map((byte, i) => {
    const keep = Math.max(0, Math.min(8, bits - 8 * i));
    return byte & ((0xff << (8 - keep)) & 0xff);
  });
}

export function masked(p: Prefix): Prefix {
  return { addr: { bytes: maskBytes(p.addr.bytes, p.bits), zone: '' }, bits: p.bits };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Go's Prefix.Contains: same family, equal in the first `bits` bits. */
export function prefixContains(p: Prefix, a: Addr): boolean {
  return a.zone === '' && a.bytes.length === p.addr.bytes.length && sameBytes(maskBytes(a.bytes, p.bits), maskBytes(p.addr.bytes, p.bits));
}

/** Kubernetes' cidr.containsCIDR: `inner` is the same network or a subnet of `outer`. */
export function prefixContainsPrefix(outer: Prefix, inner: Prefix): boolean {
  return inner.bits >= outer.bits && prefixContains(outer, inner.addr);
}

export function isUnspecified(a: Addr): boolean {
  return a.bytes.every((x) => x === 0);
}

export function isLoopback(a: Addr): boolean {
  if (is4(a)) return a.bytes[0] === 127;
  return a.bytes.slice(0, 15).every((x) => x === 0) && a.bytes[15] === 1;
}

export function isMulticast(a: Addr): boolean {
  return is4(a) ? (a.bytes[0] & 0xf0) === 0xe0 : a.bytes[0] === 0xff;
}

export function isLinkLocalMulticast(a: Addr): boolean {
  if (is4(a)) return a.bytes[0] === 224 && a.bytes[1] === 0 && a.bytes[2] === 0;
  return a.bytes[0] === 0xff && (a.bytes[1] & 0x0f) === 0x02;
}

export function isLinkLocalUnicast(a: Addr): boolean {
  if (is4(a)) return a.bytes[0] === 169 && a.bytes[1] === 254;
  return a.bytes[0] === 0xfe && (a.bytes[1] & 0xc0) === 0x80;
}

export function isGlobalUnicast(a: Addr): boolean {
  if (is4(a) && a.bytes.every((x) => x === 255)) return false;
  return !isUnspecified(a) && !isLoopback(a) && !isMulticast(a) && !isLinkLocalUnicast(a);
}
