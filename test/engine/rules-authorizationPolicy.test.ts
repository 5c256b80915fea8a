import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { itEachRealworld } from '../helpers/realworld';
import { applyFix, doc, expectCode, expectNoError } from '../helpers/securityRules';

/** An AuthorizationPolicy whose spec starts on line 6 (metadata lines go before it). */
const ap = (spec: string, metadata = ''): string => doc('security.istio.io/v1', 'AuthorizationPolicy', spec, metadata);

describe('AuthorizationPolicy actions and provider', () => {
  it('CUSTOM without rules is rejected on the action, with a fix adding the empty rule', () => {
    const text = ap('  action: CUSTOM\n  provider:\n    name: ext\n');
    const [f] = expectCode(text, 'authz-custom-needs-rules', [['error', '6:10-6:16']]);
    const fixed = applyFix(text, f);
    assert.equal(fixed, ap('  action: CUSTOM\n  rules:\n  - {}\n  provider:\n    name: ext\n'));
    expectCode(fixed, 'authz-custom-needs-rules', []);
    expectNoError(fixed);
  });

  it('CUSTOM with rules needs provider.name; with it, it is valid', () => {
    expectCode(ap('  action: CUSTOM\n  rules:\n  - {}\n'), 'authz-custom-needs-provider', [['error', '6:10-6:16']]);
    expectCode(ap('  action: CUSTOM\n  provider:\n    name: ""\n  rules:\n  - {}\n'), 'authz-custom-needs-provider', [['error', '8:10-8:12']]);
    expectNoError(ap('  action: CUSTOM\n  provider:\n    name: my-ext-authz\n  rules:\n  - {}\n'));
  });

  it('CUSTOM rejects identity fields and source.*/request.auth.* conditions, not ipBlocks or headers', () => {
    const text = ap(
      '  action: CUSTOM\n  provider: {name: ext}\n  rules:\n  - from:\n    - source:\n        namespaces: [ns]\n        ipBlocks: [10.0.0.0/8]\n' +
        '    when:\n    - key: request.auth.claims[iss]\n      values: [a]\n    - key: request.headers[x]\n      values: [b]\n',
    );
    expectCode(text, 'authz-custom-unsupported-field', [['error', '11:8-11:18'], ['error', '14:11-14:35']]);
  });

  it('provider is only allowed with CUSTOM (ALLOW by default)', () => {
    expectCode(ap('  provider:\n    name: ext\n  rules:\n  - {}\n'), 'authz-provider-needs-custom', [['error', '6:2-6:10']]);
  });

  it('DENY without rules is rejected; the fix adds the empty rule and is not preferred', () => {
    const text = ap('  selector:\n    matchLabels: {app: a}\n  action: DENY # careful\n');
    const [f] = expectCode(text, 'authz-deny-needs-rules', [['error', '8:10-8:14']]);
    assert.equal(f.fixes?.[0].isPreferred, false);
    assert.equal(applyFix(text, f), ap('  selector:\n    matchLabels: {app: a}\n  action: DENY # careful\n  rules:\n  - {}\n'));
    const empty = ap('  action: DENY\n  rules: []\n');
    const [g] = expectCode(empty, 'authz-deny-needs-rules', [['error', '6:10-6:14']]);
    assert.equal(applyFix(empty, g), ap('  action: DENY\n  rules: [{}]\n'));
    const flow = 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: p}\nspec: {action: DENY}\n';
    const [h] = expectCode(flow, 'authz-deny-needs-rules', [['error', '3:15-3:19']]);
    assert.equal(applyFix(flow, h), 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: p}\nspec: {action: DENY, rules: [{}]}\n');
  });

  it('ALLOW without rules (allow-nothing) is valid', () => {
    expectNoError(ap('  {}\n'));
    expectNoError(ap('  action: ALLOW\n'));
  });
});

describe('AuthorizationPolicy from/to', () => {
  it('from entries need a non-empty source, to entries a non-empty operation', () => {
    const text = ap('  rules:\n  - from:\n    - {}\n    - source: {}\n    to:\n    - operation:\n        methods: []\n');
    expectCode(text, 'authz-source-or-operation-missing', [['error', '8:6-8:8']]);
    expectCode(text, 'authz-source-or-operation-empty', [['error', '9:6-9:12'], ['error', '11:6-11:15']]);
  });

  it('from: [] is read as absent: a warning, not an error', () => {
    expectCode(ap('  rules:\n  - from: []\n    to:\n    - operation: {methods: [GET]}\n'), 'authz-from-to-empty', [['warning', '7:10-7:12']]);
  });

  it('rejects empty strings in lists', () => {
    const text = ap('  rules:\n  - from:\n    - source:\n        principals: ["", "a"]\n    to:\n    - operation:\n        paths: [""]\n');
    expectCode(text, 'authz-empty-value', [['error', '9:21-9:23'], ['error', '12:16-12:18']]);
  });

  it('checks serviceAccounts forms', () => {
    const text = ap('  rules:\n  - from:\n    - source:\n        serviceAccounts: [ns/sa, sa, "*", a/b/c, /sa, "ns/"]\n');
    expectCode(text, 'authz-service-account-invalid', [
      ['error', '9:37-9:40'],
      ['error', '9:42-9:47'],
      ['error', '9:49-9:52'],
      ['error', '9:54-9:59'],
    ]);
  });

  it('checks trust domain wildcards and slashes', () => {
    const text = ap('  rules:\n  - from:\n    - source:\n        trustDomains: ["*.local", "foo*", "a*b", "**", cluster.local/ns]\n');
    expectCode(text, 'authz-trust-domain-invalid', [['error', '9:42-9:47'], ['error', '9:49-9:53'], ['error', '9:55-9:71']]);
  });

  it('checks IPs and CIDRs like Go netip', () => {
    const text = ap(
      '  rules:\n  - from:\n    - source:\n        ipBlocks: [1.2.3.4, 10.0.0.0/8, "2001:db8::/32", "::ffff:1.2.3.4", 10.0.0.1/33, 01.2.3.4, ip1, "fe80::1%eth0/64"]\n',
    );
    expectCode(text, 'authz-ip-invalid', [['error', '9:75-9:86'], ['error', '9:88-9:96'], ['error', '9:98-9:101'], ['error', '9:103-9:120']]);
  });

  it('rejects port ranges and names; offers to split a small range', () => {
    const text = ap('  rules:\n  - to:\n    - operation:\n        ports:\n        - "80"\n        - "8000-8002"\n        - http\n');
    const [range, name] = expectCode(text, 'authz-port-invalid', [['error', '11:10-11:21'], ['error', '12:10-12:14']]);
    assert.equal(name.fixes, undefined);
    assert.equal(
      applyFix(text, range),
      ap('  rules:\n  - to:\n    - operation:\n        ports:\n        - "80"\n        - "8000"\n        - "8001"\n        - "8002"\n        - http\n'),
    );
    const flow = ap('  rules:\n  - to:\n    - operation: {ports: ["9000-9001"]}\n');
    const [f] = expectCode(flow, 'authz-port-invalid', [['error', '8:26-8:37']]);
    assert.equal(applyFix(flow, f), ap('  rules:\n  - to:\n    - operation: {ports: ["9000", "9001"]}\n'));
  });

  it('checks path templates ({*}, {**} last, no other braces; literals after {**} are accepted like Go does)', () => {
    const text = ap('  rules:\n  - to:\n    - operation:\n        paths: ["/a/{*}/b", "/a/{**}", "/a/{**}/b", "/users/{id}", "/{*}/a*b", "/{**}/{*}"]\n');
    const [id] = expectCode(text, 'authz-path-template-invalid', [['error', '9:52-9:65'], ['error', '9:67-9:77'], ['error', '9:79-9:90']]);
    assert.equal(applyFix(text, id).includes('"/users/{*}"'), true);
  });

  it('warns about a literal * in the middle of a path, with a template fix', () => {
    const text = ap('  rules:\n  - to:\n    - operation:\n        paths: ["/api/*", "*.png", "/api/*/users"]\n');
    const [f] = expectCode(text, 'authz-path-wildcard', [['warning', '9:35-9:49']]);
    assert.ok(applyFix(text, f).includes('"/api/{*}/users"'));
  });

  it('warns about lower-case methods with an upper-case fix', () => {
    const text = ap('  rules:\n  - to:\n    - operation:\n        methods: [GET, post]\n');
    const [f] = expectCode(text, 'authz-method-case', [['warning', '9:23-9:27']]);
    assert.ok(applyFix(text, f).includes('methods: [GET, POST]'));
  });

  it('warns about request principals without issuer/subject form', () => {
    const text = ap('  rules:\n  - from:\n    - source:\n        requestPrincipals: ["*", "https://idp/sub", "*@example.com", "alice"]\n');
    expectCode(text, 'authz-request-principal-format', [['warning', '9:69-9:76']]);
  });
});

describe('AuthorizationPolicy when conditions', () => {
  const when = (cond: string): string => ap(`  rules:\n  - when:\n    - ${cond}\n`);

  it('accepts every documented key with valid values', () => {
    const keys = [
      'request.headers[User-Agent]', 'source.namespace', 'source.principal', 'request.auth.principal', 'request.auth.audiences',
      'request.auth.presenter', 'request.auth.claims[groups]', 'connection.sni', 'experimental.envoy.filters.network.mysql_proxy[db.table]',
    ];
    for (const key of keys) expectNoError(when(`key: ${key}\n      values: ["x/y"]`));
    expectNoError(when('key: source.ip\n      values: [10.0.0.0/8]\n      notValues: ["::1"]'));
    expectNoError(when('key: destination.port\n      values: ["8080"]'));
    expectNoError(when('key: source.serviceAccount\n      values: [ns/sa]'));
    expectNoError(when('key: source.trustDomain\n      values: ["*.local"]'));
  });

  it('rejects empty keys and missing values', () => {
    expectCode(when('key: ""\n      values: [a]'), 'authz-condition-key-empty', [['error', '8:11-8:13']]);
    expectCode(when('key: source.ip\n      values: []'), 'authz-condition-values-missing', [['error', '8:6-8:9']]);
  });

  it('rejects unknown keys with a fix for a near miss', () => {
    const text = when('key: request.header[x-token]\n      values: [a]');
    const [f] = expectCode(text, 'authz-condition-key-unknown', [['error', '8:11-8:34']]);
    assert.ok(applyFix(text, f).includes('key: request.headers[x-token]'));
    expectCode(when('key: key1\n      values: [a]'), 'authz-condition-key-unknown', [['error', '8:11-8:15']]);
  });

  it('rejects removed keys with the reason', () => {
    const [f] = expectCode(when('key: destination.labels[app]\n      values: [a]'), 'authz-condition-key-removed', [['error', '8:11-8:34']]);
    assert.match(f.message, /workload selector/);
    expectCode(when('key: destination.namespace\n      values: [a]'), 'authz-condition-key-removed', [['error', '8:11-8:32']]);
  });

  it('rejects map keys without [name]', () => {
    expectCode(when('key: request.headers\n      values: [a]'), 'authz-condition-key-format', [['error', '8:11-8:26']]);
    expectCode(when('key: request.auth.claims[]\n      values: [a]'), 'authz-condition-key-format', [['error', '8:11-8:32']]);
  });

  it('checks values by attribute type', () => {
    expectCode(when('key: source.ip\n      notValues: [a.b.c.d]'), 'authz-ip-invalid', [['error', '9:18-9:25']]);
    expectCode(when('key: destination.port\n      values: ["80-90"]'), 'authz-port-invalid', [['error', '9:15-9:22']]);
    expectCode(when('key: source.serviceAccount\n      values: ["a/b/c"]'), 'authz-service-account-invalid', [['error', '9:15-9:22']]);
    expectCode(when('key: source.trustDomain\n      values: ["a*b"]'), 'authz-trust-domain-invalid', [['error', '9:15-9:20']]);
    expectCode(when('key: source.principal\n      values: ["", x]'), 'authz-empty-value', [['error', '9:15-9:17']]);
  });
});

describe('AuthorizationPolicy DENY with only HTTP attributes', () => {
  const deny = (rule: string): string => ap(`  action: DENY\n  rules:\n  - ${rule}\n`);
  it('warns when a DENY rule has only methods/paths, or only request principals', () => {
    expectCode(deny('to:\n    - operation: {methods: [DELETE]}'), 'authz-deny-http-only', [['warning', '8:4-8:6']]);
    expectCode(deny('from:\n    - source: {requestPrincipals: ["*"]}'), 'authz-deny-http-only', [['warning', '8:4-8:8']]);
    expectCode(deny('from:\n    - source: {principals: [a]}\n    to:\n    - operation: {methods: [GET]}'), 'authz-deny-http-only', [['warning', '10:4-10:6']]);
  });
  it('does not warn when ports or TCP source fields are set', () => {
    expectCode(deny('to:\n    - operation: {ports: ["8080"], methods: [GET]}'), 'authz-deny-http-only', []);
    expectCode(deny('from:\n    - source: {namespaces: [a]}'), 'authz-deny-http-only', []);
    expectCode(deny('{}'), 'authz-deny-http-only', []);
  });
});

describe('istio.io/dry-run', () => {
  const meta = (value: string): string => `  annotations:\n    istio.io/dry-run: ${value}\n`;
  it('accepts boolean strings on ALLOW and DENY', () => {
    expectNoError(ap('  action: ALLOW\n', meta('"true"')));
    expectNoError(ap('  action: DENY\n  rules: [{}]\n', meta('"F"')));
  });
  it('rejects invalid values, with a fix for near misses', () => {
    const text = ap('  {}\n', meta('"yes"'));
    const [f] = expectCode(text, 'authz-dry-run-invalid', [['error', '6:22-6:27']]);
    assert.ok(applyFix(text, f).includes('istio.io/dry-run: "true"'));
  });
  it('rejects CUSTOM and AUDIT', () => {
    expectCode(ap('  action: AUDIT\n  rules: [{}]\n', meta('"true"')), 'authz-dry-run-invalid', [['error', '6:4-6:20']]);
  });
  it('rejects an unquoted boolean and offers to quote it', () => {
    const text = ap('  {}\n', meta('true'));
    const [f] = expectCode(text, 'authz-dry-run-not-string', [['error', '6:22-6:26']]);
    assert.ok(applyFix(text, f).includes('istio.io/dry-run: "true"'));
  });
  it('rejects the annotation on other kinds', () => {
    const text = 'apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: r\n  annotations:\n    istio.io/dry-run: "true"\nspec: {}\n';
    expectCode(text, 'authz-dry-run-unsupported-kind', [['error', '5:4-5:20']]);
  });
});

describe('AuthorizationPolicy status conditions (IST0171)', () => {
  it('warns about a negative ZtunnelAccepted condition', () => {
    const text = ap('  {}\n') + 'status:\n  conditions:\n  - type: ZtunnelAccepted\n    status: "False"\n    reason: UnsupportedValue\n    message: x\n';
    const [f] = expectCode(text, 'authz-negative-condition', [['warning', '9:10-9:25']]);
    assert.equal(f.istioCode, 'IST0171');
    expectCode(text.replace('"False"', '"True"'), 'authz-negative-condition', []);
  });
});

describe('AuthorizationPolicy real-world files', () => {
  const files = [
    'istio-istio/pkg/config/validation/testdata/crds/authz-valid.yaml',
    'istio-istio/pkg/test/datasets/validation/dataset/security-v1-AuthorizationPolicy.yaml',
    'istio-istio/pkg/test/datasets/validation/dataset/security-v1beta1-AuthorizationPolicy.yaml',
  ];
  itEachRealworld(files, (file) => `no error on ${path.basename(file)}`, expectNoError);
});
