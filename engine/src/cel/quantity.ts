/**
 * Kubernetes resource quantities ("500m", "1.5Gi", "1e3") as exact fractions,
 * for the CEL quantity library. Syntax per k8s.io/apimachinery resource.ParseQuantity:
 * an optionally signed decimal number, then a suffix: a binary SI suffix
 * (Ki Mi Gi Ti Pi Ei), a decimal SI suffix (n u m "" k M G T P E), or a decimal
 * exponent (e or E and an integer).
 */

export interface Quantity {
  /** value = num / den, den > 0, reduced. */
  num: bigint;
  den: bigint;
}

export type QuantityParse = { ok: true; value: Quantity } | { ok: false; error: string };

const BINARY_SUFFIX: ReadonlyMap<string, number> = new Map([
  ['Ki', 10],
  ['Mi', 20],
  ['Gi', 30],
  ['Ti', 40],
  ['Pi', 50],
  ['Ei', 60],
]);

const DECIMAL_SUFFIX: ReadonlyMap<string, number> = new Map([
  ['n', -9],
  ['u', -6],
  ['m', -3],
  ['', 0],
  ['k', 3],
  ['M', 6],
  ['G', 9],
  ['T', 12],
  ['P', 15],
  ['E', 18],
]);

/** Decimal exponents beyond this are refused rather than expanded into huge integers. */
const MAX_EXPONENT = 1000;

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function quantityOf(num: bigint, den: bigint): Quantity {
  const g = gcd(num, den) || 1n;
  return { num: num / g, den: den / g };
}

function exponentOf(suffix: string): { pow10: number; pow2: number } | undefined {
  const binary = BINARY_SUFFIX.get(suffix);
  if (binary !== undefined) return { pow10: 0, pow2: binary };
  const decimal = DECIMAL_SUFFIX.get(suffix);
  if (decimal !== undefined) return { pow10: decimal, pow2: 0 };
  const exp = /^[eE]([+-]?[0-9]+)$/.exec(suffix);
  if (exp === null) return undefined;
  const n = Number(exp[1]);
  return Math.abs(n) > MAX_EXPONENT ? undefined : { pow10: n, pow2: 0 };
}

export function parseQuantity(text: string): QuantityParse {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(text);
  if (m === null || (m[2] === '' && (m[3] ?? '') === '')) {
    return { ok: false, error: `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'` };
  }
  const [, sign, whole, fraction = '', suffix] = m;
  const exponent = exponentOf(suffix);
  if (exponent === undefined) return { ok: false, error: `unable to parse quantity's suffix` };
  let num = BigInt(whole + fraction || '0') * 2n ** BigInt(exponent.pow2);
  let den = 10n ** BigInt(fraction.length);
  if (exponent.pow10 >= 0) num *= 10n ** BigInt(exponent.pow10);
  else den *= 10n ** BigInt(-exponent.pow10);
  if (sign === '-') num = -num;
  return { ok: true, value: roundToNano(quantityOf(num, den)) };
}

const NANO = 1_000_000_000n;

/** Like ParseQuantity, precision below 1n is rounded away from zero ("0.1n" is 1n). */
function roundToNano(q: Quantity): Quantity {
  const scaled = q.num * NANO;
  if (scaled % q.den === 0n) return q;
  const magnitude = (scaled < 0n ? -scaled : scaled) / q.den + 1n;
  return quantityOf(scaled < 0n ? -magnitude : magnitude, NANO);
}

export function compareQuantities(a: Quantity, b: Quantity): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function addQuantities(a: Quantity, b: Quantity): Quantity {
  return quantityOf(a.num * b.den + b.num * a.den, a.den * b.den);
}

export function negateQuantity(a: Quantity): Quantity {
  return { num: -a.num, den: a.den };
}

/** Exact text of a reduced quantity: "3", "-1/2". Used as its identity inside CEL values. */
export function quantityKey(q: Quantity): string {
  return q.den === 1n ? `${q.num}` : `${q.num}/${q.den}`;
}

export function quantityFromKey(key: string): Quantity {
  const [num, den = '1'] = key.split('/');
  return { num: BigInt(num), den: BigInt(den) };
}
