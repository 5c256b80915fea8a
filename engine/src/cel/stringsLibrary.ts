/**
 * Overrides for the strings extension where @bufbuild/cel 0.6 differs from
 * cel-go (which Kubernetes runs): cel-go indexes strings by code point, not by
 * UTF-16 unit (so "a🎉b".charAt(2) is "b"), splits and replaces with Go's
 * strings.SplitN / strings.Replace (split(",", 2) keeps the remainder in the
 * last part), and trims with Go's unicode.IsSpace.
 */
import { celMethod, CelScalar, listType, type CelFunc } from '@bufbuild/cel';

const { STRING, INT } = CelScalar;

function outOfRange(i: bigint): Error {
  return new Error(`index out of range: ${i}`);
}

function codePoints(s: string): string[] {
  return Array.from(s);
}

function startsAt(runes: string[], sub: string[], i: number): boolean {
  return sub.every((r, j) => runes[i + j] === r);
}

function charAt(s: string, index: bigint): string {
  const runes = codePoints(s);
  if (index < 0n || index > BigInt(runes.length)) throw outOfRange(index);
  return runes[Number(index)] ?? '';
}

function indexOf(s: string, sub: string, offset: bigint): bigint {
  if (sub === '') return offset;
  const runes = codePoints(s);
  if (offset < 0n || offset > BigInt(runes.length)) throw outOfRange(offset);
  const subRunes = codePoints(sub);
  for (let i = Number(offset); i <= runes.length - subRunes.length; i++) {
    if (startsAt(runes, subRunes, i)) return BigInt(i);
  }
  return -1n;
}

function lastIndexOf(s: string, sub: string, offset: bigint): bigint {
  if (sub === '') return offset;
  const runes = codePoints(s);
  if (offset < 0n || offset > BigInt(runes.length)) throw outOfRange(offset);
  const subRunes = codePoints(sub);
  for (let i = Math.min(Number(offset), runes.length - subRunes.length); i >= 0; i--) {
    if (startsAt(runes, subRunes, i)) return BigInt(i);
  }
  return -1n;
}

function substring(s: string, start: bigint, end: bigint): string {
  const runes = codePoints(s);
  const length = BigInt(runes.length);
  if (start > end) throw new Error(`invalid substring range. start: ${start}, end: ${end}`);
  if (start < 0n || start > length) throw outOfRange(start);
  if (end > length) throw outOfRange(end);
  return runes.slice(Number(start), Number(end)).join('');
}

/** Go strings.SplitN. */
function splitN(s: string, sep: string, n: bigint): string[] {
  if (n === 0n) return [];
  const limit = n < 0n ? Infinity : Number(n);
  const parts = sep === '' ? codePoints(s) : s.split(sep);
  if (parts.length <= limit) return parts;
  return [...parts.slice(0, limit - 1), parts.slice(limit - 1).join(sep)];
}

/** Go strings.Replace. */
function replaceN(s: string, old: string, replacement: string, n: bigint): string {
  if (old === replacement || n === 0n) return s;
  const limit = n < 0n ? Infinity : Number(n);
  if (old === '') {
    const runes = codePoints(s);
    const slots = Math.min(limit, runes.length + 1);
    let out = '';
    for (let i = 0; i < runes.length + 1; i++) out += (i < slots ? replacement : '') + (runes[i] ?? '');
    return out;
  }
  const parts = s.split(old);
  if (parts.length - 1 <= limit) return parts.join(replacement);
  return parts.slice(0, limit + 1).join(replacement) + old + parts.slice(limit + 1).join(old);
}

/** Go unicode.IsSpace: ASCII space characters, U+0085, U+00A0 and categories Zs, Zl, Zp. */
const GO_SPACE = /^[\t\n\v\f\r \u0085\p{Zs}\p{Zl}\p{Zp}]+|[\t\n\v\f\r \u0085\p{Zs}\p{Zl}\p{Zp}]+$/gu;

export const stringsOverrides: CelFunc[] = [
  celMethod('charAt', STRING, [INT], STRING, function (i) {
    return charAt(this, i);
  }),
  celMethod('indexOf', STRING, [STRING], INT, function (sub) {
    return indexOf(this, sub, 0n);
  }),
  celMethod('indexOf', STRING, [STRING, INT], INT, function (sub, offset) {
    return indexOf(this, sub, offset);
  }),
  celMethod('lastIndexOf', STRING, [STRING], INT, function (sub) {
    return lastIndexOf(this, sub, BigInt(codePoints(this).length));
  }),
  celMethod('lastIndexOf', STRING, [STRING, INT], INT, function (sub, offset) {
    return lastIndexOf(this, sub, offset);
  }),
  celMethod('substring', STRING, [INT], STRING, function (start) {
    return substring(this, start, BigInt(codePoints(this).length));
  }),
  celMethod('substring', STRING, [INT, INT], STRING, function (start, end) {
    return substring(this, start, end);
  }),
  celMethod('split', STRING, [STRING], listType(STRING), function (sep) {
    return splitN(this, sep, -1n);
  }),
  celMethod('split', STRING, [STRING, INT], listType(STRING), function (sep, n) {
    return splitN(this, sep, n);
  }),
  celMethod('replace', STRING, [STRING, STRING], STRING, function (old, replacement) {
    return replaceN(this, old, replacement, -1n);
  }),
  celMethod('replace', STRING, [STRING, STRING, INT], STRING, function (old, replacement, n) {
    return replaceN(this, old, replacement, n);
  }),
  celMethod('trim', STRING, [], STRING, function () {
    return this.replace(GO_SPACE, '');
  }),
];
