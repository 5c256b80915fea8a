/**
 * Conversions between plain YAML/JSON data and @bufbuild/cel values.
 *
 * In: integral numbers inside int64 become CEL int (bigint), like the API
 * server decoding `80` as int64; other numbers become double; objects become
 * maps; arrays lists. A null value stays a present key (`has()` is true), as
 * on `nullable: true` fields; pruning nulls from non-nullable fields is the
 * schema layer's job, done before CEL runs.
 * Out: lists become arrays, maps become Map, ints stay bigint (so int and
 * double remain distinguishable), durations become Go duration strings
 * ("1h0m0s"), URL/IP/CIDR values their text, types their name.
 */
import { isCelList, isCelMap, isCelType, isCelUint, type CelInput, type CelValue } from '@bufbuild/cel';
import { isReflectMessage } from '@bufbuild/protobuf/reflect';
import { DurationSchema, type Duration } from '@bufbuild/protobuf/wkt';
import { formatGoDuration } from './goDuration';
import { isOpaque, opaqueText } from './opaqueTypes';

/** Integral and inside int64, as Go's JSON decoding into int64 requires (else float64). */
function isInt64(n: number): boolean {
  return Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 63;
}

export function toCelInput(value: unknown): CelInput {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
    case 'string':
    case 'bigint':
      return value;
    case 'number':
      return isInt64(value) ? BigInt(value) : value;
    case 'object':
      if (Array.isArray(value)) return value.map(toCelInput);
      if (value instanceof Map) {
        return new Map([...value].map(([k, v]) => [toCelInput(k), toCelInput(v)])) as CelInput;
      }
      return new Map(Object.entries(value).map(([k, v]) => [k, toCelInput(v)])) as CelInput;
    default:
      throw new TypeError(`cannot pass a ${typeof value} to CEL`);
  }
}

function durationNanos(d: Duration): bigint {
  return d.seconds * 1_000_000_000n + BigInt(d.nanos);
}

export function fromCelValue(value: CelValue): unknown {
  if (isCelList(value)) return [...value].map(fromCelValue);
  if (isCelMap(value)) return new Map([...value].map(([k, v]) => [fromCelValue(k), fromCelValue(v)]));
  if (isCelUint(value)) return value.value;
  if (isCelType(value)) return value.name;
  if (isReflectMessage(value, DurationSchema)) return formatGoDuration(durationNanos(value.message as Duration));
  if (isReflectMessage(value) && isOpaque(value)) return opaqueText(value);
  return value;
}
