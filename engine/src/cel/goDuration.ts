/**
 * Go's time.ParseDuration, which Kubernetes CEL's duration(string) uses:
 * a possibly signed sequence of decimal numbers, each with an optional fraction
 * and a unit suffix ("300ms", "-1.5h", "2h45m"). Units: ns, us, µs (U+00B5),
 * μs (U+03BC), ms, s, m, h. "0" alone needs no unit. The result must fit in
 * a signed 64-bit nanosecond count (about ±292 years).
 */

export type DurationParse = { ok: true; nanos: bigint } | { ok: false; error: string };

const NANOS_PER_UNIT: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n],
  ['\u03bcs', 1_000n],
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

/** 1<<63: the magnitude limit while accumulating (the negative extreme). */
const LIMIT = 1n << 63n;
const INT64_MAX = LIMIT - 1n;

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

interface Scan<T> {
  value: T;
  rest: string;
}

/** Leading integer; undefined on overflow past 1<<63, like Go's leadingInt. */
function leadingInt(s: string): Scan<bigint> & { digits: number } | undefined {
  let x = 0n;
  let i = 0;
  for (; i < s.length && isDigit(s[i]); i++) {
    x = x * 10n + BigInt(s.charCodeAt(i) - 48);
    if (x > LIMIT) return undefined;
  }
  return { value: x, rest: s.slice(i), digits: i };
}

/** Leading fraction digits; stops gaining precision instead of failing on overflow. */
function leadingFraction(s: string): Scan<{ digits: bigint; scale: number }> & { count: number } {
  let x = 0n;
  let scale = 1;
  let overflow = false;
  let i = 0;
  for (; i < s.length && isDigit(s[i]); i++) {
    if (overflow) continue;
    const y = x * 10n + BigInt(s.charCodeAt(i) - 48);
    if (y > LIMIT) {
      overflow = true;
      continue;
    }
    x = y;
    scale *= 10;
  }
  return { value: { digits: x, scale }, rest: s.slice(i), count: i };
}

function invalid(orig: string, why = 'invalid duration'): DurationParse {
  return { ok: false, error: `time: ${why} ${JSON.stringify(orig)}` };
}

export function parseGoDuration(orig: string): DurationParse {
  let s = orig;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { ok: true, nanos: 0n };
  if (s === '') return invalid(orig);
  let total = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) return invalid(orig);
    const whole = leadingInt(s);
    if (whole === undefined) return invalid(orig);
    s = whole.rest;
    let fraction = { digits: 0n, scale: 1 };
    let fractionDigits = 0;
    if (s.startsWith('.')) {
      const f = leadingFraction(s.slice(1));
      fraction = f.value;
      fractionDigits = f.count;
      s = f.rest;
    }
    if (whole.digits === 0 && fractionDigits === 0) return invalid(orig);
    let u = 0;
    while (u < s.length && s[u] !== '.' && !isDigit(s[u])) u++;
    const unitName = s.slice(0, u);
    s = s.slice(u);
    if (unitName === '') return invalid(orig, 'missing unit in duration');
    const unit = NANOS_PER_UNIT.get(unitName);
    if (unit === undefined) return invalid(orig, `unknown unit ${JSON.stringify(unitName)} in duration`);
    if (whole.value > LIMIT / unit) return invalid(orig);
    let v = whole.value * unit;
    if (fraction.digits > 0n) {
      // Go computes this part in float64 and truncates: keep the same rounding.
      v += BigInt(Math.trunc(Number(fraction.digits) * (Number(unit) / fraction.scale)));
      if (v > LIMIT) return invalid(orig);
    }
    total += v;
    if (total > LIMIT) return invalid(orig);
  }
  if (negative) return { ok: true, nanos: -total };
  if (total > INT64_MAX) return invalid(orig);
  return { ok: true, nanos: total };
}

/** `whole` plus a fraction of `digits` decimals with trailing zeros dropped ("1.5", "2"). */
function decimal(value: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const fraction = (value % scale).toString().padStart(digits, '0').replace(/0+$/, '');
  return `${value / scale}${fraction === '' ? '' : `.${fraction}`}`;
}

/** Go's Duration.String(): "1h2m3.5s", "300ms", "1.5µs", "0s". */
export function formatGoDuration(nanos: bigint): string {
  const sign = nanos < 0n ? '-' : '';
  const n = nanos < 0n ? -nanos : nanos;
  if (n === 0n) return '0s';
  if (n < 1_000n) return `${sign}${n}ns`;
  if (n < 1_000_000n) return `${sign}${decimal(n, 3)}\u00b5s`;
  if (n < 1_000_000_000n) return `${sign}${decimal(n, 6)}ms`;
  const hours = n / 3_600_000_000_000n;
  const minutes = (n / 60_000_000_000n) % 60n;
  const seconds = `${decimal(n % 60_000_000_000n, 9)}s`;
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0n) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}
