/**
 * ServiceEntry rules: what istiod's webhook decides (pkg/config/validation/validation.go:
 * ValidateServiceEntry, validateWorkloadEntry, validateExportTo). The CRD's CEL rules already
 * reject `*` hosts, duplicate port numbers, port ranges, CIDR addresses with DNS resolution,
 * endpoints with NONE, several endpoints with DNS_ROUND_ROBIN, workloadSelector with endpoints
 * and unix-socket shapes; labels and the selector are common/workload.ts's.
 */
import type { Path } from '../model/locate';
import { defineRules, type RuleContext } from './rule';
import { asList, asObj, isSet, objItems, stringItems, type Obj } from './common/workload';
import { isCIDR, isIPAddress } from './common/net';
import {
  PROTOCOL_NAMES,
  closestValue,
  reportExportTo,
  firstKeyAnchor,
  fqdnProblem,
  isHTTPProtocol,
  isTCPProtocol,
  isTLSProtocol,
  parseProtocol,
  partialWildcardProblem,
  portNameProblem,
  replaceValueFix,
  wildcardDomainProblem,
  isWildcarded,
} from './common/hosts';

const VALIDATION = 'pkg/config/validation/validation.go';

const spec = (ctx: RuleContext): Obj => ctx.resource.spec;

/** ServiceEntry.resolution; the proto default is NONE. */
function resolutionOf(ctx: RuleContext): string {
  const r = spec(ctx).resolution;
  return typeof r === 'string' && r !== '' ? r : 'NONE';
}

interface PortAt {
  port: Obj;
  path: Path;
}

function portsOf(ctx: RuleContext): PortAt[] {
  return objItems(spec(ctx).ports).map(({ item, index }) => ({ port: item, path: ['spec', 'ports', index] }));
}

const protocolOf = (port: Obj): string => (typeof port.protocol === 'string' ? port.protocol : '');

function servicePortNames(ctx: RuleContext): Set<string> {
  return new Set(portsOf(ctx).map(({ port }) => (typeof port.name === 'string' ? port.name : '')));
}

function endpointsOf(ctx: RuleContext): Array<{ ep: Obj; path: Path }> {
  return objItems(spec(ctx).endpoints).map(({ item, index }) => ({ ep: item, path: ['spec', 'endpoints', index] }));
}

const UNIX_PREFIX = 'unix://';

export const serviceEntryRules = defineRules([
  {
    code: 'se-host-invalid',
    severity: 'error',
    kinds: ['ServiceEntry'],
    summary: 'A host is not a valid FQDN or wildcard domain.',
    source: `${VALIDATION}: ValidateServiceEntry (agent.ValidateWildcardDomain)`,
    check(ctx) {
      for (const { value, index } of stringItems(spec(ctx).hosts)) {
        if (value === '*') continue; // CEL: hostname cannot be wildcard
        const problem = wildcardDomainProblem(value);
        if (problem) ctx.report({ path: ['spec', 'hosts', index], message: `Host ${problem}.` });
      }
    },
  },
  {
    code: 'se-host-partial-wildcard',
    severity: 'warning',
    kinds: ['ServiceEntry'],
    summary: 'A partial wildcard host (e.g. *foo.com) is only meaningful for DYNAMIC_DNS resolution (istiod warns).',
    source: `${VALIDATION}: ValidateServiceEntry (agent.ValidatePartialWildCard)`,
    check(ctx) {
      if (resolutionOf(ctx) === 'DYNAMIC_DNS') return;
      for (const { value, index } of stringItems(spec(ctx).hosts)) {
        const problem = value === '*' ? undefined : partialWildcardProblem(value);
        if (problem) ctx.report({ path: ['spec', 'hosts', index], message: `Host: ${problem}.` });
      }
    },
  },
  {
    code: 'se-address-invalid',
    severity: 'error',
    kinds: ['ServiceEntry'],
    summary: 'An address is not an IP address or CIDR block.',
    source: `${VALIDATION}: ValidateServiceEntry (agent.ValidateIPSubnet)`,
    check(ctx) {
      for (const { value, index } of stringItems(spec(ctx).addresses)) {
        const ok = value.split('/').length === 2 ? isCIDR(value) : isIPAddress(value);
        if (!ok) ctx.report({ path: ['spec', 'addresses', index], message: `Address '${value}' is not a valid IP address or CIDR block (e.g. 240.0.0.1 or 10.0.0.0/16); host names belong in hosts.` });
      }
    },
  },
  {
    code: 'se-port-invalid',
    severity: 'error',
    kinds: ['ServiceEntry'],
    summary: 'A port name is not a DNS-1123 label or is used twice, or its protocol is unknown.',
    source: `${VALIDATION}: ValidateServiceEntry (ValidatePortName, ValidateProtocol)`,
    check(ctx) {
      const names = new Set<string>();
      for (const { port, path } of portsOf(ctx)) {
        if (typeof port.name === 'string') {
          if (names.has(port.name)) ctx.report({ path: [...path, 'name'], message: `Port name '${port.name}' is already defined; port names must be unique.` });
          names.add(port.name);
          const problem = portNameProblem(port.name);
          if (problem) ctx.report({ path: [...path, 'name'], message: `${problem[0].toUpperCase()}${problem.slice(1)}.` });
        }
        const proto = protocolOf(port);
        if (proto !== '' && parseProtocol(proto) === 'Unsupported') {
          const fix = closestValue(proto, PROTOCOL_NAMES, 2);
          ctx.report({
            path: [...path, 'protocol'],
            message: `Unsupported protocol '${proto}'${fix ? ` (did you mean ${fix}?)` : ''}: use one of ${PROTOCOL_NAMES.join(', ')} (case-insensitive), or leave it empty for protocol sniffing.`,
            fixes: fix ? [replaceValueFix(ctx, [...path, 'protocol'], fix)] : undefined,
          });
        }
      }
    },
  },
  {
    code: 'se-tcp-needs-address',
    severity: 'warning',
    kinds: ['ServiceEntry'],
    summary: 'TCP (or unset-protocol) ports without addresses when IP auto-allocation does not apply (resolution NONE or opted out): istiod warns.',
    source: `${VALIDATION}: ValidateServiceEntry; pilot/pkg/networking/serviceentry/ip_autoallocation.go`,
    check(ctx) {
      if (asList(spec(ctx).addresses).length > 0) return;
      const labels = asObj(asObj(ctx.resource.object.metadata)?.labels);
      const optedOut = String(labels?.['networking.istio.io/enable-autoallocate-ip'] ?? '').toLowerCase() === 'false';
      if (resolutionOf(ctx) !== 'NONE' && !optedOut) return;
      for (const { port, path } of portsOf(ctx)) {
        const proto = protocolOf(port);
        if (proto !== '' && proto !== 'TCP') continue;
        ctx.report({
          path: isSet(port, 'protocol') ? [...path, 'protocol'] : [...path, 'number'],
          message: `Addresses are required for ports serving TCP (or unset) protocol when IP auto-allocation is not enabled${optedOut ? ' (this ServiceEntry opts out)' : ' (resolution NONE)'}: add spec.addresses, or set the protocol (e.g. HTTP or TLS) so traffic can be told apart by host.`,
        });
      }
    },
  },
  {
    code: 'se-none-workload-selector',
    severity: 'warning',
    kinds: ['ServiceEntry'],
    summary: 'workloadSelector has no effect with resolution NONE (istiod warns).',
    source: `${VALIDATION}: ValidateServiceEntry`,
    check(ctx) {
      if (resolutionOf(ctx) !== 'NONE' || !isSet(spec(ctx), 'workloadSelector')) return;
      ctx.report({ path: ['spec', 'workloadSelector'], target: 'key', message: 'workloadSelector should not be set when resolution is NONE (the default); set resolution: STATIC to send traffic to the selected workloads.' });
    },
  },
  {
    code: 'se-endpoint-invalid',
    severity: 'error',
    kinds: ['ServiceEntry'],
    summary: 'An endpoint address is not an IP (STATIC) or IP/FQDN (DNS), or its ports name a port the ServiceEntry does not define.',
    source: `${VALIDATION}: ValidateServiceEntry, validateWorkloadEntry`,
    check(ctx) {
      const resolution = resolutionOf(ctx);
      if (resolution !== 'STATIC' && resolution !== 'DNS' && resolution !== 'DNS_ROUND_ROBIN') return;
      const portNames = servicePortNames(ctx);
      const ports = portsOf(ctx);
      for (const { ep, path } of endpointsOf(ctx)) {
        const addr = typeof ep.address === 'string' ? ep.address : '';
        if (resolution === 'STATIC') {
          if (addr === '' && !isSet(ep, 'network')) ctx.report({ ...firstKeyAnchor(ep, path), message: 'An endpoint address is required.' });
          else if (addr.startsWith(UNIX_PREFIX) && ports.length !== 1) ctx.report({ path: [...path, 'address'], message: `A unix endpoint needs exactly 1 service port (this ServiceEntry has ${ports.length}).` });
          else if (addr !== '' && !addr.startsWith(UNIX_PREFIX) && !isIPAddress(addr)) {
            ctx.report({ path: [...path, 'address'], message: `Endpoint address '${addr}' is not a valid IP address; STATIC resolution needs IPs (use resolution: DNS for host names).` });
          }
        } else if (addr !== '' && !isIPAddress(addr) && fqdnProblem(addr)) {
          ctx.report({ path: [...path, 'address'], message: `Endpoint address '${addr}' is not a valid FQDN or an IP address.` });
        }
        for (const [name, port] of Object.entries(asObj(ep.ports) ?? {})) {
          if (!portNames.has(name)) ctx.report({ path: [...path, 'ports', name], target: 'key', message: `Endpoint port '${name}' (${String(port)}) is not defined by the ServiceEntry; use one of its port names (${[...portNames].join(', ') || 'none defined'}).` });
        }
      }
    },
  },
  {
    code: 'se-dns-host-not-fqdn',
    severity: 'error',
    kinds: ['ServiceEntry'],
    summary: 'DNS/DNS_ROUND_ROBIN resolution without endpoints needs hosts that are FQDNs (no wildcards): istiod resolves them.',
    source: `${VALIDATION}: ValidateServiceEntry`,
    check(ctx) {
      const resolution = resolutionOf(ctx);
      if ((resolution !== 'DNS' && resolution !== 'DNS_ROUND_ROBIN') || asList(spec(ctx).endpoints).length > 0) return;
      for (const { value, index } of stringItems(spec(ctx).hosts)) {
        if (value === '*' || !fqdnProblem(value) || wildcardDomainProblem(value)) continue;
        ctx.report({ path: ['spec', 'hosts', index], message: `Host '${value}' must be a plain FQDN for resolution ${resolution} without endpoints (a wildcard cannot be resolved): use resolution NONE or DYNAMIC_DNS for wildcards, or add endpoints.` });
        return; // istiod reports the first one only
      }
    },
  },
  {
    code: 'se-dynamic-dns-invalid',
    severity: 'error',
    kinds: ['ServiceEntry'],
    summary: 'DYNAMIC_DNS needs wildcard hosts, no addresses or endpoints, HTTP/TLS/GRPC/HTTP2 ports and location MESH_EXTERNAL or MESH_INTERNAL.',
    source: `${VALIDATION}: ValidateServiceEntry`,
    check(ctx) {
      if (resolutionOf(ctx) !== 'DYNAMIC_DNS') return;
      for (const { value, index } of stringItems(spec(ctx).hosts)) {
        if (!isWildcarded(value)) ctx.report({ path: ['spec', 'hosts', index], message: `Host '${value}' must be wildcarded (e.g. *.example.com) for resolution DYNAMIC_DNS.` });
      }
      for (const field of ['addresses', 'endpoints']) {
        if (asList(spec(ctx)[field]).length > 0) ctx.report({ path: ['spec', field], target: 'key', message: `${field} cannot be set for resolution DYNAMIC_DNS: destinations are resolved from the request's host.` });
      }
      for (const { port, path } of portsOf(ctx)) {
        const p = parseProtocol(protocolOf(port));
        if (p !== 'HTTP' && p !== 'TLS' && p !== 'GRPC' && p !== 'HTTP2') {
          ctx.report({ ...(isSet(port, 'protocol') ? { path: [...path, 'protocol'] } : firstKeyAnchor(port, path)), message: 'Only HTTP, TLS, GRPC and HTTP2 protocols are supported for resolution DYNAMIC_DNS.' });
        }
      }
      const location = spec(ctx).location;
      if (location !== 'MESH_EXTERNAL' && location !== 'MESH_INTERNAL') {
        // The proto default (unset) is MESH_EXTERNAL, so only an explicit other value can fail.
        if (typeof location === 'string' && location !== '') ctx.report({ path: ['spec', 'location'], message: 'location must be MESH_EXTERNAL or MESH_INTERNAL for resolution DYNAMIC_DNS.' });
      }
      const labels = asObj(asObj(ctx.resource.object.metadata)?.labels);
      const waypoint = labels?.['istio.io/use-waypoint'];
      if (location === 'MESH_INTERNAL' && typeof waypoint === 'string' && waypoint !== '' && waypoint.toLowerCase() !== 'none') {
        ctx.report({ path: ['spec', 'location'], message: 'location MESH_INTERNAL with resolution DYNAMIC_DNS is not supported when using waypoints (istio.io/use-waypoint); use MESH_EXTERNAL.' });
      }
    },
  },
  {
    code: 'se-multiple-hosts-tcp',
    severity: 'error',
    kinds: ['ServiceEntry'],
    summary: 'Several hosts with a non-HTTP, non-TLS port: plain TCP cannot tell the hosts apart (allowed only with resolution NONE).',
    source: `${VALIDATION}: ValidateServiceEntry`,
    check(ctx) {
      if (resolutionOf(ctx) === 'NONE' || asList(spec(ctx).hosts).length <= 1) return;
      for (const { port, path } of portsOf(ctx)) {
        const p = parseProtocol(protocolOf(port));
        if (isHTTPProtocol(p) || isTLSProtocol(p)) continue;
        ctx.report({ ...(isSet(port, 'protocol') ? { path: [...path, 'protocol'] } : firstKeyAnchor(port, path)), message: `Multiple hosts with a non-HTTP, non-TLS port (${protocolOf(port) || 'protocol unset'}): plain TCP cannot tell the hosts apart. Use one ServiceEntry per host, protocol HTTP/TLS, or resolution NONE.` });
        return;
      }
    },
  },
  {
    code: 'se-address-multiple-hosts',
    severity: 'warning',
    kinds: ['ServiceEntry'],
    summary: 'DNS resolution with addresses, a TCP port and more than one host (istiod warns).',
    source: `${VALIDATION}: ValidateServiceEntry`,
    check(ctx) {
      const resolution = resolutionOf(ctx);
      if ((resolution !== 'DNS' && resolution !== 'DNS_ROUND_ROBIN') || asList(spec(ctx).addresses).length === 0 || asList(spec(ctx).hosts).length <= 1) return;
      if (!portsOf(ctx).some(({ port }) => isTCPProtocol(parseProtocol(protocolOf(port))))) return;
      ctx.report({ path: ['spec', 'hosts'], target: 'key', message: 'A ServiceEntry should not have more than one host together with addresses and a TCP port; split it into one ServiceEntry per host.' });
    },
  },
  {
    code: 'se-export-to-invalid',
    severity: 'error',
    kinds: ['ServiceEntry'],
    summary: "exportTo entries must be '.', '*', '~' or namespace names, without duplicates, and '*' or '~' alone.",
    source: `${VALIDATION}: validateExportTo`,
    check(ctx) {
      reportExportTo(ctx, true);
    },
  },
]);
