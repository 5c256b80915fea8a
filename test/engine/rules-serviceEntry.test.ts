import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFirstFix, describeRealWorld, describeRuleCases, expectFinding, expectNoFinding, type RuleCase } from '../helpers/ruleAssert';

const se = (spec: string, labels = ''): string =>
  `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: ext\n  namespace: default\n${labels}spec:\n${spec}`;
const https = '  ports:\n  - number: 443\n    name: https\n    protocol: TLS\n';

const cases: Array<[RuleCase, string]> = [
  [{ name: 'invalid host', yaml: se(`  hosts:\n  - api.example..com\n${https}  resolution: DNS\n`), code: 'se-host-invalid', severity: 'error', at: 'api.example..com' }, se(`  hosts:\n  - api.example.com\n${https}  resolution: DNS\n`)],
  [{ name: 'partial wildcard with DNS', yaml: se(`  hosts:\n  - "*x.example.com"\n${https}  resolution: NONE\n`), code: 'se-host-partial-wildcard', severity: 'warning', at: '"*x.example.com"' }, se(`  hosts:\n  - "*.example.com"\n${https}  resolution: NONE\n`)],
  [{ name: 'host name in addresses', yaml: se(`  hosts:\n  - db.internal\n  addresses:\n  - db.internal\n${https}  resolution: STATIC\n  endpoints:\n  - address: 10.0.0.1\n`), code: 'se-address-invalid', severity: 'error', at: 'db.internal', occurrence: 1 }, se(`  hosts:\n  - db.internal\n  addresses:\n  - 10.0.0.0/24\n${https}  resolution: STATIC\n  endpoints:\n  - address: 10.0.0.1\n`)],
  [{ name: 'upper-case port name', yaml: se('  hosts:\n  - a.com\n  ports:\n  - number: 80\n    name: HTTP_web\n    protocol: HTTP\n  resolution: DNS\n'), code: 'se-port-invalid', severity: 'error', at: 'HTTP_web' }, se('  hosts:\n  - a.com\n  ports:\n  - number: 80\n    name: http-web\n    protocol: http\n  resolution: DNS\n')],
  [{ name: 'TCP without addresses, resolution NONE', yaml: se('  hosts:\n  - a.com\n  ports:\n  - number: 5432\n    name: pg\n    protocol: TCP\n'), code: 'se-tcp-needs-address', severity: 'warning', at: 'TCP' }, se('  hosts:\n  - a.com\n  ports:\n  - number: 5432\n    name: pg\n    protocol: TCP\n  resolution: DNS\n')],
  [{ name: 'workloadSelector with NONE', yaml: se(`  hosts:\n  - a.com\n${https}  workloadSelector:\n    labels:\n      app: a\n`), code: 'se-none-workload-selector', severity: 'warning', at: 'workloadSelector' }, se(`  hosts:\n  - a.com\n${https}  resolution: STATIC\n  workloadSelector:\n    labels:\n      app: a\n`)],
  [{ name: 'STATIC with a host name endpoint', yaml: se(`  hosts:\n  - a.com\n${https}  resolution: STATIC\n  endpoints:\n  - address: db.example.com\n`), code: 'se-endpoint-invalid', severity: 'error', at: 'db.example.com' }, se(`  hosts:\n  - a.com\n${https}  resolution: DNS\n  endpoints:\n  - address: db.example.com\n    ports:\n      https: 8443\n`)],
  [{ name: 'endpoint port not defined', yaml: se(`  hosts:\n  - a.com\n${https}  resolution: STATIC\n  endpoints:\n  - address: 10.0.0.1\n    ports:\n      http: 8080\n`), code: 'se-endpoint-invalid', severity: 'error', at: 'http', occurrence: 1 }, se(`  hosts:\n  - a.com\n${https}  resolution: STATIC\n  endpoints:\n  - address: 10.0.0.1\n    ports:\n      https: 8443\n`)],
  [{ name: 'wildcard with DNS and no endpoints', yaml: se(`  hosts:\n  - "*.example.com"\n${https}  resolution: DNS\n`), code: 'se-dns-host-not-fqdn', severity: 'error', at: '"*.example.com"' }, se(`  hosts:\n  - "*.example.com"\n${https}  resolution: DYNAMIC_DNS\n`)],
  [{ name: 'DYNAMIC_DNS with a plain host', yaml: se(`  hosts:\n  - api.example.com\n${https}  resolution: DYNAMIC_DNS\n`), code: 'se-dynamic-dns-invalid', severity: 'error', at: 'api.example.com' }, se(`  hosts:\n  - "*.example.com"\n${https}  resolution: DYNAMIC_DNS\n  location: MESH_EXTERNAL\n`)],
  [{ name: 'two hosts on a TCP port', yaml: se('  hosts:\n  - a.com\n  - b.com\n  ports:\n  - number: 5432\n    name: pg\n    protocol: TCP\n  resolution: DNS\n'), code: 'se-multiple-hosts-tcp', severity: 'error', at: 'TCP' }, se(`  hosts:\n  - a.com\n  - b.com\n${https}  resolution: DNS\n`)],
  [{ name: 'addresses, TCP and two hosts', yaml: se('  hosts:\n  - a.com\n  - b.com\n  addresses:\n  - 240.0.0.1\n  ports:\n  - number: 443\n    name: tls\n    protocol: TLS\n  resolution: DNS\n'), code: 'se-address-multiple-hosts', severity: 'warning', at: 'hosts' }, se('  hosts:\n  - a.com\n  addresses:\n  - 240.0.0.1\n  ports:\n  - number: 443\n    name: tls\n    protocol: TLS\n  resolution: DNS\n')],
  [{ name: '~ with other entries', yaml: se(`  hosts:\n  - a.com\n${https}  resolution: DNS\n  exportTo:\n  - "~"\n  - "."\n`), code: 'se-export-to-invalid', severity: 'error', at: '"~"' }, se(`  hosts:\n  - a.com\n${https}  resolution: DNS\n  exportTo:\n  - "~"\n`)],
];

describeRuleCases('ServiceEntry rules', cases);

describe('ServiceEntry rules: details', () => {

  it('suggests the closest protocol', () => {
    const yaml = se('  hosts:\n  - a.com\n  ports:\n  - number: 80\n    name: http\n    protocol: HTTTP\n  resolution: DNS\n');
    const fixed = applyFirstFix(yaml, expectFinding(yaml, { code: 'se-port-invalid', severity: 'error', at: 'HTTTP' }));
    assert.match(fixed, /protocol: HTTP\n/);
  });

  it('does not warn about TCP ports when the ServiceEntry gets an auto-allocated address', () => {
    expectNoFinding(se('  hosts:\n  - a.com\n  ports:\n  - number: 5432\n    name: pg\n  resolution: DNS\n'), 'se-tcp-needs-address');
    const optedOut = se('  hosts:\n  - a.com\n  ports:\n  - number: 5432\n    name: pg\n  resolution: DNS\n', '  labels:\n    networking.istio.io/enable-autoallocate-ip: "false"\n');
    expectFinding(optedOut, { code: 'se-tcp-needs-address', severity: 'warning', at: '5432' });
  });
});

describeRealWorld('ServiceEntry rules', /^se-/);
