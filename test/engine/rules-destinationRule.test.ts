import { describeRealWorld, describeRuleCases, type RuleCase } from '../helpers/ruleAssert';

const dr = (spec: string, host = 'reviews'): string =>
  `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\n  namespace: default\nspec:\n  host: ${host}\n${spec}`;
const tp = (body: string): string => dr(`  trafficPolicy:\n${body}`);

const cases: Array<[RuleCase, string]> = [
  [{ name: 'host with underscore', yaml: dr('', 'my_svc.default.svc'), code: 'dr-host-invalid', severity: 'error', at: 'my_svc.default.svc' }, dr('', '"*.example.com"')],
  [{ name: 'empty trafficPolicy', yaml: tp('    portLevelSettings: []\n').replace('    portLevelSettings: []\n', '    {}\n').replace('trafficPolicy:\n    {}', 'trafficPolicy: {}'), code: 'dr-traffic-policy-empty', severity: 'error', at: 'trafficPolicy' }, tp('    loadBalancer:\n      simple: ROUND_ROBIN\n')],
  [
    { name: 'port-level setting without port', yaml: tp('    portLevelSettings:\n    - loadBalancer:\n        simple: LEAST_REQUEST\n'), code: 'dr-traffic-policy-empty', severity: 'error', at: 'loadBalancer' },
    tp('    portLevelSettings:\n    - port:\n        number: 80\n      loadBalancer:\n        simple: LEAST_REQUEST\n'),
  ],
  [
    { name: 'tunnel protocol', yaml: tp('    tunnel:\n      protocol: GET\n      targetHost: 10.0.0.1\n      targetPort: 8080\n'), code: 'dr-tunnel-invalid', severity: 'error', at: 'GET' },
    tp('    tunnel:\n      protocol: CONNECT\n      targetHost: example.com\n      targetPort: 8080\n'),
  ],
  [
    { name: 'local origin failures without split', yaml: tp('    outlierDetection:\n      consecutiveLocalOriginFailures: 5\n'), code: 'dr-outlier-detection-invalid', severity: 'error', at: 'consecutiveLocalOriginFailures' },
    tp('    outlierDetection:\n      splitExternalLocalOriginErrors: true\n      consecutiveLocalOriginFailures: 5\n      maxEjectionPercent: 100\n'),
  ],
  [
    { name: 'consecutiveErrors', yaml: tp('    outlierDetection:\n      consecutiveErrors: 5\n'), code: 'dr-outlier-consecutive-errors-deprecated', severity: 'warning', at: 'consecutiveErrors' },
    tp('    outlierDetection:\n      consecutive5xxErrors: 5\n'),
  ],
  [
    { name: 'negative maxConnections', yaml: tp('    connectionPool:\n      tcp:\n        maxConnections: -1\n'), code: 'dr-connection-pool-invalid', severity: 'error', at: '-1' },
    tp('    connectionPool:\n      tcp:\n        maxConnections: 100\n        idleTimeout: 0s\n        connectTimeout: 30ms\n'),
  ],
  [
    { name: 'useClientProtocol with UPGRADE', yaml: tp('    connectionPool:\n      http:\n        h2UpgradePolicy: UPGRADE\n        useClientProtocol: true\n'), code: 'dr-connection-pool-invalid', severity: 'error', at: 'true' },
    tp('    connectionPool:\n      http:\n        h2UpgradePolicy: UPGRADE\n'),
  ],
  [
    { name: 'sub-ms idleTimeout', yaml: tp('    connectionPool:\n      tcp:\n        idleTimeout: 500us\n'), code: 'dr-connection-pool-invalid', severity: 'error', at: '500us' },
    tp('    connectionPool:\n      tcp:\n        idleTimeout: 1h\n'),
  ],
  [
    { name: 'maglev table not prime', yaml: tp('    loadBalancer:\n      consistentHash:\n        httpHeaderName: x-user\n        maglev:\n          tableSize: 1000\n'), code: 'dr-load-balancer-invalid', severity: 'error', at: '1000' },
    tp('    loadBalancer:\n      consistentHash:\n        httpHeaderName: x-user\n        maglev:\n          tableSize: 65537\n'),
  ],
  [
    { name: 'deprecated minimumRingSize', yaml: tp('    loadBalancer:\n      consistentHash:\n        httpHeaderName: x-user\n        minimumRingSize: 1024\n'), code: 'dr-min-ring-size-deprecated', severity: 'warning', at: 'minimumRingSize' },
    tp('    loadBalancer:\n      consistentHash:\n        httpHeaderName: x-user\n        ringHash:\n          minimumRingSize: 1024\n'),
  ],
  [
    { name: 'locality weights not 100', yaml: tp('    loadBalancer:\n      localityLbSetting:\n        distribute:\n        - from: us-west/zone1/*\n          to:\n            "us-west/zone1/*": 80\n            "us-west/zone2/*": 10\n'), code: 'dr-locality-invalid', severity: 'error', at: 'to' },
    tp('    loadBalancer:\n      localityLbSetting:\n        distribute:\n        - from: us-west/zone1/*\n          to:\n            "us-west/zone1/*": 80\n            "us-west/zone2/*": 20\n'),
  ],
  [
    { name: 'failover without outlierDetection', yaml: tp('    loadBalancer:\n      localityLbSetting:\n        failover:\n        - from: us-east\n          to: eu-west\n'), code: 'dr-locality-needs-outlier', severity: 'warning', at: 'localityLbSetting' },
    tp('    loadBalancer:\n      localityLbSetting:\n        failover:\n        - from: us-east\n          to: eu-west\n    outlierDetection:\n      consecutive5xxErrors: 5\n'),
  ],
  [{ name: 'duplicate subsets', yaml: dr('  subsets:\n  - name: v1\n    labels: {version: v1}\n  - name: v1\n    labels: {version: v2}\n'), code: 'dr-subset-invalid', severity: 'error', at: 'v1', occurrence: 3 }, dr('  subsets:\n  - name: v1\n    labels: {version: v1}\n  - name: v2\n    labels: {version: v2}\n')],
  [
    { name: 'selector with exportTo *', yaml: dr('  workloadSelector:\n    matchLabels:\n      app: a\n  exportTo:\n  - "*"\n'), code: 'dr-export-to-invalid', severity: 'error', at: 'exportTo' },
    dr('  workloadSelector:\n    matchLabels:\n      app: a\n  exportTo:\n  - "."\n'),
  ],
  // Client TLS (common/tls.ts).
  [
    { name: 'credentialName with file certificates', yaml: tp('    tls:\n      mode: MUTUAL\n      credentialName: client-cert\n      clientCertificate: /etc/certs/cert.pem\n'), code: 'tls-client-credential-conflict', severity: 'error', at: 'clientCertificate' },
    tp('    tls:\n      mode: MUTUAL\n      credentialName: client-cert\n'),
  ],
  [
    { name: 'MUTUAL without client certificate', yaml: tp('    tls:\n      mode: MUTUAL\n      privateKey: /etc/certs/key.pem\n'), code: 'tls-client-mutual-needs-certificate', severity: 'error', at: 'MUTUAL' },
    tp('    tls:\n      mode: MUTUAL\n      clientCertificate: /etc/certs/cert.pem\n      privateKey: /etc/certs/key.pem\n      caCertificates: /etc/certs/ca.pem\n'),
  ],
  [
    { name: 'insecureSkipVerify with CA', yaml: tp('    tls:\n      mode: SIMPLE\n      caCertificates: /etc/certs/ca.pem\n      insecureSkipVerify: true\n'), code: 'tls-insecure-skip-verify-conflict', severity: 'error', at: 'true' },
    tp('    tls:\n      mode: SIMPLE\n      insecureSkipVerify: true\n'),
  ],
  [
    { name: 'SIMPLE without caCertificates', yaml: tp('    tls:\n      mode: SIMPLE\n'), code: 'tls-no-server-verification', severity: 'warning', at: 'SIMPLE', istioCode: 'IST0128' },
    tp('    tls:\n      mode: SIMPLE\n      caCertificates: /etc/ssl/certs/ca-certificates.crt\n'),
  ],
  [
    { name: 'port-level SIMPLE without caCertificates', yaml: tp('    portLevelSettings:\n    - port:\n        number: 443\n      tls:\n        mode: SIMPLE\n'), code: 'tls-no-server-verification', severity: 'warning', at: 'SIMPLE', istioCode: 'IST0129' },
    tp('    portLevelSettings:\n    - port:\n        number: 443\n      tls:\n        mode: ISTIO_MUTUAL\n'),
  ],
  [
    { name: 'client certificate outside the mounts', yaml: tp('    tls:\n      mode: MUTUAL\n      clientCertificate: /home/me/cert.pem\n      privateKey: /etc/certs/key.pem\n      caCertificates: /etc/certs/ca.pem\n'), code: 'tls-certificate-path', severity: 'warning', at: '/home/me/cert.pem' },
    tp('    tls:\n      mode: MUTUAL\n      clientCertificate: /etc/certs/cert.pem\n      privateKey: /etc/certs/key.pem\n      caCertificates: /etc/certs/ca.pem\n'),
  ],
];

describeRuleCases('DestinationRule rules', cases);
describeRealWorld('DestinationRule rules', /^(dr|tls)-/);
