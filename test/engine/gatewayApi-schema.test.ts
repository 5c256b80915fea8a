/**
 * Gateway API v1.5.1 (standard channel) validation: the generated schemas and their CEL rules,
 * served versions, the envelope, property-name escaping in CEL, string formats in oneOf forms, and
 * that Istio's own rules stay off Gateway API kinds. Reads only committed files (schemas/).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compileRule, isTransitionRule } from '../../engine/src/cel/index';
import { escapeCelField } from '../../engine/src/cel/escaping';
import type { Finding } from '../../engine/src/diagnostics';
import { FileModel } from '../../engine/src/model/fileModel';
import { compareKubeVersions, findKind, kindByName, schemaAt } from '../../engine/src/schema/catalog';
import { FORMAT_CHECKS } from '../../engine/src/schema/formats';
import type { KindSchemaFile, ValidationRule } from '../../engine/src/schema/types';

const SCHEMAS = path.resolve(__dirname, '../../schemas/gateway.networking.k8s.io');

function analyse(text: string): Finding[] {
  const model = new FileModel();
  model.update(text);
  return model.findings();
}

const show = (fs: readonly Finding[]): string => fs.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.code} ${f.message}`).join('\n');

function only(fs: Finding[], code: string): Finding {
  const hits = fs.filter((f) => f.code === code);
  assert.equal(hits.length, 1, `expected one ${code}:\n${show(fs)}`);
  return hits[0];
}

/** Every rule of the committed Gateway API schemas, served versions only. */
function servedRules(): Array<{ kind: string; rule: ValidationRule }> {
  const out: Array<{ kind: string; rule: ValidationRule }> = [];
  for (const f of readdirSync(SCHEMAS)) {
    const file = JSON.parse(readFileSync(path.join(SCHEMAS, f), 'utf8')) as KindSchemaFile;
    const served = file.versions.filter((v) => v.served).map((v) => v.name);
    const walk = (node: unknown): void => {
      if (node === null || typeof node !== 'object') return;
      for (const rule of ((node as { 'x-kubernetes-validations'?: ValidationRule[] })['x-kubernetes-validations'] ?? [])) out.push({ kind: file.kind, rule });
      for (const v of Object.values(node)) walk(v);
    };
    for (const s of file.schemas) if (s.versions.some((v) => served.includes(v))) walk(s.openAPIV3Schema);
  }
  return out;
}

const ROUTE = (spec: string) => `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\n  namespace: shop\nspec:\n${spec}`;
const GATEWAY = (spec: string) => `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gw\n  namespace: shop\nspec:\n  gatewayClassName: istio\n${spec}`;

describe('Gateway API schemas (generated from the v1.5.1 standard-channel CRDs)', () => {
  it('has the eight standard-channel kinds with their served and storage versions', () => {
    const versions = (kind: string) => {
      const k = findKind('gateway.networking.k8s.io', kind);
      assert.ok(k, kind);
      return `${k.servedVersions.join(',')} storage=${k.storageVersion} preferred=${k.preferredVersion}`;
    };
    assert.equal(versions('GatewayClass'), 'v1,v1beta1 storage=v1 preferred=v1');
    assert.equal(versions('Gateway'), 'v1,v1beta1 storage=v1 preferred=v1');
    assert.equal(versions('HTTPRoute'), 'v1,v1beta1 storage=v1 preferred=v1');
    assert.equal(versions('GRPCRoute'), 'v1 storage=v1 preferred=v1');
    // TLSRoute v1alpha2/v1alpha3 and BackendTLSPolicy v1alpha3 exist but are not served.
    assert.equal(versions('TLSRoute'), 'v1 storage=v1 preferred=v1');
    assert.equal(versions('BackendTLSPolicy'), 'v1 storage=v1 preferred=v1');
    // ReferenceGrant stores v1beta1, serves both.
    assert.equal(versions('ReferenceGrant'), 'v1,v1beta1 storage=v1beta1 preferred=v1');
    assert.equal(versions('ListenerSet'), 'v1 storage=v1 preferred=v1');
    assert.equal(findKind('gateway.networking.k8s.io', 'TCPRoute'), undefined, 'TCPRoute is experimental');
  });

  it('every CEL rule compiles; the only transition rule is GatewayClass controllerName immutability', () => {
    const rules = servedRules();
    assert.ok(rules.length >= 150, `${rules.length} rules`);
    assert.deepEqual(rules.filter((r) => !compileRule(r.rule.rule).ok).map((r) => r.rule.rule), []);
    assert.deepEqual(
      rules.filter((r) => isTransitionRule(r.rule.rule)).map((r) => `${r.kind}: ${r.rule.rule}`),
      ['GatewayClass: self == oldSelf'],
    );
    assert.ok(rules.every((r) => r.rule.message || r.rule.messageExpression), 'every rule has a message');
  });

  it('the rules use only these functions and macros (all in the evaluator)', () => {
    const used = new Set<string>();
    for (const { rule } of servedRules()) for (const m of rule.rule.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)) used.add(m[1]);
    assert.deepEqual([...used].sort(), ['all', 'contains', 'duration', 'endsWith', 'exists', 'exists_one', 'filter', 'has', 'isIP', 'matches', 'size', 'split', 'startsWith', 'substring']);
  });

  it('the name "Gateway" alone means Istio\'s, unless the Gateway API family is asked for', () => {
    assert.equal(kindByName('Gateway')?.group, 'networking.istio.io');
    assert.equal(kindByName('Gateway', 'gateway.networking.k8s.io')?.group, 'gateway.networking.k8s.io');
    assert.equal(kindByName('HTTPRoute')?.group, 'gateway.networking.k8s.io');
    assert.equal(schemaAt('Gateway', 'v1', ['spec', 'servers'])?.type, 'array');
  });

  it('orders versions like Kubernetes (GA, beta, alpha; higher first)', () => {
    assert.deepEqual(['v1alpha2', 'v1beta1', 'v1', 'v1alpha3', 'v2beta1'].sort(compareKubeVersions), ['v1', 'v2beta1', 'v1beta1', 'v1alpha3', 'v1alpha2']);
  });
});

describe('the envelope of Gateway API documents', () => {
  it('a version the standard channel does not serve is an error, fixed to the preferred version', () => {
    const text = 'apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TLSRoute\nmetadata:\n  name: t\nspec:\n  hostnames: [a.example.com]\n';
    const f = only(analyse(text), 'api-version-not-served');
    assert.match(f.message, /gateway\.networking\.k8s\.io\/v1alpha2 is not served for TLSRoute by the Gateway API v1\.5\.1 standard channel/);
    assert.match(f.message, /served versions: gateway\.networking\.k8s\.io\/v1\.$/);
    assert.equal(f.fixes?.[0].edits[0].newText, 'gateway.networking.k8s.io/v1');
    assert.equal(f.range.start.line, 0);
  });

  it('an experimental-channel kind is information only and not validated', () => {
    const text = 'apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\nmetadata:\n  name: t\nspec:\n  whatever: 1\n';
    const fs = analyse(text);
    const f = only(fs, 'experimental-kind');
    assert.equal(f.severity, 'information');
    assert.match(f.message, /TCPRoute is a Gateway API experimental-channel kind/);
    assert.equal(fs.length, 1, show(fs));
  });

  it('an Istio kind under the Gateway API group points to its Istio group, and vice versa', () => {
    const vs = only(analyse('apiVersion: gateway.networking.k8s.io/v1\nkind: VirtualService\nmetadata:\n  name: v\n'), 'unknown-kind');
    assert.match(vs.message, /it belongs to networking\.istio\.io: use apiVersion networking\.istio\.io\/v1\./);
    const route = only(analyse('apiVersion: networking.istio.io/v1\nkind: HTTPRoute\nmetadata:\n  name: v\n'), 'unknown-kind');
    assert.match(route.message, /it belongs to gateway\.networking\.k8s\.io: use apiVersion gateway\.networking\.k8s\.io\/v1\./);
    const typo = only(analyse('apiVersion: gateway.networking.k8s.io/v1\nkind: HttpRoute\nmetadata:\n  name: v\n'), 'unknown-kind');
    assert.match(typo.message, /did you mean HTTPRoute\?/);
  });

  it('metadata is validated as ObjectMeta (the CRD only says `type: object`)', () => {
    const fs = analyse('apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: Bad_Name\n  labels:\n    app: web\nspec: {}\n');
    assert.deepEqual(fs.map((f) => f.code), ['metadata-name-invalid'], show(fs));
  });

  it("Istio's Gateway rules do not run on the Gateway API's Gateway", () => {
    // A dotted name and no `servers`: Istio's webhook rules would reject an Istio Gateway like this.
    const text = 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: my.gateway\nspec:\n  gatewayClassName: istio\n  listeners:\n  - name: http\n    port: 80\n    protocol: HTTP\n';
    assert.deepEqual(analyse(text), []);
  });
});

describe('CEL rules of the Gateway API CRDs, through the full pipeline', () => {
  it('sees `namespace` as __namespace__: the same parent in two namespaces is two parents', () => {
    const twoNamespaces = ROUTE('  parentRefs:\n  - name: gw\n    namespace: a\n  - name: gw\n    namespace: b\n');
    assert.deepEqual(analyse(twoNamespaces), []);
    const same = analyse(ROUTE('  parentRefs:\n  - name: gw\n    namespace: a\n  - name: gw\n    namespace: a\n'));
    const f = only(same, 'schema-cel');
    assert.match(f.message, /^spec\.parentRefs: sectionName must be unique when parentRefs includes 2 or more references to the same parent\.$/);
    assert.equal(f.range.start.line, 6);
    const sections = ROUTE('  parentRefs:\n  - name: gw\n    sectionName: http\n  - name: gw\n    sectionName: https\n');
    assert.deepEqual(analyse(sections), []);
    const mixed = analyse(ROUTE('  parentRefs:\n  - name: gw\n  - name: gw\n    sectionName: https\n'));
    assert.ok(mixed.some((x) => x.message.includes('sectionName must be specified when parentRefs includes 2 or more references to the same parent')), show(mixed));
  });

  it('an HTTPS listener needs certificateRefs (the rule reads a missing list: an evaluation error rejects it too)', () => {
    const fs = analyse(GATEWAY('  listeners:\n  - name: https\n    port: 443\n    protocol: HTTPS\n    tls:\n      mode: Terminate\n'));
    const f = only(fs, 'schema-cel');
    assert.match(f.message, /spec\.listeners\[0\]\.tls: certificateRefs or options must be specified when mode is Terminate/);
    assert.equal(f.range.start.line, 11);
    const ok = GATEWAY('  listeners:\n  - name: https\n    port: 443\n    protocol: HTTPS\n    tls:\n      certificateRefs:\n      - name: cert\n');
    assert.deepEqual(analyse(ok), []);
  });

  it('timeouts compare as durations; paths are checked by their CEL rules', () => {
    const longer = analyse(ROUTE('  rules:\n  - timeouts:\n      request: 1s\n      backendRequest: 2s\n'));
    assert.match(only(longer, 'schema-cel').message, /backendRequest timeout cannot be longer than request timeout/);
    assert.deepEqual(analyse(ROUTE('  rules:\n  - timeouts:\n      request: 0s\n      backendRequest: 2s\n')), []);
    const dots = analyse(ROUTE('  rules:\n  - matches:\n    - path:\n        type: PathPrefix\n        value: /a/../b\n'));
    assert.match(only(dots, 'schema-cel').message, /must not contain '\/\.\.\/' when type one of \['Exact', 'PathPrefix'\]/);
  });

  it('TLSRoute hostnames: no IP, wildcard only as the first label', () => {
    const tls = (hosts: string) => `apiVersion: gateway.networking.k8s.io/v1\nkind: TLSRoute\nmetadata:\n  name: t\nspec:\n  hostnames: ${hosts}\n  rules:\n  - backendRefs:\n    - name: s\n      port: 443\n`;
    assert.deepEqual(analyse(tls('["*.example.com", "a.example.com"]')), []);
    assert.ok(analyse(tls('["10.0.0.1"]')).some((f) => f.message.includes('Hostnames cannot contain an IP')));
  });

  it('GRPCRoute service names match case-insensitively ((?i) in RE2)', () => {
    const grpc = (service: string) => `apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata:\n  name: g\nspec:\n  rules:\n  - matches:\n    - method:\n        service: ${service}\n`;
    assert.deepEqual(analyse(grpc('com.Example.Greeter')), []);
    assert.match(only(analyse(grpc('com-example')), 'schema-cel').message, /service must only contain valid characters/);
  });

  it('a list over its maxItems is an error and its O(n²) rules are not run (no hang)', () => {
    const listeners = Array.from({ length: 3000 }, (_, i) => `  - name: l${i % 2}\n    port: ${8000 + (i % 50)}\n    protocol: HTTP\n`).join('');
    const fs = analyse(GATEWAY(`  listeners:\n${listeners}`));
    assert.ok(fs.some((f) => f.code === 'schema-max-items' && f.message === 'spec.listeners: must have at most 64 items, has 3000.'), show(fs.slice(0, 5)));
    assert.equal(fs.filter((f) => f.code === 'schema-cel').length, 0);
  });
});

describe('string formats (kube-openapi strfmt) in the Gateway addresses oneOf', () => {
  it('ipv4 is Go ParseIPSloppy with a dot; ipv6 Go ParseIP with a colon', () => {
    const { ipv4, ipv6 } = FORMAT_CHECKS;
    assert.ok(ipv4.test('192.0.2.10') && ipv4.test('010.001.0.1'), 'leading zeros are tolerated');
    assert.ok(!ipv4.test('1.1.1') && !ipv4.test('256.1.1.1') && !ipv4.test('2001:db8::1'));
    assert.ok(ipv4.test('::ffff:1.2.3.4') && ipv6.test('::ffff:1.2.3.4'), 'an IPv6 address with a dotted tail is both, as in strfmt');
    assert.ok(ipv6.test('2001:db8::1') && !ipv6.test('fe80::1%eth0') && !ipv6.test('1.2.3.4') && !ipv6.test(':::1'));
  });

  it('an IPAddress (the default type) must be an IP; any value goes with a domain-prefixed type', () => {
    const addr = (entry: string) => GATEWAY(`  addresses:\n  - ${entry}\n  listeners:\n  - name: http\n    port: 80\n    protocol: HTTP\n`);
    assert.deepEqual(analyse(addr('value: 10.0.0.1')), []);
    assert.deepEqual(analyse(addr('value: "2001:db8::1"')), []);
    assert.deepEqual(analyse(addr('type: example.com/custom\n    value: anything goes')), []);
    const f = only(analyse(addr('value: foo.com')), 'schema-one-of');
    assert.match(f.message, /^spec\.addresses\[0\]: value "foo\.com" is not an IPv4 address such as 192\.0\.2\.10, nor an IPv6 address such as 2001:db8::1\. It must match exactly one of these forms: \(type is "IPAddress" and value is an IPv4 address/);
    assert.match(f.message, /\(type must not be "IPAddress"\)\.$/);
    assert.equal(f.range.start.line, 8, 'on the value');
  });
});

describe('escapeCelField (k8s.io/apiserver pkg/cel Escape)', () => {
  it('escapes reserved words and special characters; refuses what CEL cannot name', () => {
    assert.equal(escapeCelField('namespace'), '__namespace__');
    assert.equal(escapeCelField('in'), '__in__');
    assert.equal(escapeCelField('sectionName'), 'sectionName');
    assert.equal(escapeCelField('x-y'), 'x__dash__y');
    assert.equal(escapeCelField('a.b/c'), 'a__dot__b__slash__c');
    assert.equal(escapeCelField('a__b'), 'a__underscores__b');
    assert.equal(escapeCelField('a_b'), 'a_b');
    assert.equal(escapeCelField('1abc'), undefined);
    assert.equal(escapeCelField('a b'), undefined);
    assert.equal(escapeCelField(''), undefined);
  });
});
