/**
 * IP address, CIDR and port helpers with Go's semantics (net/netip ParseAddr/ParsePrefix,
 * strconv.ParseUint), which is what istiod's webhook uses (pkg/config/security/security.go:
 * ValidateIPs, ValidatePorts). Pure functions, no Node `net` (its rules differ from Go's).
 */

const IPV4_OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** Dotted-quad IPv4 as netip.ParseAddr reads it: four decimal octets 0-255, no leading zeros. */
export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => IPV4_OCTET.test(p) && Number(p) <= 255);
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function countGroups(part: string, allowTrailingV4: boolean): number | undefined {
  if (part === '') return 0;
  const groups = part.split(':');
  let count = 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    if (allowTrailingV4 && i === groups.length - 1 && g.includes('.')) {
      if (!isIPv4(g)) return undefined;
      count += 2;
    } else if (HEX_GROUP.test(g)) {
      count += 1;
    } else {
      return undefined;
    }
  }
  return count;
}

/** IPv6 as netip.ParseAddr reads it: `::` compression, optional embedded IPv4, optional `%zone`. */
export function isIPv6(s: string, allowZone = true): boolean {
  let addr = s;
  const pct = s.indexOf('%');
  if (pct !== -1) {
    if (!allowZone || pct === s.length - 1) return false;
    addr = s.slice(0, pct);
  }
  const dbl = addr.indexOf('::');
  if (dbl === -1) return countGroups(addr, true) === 8;
  if (addr.indexOf('::', dbl + 1) !== -1) return false;
  const head = countGroups(addr.slice(0, dbl), false);
  const tail = countGroups(addr.slice(dbl + 2), true);
  return head !== undefined && tail !== undefined && head + tail <= 7;
}

export function isIPAddress(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}

/** `addr/bits` as netip.ParsePrefix reads it (host bits may be set; no zone; no leading zeros in bits). */
export function isCIDR(s: string): boolean {
  const slash = s.lastIndexOf('/');
  if (slash === -1) return false;
  const addr = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!/^(0|[1-9][0-9]*)$/.test(bits)) return false;
  if (isIPv4(addr)) return Number(bits) <= 32;
  return isIPv6(addr, false) && Number(bits) <= 128;
}

/**
 * Why an ipBlocks-style value (single IP, or CIDR when it contains `/`) is invalid, or undefined.
 * Mirrors security.ValidateIPs.
 */
export function ipOrCidrProblem(value: string): string | undefined {
  if (value.includes('/')) {
    return isCIDR(value) ? undefined : `'${value}' is not a valid CIDR range (e.g. 10.0.0.0/16 or 2001:db8::/32)`;
  }
  return isIPAddress(value) ? undefined : `'${value}' is not a valid IP address (e.g. 10.1.2.3 or 2001:db8::1; use a CIDR such as 10.1.0.0/16 for a range)`;
}

export const MAX_PORT = 65535;

/** A port string as security.ValidatePorts accepts it: decimal digits only, value 0-65535. */
export function isPortString(value: string): boolean {
  return /^[0-9]+$/.test(value) && Number(value) <= MAX_PORT;
}

export interface PortRange {
  from: number;
  to: number;
}

/** `8000-8002` style ranges (not accepted by Istio); undefined when the value is not a range. */
export function parsePortRange(value: string): PortRange | undefined {
  const m = /^\s*([0-9]{1,5})\s*-\s*([0-9]{1,5})\s*$/.exec(value);
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = Number(m[2]);
  return from <= to && to <= MAX_PORT ? { from, to } : undefined;
}
