/**
 * Kubernetes CEL quantity library (k8s.io/apiserver cel/library quantity):
 * quantity(), isQuantity() and the kubernetes.Quantity methods. Values carry
 * their exact reduced fraction, so `quantity("1") == quantity("1000m")`.
 */
import { celFunc, celMethod, CelScalar, type CelFunc } from '@bufbuild/cel';
import {
  addQuantities,
  compareQuantities,
  negateQuantity,
  parseQuantity,
  quantityFromKey,
  quantityKey,
  quantityOf,
  type Quantity,
} from './quantity';
import { opaqueText, QUANTITY_TYPE } from './opaqueTypes';

const { STRING, INT, BOOL, DOUBLE } = CelScalar;
const QUANTITY = QUANTITY_TYPE.celType;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

const valueOf = (v: unknown): Quantity => quantityFromKey(opaqueText(v));
const make = (q: Quantity): never => QUANTITY_TYPE.make(quantityKey(q)) as never;

function fromString(s: string): never {
  const parsed = parseQuantity(s);
  if (!parsed.ok) throw new Error(`quantity ${JSON.stringify(s)}: ${parsed.error}`);
  return make(parsed.value);
}

function asInt64(q: Quantity): bigint | undefined {
  return q.den === 1n && q.num >= INT64_MIN && q.num <= INT64_MAX ? q.num : undefined;
}

function arithmetic(name: string, sign: 1 | -1): CelFunc[] {
  const apply = (a: Quantity, b: Quantity) => make(addQuantities(a, sign === 1 ? b : negateQuantity(b)));
  return [
    celMethod(name, QUANTITY, [QUANTITY], QUANTITY, function (other) {
      return apply(valueOf(this), valueOf(other));
    }),
    celMethod(name, QUANTITY, [INT], QUANTITY, function (other) {
      return apply(valueOf(this), quantityOf(other, 1n));
    }),
  ];
}

function comparison(name: string, result: (cmp: number) => boolean | bigint): CelFunc {
  const type = typeof result(0) === 'boolean' ? BOOL : INT;
  return celMethod(name, QUANTITY, [QUANTITY], type, function (other) {
    return result(compareQuantities(valueOf(this), valueOf(other))) as never;
  });
}

export const quantityFunctions: CelFunc[] = [
  celFunc('quantity', [STRING], QUANTITY, fromString),
  celFunc('isQuantity', [STRING], BOOL, (s) => parseQuantity(s).ok),
  celMethod('sign', QUANTITY, [], INT, function () {
    return BigInt(compareQuantities(valueOf(this), quantityOf(0n, 1n)));
  }),
  celMethod('isInteger', QUANTITY, [], BOOL, function () {
    return asInt64(valueOf(this)) !== undefined;
  }),
  celMethod('asInteger', QUANTITY, [], INT, function () {
    const n = asInt64(valueOf(this));
    if (n === undefined) throw new Error('cannot convert value to integer');
    return n;
  }),
  celMethod('asApproximateFloat', QUANTITY, [], DOUBLE, function () {
    const q = valueOf(this);
    return Number(q.num) / Number(q.den);
  }),
  ...arithmetic('add', 1),
  ...arithmetic('sub', -1),
  comparison('isGreaterThan', (c) => c > 0),
  comparison('isLessThan', (c) => c < 0),
  comparison('compareTo', (c) => BigInt(c)),
];
