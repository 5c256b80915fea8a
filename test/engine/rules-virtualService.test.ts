import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFirstFix, describeRealWorld, describeRuleCases, expectFinding, expectNoFinding, type RuleCase } from '../helpers/ruleAssert';

const vs = (spec: string): string => `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n  namespace: default\nspec:\n${spec}`;
const route = '    route:\n    - destination:\n        host: reviews\n';
/** hosts + one http route with extra fields. */
const http = (extra: string, hosts = "  hosts:\n  - reviews\n"): string => vs(`${hosts}  http:\n  - ${(extra + route).trimStart()}`);

const cases: Array<[RuleCase, string]> = [
  [{ name: 'delegate with gateways', yaml: vs(`  gateways:\n  - istio-system/gw\n  http:\n  -${route.slice(3)}`), code: 'vs-delegate-invalid', severity: 'error', at: 'gateways' }, vs(`  http:\n  -${route.slice(3)}`)],
  [{ name: 'no routes', yaml: vs('  hosts:\n  - reviews\n'), code: 'vs-no-routes', severity: 'error', at: 'spec' }, http('')],
  [{ name: "'*' bound to the mesh", yaml: http('', '  hosts:\n  - "*"\n'), code: 'vs-host-invalid', severity: 'error', at: '"*"' }, http('', '  hosts:\n  - "*"\n  gateways:\n  - istio-system/gw\n')],
  [{ name: 'invalid host', yaml: http('', '  hosts:\n  - foo_bar.com\n'), code: 'vs-host-invalid', severity: 'error', at: 'foo_bar.com' }, http('', '  hosts:\n  - 10.1.1.1\n  - foo-bar.com\n')],
  [{ name: 'overlapping hosts', yaml: http('', '  hosts:\n  - "*.foo.com"\n  - a.foo.com\n'), code: 'vs-host-duplicate', severity: 'error', at: 'a.foo.com' }, http('', '  hosts:\n  - "*.foo.com"\n  - foo.com\n')],
  [{ name: 'invalid gateway namespace', yaml: http('', '  hosts:\n  - reviews\n  gateways:\n  - Istio_System/gw\n'), code: 'vs-gateway-ref-invalid', severity: 'error', at: 'Istio_System/gw' }, http('', '  hosts:\n  - reviews\n  gateways:\n  - mesh\n  - istio-system/gw\n')],
  [{ name: 'legacy gateway name', yaml: http('', '  hosts:\n  - reviews\n  gateways:\n  - gw.istio-system\n'), code: 'vs-gateway-ref-legacy', severity: 'warning', at: 'gw.istio-system' }, http('', '  hosts:\n  - reviews\n  gateways:\n  - istio-system/gw\n')],
  [
    { name: 'JWT claim routing on the mesh', yaml: http('match:\n    - headers:\n        "@request.auth.claims.group":\n          exact: admin\n'), code: 'vs-jwt-claim-route-mesh', severity: 'error', at: '"@request.auth.claims.group"' },
    http('match:\n    - headers:\n        "@request.auth.claims.group":\n          exact: admin\n', '  hosts:\n  - reviews.example.com\n  gateways:\n  - istio-system/gw\n'),
  ],
  [{ name: 'route and redirect', yaml: http('redirect:\n      uri: /v2\n'), code: 'vs-route-conflict', severity: 'error', at: 'route', occurrence: 0 }, vs('  hosts:\n  - reviews\n  http:\n  - redirect:\n      uri: /v2\n')],
  [{ name: 'empty header prefix', yaml: http('match:\n    - headers:\n        x-user:\n          prefix: ""\n'), code: 'vs-match-invalid', severity: 'error', at: '""' }, http('match:\n    - uri:\n        prefix: ""\n')],
  [{ name: 'regex with lookahead', yaml: http('match:\n    - uri:\n        regex: "^/(?!admin).*"\n'), code: 'vs-regex-invalid', severity: 'error', at: '"^/(?!admin).*"' }, http('match:\n    - uri:\n        regex: "^/[a-z]+/.*"\n')],
  [{ name: 'setting :path', yaml: http('headers:\n      request:\n        set:\n          ":path": /x\n'), code: 'vs-header-name-invalid', severity: 'error', at: '":path"' }, http('headers:\n      request:\n        set:\n          ":authority": reviews.example.com\n')],
  [{ name: 'lone percent', yaml: http('headers:\n      response:\n        add:\n          x-ratio: 100%\n'), code: 'vs-header-value-invalid', severity: 'error', at: '100%' }, http('headers:\n      response:\n        add:\n          x-ratio: 100%%\n          x-host: "%HOSTNAME%"\n          x-env: "%ENVIRONMENT(POD_NAME)%"\n')],
  [
    { name: 'authority set twice', yaml: http('rewrite:\n      authority: a.example.com\n    headers:\n      request:\n        set:\n          host: b.example.com\n'), code: 'vs-authority-rewrite-conflict', severity: 'error', at: 'host', occurrence: 1 },
    http('rewrite:\n      authority: a.example.com\n'),
  ],
  [{ name: 'lower-case CORS method', yaml: http('corsPolicy:\n      allowMethods:\n      - get\n'), code: 'vs-cors-invalid', severity: 'error', at: 'get' }, http('corsPolicy:\n      allowMethods:\n      - GET\n      maxAge: 24h\n')],
  [{ name: 'deprecated allowOrigin', yaml: http('corsPolicy:\n      allowOrigin:\n      - https://a.com\n'), code: 'vs-cors-allow-origin-deprecated', severity: 'warning', at: 'allowOrigin' }, http('corsPolicy:\n      allowOrigins:\n      - exact: https://a.com\n')],
  [{ name: 'abort status out of range', yaml: http('fault:\n      abort:\n        httpStatus: 700\n'), code: 'vs-fault-invalid', severity: 'error', at: '700' }, http('fault:\n      abort:\n        httpStatus: 555\n        percentage:\n          value: 100\n')],
  [{ name: 'abort without error type', yaml: http('fault:\n      abort:\n        percentage:\n          value: 10\n'), code: 'vs-fault-abort-no-error', severity: 'warning', at: 'abort' }, http('fault:\n      abort:\n        grpcStatus: UNAVAILABLE\n')],
  [{ name: 'mirror percentage above 100', yaml: http('mirror:\n      host: shadow\n    mirrorPercentage:\n      value: 150\n'), code: 'vs-mirror-invalid', severity: 'error', at: '150' }, http('mirror:\n      host: shadow\n    mirrorPercentage:\n      value: 50\n')],
  [{ name: 'mirrorPercent', yaml: http('mirror:\n      host: shadow\n    mirrorPercent: 50\n'), code: 'vs-mirror-percent-deprecated', severity: 'warning', at: 'mirrorPercent' }, http('mirror:\n      host: shadow\n')],
  [{ name: 'upper-case subset', yaml: vs('  hosts:\n  - reviews\n  http:\n  - route:\n    - destination:\n        host: reviews\n        subset: v_1\n'), code: 'vs-destination-invalid', severity: 'error', at: 'v_1' }, vs('  hosts:\n  - reviews\n  http:\n  - route:\n    - destination:\n        host: reviews\n        subset: v1\n')],
  [
    { name: 'all weights 0', yaml: vs('  hosts:\n  - reviews\n  http:\n  - route:\n    - destination:\n        host: a\n      weight: 0\n    - destination:\n        host: b\n      weight: 0\n'), code: 'vs-weight-invalid', severity: 'error', at: 'route' },
    vs('  hosts:\n  - reviews\n  http:\n  - route:\n    - destination:\n        host: a\n      weight: 30\n    - destination:\n        host: b\n      weight: 30\n'),
  ],
  [{ name: 'redirect code 200', yaml: vs('  hosts:\n  - reviews\n  http:\n  - redirect:\n      uri: /x\n      redirectCode: 200\n'), code: 'vs-redirect-invalid', severity: 'error', at: '200' }, vs('  hosts:\n  - reviews\n  http:\n  - redirect:\n      uri: /x\n      redirectCode: 308\n')],
  [{ name: 'direct response status 100', yaml: vs('  hosts:\n  - reviews\n  http:\n  - directResponse:\n      status: 100\n'), code: 'vs-direct-response-invalid', severity: 'error', at: '100' }, vs('  hosts:\n  - reviews\n  http:\n  - directResponse:\n      status: 503\n      body:\n        string: unavailable\n')],
  [{ name: 'retryOn with spaces', yaml: http('retries:\n      attempts: 3\n      retryOn: 5xx, reset\n'), code: 'vs-retry-invalid', severity: 'error', at: '5xx, reset' }, http('retries:\n      attempts: 3\n      retryOn: 5xx,reset,503,retriable-4xx\n')],
  [{ name: 'uri and uriRegexRewrite', yaml: http('rewrite:\n      uri: /v2\n      uriRegexRewrite:\n        match: ^/a\n        rewrite: /b\n'), code: 'vs-rewrite-invalid', severity: 'error', at: 'uriRegexRewrite' }, http('rewrite:\n      uriRegexRewrite:\n        match: ^/a(.*)\n        rewrite: /b\\1\n')],
  [{ name: 'microsecond timeout', yaml: http('timeout: 1500us\n'), code: 'vs-duration-invalid', severity: 'error', at: '1500us' }, http('timeout: 1.5s\n')],
  [
    { name: 'SNI outside hosts', yaml: vs('  hosts:\n  - "*.bookinfo.com"\n  tls:\n  - match:\n    - sniHosts:\n      - login.example.com\n    route:\n    - destination:\n        host: login\n'), code: 'vs-tls-route-invalid', severity: 'error', at: 'login.example.com' },
    vs('  hosts:\n  - "*.bookinfo.com"\n  tls:\n  - match:\n    - sniHosts:\n      - login.bookinfo.com\n    route:\n    - destination:\n        host: login\n'),
  ],
  [{ name: 'tcp without route', yaml: vs('  hosts:\n  - mongo\n  tcp:\n  - match:\n    - port: 27017\n'), code: 'vs-tcp-route-invalid', severity: 'error', at: 'match' }, vs('  hosts:\n  - mongo\n  tcp:\n  - route:\n    - destination:\n        host: mongo\n')],
  [{ name: "'.' and own namespace", yaml: http('', '  hosts:\n  - reviews\n  exportTo:\n  - "."\n  - default\n'), code: 'vs-export-to-invalid', severity: 'error', at: 'default', occurrence: 1 }, http('', '  hosts:\n  - reviews\n  exportTo:\n  - "."\n  - other\n')],
  [
    { name: 'catch-all before a rule', yaml: vs(`  hosts:\n  - reviews\n  http:\n  -${route.slice(3)}  - match:\n    - uri:\n        prefix: /a\n${route}`), code: 'vs-unreachable-rule', severity: 'warning', at: 'match', istioCode: 'IST0130' },
    vs(`  hosts:\n  - reviews\n  http:\n  - match:\n    - uri:\n        prefix: /a\n${route}  -${route.slice(3)}`),
  ],
  [
    { name: 'repeated match', yaml: vs(`  hosts:\n  - reviews\n  http:\n  - match:\n    - uri:\n        exact: /a\n${route}  - match:\n    - uri:\n        exact: /a\n    - uri:\n        exact: /b\n${route}`), code: 'vs-ineffective-match', severity: 'information', at: 'uri', occurrence: 1, istioCode: 'IST0131' },
    vs(`  hosts:\n  - reviews\n  http:\n  - match:\n    - uri:\n        exact: /a\n${route}  - match:\n    - uri:\n        exact: /b\n${route}`),
  ],
];

describeRuleCases('VirtualService rules', cases);

describe('VirtualService rules: details', () => {

  it("escapes a lone '%' as '%%'", () => {
    const yaml = http('headers:\n      response:\n        add:\n          x-ratio: 100%\n');
    const fixed = applyFirstFix(yaml, expectFinding(yaml, { code: 'vs-header-value-invalid', severity: 'error', at: '100%' }));
    assert.match(fixed, /x-ratio: "100%%"/);
    expectNoFinding(fixed, 'vs-header-value-invalid');
  });

  it('rewrites a legacy gateway reference to namespace/name', () => {
    const yaml = http('', '  hosts:\n  - reviews\n  gateways:\n  - gw.istio-system\n');
    const fixed = applyFirstFix(yaml, expectFinding(yaml, { code: 'vs-gateway-ref-legacy', severity: 'warning', at: 'gw.istio-system' }));
    assert.match(fixed, /- istio-system\/gw\n/);
  });

  it('fixes retryOn spacing and typos', () => {
    const yaml = http('retries:\n      attempts: 3\n      retryOn: 5xx, conect-failure\n');
    const fixed = applyFirstFix(yaml, expectFinding(yaml, { code: 'vs-retry-invalid', severity: 'error', at: '5xx, conect-failure' }));
    assert.match(fixed, /retryOn: "5xx,connect-failure"\n/);
  });

  it('warns (not errors) on an IP used as SNI', () => {
    const yaml = vs('  hosts:\n  - "*.bookinfo.com"\n  tls:\n  - match:\n    - sniHosts:\n      - 10.0.0.1\n    route:\n    - destination:\n        host: login\n');
    expectFinding(yaml, { code: 'vs-tls-route-invalid', severity: 'warning', at: '10.0.0.1' });
  });
});

describeRealWorld('VirtualService rules', /^vs-/);
