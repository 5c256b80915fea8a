/**
 * Gateway rules: what istiod's webhook decides (pkg/config/validation/validation.go:
 * ValidateGateway, validateServer, validateServerPort, validateServerBind). TLS settings are in
 * common/tls.ts; required fields and maxItems are the schema validator's.
 */
import type { Path } from '../model/locate';
import { defineRules, type RuleContext } from './rule';
import { asObj, asList, objItems, stringItems, type Obj } from './common/workload';
import { isIPAddress } from './common/net';
import {
  PROTOCOL_NAMES,
  closestValue,
  gatewayServerHostProblems,
  isDNS1123Label,
  isHTTPProtocol,
  isTLSProtocol,
  parseProtocol,
  replaceValueFix,
} from './common/hosts';
import { str } from './common/tls';

const VALIDATION = 'pkg/config/validation/validation.go';
const UNIX_PREFIX = 'unix://';

interface ServerAt {
  server: Obj;
  path: Path;
  port?: Obj;
}

function serversOf(ctx: RuleContext): ServerAt[] {
  return objItems(ctx.resource.spec.servers).map(({ item, index }) => ({ server: item, path: ['spec', 'servers', index], port: asObj(item.port) }));
}

/** The port's protocol when the port is valid enough for istiod to look at TLS (validateServerPort passed). */
function checkedProtocol(s: ServerAt): ReturnType<typeof parseProtocol> | undefined {
  if (!s.port || typeof s.port.protocol !== 'string') return undefined;
  const p = parseProtocol(s.port.protocol);
  return p === 'Unsupported' || !portNumberOk(s) || str(s.port, 'name') === undefined || targetPortSet(s.port) ? undefined : p;
}

function portNumber(port: Obj): number {
  return typeof port.number === 'number' ? port.number : 0;
}

function targetPortSet(port: Obj): boolean {
  return typeof port.targetPort === 'number' && port.targetPort > 0;
}

function portNumberOk(s: ServerAt): boolean {
  if (!s.port) return false;
  const n = portNumber(s.port);
  const bind = typeof s.server.bind === 'string' ? s.server.bind : '';
  if (n === 0 && bind.startsWith(UNIX_PREFIX)) return true;
  return n >= 1 && n <= 65535;
}

export const gatewayRules = defineRules([
  {
    code: 'gateway-name-invalid',
    severity: 'error',
    kinds: ['Gateway'],
    summary: 'The Gateway name must be a DNS-1123 label (no dots), unlike most Kubernetes names.',
    source: `${VALIDATION}: ValidateGateway`,
    check(ctx) {
      const name = ctx.resource.name;
      if (name === undefined || isDNS1123Label(name)) return;
      ctx.report({
        path: ['metadata', 'name'],
        message: `Invalid gateway name '${name}': a Gateway name must be a DNS-1123 label (lower-case letters, digits and "-", no dots, at most 63 characters), e.g. ${name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'my-gateway'}.`,
      });
    },
  },
  {
    code: 'gateway-no-servers',
    severity: 'error',
    kinds: ['Gateway'],
    summary: 'A Gateway must have at least one server.',
    source: `${VALIDATION}: ValidateGateway`,
    check(ctx) {
      if (asList(ctx.resource.spec.servers).length > 0) return;
      ctx.report({ path: ['spec', 'servers'], target: 'key', message: 'A Gateway must have at least one server (port, hosts and protocol).' });
    },
  },
  {
    code: 'gateway-server-no-hosts',
    severity: 'error',
    kinds: ['Gateway'],
    summary: 'Each server needs at least one host.',
    source: `${VALIDATION}: validateServer`,
    check(ctx) {
      for (const s of serversOf(ctx)) {
        if (!Array.isArray(s.server.hosts) || s.server.hosts.length > 0) continue; // a missing hosts is the schema's
        ctx.report({ path: [...s.path, 'hosts'], target: 'key', message: "A server must contain at least one host, e.g. '*' or 'bookinfo.example.com'." });
      }
    },
  },
  {
    code: 'gateway-host-invalid',
    severity: 'error',
    kinds: ['Gateway'],
    summary: 'A server host is not `[namespace/]dnsName` with a valid FQDN, IP, or leading wildcard.',
    source: 'pkg/config/validation/agent/validation.go: ValidateNamespaceSlashWildcardHostname',
    check(ctx) {
      for (const s of serversOf(ctx)) {
        for (const { value, index } of stringItems(s.server.hosts)) {
          const problems = gatewayServerHostProblems(value);
          if (problems.length === 0) continue;
          ctx.report({ path: [...s.path, 'hosts', index], message: `Server host ${problems.join('; ')}.` });
        }
      }
    },
  },
  {
    code: 'gateway-protocol-invalid',
    severity: 'error',
    kinds: ['Gateway'],
    summary: 'port.protocol is not one of Istio\'s protocols (case-insensitive).',
    source: `${VALIDATION}: validateServerPort (protocol.Parse)`,
    check(ctx) {
      for (const s of serversOf(ctx)) {
        const proto = s.port?.protocol;
        if (typeof proto !== 'string' || parseProtocol(proto) !== 'Unsupported') continue;
        const fix = closestValue(proto, PROTOCOL_NAMES, 2);
        const path = [...s.path, 'port', 'protocol'];
        ctx.report({
          path,
          message: `Invalid protocol '${proto}'${fix ? ` (did you mean ${fix}?)` : ''}: use one of ${PROTOCOL_NAMES.join(', ')} (case-insensitive).`,
          fixes: fix ? [replaceValueFix(ctx, path, fix)] : undefined,
        });
      }
    },
  },
  {
    code: 'gateway-port-invalid',
    severity: 'error',
    kinds: ['Gateway'],
    summary: 'port.number must be 1-65535 (0 only with a unix:// bind); targetPort has no effect on Gateways and is rejected.',
    source: `${VALIDATION}: validateServerPort, validateServerBind`,
    check(ctx) {
      for (const s of serversOf(ctx)) {
        if (!s.port) continue;
        const bind = typeof s.server.bind === 'string' ? s.server.bind : '';
        const n = portNumber(s.port);
        if (typeof s.port.number === 'number' && !portNumberOk(s)) {
          ctx.report({ path: [...s.path, 'port', 'number'], message: `Port number ${n} must be in the range 1..65535 (0 is only allowed with a unix:// bind).` });
        }
        if (bind.startsWith(UNIX_PREFIX) && n !== 0) {
          ctx.report({ path: [...s.path, 'port', 'number'], message: `Port number must be 0 for a unix domain socket bind (${bind}).` });
        }
        if (targetPortSet(s.port)) {
          ctx.report({ path: [...s.path, 'port', 'targetPort'], target: 'key', message: 'targetPort has no impact on Gateways and is rejected: remove it (the gateway listens on port.number).' });
        }
      }
    },
  },
  {
    code: 'gateway-port-name',
    severity: 'error',
    kinds: ['Gateway'],
    summary: 'port.name must be set and unique across the Gateway\'s servers.',
    source: `${VALIDATION}: validateServerPort, ValidateGateway`,
    check(ctx) {
      const seen = new Set<string>();
      for (const s of serversOf(ctx)) {
        if (!s.port || typeof s.port.name !== 'string') continue; // missing name: schema (required)
        const name = s.port.name;
        const path = [...s.path, 'port', 'name'];
        if (name === '') ctx.report({ path, message: 'Port name must be set (e.g. http, https-443).' });
        else if (seen.has(name)) ctx.report({ path, message: `Port names in servers must be unique: '${name}' is already used by another server; rename it (e.g. ${name}-2).` });
        seen.add(name);
      }
    },
  },
  {
    code: 'gateway-bind-invalid',
    severity: 'error',
    kinds: ['Gateway'],
    summary: 'bind must be an IP address or unix:// followed by an absolute path or @abstract socket.',
    source: `${VALIDATION}: validateServerBind`,
    check(ctx) {
      for (const s of serversOf(ctx)) {
        const bind = s.server.bind;
        if (typeof bind !== 'string' || bind === '') continue;
        let problem: string | undefined;
        if (bind.startsWith(UNIX_PREFIX)) {
          const addr = bind.slice(UNIX_PREFIX.length);
          if (addr === '') problem = 'the unix address must not be empty';
          else if (!addr.startsWith('@') && (!addr.startsWith('/') || addr.endsWith('/'))) problem = `'${addr}' is not an absolute path to a file`;
        } else if (!isIPAddress(bind)) problem = `'${bind}' is not a valid IP address`;
        if (problem) ctx.report({ path: [...s.path, 'bind'], message: `Invalid bind: ${problem}; use an IP such as 0.0.0.0 or unix:///var/run/gw.sock.` });
      }
    },
  },
  {
    code: 'gateway-tls-required',
    severity: 'error',
    kinds: ['Gateway'],
    summary: 'Servers with protocol HTTPS or TLS must have tls settings.',
    source: `${VALIDATION}: validateServer`,
    check(ctx) {
      for (const s of serversOf(ctx)) {
        const p = checkedProtocol(s);
        if (!p || !isTLSProtocol(p) || s.server.tls !== undefined) continue;
        ctx.report({
          path: [...s.path, 'port', 'protocol'],
          message: `Server must have TLS settings for protocol ${String(s.port?.protocol)}: add tls with mode SIMPLE and credentialName (terminate), or mode PASSTHROUGH.`,
        });
      }
    },
  },
  {
    code: 'gateway-tls-on-plaintext',
    severity: 'error',
    kinds: ['Gateway'],
    summary: 'tls settings on a plain-text port: only httpsRedirect (passthrough without certificates) is allowed on HTTP ports, nothing on TCP-like ports.',
    source: `${VALIDATION}: validateServer`,
    check(ctx) {
      for (const s of serversOf(ctx)) {
        const p = checkedProtocol(s);
        const tls = asObj(s.server.tls);
        if (!p || isTLSProtocol(p) || s.server.tls === undefined || s.server.tls === null) continue;
        const proto = String(s.port?.protocol);
        if (isHTTPProtocol(p)) {
          const mode = tls && typeof tls.mode === 'string' && tls.mode !== '' ? tls.mode : 'PASSTHROUGH';
          const passthrough = mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH';
          const fileCerts = tls !== undefined && ['caCertificates', 'privateKey', 'serverCertificate'].some((k) => str(tls, k) !== undefined);
          if (passthrough && !fileCerts) continue;
          ctx.report({
            path: [...s.path, 'tls'],
            target: 'key',
            message: `Server cannot have TLS settings for plain text ${proto} ports: only tls.httpsRedirect is allowed here. Use protocol HTTPS to terminate TLS on this port.`,
          });
        } else {
          ctx.report({
            path: [...s.path, 'tls'],
            target: 'key',
            message: `Server cannot have TLS settings for non-HTTPS/TLS ports (protocol ${proto}): use protocol TLS or HTTPS, or remove tls.`,
          });
        }
      }
    },
  },
  {
    code: 'gateway-https-redirect-non-http',
    severity: 'warning',
    kinds: ['Gateway'],
    summary: 'tls.httpsRedirect only makes sense on HTTP servers (istiod warns).',
    source: `${VALIDATION}: ValidateGateway`,
    check(ctx) {
      for (const s of serversOf(ctx)) {
        const tls = asObj(s.server.tls);
        if (!s.port || tls?.httpsRedirect !== true) continue;
        const p = parseProtocol(typeof s.port.protocol === 'string' ? s.port.protocol : '');
        if (isHTTPProtocol(p)) continue;
        ctx.report({
          path: [...s.path, 'tls', 'httpsRedirect'],
          target: 'key',
          message: `tls.httpsRedirect should only be used with HTTP servers; this server's protocol is ${String(s.port.protocol)}. Put httpsRedirect on a separate port 80 HTTP server.`,
        });
      }
    },
  },
]);
