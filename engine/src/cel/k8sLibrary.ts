/**
 * Functions the Kubernetes API server adds to (or defines differently from)
 * the CEL standard library, as used by CRD x-kubernetes-validations rules:
 *  - int(string): Go strconv.ParseInt(s, 10, 64) (no hex, no spaces);
 *  - duration(string): Go time.ParseDuration;
 *  - url(string), isURL(string) and the URL accessors (k8s.io/apiserver cel/library urls).
 * IP and CIDR functions live in ipLibrary.ts.
 */
import { celFunc, celMethod, CelScalar, listType, mapType, objectType, type CelFunc } from '@bufbuild/cel';
import { create } from '@bufbuild/protobuf';
import { DurationSchema } from '@bufbuild/protobuf/wkt';
import { parseGoDuration } from './goDuration';
import {
  parseRequestUri,
  parseUrl,
  urlEscapedPath,
  urlHost,
  urlHostname,
  urlPort,
  urlQuery,
  type GoUrl,
} from './goUrl';
import { opaqueText, URL_TYPE } from './opaqueTypes';

const { STRING, INT, BOOL } = CelScalar;
const DURATION = objectType(DurationSchema);

const NANOS_PER_SECOND = 1_000_000_000n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** Go strconv.ParseInt(s, 10, 64). */
export function parseGoInt(s: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n < INT64_MIN || n > INT64_MAX) {
    throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(s)}: value out of range`);
  }
  return n;
}

function durationFromString(s: string) {
  const parsed = parseGoDuration(s);
  if (!parsed.ok) throw new Error(parsed.error);
  return create(DurationSchema, {
    seconds: parsed.nanos / NANOS_PER_SECOND,
    nanos: Number(parsed.nanos % NANOS_PER_SECOND),
  });
}

function urlFromString(s: string): unknown {
  // Kubernetes checks with ParseRequestURI (absolute URI or absolute path), then
  // keeps url.Parse's result, which splits off the fragment correctly.
  const check = parseRequestUri(s);
  if (!check.ok) throw new Error(`URL parse error during conversion from string: ${check.error}`);
  return URL_TYPE.make(s);
}

/** The Go URL behind a URL value (validated when it was made, so parsing succeeds). */
function goUrlOf(value: unknown): GoUrl {
  const parsed = parseUrl(opaqueText(value));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.url;
}

function urlGetter(name: string, get: (u: GoUrl) => string): CelFunc {
  return celMethod(name, URL_TYPE.celType, [], STRING, function () {
    return get(goUrlOf(this));
  });
}

export const kubernetesFunctions: CelFunc[] = [
  celFunc('int', [STRING], INT, parseGoInt),
  celFunc('duration', [STRING], DURATION, durationFromString),
  celFunc('url', [STRING], URL_TYPE.celType, urlFromString as never),
  celFunc('isURL', [STRING], BOOL, (s) => parseRequestUri(s).ok),
  urlGetter('getScheme', (u) => u.scheme),
  urlGetter('getHost', urlHost),
  urlGetter('getHostname', urlHostname),
  urlGetter('getPort', urlPort),
  urlGetter('getEscapedPath', urlEscapedPath),
  celMethod('getQuery', URL_TYPE.celType, [], mapType(STRING, listType(STRING)), function () {
    return urlQuery(goUrlOf(this));
  }),
];
