import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFirstFix, describeRealWorld, describeRuleCases, expectFinding, expectNoFinding, findingsOf, type RuleCase } from '../helpers/ruleAssert';

const gw = (servers: string, name = 'my-gw'): string =>
  `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    istio: ingressgateway\n${servers}`;

const server = (port: string, extra = '', hosts = '    - "*"\n'): string => `  servers:\n  - port:\n${port}    hosts:\n${hosts}${extra}`;
const http80 = '      number: 80\n      name: http\n      protocol: HTTP\n';
const https443 = '      number: 443\n      name: https\n      protocol: HTTPS\n';

/** Each rejected manifest is followed by the accepted variant that fixes it. */
const cases: Array<[RuleCase, string]> = [
  [
    { name: 'name with dots', yaml: gw(server(http80), 'my.gateway'), code: 'gateway-name-invalid', severity: 'error', at: 'my.gateway' },
    gw(server(http80), 'my-gateway'),
  ],
  [{ name: 'no servers', yaml: gw('  servers: []\n'), code: 'gateway-no-servers', severity: 'error', at: 'servers' }, gw(server(http80))],
  [{ name: 'server without hosts', yaml: gw(server(http80, '', '').replace('hosts:\n', 'hosts: []\n')), code: 'gateway-server-no-hosts', severity: 'error', at: 'hosts' }, gw(server(http80))],
  [{ name: 'short host name', yaml: gw(server(http80, '', '    - foo\n')), code: 'gateway-host-invalid', severity: 'error', at: 'foo' }, gw(server(http80, '', '    - foo.example.com\n'))],
  [{ name: 'partial wildcard', yaml: gw(server(http80, '', '    - "*foo.com"\n')), code: 'gateway-host-invalid', severity: 'error', at: '"*foo.com"' }, gw(server(http80, '', '    - "*.foo.com"\n'))],
  [{ name: 'bad namespace', yaml: gw(server(http80, '', '    - "Prod_ns/foo.com"\n')), code: 'gateway-host-invalid', severity: 'error', at: '"Prod_ns/foo.com"' }, gw(server(http80, '', '    - "prod/foo.com"\n    - "./foo.com"\n    - "*/foo.com"\n    - "ns/*"\n    - "10.0.0.1"\n'))],
  [
    { name: 'unknown protocol', yaml: gw(server('      number: 80\n      name: http\n      protocol: HTPP\n')), code: 'gateway-protocol-invalid', severity: 'error', at: 'HTPP' },
    gw(server('      number: 80\n      name: http\n      protocol: http\n')),
  ],
  [{ name: 'port 0', yaml: gw(server('      number: 0\n      name: http\n      protocol: HTTP\n')), code: 'gateway-port-invalid', severity: 'error', at: '0' , occurrence: 0 }, gw(server(http80))],
  [
    { name: 'targetPort', yaml: gw(server('      number: 80\n      targetPort: 8080\n      name: http\n      protocol: HTTP\n')), code: 'gateway-port-invalid', severity: 'error', at: 'targetPort' },
    gw(server('      number: 0\n      name: uds\n      protocol: HTTP\n', '    bind: unix:///var/run/gw.sock\n')),
  ],
  [
    { name: 'duplicate port name', yaml: gw(server(http80) + '  - port:\n      number: 8080\n      name: http\n      protocol: HTTP\n    hosts:\n    - "*"\n'), code: 'gateway-port-name', severity: 'error', at: 'http', occurrence: 1 },
    gw(server(http80) + '  - port:\n      number: 8080\n      name: http-alt\n      protocol: HTTP\n    hosts:\n    - "*"\n'),
  ],
  [{ name: 'bind not an IP', yaml: gw(server(http80, '    bind: localhost\n')), code: 'gateway-bind-invalid', severity: 'error', at: 'localhost' }, gw(server(http80, '    bind: 127.0.0.1\n'))],
  [{ name: 'HTTPS without tls', yaml: gw(server(https443)), code: 'gateway-tls-required', severity: 'error', at: 'HTTPS' }, gw(server(https443, '    tls:\n      mode: SIMPLE\n      credentialName: my-cert\n'))],
  [
    { name: 'certificates on an HTTP port', yaml: gw(server(http80, '    tls:\n      mode: SIMPLE\n      credentialName: my-cert\n')), code: 'gateway-tls-on-plaintext', severity: 'error', at: 'tls' },
    gw(server(http80, '    tls:\n      httpsRedirect: true\n')),
  ],
  [
    { name: 'tls on a TCP port', yaml: gw(server('      number: 31400\n      name: tcp\n      protocol: TCP\n', '    tls:\n      mode: PASSTHROUGH\n')), code: 'gateway-tls-on-plaintext', severity: 'error', at: 'tls' },
    gw(server('      number: 31400\n      name: tls\n      protocol: TLS\n', '    tls:\n      mode: PASSTHROUGH\n')),
  ],
  [
    { name: 'httpsRedirect on HTTPS', yaml: gw(server(https443, '    tls:\n      httpsRedirect: true\n      mode: SIMPLE\n      credentialName: c\n')), code: 'gateway-https-redirect-non-http', severity: 'warning', at: 'httpsRedirect' },
    gw(server(https443, '    tls:\n      mode: SIMPLE\n      credentialName: c\n')),
  ],
  // TLS options (common/tls.ts, server side).
  [
    { name: 'invalid cipher', yaml: gw(server(https443, '    tls:\n      mode: SIMPLE\n      credentialName: c\n      cipherSuites:\n      - ECDHE-RSA-AES128-GCM-SHA257\n')), code: 'tls-cipher-suite-invalid', severity: 'warning', at: 'ECDHE-RSA-AES128-GCM-SHA257' },
    gw(server(https443, '    tls:\n      mode: SIMPLE\n      credentialName: c\n      cipherSuites:\n      - ECDHE-RSA-AES128-GCM-SHA256\n      - "-AES128-SHA"\n')),
  ],
  [
    { name: 'duplicate cipher', yaml: gw(server(https443, '    tls:\n      mode: SIMPLE\n      credentialName: c\n      cipherSuites:\n      - AES128-SHA\n      - AES128-SHA\n')), code: 'tls-cipher-suite-duplicate', severity: 'warning', at: 'AES128-SHA', occurrence: 1 },
    gw(server(https443, '    tls:\n      mode: SIMPLE\n      credentialName: c\n      cipherSuites:\n      - AES128-SHA\n')),
  ],
  [
    { name: 'TLS 1.0 without ciphers', yaml: gw(server(https443, '    tls:\n      mode: SIMPLE\n      credentialName: c\n      minProtocolVersion: TLSV1_0\n')), code: 'tls-legacy-version-ciphers', severity: 'warning', at: 'TLSV1_0' },
    gw(server(https443, '    tls:\n      mode: SIMPLE\n      credentialName: c\n      minProtocolVersion: TLSV1_0\n      cipherSuites: [ECDHE-RSA-AES128-SHA]\n')),
  ],
  [
    { name: 'min above max', yaml: gw(server(https443, '    tls:\n      mode: SIMPLE\n      credentialName: c\n      minProtocolVersion: TLSV1_3\n      maxProtocolVersion: TLSV1_2\n')), code: 'tls-version-range', severity: 'warning', at: 'TLSV1_3' },
    gw(server(https443, '    tls:\n      mode: SIMPLE\n      credentialName: c\n      minProtocolVersion: TLSV1_2\n      maxProtocolVersion: TLSV1_3\n')),
  ],
  [
    { name: 'ISTIO_MUTUAL with credentialName', yaml: gw(server(https443, '    tls:\n      mode: ISTIO_MUTUAL\n      credentialName: c\n')), code: 'tls-istio-mutual-certificates', severity: 'error', at: 'credentialName' },
    gw(server(https443, '    tls:\n      mode: ISTIO_MUTUAL\n')),
  ],
  [
    { name: 'PASSTHROUGH with certificates', yaml: gw(server(https443, '    tls:\n      mode: PASSTHROUGH\n      credentialName: c\n')), code: 'tls-passthrough-certificates', severity: 'warning', at: 'PASSTHROUGH' },
    gw(server(https443, '    tls:\n      mode: PASSTHROUGH\n')),
  ],
  [
    { name: 'credentialName and file certificates', yaml: gw(server(https443, '    tls:\n      mode: SIMPLE\n      serverCertificate: /etc/istio/certs/tls.crt\n      privateKey: /etc/istio/certs/tls.key\n      credentialName: c\n')), code: 'tls-certificate-source-conflict', severity: 'error', at: 'credentialName' },
    gw(server(https443, '    tls:\n      mode: SIMPLE\n      serverCertificate: /etc/istio/certs/tls.crt\n      privateKey: /etc/istio/certs/tls.key\n')),
  ],
  [
    { name: 'MUTUAL without CA', yaml: gw(server(https443, '    tls:\n      mode: MUTUAL\n      serverCertificate: /etc/istio/certs/tls.crt\n      privateKey: /etc/istio/certs/tls.key\n')), code: 'tls-mutual-needs-ca', severity: 'error', at: 'MUTUAL' },
    gw(server(https443, '    tls:\n      mode: MUTUAL\n      credentialName: c\n')),
  ],
  [
    { name: 'SIMPLE without certificate', yaml: gw(server(https443, '    tls:\n      mode: SIMPLE\n      privateKey: /etc/istio/certs/tls.key\n')), code: 'tls-needs-server-certificate', severity: 'error', at: 'SIMPLE' },
    gw(server(https443, '    tls:\n      mode: SIMPLE\n      tlsCertificates:\n      - serverCertificate: /etc/istio/a.crt\n        privateKey: /etc/istio/a.key\n')),
  ],
  [
    { name: 'CRL with SIMPLE', yaml: gw(server(https443, '    tls:\n      mode: SIMPLE\n      serverCertificate: /etc/istio/a.crt\n      privateKey: /etc/istio/a.key\n      caCrl: /etc/istio/crl.pem\n')), code: 'tls-crl-unsupported', severity: 'error', at: 'caCrl' },
    gw(server(https443, '    tls:\n      mode: MUTUAL\n      serverCertificate: /etc/istio/a.crt\n      privateKey: /etc/istio/a.key\n      caCertificates: /etc/istio/ca.crt\n      caCrl: /etc/istio/crl.pem\n')),
  ],
  [
    { name: 'certificate path typo /ect', yaml: gw(server(https443, '    tls:\n      mode: SIMPLE\n      serverCertificate: /ect/istio/a.crt\n      privateKey: /etc/istio/a.key\n')), code: 'tls-certificate-path', severity: 'warning', at: '/ect/istio/a.crt' },
    gw(server(https443, '    tls:\n      mode: SIMPLE\n      serverCertificate: /etc/istio/a.crt\n      privateKey: /var/run/secrets/a.key\n')),
  ],
];

describeRuleCases('Gateway rules', cases);

describe('Gateway rules: details', () => {

  it('offers the closest protocol as a quick fix', () => {
    const yaml = gw(server('      number: 80\n      name: http\n      protocol: HTPP\n'));
    const fixed = applyFirstFix(yaml, expectFinding(yaml, { code: 'gateway-protocol-invalid', severity: 'error', at: 'HTPP' }));
    assert.match(fixed, /protocol: HTTP\n/);
    expectNoFinding(fixed, 'gateway-protocol-invalid');
  });

  it('fixes /ect/istio to /etc/istio', () => {
    const yaml = gw(server(https443, '    tls:\n      mode: SIMPLE\n      serverCertificate: /ect/istio/a.crt\n      privateKey: /etc/istio/a.key\n'));
    const fixed = applyFirstFix(yaml, findingsOf(yaml, 'tls-certificate-path')[0]);
    assert.match(fixed, /serverCertificate: \/etc\/istio\/a\.crt/);
  });

  it('reports an unset mode as PASSTHROUGH on the first certificate field', () => {
    const yaml = gw(server(https443, '    tls:\n      credentialName: c\n'));
    const f = expectFinding(yaml, { code: 'tls-passthrough-certificates', severity: 'warning', at: 'credentialName' });
    assert.match(f.message, /defaults to PASSTHROUGH/);
  });

  it('leaves the schema-covered credentialName + credentialNames conflict to CEL', () => {
    expectNoFinding(gw(server(https443, '    tls:\n      mode: SIMPLE\n      credentialName: a\n      credentialNames: [b]\n')), 'tls-certificate-source-conflict');
  });
});

describeRealWorld('Gateway rules', /^(gateway|tls)-/);
