/**
 * DestinationRule rules: what istiod's webhook decides (pkg/config/validation/validation.go:
 * ValidateDestinationRule, validateTrafficPolicy, validatePortTrafficPolicies,
 * validateOutlierDetection, validateConnectionPool, validateLoadBalancer, validateSubset,
 * validateExportTo; agent/validation.go: ValidateLocalityLbSetting). Client TLS is in
 * common/tls.ts, subset labels and workloadSelector in common/workload.ts; durations below 1ms
 * and numeric bounds are the schema validator's (CEL rules, minimum/maximum).
 */
import type { Path } from '../model/locate';
import { defineRules, type RuleContext } from './rule';
import { asObj, hasItems, isSet, objItems, stringItems, type Obj } from './common/workload';
import { firstKeyAnchor, reportExportTo, isDNS1123Label, fqdnProblem, wildcardDomainProblem } from './common/hosts';
import { isIPAddress } from './common/net';
import { durationProblem } from './common/durations';
import { trafficPoliciesOf, type PolicyAt } from './common/tls';

const VALIDATION = 'pkg/config/validation/validation.go';
const AGENT = 'pkg/config/validation/agent/validation.go';

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** Fields whose presence makes a TrafficPolicy non-empty. */
const POLICY_FIELDS = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls', 'portLevelSettings', 'tunnel', 'proxyProtocol', 'retryBudget'];
const PORT_POLICY_FIELDS = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls'];

const isPortLevel = (p: PolicyAt): boolean => p.path[p.path.length - 2] === 'portLevelSettings';

/** The (sub-)policies istiod runs validateOutlierDetection/ConnectionPool/LoadBalancer on. */
function checkedPolicies(ctx: RuleContext): PolicyAt[] {
  return trafficPoliciesOf(ctx).filter((p) => {
    const fields = isPortLevel(p) ? PORT_POLICY_FIELDS : POLICY_FIELDS;
    if (!fields.some((f) => isSet(p.policy, f))) return false;
    return isPortLevel(p) || !(isSet(p.policy, 'tunnel') && isSet(p.policy, 'proxyProtocol'));
  });
}

function sub(p: PolicyAt, key: string): { obj: Obj; path: Path } | undefined {
  const obj = asObj(p.policy[key]);
  return obj ? { obj, path: [...p.path, key] } : undefined;
}

export const destinationRuleRules = defineRules([
  {
    code: 'dr-host-invalid',
    severity: 'error',
    kinds: ['DestinationRule'],
    summary: 'host is not a valid FQDN, short name, or wildcard domain.',
    source: `${AGENT}: ValidateWildcardDomain`,
    check(ctx) {
      const host = ctx.resource.spec.host;
      if (typeof host !== 'string') return;
      const problem = wildcardDomainProblem(host);
      if (problem) ctx.report({ path: ['spec', 'host'], message: `Host ${problem}. Use a service name such as reviews, reviews.prod.svc.cluster.local or *.example.com.` });
    },
  },
  {
    code: 'dr-traffic-policy-empty',
    severity: 'error',
    kinds: ['DestinationRule'],
    summary: 'A trafficPolicy (or port-level setting) with no settings, or a port-level setting without a port.',
    source: `${VALIDATION}: validateTrafficPolicy, validatePortTrafficPolicies`,
    check(ctx) {
      for (const p of trafficPoliciesOf(ctx)) {
        const level = isPortLevel(p);
        if (level && !isSet(p.policy, 'port')) ctx.report({ ...firstKeyAnchor(p.policy, p.path), message: 'A port-level traffic policy must have a port (e.g. port: {number: 80}).' });
        const fields = level ? PORT_POLICY_FIELDS : POLICY_FIELDS;
        if (fields.some((f) => isSet(p.policy, f))) continue;
        ctx.report({
          ...(level ? firstKeyAnchor(p.policy, p.path) : { path: p.path, target: 'key' as const }),
          message: `${level ? 'A port traffic policy' : 'trafficPolicy'} must have at least one of ${fields.join(', ')}; remove it if it is not needed.`,
        });
      }
    },
  },
  {
    code: 'dr-tunnel-invalid',
    severity: 'error',
    kinds: ['DestinationRule'],
    summary: 'tunnel with proxyProtocol, a tunnel protocol other than CONNECT/POST, an invalid targetHost or targetPort, or proxyProtocol.version other than V1/V2.',
    source: `${VALIDATION}: validateTrafficPolicy, validateTunnelSettings, validateProxyProtocol`,
    check(ctx) {
      for (const p of trafficPoliciesOf(ctx)) {
        if (isPortLevel(p)) continue;
        const tunnel = sub(p, 'tunnel');
        if (tunnel && isSet(p.policy, 'proxyProtocol')) {
          ctx.report({ path: [...p.path, 'proxyProtocol'], target: 'key', message: 'tunnel and proxyProtocol must not be set together; keep one.' });
          continue;
        }
        if (!tunnel) continue;
        const proto = tunnel.obj.protocol;
        if (typeof proto === 'string' && proto !== '' && proto !== 'CONNECT' && proto !== 'POST') {
          ctx.report({ path: [...tunnel.path, 'protocol'], message: `Tunnel protocol '${proto}' is invalid: it must be "CONNECT" or "POST".` });
        }
        const host = tunnel.obj.targetHost;
        if (typeof host === 'string' && fqdnProblem(host) && !isIPAddress(host)) {
          ctx.report({ path: [...tunnel.path, 'targetHost'], message: `Tunnel targetHost '${host}' must be a valid FQDN or IP address.` });
        }
        const port = num(tunnel.obj.targetPort);
        if (port !== undefined && (port < 1 || port > 65535)) ctx.report({ path: [...tunnel.path, 'targetPort'], message: `Tunnel targetPort ${port} must be in the range 1..65535.` });
      }
    },
  },
  {
    code: 'dr-outlier-detection-invalid',
    severity: 'error',
    kinds: ['DestinationRule'],
    summary: 'consecutiveLocalOriginFailures without splitExternalLocalOriginErrors, or a percent outside 0-100.',
    source: `${VALIDATION}: validateOutlierDetection`,
    check(ctx) {
      for (const p of checkedPolicies(ctx)) {
        const od = sub(p, 'outlierDetection');
        if (!od) continue;
        const lof = num(od.obj.consecutiveLocalOriginFailures) ?? 0;
        if (od.obj.splitExternalLocalOriginErrors !== true && lof > 0) {
          ctx.report({ path: [...od.path, 'consecutiveLocalOriginFailures'], target: 'key', message: 'consecutiveLocalOriginFailures only applies with splitExternalLocalOriginErrors: true; set it, or remove consecutiveLocalOriginFailures.' });
        }
        for (const key of ['maxEjectionPercent', 'minHealthPercent']) {
          const v = num(od.obj[key]);
          if (v !== undefined && (v < 0 || v > 100)) ctx.report({ path: [...od.path, key], message: `${key} ${v} is not in range 0..100.` });
        }
        for (const [key, opts] of [['baseEjectionTime', {}], ['interval', {}]] as const) {
          const v = od.obj[key];
          const problem = typeof v === 'string' ? durationProblem(key, v, opts) : undefined;
          if (problem) ctx.report({ path: [...od.path, key], message: problem });
        }
      }
    },
  },
  {
    code: 'dr-outlier-consecutive-errors-deprecated',
    severity: 'warning',
    kinds: ['DestinationRule'],
    summary: 'outlierDetection.consecutiveErrors is deprecated (istiod warns); use consecutive5xxErrors or consecutiveGatewayErrors.',
    source: `${VALIDATION}: validateOutlierDetection`,
    check(ctx) {
      for (const p of checkedPolicies(ctx)) {
        const od = sub(p, 'outlierDetection');
        if (!od || !num(od.obj.consecutiveErrors)) continue;
        ctx.report({ path: [...od.path, 'consecutiveErrors'], target: 'key', tags: ['deprecated'], message: 'consecutiveErrors is deprecated; use consecutive5xxErrors (or consecutiveGatewayErrors for 502/503/504 only).' });
      }
    },
  },
  {
    code: 'dr-connection-pool-invalid',
    severity: 'error',
    kinds: ['DestinationRule'],
    summary: 'connectionPool without http or tcp, negative limits, useClientProtocol with h2UpgradePolicy UPGRADE, or durations at sub-millisecond precision.',
    source: `${VALIDATION}: validateConnectionPool`,
    check(ctx) {
      for (const p of checkedPolicies(ctx)) {
        const cp = sub(p, 'connectionPool');
        if (!cp) continue;
        const http = asObj(cp.obj.http);
        const tcp = asObj(cp.obj.tcp);
        if (!http && !tcp) {
          ctx.report({ path: cp.path, target: 'key', message: 'connectionPool must have at least one of http or tcp.' });
          continue;
        }
        const negative = (obj: Obj, base: Path, keys: string[]): void => {
          for (const key of keys) {
            const v = num(obj[key]);
            if (v !== undefined && v < 0) ctx.report({ path: [...base, key], message: `${key} must be non-negative (it is ${v}).` });
          }
        };
        const durations = (obj: Obj, base: Path, keys: Array<[string, Parameters<typeof durationProblem>[2]]>): void => {
          for (const [key, opts] of keys) {
            const v = obj[key];
            const problem = typeof v === 'string' ? durationProblem(key, v, opts) : undefined;
            if (problem) ctx.report({ path: [...base, key], message: problem });
          }
        };
        if (http) {
          const base = [...cp.path, 'http'];
          negative(http, base, ['http1MaxPendingRequests', 'http2MaxRequests', 'maxRequestsPerConnection', 'maxRetries', 'maxConcurrentStreams']);
          durations(http, base, [['idleTimeout', {}]]);
          if (http.h2UpgradePolicy === 'UPGRADE' && http.useClientProtocol === true) {
            ctx.report({ path: [...base, 'useClientProtocol'], message: 'useClientProtocol must not be true when h2UpgradePolicy is UPGRADE; remove one of them.' });
          }
        }
        if (tcp) {
          const base = [...cp.path, 'tcp'];
          negative(tcp, base, ['maxConnections']);
          durations(tcp, base, [['connectTimeout', {}], ['maxConnectionDuration', {}], ['idleTimeout', { checkMinimum: true, allowZero: true }]]);
          const ka = asObj(tcp.tcpKeepalive);
          if (ka) durations(ka, [...base, 'tcpKeepalive'], [['time', {}], ['interval', {}]]);
        }
      }
    },
  },
  {
    code: 'dr-load-balancer-invalid',
    severity: 'error',
    kinds: ['DestinationRule'],
    summary: 'consistentHash problems (empty or duplicate cookie names, minimumRingSize with ringHash/maglev, maglev tableSize) or warmup aggression below 1.',
    source: `${VALIDATION}: validateLoadBalancer`,
    check(ctx) {
      for (const p of checkedPolicies(ctx)) {
        const lb = sub(p, 'loadBalancer');
        if (!lb) continue;
        const ch = asObj(lb.obj.consistentHash);
        if (ch) {
          const base = [...lb.path, 'consistentHash'];
          const cookie = asObj(ch.httpCookie);
          if (cookie && cookie.name === '') ctx.report({ path: [...base, 'httpCookie', 'name'], message: 'httpCookie.name is required (e.g. user-session).' });
          const names = new Set<string>();
          for (const { item, index } of objItems(cookie?.attributes)) {
            const name = typeof item.name === 'string' ? item.name : '';
            const at = [...base, 'httpCookie', 'attributes', index, 'name'];
            if (name === '') ctx.report({ path: at, message: 'A cookie attribute name cannot be empty.' });
            else if (names.has(name)) ctx.report({ path: at, message: `Duplicate cookie attribute name '${name}'.` });
            names.add(name);
          }
          if (num(ch.minimumRingSize) && (isSet(ch, 'ringHash') || isSet(ch, 'maglev'))) {
            ctx.report({ path: [...base, 'minimumRingSize'], target: 'key', message: 'Only one of minimumRingSize or ringHash/maglev can be set; move the value to ringHash.minimumRingSize.' });
          }
          const maglev = asObj(ch.maglev);
          if (maglev) {
            const size = num(maglev.tableSize) ?? 0;
            const path = isSet(maglev, 'tableSize') ? [...base, 'maglev', 'tableSize'] : [...base, 'maglev'];
            const target = isSet(maglev, 'tableSize') ? 'value' : 'key';
            if (size === 0) ctx.report({ path, target, message: 'maglev.tableSize must be set (a prime number such as 65537).' });
            else if (size >= 5000011) ctx.report({ path, target, message: `maglev.tableSize ${size} must be less than 5000011.` });
            else if (!isPrime(size)) ctx.report({ path, target, message: `maglev.tableSize ${size} must be a prime number (e.g. 65537).` });
          }
        }
        const warmup = asObj(lb.obj.warmup);
        const aggression = num(warmup?.aggression);
        if (aggression !== undefined && aggression < 1) ctx.report({ path: [...lb.path, 'warmup', 'aggression'], message: `warmup.aggression ${aggression} must be greater than or equal to 1.` });
        const wd = warmup?.duration;
        const wdProblem = typeof wd === 'string' ? durationProblem('warmup.duration', wd) : undefined;
        if (wdProblem) ctx.report({ path: [...lb.path, 'warmup', 'duration'], message: wdProblem });
      }
    },
  },
  {
    code: 'dr-min-ring-size-deprecated',
    severity: 'warning',
    kinds: ['DestinationRule'],
    summary: 'consistentHash.minimumRingSize is deprecated (istiod warns); use consistentHash.ringHash.minimumRingSize.',
    source: `${VALIDATION}: validateLoadBalancer`,
    check(ctx) {
      for (const p of checkedPolicies(ctx)) {
        const ch = asObj(asObj(p.policy.loadBalancer)?.consistentHash);
        if (!ch || !num(ch.minimumRingSize)) continue;
        ctx.report({ path: [...p.path, 'loadBalancer', 'consistentHash', 'minimumRingSize'], target: 'key', tags: ['deprecated'], message: 'minimumRingSize is deprecated; use ringHash: {minimumRingSize: <n>} instead.' });
      }
    },
  },
  {
    code: 'dr-locality-invalid',
    severity: 'error',
    kinds: ['DestinationRule'],
    summary: 'localityLbSetting: distribute with failover, failover with topology labels in failoverPriority, weights not summing to 100, bad failover regions.',
    source: `${AGENT}: ValidateLocalityLbSetting`,
    check(ctx) {
      for (const p of checkedPolicies(ctx)) {
        const loc = asObj(asObj(p.policy.loadBalancer)?.localityLbSetting);
        if (!loc) continue;
        const base = [...p.path, 'loadBalancer', 'localityLbSetting'];
        const problem = localityProblem(loc, base);
        if (problem) ctx.report(problem);
      }
    },
  },
  {
    code: 'dr-locality-needs-outlier',
    severity: 'warning',
    kinds: ['DestinationRule'],
    summary: 'Locality failover only works with outlierDetection in the same traffic policy (istiod warns).',
    source: `${AGENT}: ValidateLocalityLbSetting`,
    check(ctx) {
      for (const p of checkedPolicies(ctx)) {
        const loc = asObj(asObj(p.policy.loadBalancer)?.localityLbSetting);
        if (!loc || isSet(p.policy, 'outlierDetection') || (hasItems(loc, 'distribute') && hasItems(loc, 'failover'))) continue;
        if (!hasItems(loc, 'failover') && !hasItems(loc, 'failoverPriority')) continue;
        ctx.report({ path: [...p.path, 'loadBalancer', 'localityLbSetting'], target: 'key', message: 'Locality failover needs an outlierDetection policy in the same trafficPolicy; without it, endpoints are never marked unhealthy and traffic never fails over.' });
      }
    },
  },
  {
    code: 'dr-subset-invalid',
    severity: 'error',
    kinds: ['DestinationRule'],
    summary: 'A subset name is empty, not a DNS-1123 label, or used twice.',
    source: `${VALIDATION}: ValidateDestinationRule, validateSubsetName`,
    check(ctx) {
      const seen = new Set<string>();
      for (const { item, index } of objItems(ctx.resource.spec.subsets)) {
        if (typeof item.name !== 'string') continue;
        const path = ['spec', 'subsets', index, 'name'];
        if (seen.has(item.name)) ctx.report({ path, message: `Duplicate subset name '${item.name}'; subset names must be unique.` });
        seen.add(item.name);
        if (item.name === '') ctx.report({ path, message: 'A subset name cannot be empty (e.g. v1).' });
        else if (!isDNS1123Label(item.name)) ctx.report({ path, message: `Subset name '${item.name}' is invalid: use a DNS-1123 label (lower-case letters, digits and "-", e.g. v1).` });
      }
    },
  },
  {
    code: 'dr-export-to-invalid',
    severity: 'error',
    kinds: ['DestinationRule'],
    summary: "exportTo entries must be '.', '*' or namespace names without duplicates; with workloadSelector, only the DestinationRule's own namespace.",
    source: `${VALIDATION}: validateExportTo`,
    check(ctx) {
      reportExportTo(ctx, false);
      const ns = ctx.resource.namespace ?? ctx.settings.defaultNamespace;
      const list = stringItems(ctx.resource.spec.exportTo);
      if (!asObj(ctx.resource.spec.workloadSelector) || list.length === 0) return;
      const keys = new Set(list.map(({ value }) => (value === '.' ? ns : value)).filter((v) => v === '*' || v === ns || isDNS1123Label(v)));
      if (keys.size === 0) return;
      if (!keys.has(ns)) {
        ctx.report({ path: ['spec', 'exportTo'], target: 'key', message: `A DestinationRule with workloadSelector cannot have exportTo beyond its own namespace: use exportTo: ['.'] (namespace ${ns}).` });
      } else if (keys.size > 1) {
        ctx.report({ path: ['spec', 'exportTo'], target: 'key', message: `A DestinationRule with workloadSelector cannot have multiple exportTo entries: use exportTo: ['.'] only.` });
      }
    },
  },
]);

/** Envoy's isPrime, as istiod uses it for maglev.tableSize. */
function isPrime(x: number): boolean {
  if (x !== 0 && x < 4) return true;
  if (x % 2 === 0) return false;
  const limit = Math.floor(Math.sqrt(x));
  for (let f = 3; f <= limit; f += 2) if (x % f === 0) return false;
  return true;
}

const TOPOLOGY_LABELS = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone'];

/** The first problem ValidateLocalityLbSetting reports (it stops at most of them). */
function localityProblem(loc: Obj, base: Path): { path: Path; message: string; target?: 'key' } | undefined {
  if (hasItems(loc, 'distribute') && hasItems(loc, 'failover')) {
    return { path: [...base, 'failover'], target: 'key', message: "localityLbSetting cannot specify both 'distribute' and 'failover'; keep one." };
  }
  if (hasItems(loc, 'failover')) {
    for (const { value, index } of stringItems(loc.failoverPriority)) {
      if (TOPOLOGY_LABELS.includes(value)) {
        return { path: [...base, 'failoverPriority', index], message: `failoverPriority cannot use the topology label '${value}' together with 'failover'; remove one.` };
      }
    }
  }
  for (const { item, index } of objItems(loc.distribute)) {
    const to = asObj(item.to) ?? {};
    let total = 0;
    for (const [key, w] of Object.entries(to)) {
      const weight = num(w) ?? 0;
      if (weight <= 0 || weight > 100) return { path: [...base, 'distribute', index, 'to', key], message: `Locality weight ${weight} must be in range [1, 100].` };
      total += weight;
    }
    if (total !== 100) return { path: [...base, 'distribute', index, 'to'], target: 'key', message: `Total locality weight is ${total}; the weights in 'to' must sum to 100.` };
  }
  for (const { item, index } of objItems(loc.failover)) {
    const from = typeof item.from === 'string' ? item.from : '';
    const to = typeof item.to === 'string' ? item.to : '';
    const at = [...base, 'failover', index];
    if (from === to) return { path: [...at, 'to'], message: 'Locality failover must specify different regions in from and to.' };
    if (from.includes('/') || to.includes('/')) return { path: at, message: 'Locality failover only specifies regions (no zone/subzone after "/").' };
    if (from.includes('*') || to.includes('*')) return { path: at, message: "A locality failover region must not contain the '*' wildcard." };
  }
  return undefined;
}
