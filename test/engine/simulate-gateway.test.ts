import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { objectsOfText, simulate, type SimRequest, type SimResource, type SimTarget } from '../../engine/src/simulate/index';
import { ROOT } from '../helpers/build';
import { makeKey, type TestKey } from '../helpers/jwks';
import { signToken } from '../helpers/jwtSign';

const EXAMPLE = join(ROOT, 'examples/bookinfo-auth0-gateway-api');
const ISSUER = 'https://bookinfo-demo.eu.auth0.com/';
const AUDIENCE = 'https://bookinfo.example.com/api';

/** The example's manifests, each jwksUri replaced by the test key set (inline). */
function exampleWithKeys(key: TestKey, ...extra: string[]): SimResource[] {
  const jwks = `jwks: '${JSON.stringify({ keys: [key.publicJwk] })}'`;
  const texts = ['gateway.yaml', 'ambient.yaml', 'security.yaml'].map((f) => readFileSync(join(EXAMPLE, f), 'utf8').replace(/jwksUri: \S+/g, jwks));
  return [...texts, ...extra].flatMap(objectsOfText);
}

const GATEWAY: SimTarget = { kind: 'gateway', namespace: 'bookinfo', name: 'bookinfo-gateway' };
const PRODUCTPAGE: SimRequest = { method: 'GET', path: '/productpage', host: 'bookinfo.example.com', port: 443 };

describe('simulate through a Gateway API gateway (the Gateway API version of the Auth0 example)', { timeout: 120_000 }, () => {
  let key: TestKey;
  let resources: SimResource[];
  before(async () => {
    key = await makeKey('RS256', 'auth0-key');
    resources = exampleWithKeys(key);
  });
  const token = (claims: Record<string, unknown> = {}): Promise<string> =>
    signToken(key.privateJwk, { iss: ISSUER, sub: 'auth0|reader', aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 3600, ...claims });

  it('no token → 403, a valid token → 200, a token of another key → 401, another audience → 403', async () => {
    const none = await simulate(resources, GATEWAY, PRODUCTPAGE);
    assert.equal(none.status, 403, none.trace.join('\n'));
    assert.match(none.reason, /^RBAC: access denied: ALLOW policies apply \(bookinfo\/require-jwt\)/);
    const ok = await simulate(resources, GATEWAY, { ...PRODUCTPAGE, token: await token() });
    assert.equal(ok.status, 200, ok.trace.join('\n'));
    assert.deepEqual(ok.matchedPolicy, { namespace: 'bookinfo', name: 'require-jwt', action: 'ALLOW', rule: 0 });
    const other = await makeKey('RS256', 'auth0-key');
    const forged = await simulate(resources, GATEWAY, { ...PRODUCTPAGE, token: await signToken(other.privateJwk, { iss: ISSUER, sub: 'x', aud: AUDIENCE }) });
    assert.equal(forged.status, 401);
    assert.equal(forged.reason, 'Jwt verification fails');
    const aud = await simulate(resources, GATEWAY, { ...PRODUCTPAGE, token: await token({ aud: 'https://other.example.com' }) });
    assert.equal(aud.status, 403);
    assert.equal(aud.reason, 'Audiences in Jwt are not allowed');
  });

  it('the trace names how each policy attached, and why the waypoint and Service policies do not apply', async () => {
    const r = await simulate(resources, GATEWAY, PRODUCTPAGE);
    assert.match(r.trace[0], /^Gateway API gateway bookinfo\/bookinfo-gateway \(class istio; pods labelled gateway\.networking\.k8s\.io\/gateway-name=bookinfo-gateway\)/);
    assert.ok(r.trace.includes('RequestAuthentication bookinfo/auth0-ingress applies (targetRefs → Gateway bookinfo/bookinfo-gateway).'), r.trace.join('\n'));
    assert.ok(r.trace.includes('AuthorizationPolicy bookinfo/require-jwt applies (targetRefs → Gateway bookinfo/bookinfo-gateway).'));
    assert.ok(r.trace.some((t) => t.startsWith('RequestAuthentication bookinfo/auth0-waypoint does not apply: Gateway waypoint is not this proxy\'s Gateway (bookinfo-gateway)')));
    assert.ok(r.trace.some((t) => t.startsWith('AuthorizationPolicy bookinfo/details-read does not apply: Service details: a Service target is enforced only by its waypoint')));
  });

  it('a selector on the gateway pods\' labels and namespace-wide or root policies apply; a root-namespace targetRef does not', async () => {
    const bySelector = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: deny-admin
  namespace: bookinfo
spec:
  selector:
    matchLabels:
      gateway.networking.k8s.io/gateway-name: bookinfo-gateway
  action: DENY
  rules:
  - to:
    - operation:
        paths: ["/admin*"]
`;
    const rootTargetRef = bySelector.replace('namespace: bookinfo', 'namespace: istio-system').replace('name: deny-admin', 'name: root-deny').replace(
      /  selector:\n    matchLabels:\n      gateway\.networking\.k8s\.io\/gateway-name: bookinfo-gateway\n/,
      '  targetRefs:\n  - group: gateway.networking.k8s.io\n    kind: Gateway\n    name: bookinfo-gateway\n',
    ).replace('/admin*', '/productpage');
    const rootWide = bySelector.replace('namespace: bookinfo', 'namespace: istio-system').replace('name: deny-admin', 'name: root-wide').replace(/  selector:\n    matchLabels:\n      .*\n/, '').replace('/admin*', '/api*');
    const res = [...resources, ...[bySelector, rootTargetRef, rootWide].flatMap(objectsOfText)];
    const t = await token();
    const admin = await simulate(res, GATEWAY, { ...PRODUCTPAGE, path: '/admin/x', token: t });
    assert.equal(admin.status, 403);
    assert.deepEqual(admin.matchedPolicy, { namespace: 'bookinfo', name: 'deny-admin', action: 'DENY', rule: 0 });
    assert.ok(admin.trace.includes('AuthorizationPolicy bookinfo/deny-admin applies (selector gateway.networking.k8s.io/gateway-name=bookinfo-gateway).'));
    assert.ok(admin.trace.includes('AuthorizationPolicy istio-system/root-wide applies (root namespace: mesh-wide, no selector).'));
    assert.ok(admin.trace.some((x) => x.startsWith('AuthorizationPolicy istio-system/root-deny does not apply: Gateway bookinfo-gateway: a Gateway target counts only for a policy in the Gateway\'s namespace (bookinfo), not istio-system')));
    assert.equal((await simulate(res, GATEWAY, { ...PRODUCTPAGE, token: t })).status, 200, 'the root-namespace targetRef does not deny /productpage');
    assert.equal((await simulate(res, GATEWAY, { ...PRODUCTPAGE, path: '/api/v1/products', token: t })).status, 403, 'the root-wide DENY applies to the gateway');
  });

  it('a workload target with the gateway-name label is the same gateway; a sidecar ignores targetRefs', async () => {
    const pod: SimTarget = { namespace: 'bookinfo', labels: { 'gateway.networking.k8s.io/gateway-name': 'bookinfo-gateway' } };
    assert.equal((await simulate(resources, pod, PRODUCTPAGE)).status, 403);
    const sidecar = await simulate(resources, { namespace: 'bookinfo', labels: { app: 'productpage' } }, PRODUCTPAGE);
    assert.equal(sidecar.status, 200);
    assert.ok(sidecar.trace.some((x) => /require-jwt does not apply: it uses targetRef\(s\) \(Gateway bookinfo-gateway\)/.test(x)));
  });

  it('a cross-namespace targetRef and a Gateway absent from the manifests', async () => {
    const cross = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: cross
  namespace: bookinfo
spec:
  targetRefs:
  - group: gateway.networking.k8s.io
    kind: Gateway
    name: bookinfo-gateway
    namespace: other
  action: DENY
  rules:
  - {}
`;
    const r = await simulate([...resources, ...objectsOfText(cross)], GATEWAY, { ...PRODUCTPAGE, token: await token() });
    assert.equal(r.status, 200);
    assert.ok(r.trace.some((x) => x.includes('cross does not apply: Gateway other/bookinfo-gateway: a cross-namespace targetRef never matches')));
    const unknown = await simulate(resources, { kind: 'gateway', namespace: 'bookinfo', name: 'elsewhere' }, PRODUCTPAGE);
    assert.equal(unknown.status, 200);
    assert.ok(unknown.trace[1].startsWith('Gateway bookinfo/elsewhere is not in the manifests'));
  });
});

describe('simulate through a waypoint (targetRefs to the Service, the waypoint and the GatewayClass)', { timeout: 120_000 }, () => {
  let key: TestKey;
  let resources: SimResource[];
  before(async () => {
    key = await makeKey('ES256', 'auth0-ec');
    resources = exampleWithKeys(key);
  });
  const token = (permissions: string[]): Promise<string> =>
    signToken(key.privateJwk, { iss: ISSUER, sub: 'auth0|reader', aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 3600, permissions });
  const reviews: SimTarget = { kind: 'waypoint', service: { namespace: 'bookinfo', name: 'reviews' } };
  const details: SimTarget = { kind: 'waypoint', service: { namespace: 'bookinfo', name: 'details' } };
  const req: SimRequest = { method: 'GET', path: '/reviews/0', host: 'reviews:9080', port: 9080, sourcePrincipal: 'cluster.local/ns/bookinfo/sa/bookinfo-productpage' };

  it('the waypoint comes from the namespace label; each policy says how it attached', async () => {
    const r = await simulate(resources, reviews, { ...req, token: await token(['read:book-reviews']) });
    assert.equal(r.status, 200, r.trace.join('\n'));
    assert.equal(r.trace[0], 'Request to Service bookinfo/reviews through waypoint bookinfo/waypoint; root namespace istio-system.');
    assert.equal(r.trace[1], 'Waypoint bookinfo/waypoint: Namespace bookinfo is labelled istio.io/use-waypoint=waypoint.');
    assert.ok(r.trace.includes('RequestAuthentication bookinfo/auth0-waypoint applies (targetRefs → waypoint Gateway bookinfo/waypoint).'), r.trace.join('\n'));
    assert.ok(r.trace.includes('AuthorizationPolicy bookinfo/reviews-read applies (targetRefs → Service bookinfo/reviews via waypoint bookinfo/waypoint).'));
    assert.ok(r.trace.some((t) => t.startsWith('AuthorizationPolicy bookinfo/details-read does not apply: Service details in namespace bookinfo is not the request\'s destination (Service bookinfo/reviews)')));
    assert.ok(r.trace.some((t) => t.startsWith('AuthorizationPolicy bookinfo/require-jwt does not apply: Gateway bookinfo-gateway is not this proxy\'s Gateway (waypoint)')));
    assert.deepEqual(r.matchedPolicy, { namespace: 'bookinfo', name: 'reviews-read', action: 'ALLOW', rule: 0 });
  });

  it('reviews needs read:book-reviews, details read:book-details and the productpage identity; ratings denies /admin', async () => {
    const reader = await token(['read:book-reviews']);
    assert.equal((await simulate(resources, details, { ...req, path: '/details/0', token: reader })).status, 403);
    const both = await token(['read:book-details', 'read:book-reviews']);
    assert.equal((await simulate(resources, details, { ...req, path: '/details/0', token: both })).status, 200);
    assert.equal((await simulate(resources, details, { ...req, path: '/details/0', token: both, sourcePrincipal: 'cluster.local/ns/bookinfo/sa/other' })).status, 403);
    assert.equal((await simulate(resources, reviews, req)).status, 403, 'no token: no permissions claim');
    const ratings: SimTarget = { kind: 'waypoint', service: { namespace: 'bookinfo', name: 'ratings' } };
    const admin = await simulate(resources, ratings, { ...req, path: '/admin', token: both });
    assert.equal(admin.status, 403);
    assert.deepEqual(admin.matchedPolicy, { namespace: 'bookinfo', name: 'ratings-no-admin', action: 'DENY', rule: 0 });
    assert.equal((await simulate(resources, ratings, { ...req, path: '/ratings/0' })).status, 200);
  });

  it('a GatewayClass istio-waypoint target applies from the root namespace only; selectors never apply to a waypoint', async () => {
    const classWide = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: all-waypoints
  namespace: istio-system
spec:
  targetRefs:
  - group: gateway.networking.k8s.io
    kind: GatewayClass
    name: istio-waypoint
  action: DENY
  rules:
  - to:
    - operation:
        methods: ["DELETE"]
`;
    const elsewhere = classWide.replace('namespace: istio-system', 'namespace: bookinfo').replace('all-waypoints', 'class-in-ns').replace('DELETE', 'GET');
    const selector = classWide.replace('name: all-waypoints', 'name: by-selector').replace('namespace: istio-system', 'namespace: bookinfo').replace(
      /  targetRefs:\n(    .*\n|  - .*\n)+/,
      '  selector:\n    matchLabels:\n      gateway.networking.k8s.io/gateway-name: waypoint\n',
    ).replace('DELETE', 'GET');
    const res = [...resources, ...[classWide, elsewhere, selector].flatMap(objectsOfText)];
    const t = await token(['read:book-reviews']);
    const del = await simulate(res, reviews, { ...req, method: 'DELETE', token: t });
    assert.equal(del.status, 403);
    assert.ok(del.trace.includes('AuthorizationPolicy istio-system/all-waypoints applies (targetRefs → GatewayClass istio-waypoint (root namespace: every waypoint)).'), del.trace.join('\n'));
    const get = await simulate(res, reviews, { ...req, token: t });
    assert.equal(get.status, 200, get.trace.join('\n'));
    assert.ok(get.trace.some((x) => x.startsWith('AuthorizationPolicy bookinfo/class-in-ns does not apply: GatewayClass istio-waypoint: a GatewayClass target counts only in the root namespace')));
    assert.ok(get.trace.includes('AuthorizationPolicy bookinfo/by-selector does not apply: it has no targetRefs, and a waypoint ignores selector-based policies.'));
    const gw = await simulate(res, GATEWAY, { ...PRODUCTPAGE, method: 'DELETE' });
    assert.ok(gw.trace.some((x) => x.startsWith('AuthorizationPolicy istio-system/all-waypoints does not apply: GatewayClass istio-waypoint applies to waypoints only')));
  });

  it('the waypoint named explicitly, from a Service label, or unknown; use-waypoint none', async () => {
    const svc = (labels: string) => `apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: bookinfo
  labels:
${labels}spec:
  ports:
  - port: 9080
`;
    const t = await token(['read:book-reviews']);
    const other = await simulate([...resources, ...objectsOfText(svc('    istio.io/use-waypoint: reviews-wp\n'))], reviews, { ...req, token: t });
    assert.equal(other.trace[1], 'Waypoint bookinfo/reviews-wp: Service bookinfo/reviews is labelled istio.io/use-waypoint=reviews-wp.');
    assert.ok(other.trace.some((x) => x.startsWith('RequestAuthentication bookinfo/auth0-waypoint does not apply: Gateway waypoint is not this proxy\'s Gateway (reviews-wp)')));
    assert.equal(other.status, 403, 'without the waypoint\'s RequestAuthentication the token gives no claims');
    const none = await simulate([...resources, ...objectsOfText(svc('    istio.io/use-waypoint: none\n'))], reviews, { ...req, token: t });
    assert.match(none.trace[1], /^Waypoint unknown \(Service bookinfo\/reviews is labelled istio\.io\/use-waypoint=none/);
    const explicit = await simulate(resources, { ...reviews, waypoint: { namespace: 'bookinfo', name: 'waypoint' } } as SimTarget, { ...req, token: t });
    assert.equal(explicit.status, 200);
    assert.equal(explicit.trace[1].startsWith('Waypoint'), false, 'no note when the waypoint is given');
    const bare = await simulate(resources.filter((r) => r.kind !== 'Namespace'), reviews, { ...req, token: t });
    assert.match(bare.trace[1], /^Waypoint unknown \(neither Service bookinfo\/reviews nor Namespace bookinfo/);
    assert.ok(bare.trace.includes('AuthorizationPolicy bookinfo/reviews-read applies (targetRefs → Service bookinfo/reviews via its waypoint).'));
  });
});
