/**
 * Kubernetes CEL IP and CIDR library (k8s.io/apiserver cel/library ip and cidr):
 * ip(), isIP(), ip.isCanonical(), cidr(), isCIDR(), string(), and the
 * net.IP / net.CIDR methods. Like Kubernetes, addresses with a zone and
 * IPv4-mapped IPv6 addresses are rejected. Values carry their canonical text,
 * so `ip('::1') == ip('0:0::1')`.
 */
import { celFunc, celMethod, CelScalar, type CelFunc } from '@bufbuild/cel';
import {
  formatAddr,
  formatPrefix,
  is4,
  is4In6,
  isGlobalUnicast,
  isLinkLocalMulticast,
  isLinkLocalUnicast,
  isLoopback,
  isUnspecified,
  masked,
  parseAddr,
  parsePrefix,
  prefixContains,
  prefixContainsPrefix,
  type Addr,
  type Parsed,
  type Prefix,
} from './netip';
import { CIDR_TYPE, IP_TYPE, opaqueText } from './opaqueTypes';

const { STRING, INT, BOOL } = CelScalar;
const IP = IP_TYPE.celType;
const CIDR = CIDR_TYPE.celType;

function checkedIp(s: string): Parsed<Addr> {
  const parsed = parseAddr(s);
  if (!parsed.ok) return { ok: false, error: `IP Address ${JSON.stringify(s)} parse error during conversion from string: ${parsed.error}` };
  if (parsed.value.zone !== '') return { ok: false, error: `IP address ${JSON.stringify(s)} with zone value is not allowed` };
  if (is4In6(parsed.value)) return { ok: false, error: `IPv4-mapped IPv6 address ${JSON.stringify(s)} is not allowed` };
  return parsed;
}

function checkedCidr(s: string): Parsed<Prefix> {
  const parsed = parsePrefix(s);
  if (!parsed.ok) return { ok: false, error: `network address parse error during conversion from string: ${parsed.error}` };
  if (is4In6(parsed.value.addr)) return { ok: false, error: `IPv4-mapped IPv6 address ${JSON.stringify(s)} is not allowed` };
  return parsed;
}

function orThrow<T>(p: Parsed<T>): T {
  if (!p.ok) throw new Error(p.error);
  return p.value;
}

const addrOf = (v: unknown): Addr => orThrow(checkedIp(opaqueText(v)));
const prefixOf = (v: unknown): Prefix => orThrow(checkedCidr(opaqueText(v)));
const makeIp = (a: Addr): unknown => IP_TYPE.make(formatAddr(a));
const makeCidr = (p: Prefix): unknown => CIDR_TYPE.make(formatPrefix(p));

function ipPredicate(name: string, test: (a: Addr) => boolean): CelFunc {
  return celMethod(name, IP, [], BOOL, function () {
    return test(addrOf(this));
  });
}

export const ipFunctions: CelFunc[] = [
  celFunc('ip', [STRING], IP, ((s: string) => makeIp(orThrow(checkedIp(s)))) as never),
  celFunc('isIP', [STRING], BOOL, (s) => checkedIp(s).ok),
  celFunc('ip.isCanonical', [STRING], BOOL, (s) => formatAddr(orThrow(checkedIp(s))) === s),
  celFunc('string', [IP], STRING, (v) => opaqueText(v)),
  celMethod('family', IP, [], INT, function () {
    return is4(addrOf(this)) ? 4n : 6n;
  }),
  ipPredicate('isUnspecified', isUnspecified),
  ipPredicate('isLoopback', isLoopback),
  ipPredicate('isLinkLocalMulticast', isLinkLocalMulticast),
  ipPredicate('isLinkLocalUnicast', isLinkLocalUnicast),
  ipPredicate('isGlobalUnicast', isGlobalUnicast),

  celFunc('cidr', [STRING], CIDR, ((s: string) => makeCidr(orThrow(checkedCidr(s)))) as never),
  celFunc('isCIDR', [STRING], BOOL, (s) => checkedCidr(s).ok),
  celFunc('string', [CIDR], STRING, (v) => opaqueText(v)),
  celMethod('containsIP', CIDR, [IP], BOOL, function (other) {
    return prefixContains(prefixOf(this), addrOf(other));
  }),
  celMethod('containsIP', CIDR, [STRING], BOOL, function (other) {
    return prefixContains(prefixOf(this), orThrow(checkedIp(other)));
  }),
  celMethod('containsCIDR', CIDR, [CIDR], BOOL, function (other) {
    return prefixContainsPrefix(prefixOf(this), prefixOf(other));
  }),
  celMethod('containsCIDR', CIDR, [STRING], BOOL, function (other) {
    return prefixContainsPrefix(prefixOf(this), orThrow(checkedCidr(other)));
  }),
  celMethod('ip', CIDR, [], IP, function () {
    return makeIp(prefixOf(this).addr) as never;
  }),
  celMethod('masked', CIDR, [], CIDR, function () {
    return makeCidr(masked(prefixOf(this))) as never;
  }),
  celMethod('prefixLength', CIDR, [], INT, function () {
    return BigInt(prefixOf(this).bits);
  }),
];
