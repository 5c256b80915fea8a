/**
 * String constraints: the `pattern` regexes, and the string `format`s the API server checks (kube-openapi pkg/validation/strfmt, the default
 * registry) for the formats the CRDs use: byte and date-time (Istio, Gateway API status), ipv4 and
 * ipv6 (Gateway API addresses, inside anyOf). Integer formats (int32, int64) are not checked by
 * the API server and have no entry. Formats without an entry are accepted.
 */
import { parseAddr } from '../cel/netip';

export interface FormatCheck {
  test(s: string): boolean;
  /** What a valid value is, for messages: "not <what>". */
  what: string;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Go's net.ParseIP: netip.ParseAddr without a zone. */
function goParseIp(s: string): boolean {
  const parsed = parseAddr(s);
  return parsed.ok && parsed.value.zone === '';
}

/**
 * k8s.io/utils/net.ParseIPSloppy: net.ParseIP that also accepts leading zeros in the dotted
 * IPv4 fields (read as decimal), as Go did before 1.17.
 */
export function goParseIpSloppy(s: string): boolean {
  const normalized = s.replace(/(^|:)(\d+\.\d+\.\d+\.\d+)$/, (_m, before: string, v4: string) => {
    return before + v4.split('.').map((f) => f.replace(/^0+(?=\d)/, '')).join('.');
  });
  return goParseIp(normalized);
}

export const FORMAT_CHECKS: Readonly<Record<string, FormatCheck>> = {
  byte: { test: (s) => BASE64.test(s), what: 'base64-encoded bytes' },
  'date-time': { test: (s) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)), what: 'an RFC 3339 date-time such as 2006-01-02T15:04:05Z' },
  // strfmt isIPv4: ParseIPSloppy succeeds and the text has a dot; IsIPv6: ParseIP succeeds and it has a colon.
  ipv4: { test: (s) => s.includes('.') && goParseIpSloppy(s), what: 'an IPv4 address such as 192.0.2.10' },
  ipv6: { test: (s) => s.includes(':') && goParseIp(s), what: 'an IPv6 address such as 2001:db8::1' },
};

/** Why a string breaks its schema's format, or undefined. */
export function formatProblem(format: string | undefined, s: string): string | undefined {
  const check = format !== undefined ? FORMAT_CHECKS[format] : undefined;
  return check && !check.test(s) ? check.what : undefined;
}

/** Compiled `pattern` regexes by source (the CRDs hold a few dozen); null when JS cannot compile one. */
const patternCache = new Map<string, RegExp | null>();

export function compiledPattern(pattern: string): RegExp | null {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = null;
    }
    patternCache.set(pattern, re);
  }
  return re;
}
