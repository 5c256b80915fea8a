/**
 * Gateway API across files, through the engine's AnalysisHost (index + cross rules): route parents
 * and listeners, ReferenceGrants, policies attached with targetRefs, IST0166; and the vendored
 * samples (Istio's and upstream's) validate clean with their cross-file findings.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Finding } from '../../engine/src/diagnostics';
import { AnalysisHost } from '../../engine/src/host/index';
import { VENDORED_REALWORLD } from '../helpers/realworld';

/** test/fixtures/realworld: istio-istio/ (Istio 1.30.3) and gateway-api/ (v1.5.1), vendored with their licences. */
const FIXTURES = VENDORED_REALWORLD;

const show = (fs: readonly Finding[]): string => fs.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.code} ${f.message}`).join('\n');

/** A workspace of the given files (name → text); returns the findings of each. */
function workspace(files: Record<string, string>): { host: AnalysisHost; findings: (file: string) => Finding[] } {
  const host = new AnalysisHost();
  for (const [f, text] of Object.entries(files)) host.setFile(f, text);
  return { host, findings: (file) => host.diagnostics(file) };
}

function xref(fs: readonly Finding[], code: string): Finding[] {
  return fs.filter((f) => f.code === code);
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.yaml'))
    .map((d) => path.join(d.parentPath, d.name))
    .sort();
}

/** Asserts no error or warning in any file of the folder loaded as one workspace. */
function assertCleanFolder(dir: string): void {
  const files = yamlFilesUnder(dir);
  assert.ok(files.length > 0, dir);
  const { findings } = workspace(Object.fromEntries(files.map((f) => [f, readFileSync(f, 'utf8')])));
  for (const f of files) {
    const bad = findings(f).filter((x) => x.severity === 'error' || x.severity === 'warning');
    assert.deepEqual(bad, [], `${path.relative(FIXTURES, f)}:\n${show(bad)}`);
  }
}

const GW = (name: string, ns: string, listeners: string, cls = 'istio') =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  gatewayClassName: ${cls}\n  listeners:\n${listeners}`;
const HTTP = (name: string, port: number, extra = '') => `  - name: ${name}\n    port: ${port}\n    protocol: HTTP\n${extra}`;
const ROUTE = (ns: string, spec: string, kind = 'HTTPRoute') => `apiVersion: gateway.networking.k8s.io/v1\nkind: ${kind}\nmetadata:\n  name: r\n  namespace: ${ns}\nspec:\n${spec}`;
const NS = (name: string, labels = '') => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n${labels ? `  labels:\n${labels}` : ''}`;

describe('vendored samples, loaded folder by folder as workspaces', () => {
  for (const sample of ['bookinfo/gateway-api', 'helloworld/gateway-api', 'httpbin/gateway-api', 'tcp-echo/gateway-api', 'ambient-argo/application']) {
    it(`Istio 1.30.3 samples/${sample}: no error, no warning (cross-file findings included)`, () => assertCleanFolder(path.join(FIXTURES, 'istio-istio/samples', sample)));
  }

  it('upstream Gateway API examples: every folder and every top-level file as its own workspace, no error, no warning', () => {
    const root = path.join(FIXTURES, 'gateway-api/examples/standard');
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      if (entry.isDirectory()) assertCleanFolder(path.join(root, entry.name));
      else {
        const file = path.join(root, entry.name);
        const { findings } = workspace({ [file]: readFileSync(file, 'utf8') });
        assert.deepEqual(findings(file).filter((x) => x.severity !== 'information'), [], entry.name);
      }
    }
  });

  it('the bookinfo route is accepted by its gateway: the same folder without the Gateway says so (information)', () => {
    const dir = path.join(FIXTURES, 'istio-istio/samples/bookinfo/gateway-api');
    const text = readFileSync(path.join(dir, 'bookinfo-gateway.yaml'), 'utf8');
    const routeOnly = text.split(/^---$/m).filter((d) => d.includes('kind: HTTPRoute')).join('---');
    const { findings } = workspace({ 'route.yaml': routeOnly });
    const f = xref(findings('route.yaml'), 'xref-route-parent-not-found');
    assert.equal(f.length, 1, show(findings('route.yaml')));
    assert.equal(f[0].severity, 'information');
    assert.match(f[0].message, /^parentRefs\[0\]: no Gateway default\/bookinfo-gateway in the workspace \(it may exist in the cluster\)/);
  });
});

describe('route parentRefs against the listeners of a Gateway of the workspace', () => {
  const gw = GW('gw', 'infra', HTTP('http', 80, '    hostname: "*.example.com"\n    allowedRoutes:\n      namespaces:\n        from: All\n') + HTTP('admin', 8080, '    hostname: admin.example.com\n'));

  it('accepts a route that fits a listener (sectionName, port, hostnames, namespace)', () => {
    const route = ROUTE('shop', '  parentRefs:\n  - name: gw\n    namespace: infra\n    sectionName: http\n    port: 80\n  hostnames: [shop.example.com]\n');
    const { findings } = workspace({ 'gw.yaml': gw, 'route.yaml': route });
    assert.deepEqual(findings('route.yaml'), []);
  });

  it('NoMatchingParent: a sectionName or port no listener has, on that field, with the listeners as related', () => {
    const { findings } = workspace({
      'gw.yaml': gw,
      'a.yaml': ROUTE('shop', '  parentRefs:\n  - name: gw\n    namespace: infra\n    sectionName: https\n'),
      'b.yaml': ROUTE('shop', '  parentRefs:\n  - name: gw\n    namespace: infra\n    port: 443\n'),
    });
    const [a] = xref(findings('a.yaml'), 'xref-route-not-accepted');
    assert.equal(a.severity, 'warning');
    assert.match(a.message, /^parentRefs\[0\]: Gateway infra\/gw does not accept this HTTPRoute \(NoMatchingParent\): Gateway infra\/gw has no listener named 'https'\. Use the name \(sectionName\) or port of one of its listeners\.$/);
    assert.deepEqual(a.range, { start: { line: 9, character: 17 }, end: { line: 9, character: 22 } });
    assert.deepEqual(a.related?.map((r) => [r.file, r.range.start.line]), [['gw.yaml', 8], ['gw.yaml', 15]]);
    const [b] = xref(findings('b.yaml'), 'xref-route-not-accepted');
    assert.match(b.message, /has no listener on port 443/);
    assert.equal(b.range.start.line, 9);
  });

  it('NoMatchingListenerHostname on spec.hostnames; a wildcard listener takes sub-domains at any depth', () => {
    const { findings } = workspace({
      'gw.yaml': gw,
      'bad.yaml': ROUTE('shop', '  parentRefs:\n  - name: gw\n    namespace: infra\n  hostnames: [shop.example.org]\n'),
      'deep.yaml': ROUTE('shop', '  parentRefs:\n  - name: gw\n    namespace: infra\n  hostnames: [a.b.example.com]\n'),
    });
    const [bad] = xref(findings('bad.yaml'), 'xref-route-not-accepted');
    assert.match(bad.message, /\(NoMatchingListenerHostname\): no hostname matches listener http hostname \*\.example\.com; no hostname matches listener admin hostname admin\.example\.com\./);
    assert.deepEqual([bad.range.start.line, bad.range.start.character], [9, 2]);
    assert.deepEqual(findings('deep.yaml'), []);
  });

  it('NotAllowedByListeners: Same (the default) admits only the Gateway\'s namespace; the namespace reason wins over the hostname', () => {
    const strict = GW('gw', 'infra', HTTP('http', 80));
    const { findings } = workspace({ 'gw.yaml': strict, 'route.yaml': ROUTE('shop', '  parentRefs:\n  - name: gw\n    namespace: infra\n') });
    const [f] = xref(findings('route.yaml'), 'xref-route-not-accepted');
    assert.match(f.message, /\(NotAllowedByListeners\): listener http of Gateway infra\/gw does not admit routes from namespace shop \(allowedRoutes\.namespaces\.from is Same \(the default\): only routes in infra\)/);
    assert.deepEqual([f.range.start.line, f.range.start.character], [7, 10], 'on parentRefs[0].name');
    const same = workspace({ 'gw.yaml': strict, 'route.yaml': ROUTE('infra', '  parentRefs:\n  - name: gw\n') });
    assert.deepEqual(same.findings('route.yaml'), []);
  });

  it('Selector: decided only when the workspace has the Namespace object (with its implicit kubernetes.io/metadata.name label)', () => {
    const selector = GW('gw', 'infra', HTTP('http', 80, '    allowedRoutes:\n      namespaces:\n        from: Selector\n        selector:\n          matchLabels:\n            shared-gateway-access: "true"\n          matchExpressions:\n          - key: kubernetes.io/metadata.name\n            operator: NotIn\n            values: [blocked]\n'));
    const route = ROUTE('shop', '  parentRefs:\n  - name: gw\n    namespace: infra\n');
    assert.deepEqual(workspace({ 'gw.yaml': selector, 'route.yaml': route }).findings('route.yaml'), [], 'no Namespace object: nothing to say');
    const labelled = workspace({ 'gw.yaml': selector, 'route.yaml': route, 'ns.yaml': NS('shop', '    shared-gateway-access: "true"\n') });
    assert.deepEqual(labelled.findings('route.yaml'), []);
    assert.deepEqual(labelled.findings('ns.yaml'), [], 'a plain Namespace gets no findings');
    const unlabelled = workspace({ 'gw.yaml': selector, 'route.yaml': route, 'ns.yaml': NS('shop') });
    assert.match(xref(unlabelled.findings('route.yaml'), 'xref-route-not-accepted')[0]?.message ?? '', /the labels of Namespace shop do not match allowedRoutes\.namespaces\.selector/);
    const blocked = workspace({ 'gw.yaml': selector, 'route.yaml': ROUTE('blocked', '  parentRefs:\n  - name: gw\n    namespace: infra\n'), 'ns.yaml': NS('blocked', '    shared-gateway-access: "true"\n') });
    assert.equal(xref(blocked.findings('route.yaml'), 'xref-route-not-accepted').length, 1, 'NotIn on the implicit name label');
  });

  it('route kinds: a TLSRoute on an HTTP listener, an HTTPRoute where allowedRoutes.kinds says GRPCRoute', () => {
    const grpcOnly = GW('gw', 'infra', HTTP('http', 80, '    allowedRoutes:\n      kinds:\n      - kind: GRPCRoute\n'));
    const { findings } = workspace({
      'gw.yaml': grpcOnly,
      'http.yaml': ROUTE('infra', '  parentRefs:\n  - name: gw\n'),
      'grpc.yaml': ROUTE('infra', '  parentRefs:\n  - name: gw\n', 'GRPCRoute'),
      'tls.yaml': ROUTE('infra', '  parentRefs:\n  - name: gw\n  hostnames: [a.example.com]\n  rules:\n  - backendRefs:\n    - name: s\n      port: 443\n', 'TLSRoute'),
    });
    assert.match(xref(findings('http.yaml'), 'xref-route-not-accepted')[0]?.message ?? '', /listener http \(HTTP 80\) of Gateway infra\/gw accepts GRPCRoute, not HTTPRoute/);
    assert.deepEqual(findings('grpc.yaml'), []);
    assert.match(xref(findings('tls.yaml'), 'xref-route-not-accepted')[0]?.message ?? '', /accepts GRPCRoute, not TLSRoute/);
  });

  it('a ListenerSet parent is checked against its own listeners', () => {
    const ls = 'apiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata:\n  name: extra\n  namespace: infra\nspec:\n  parentRef:\n    name: gw\n  listeners:\n  - name: team\n    port: 8081\n    protocol: HTTP\n';
    const { findings } = workspace({ 'ls.yaml': ls, 'route.yaml': ROUTE('infra', '  parentRefs:\n  - kind: ListenerSet\n    name: extra\n    sectionName: nope\n') });
    assert.match(xref(findings('route.yaml'), 'xref-route-not-accepted')[0]?.message ?? '', /ListenerSet infra\/extra has no listener named 'nope'/);
  });
});

describe('ReferenceGrants for cross-namespace references', () => {
  const route = (backend: string) => ROUTE('shop', `  rules:\n  - backendRefs:\n${backend}`);
  const grant = (fromKind: string, to: string) =>
    `apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata:\n  name: g\n  namespace: backend\nspec:\n  from:\n  - group: gateway.networking.k8s.io\n    kind: ${fromKind}\n    namespace: shop\n  to:\n${to}`;
  const backend = '    - name: api\n      namespace: backend\n      port: 80\n';

  it('a cross-namespace backendRef without a grant: a warning on its namespace saying which grant to add', () => {
    const { findings } = workspace({ 'route.yaml': route(backend) });
    const [f] = xref(findings('route.yaml'), 'xref-reference-not-permitted');
    assert.equal(f.severity, 'warning');
    assert.deepEqual([f.range.start.line, f.range.start.character], [9, 17]);
    assert.match(f.message, /^backendRefs: Service backend\/api is in another namespace, and no ReferenceGrant in backend of the workspace lets HTTPRoutes of shop refer to it\. Unless the cluster has one, Istio refuses the reference \(RefNotPermitted\)\. Add a ReferenceGrant in backend: from \{group: gateway\.networking\.k8s\.io, kind: HTTPRoute, namespace: shop\}, to \{group: "", kind: Service, name: api\}\.$/);
  });

  it('a grant to every Service, or to that one by name, permits it; a grant for another kind or name does not', () => {
    assert.deepEqual(workspace({ 'route.yaml': route(backend), 'grant.yaml': grant('HTTPRoute', '  - group: ""\n    kind: Service\n') }).findings('route.yaml'), []);
    assert.deepEqual(workspace({ 'route.yaml': route(backend), 'grant.yaml': grant('HTTPRoute', '  - group: ""\n    kind: Service\n    name: api\n') }).findings('route.yaml'), []);
    assert.equal(xref(workspace({ 'route.yaml': route(backend), 'grant.yaml': grant('GRPCRoute', '  - group: ""\n    kind: Service\n') }).findings('route.yaml'), 'xref-reference-not-permitted').length, 1);
    assert.equal(xref(workspace({ 'route.yaml': route(backend), 'grant.yaml': grant('HTTPRoute', '  - group: ""\n    kind: Service\n    name: other\n') }).findings('route.yaml'), 'xref-reference-not-permitted').length, 1);
  });

  it('requestMirror backendRefs and listener certificateRefs need one too; same-namespace references do not', () => {
    const mirror = ROUTE('shop', '  rules:\n  - filters:\n    - type: RequestMirror\n      requestMirror:\n        backendRef:\n          name: shadow\n          namespace: backend\n          port: 80\n    backendRefs:\n    - name: api\n      port: 80\n');
    assert.equal(xref(workspace({ 'route.yaml': mirror }).findings('route.yaml'), 'xref-reference-not-permitted').length, 1);
    const tls = GW('gw', 'infra', '  - name: https\n    port: 443\n    protocol: HTTPS\n    tls:\n      certificateRefs:\n      - name: cert\n        namespace: certs\n      - name: local\n');
    const [cert] = xref(workspace({ 'gw.yaml': tls }).findings('gw.yaml'), 'xref-reference-not-permitted');
    assert.match(cert.message, /^certificateRefs: Secret certs\/cert is in another namespace, and no ReferenceGrant in certs of the workspace lets Gateways of infra refer to it/);
    const certGrant = 'apiVersion: gateway.networking.k8s.io/v1\nkind: ReferenceGrant\nmetadata:\n  name: g\n  namespace: certs\nspec:\n  from:\n  - group: gateway.networking.k8s.io\n    kind: Gateway\n    namespace: infra\n  to:\n  - group: ""\n    kind: Secret\n';
    assert.deepEqual(workspace({ 'gw.yaml': tls, 'grant.yaml': certGrant }).findings('gw.yaml'), []);
  });
});

describe('Istio policies attached with targetRefs', () => {
  const policy = (ns: string, target: string, kind = 'AuthorizationPolicy', rest = '  action: ALLOW\n  rules:\n  - {}\n') =>
    `apiVersion: security.istio.io/v1\nkind: ${kind}\nmetadata:\n  name: p\n  namespace: ${ns}\nspec:\n  targetRefs:\n  - ${target}\n${rest}`;
  const toGateway = '{kind: Gateway, group: gateway.networking.k8s.io, name: gw}';
  const svc = (labels = '') => `apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\n  namespace: shop\n${labels ? `  labels:\n${labels}` : ''}spec:\n  ports:\n  - port: 9080\n`;

  it('a Gateway target the workspace lacks (in the policy\'s namespace) is information; present, nothing', () => {
    const missing = workspace({ 'p.yaml': policy('infra', toGateway) });
    const [f] = xref(missing.findings('p.yaml'), 'xref-policy-target-not-found');
    assert.equal(f.severity, 'information');
    assert.match(f.message, /^targetRef: no Gateway infra\/gw in the workspace \(it may exist in the cluster\)\. A policy attaches only to a Gateway of its own namespace, infra\.$/);
    assert.deepEqual(workspace({ 'p.yaml': policy('infra', toGateway), 'gw.yaml': GW('gw', 'infra', HTTP('http', 80)) }).findings('p.yaml'), []);
    assert.equal(xref(workspace({ 'p.yaml': policy('shop', toGateway), 'gw.yaml': GW('gw', 'infra', HTTP('http', 80)) }).findings('p.yaml'), 'xref-policy-target-not-found').length, 1);
  });

  it('a Service target with no waypoint by the labels the workspace shows: the policy has no effect', () => {
    const target = '{kind: Service, group: "", name: reviews}';
    const noWaypoint = workspace({ 'p.yaml': policy('shop', target), 'svc.yaml': svc(), 'ns.yaml': NS('shop') });
    const [f] = xref(noWaypoint.findings('p.yaml'), 'xref-policy-target-no-waypoint');
    assert.equal(f?.severity, 'warning', show(noWaypoint.findings('p.yaml')));
    assert.match(f.message, /^targetRef: neither Service shop\/reviews nor Namespace shop has a istio\.io\/use-waypoint label, so Service shop\/reviews has no waypoint\./);
    assert.deepEqual(f.related?.map((r) => r.file), ['svc.yaml']);
    assert.deepEqual(workspace({ 'p.yaml': policy('shop', target), 'svc.yaml': svc(), 'ns.yaml': NS('shop', '    istio.io/use-waypoint: waypoint\n') }).findings('p.yaml'), []);
    assert.deepEqual(workspace({ 'p.yaml': policy('shop', target), 'svc.yaml': svc('    istio.io/use-waypoint: reviews-waypoint\n') }).findings('p.yaml'), []);
    const optedOut = workspace({ 'p.yaml': policy('shop', target), 'svc.yaml': svc('    istio.io/use-waypoint: none\n'), 'ns.yaml': NS('shop', '    istio.io/use-waypoint: waypoint\n') });
    assert.match(xref(optedOut.findings('p.yaml'), 'xref-policy-target-no-waypoint')[0]?.message ?? '', /Service shop\/reviews is labelled istio\.io\/use-waypoint: none/);
    // What the workspace does not show, it does not judge.
    assert.deepEqual(workspace({ 'p.yaml': policy('shop', target), 'svc.yaml': svc() }).findings('p.yaml'), [], 'no Namespace object');
    assert.deepEqual(workspace({ 'p.yaml': policy('shop', target), 'ns.yaml': NS('shop') }).findings('p.yaml'), [], 'no Service object');
  });

  it('IST0166: a selector that picks the pods Istio deploys for a Gateway API Gateway of the namespace', () => {
    const bySelector = (labels: string) => `apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: ra\n  namespace: infra\nspec:\n  selector:\n    matchLabels:\n${labels}  jwtRules:\n  - issuer: https://example.auth0.com/\n`;
    const gw = GW('gw', 'infra', HTTP('http', 80));
    const { findings } = workspace({ 'gw.yaml': gw, 'ra.yaml': bySelector('      gateway.networking.k8s.io/gateway-name: gw\n') });
    const [f] = xref(findings('ra.yaml'), 'xref-selector-on-k8s-gateway');
    assert.equal(f?.severity, 'warning');
    assert.equal(f.istioCode, 'IST0166');
    assert.match(f.message, /^Ineffective selector on Kubernetes Gateway gw: .* Use the targetRefs field instead: targetRefs: \[\{kind: Gateway, group: gateway\.networking\.k8s\.io, name: gw\}\]\.$/);
    assert.deepEqual([f.range.start.line, f.range.start.character], [6, 2]);
    // The deployment's canonical name carries the class suffix.
    assert.equal(xref(workspace({ 'gw.yaml': gw, 'ra.yaml': bySelector('      service.istio.io/canonical-name: gw-istio\n') }).findings('ra.yaml'), 'xref-selector-on-k8s-gateway').length, 1);
    assert.deepEqual(xref(workspace({ 'gw.yaml': gw, 'ra.yaml': bySelector('      app: gw\n') }).findings('ra.yaml'), 'xref-selector-on-k8s-gateway'), []);
    assert.deepEqual(xref(workspace({ 'gw.yaml': GW('gw', 'infra', HTTP('http', 80), 'other-vendor'), 'ra.yaml': bySelector('      gateway.networking.k8s.io/gateway-name: gw\n') }).findings('ra.yaml'), 'xref-selector-on-k8s-gateway'), [], 'not an Istio class');
    assert.deepEqual(xref(workspace({ 'gw.yaml': GW('gw', 'other', HTTP('http', 80)), 'ra.yaml': bySelector('      gateway.networking.k8s.io/gateway-name: gw\n') }).findings('ra.yaml'), 'xref-selector-on-k8s-gateway'), [], 'another namespace');
  });
});

describe('context objects (Namespace, Service) in the index', () => {
  it('are read by cross rules but are not Istio documents: no findings, not counted, not in outline or symbols', () => {
    const k8s = `${NS('shop')}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  namespace: shop\nspec:\n  ports: not-a-list\n`;
    const { host, findings } = workspace({ 'k8s.yaml': k8s });
    assert.deepEqual(findings('k8s.yaml'), []);
    assert.equal(host.status('k8s.yaml').istioDocuments, 0);
    assert.deepEqual(host.documentSymbols('k8s.yaml'), []);
    assert.deepEqual(host.workspaceSymbols(''), []);
  });
});
