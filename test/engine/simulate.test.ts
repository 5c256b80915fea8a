import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { simulate, type SimRequest, type SimTarget } from '../../engine/src/simulate/index';
import { describeNeedingUnlicensed, readRealworld } from '../helpers/realworld';
import { makeKey, type TestKey } from '../helpers/jwks';
import { resourcesOf, sample, SAMPLE_ISSUER, sampleRequestAuthentication, sampleRequireJwt, signToken } from '../helpers/jwtSign';

const HTTPBIN: SimTarget = { namespace: 'foo', labels: { app: 'httpbin', version: 'v1' } };
const GET: SimRequest = { method: 'GET', path: '/headers', host: 'httpbin.foo:8000', port: 8000, sourcePrincipal: 'cluster.local/ns/foo/sa/sleep' };

const requestAuth = sampleRequestAuthentication;

const REQUIRE_JWT = sampleRequireJwt(`${SAMPLE_ISSUER}/${SAMPLE_ISSUER}`);

const ANY_PRINCIPAL = REQUIRE_JWT.replace(`["${SAMPLE_ISSUER}/${SAMPLE_ISSUER}"]`, '["*"]');

const GROUPS = `${REQUIRE_JWT}    when:
    - key: request.auth.claims[groups]
      values: ["group1"]
`;

describe('simulate: Istio JWT tutorial with the sample tokens', { timeout: 120_000 }, () => {
  it('RequestAuthentication alone: no token → 200, garbage token → 401, sample token → 200', async () => {
    const res = resourcesOf(requestAuth());
    const none = await simulate(res, HTTPBIN, GET);
    assert.equal(none.status, 200);
    assert.equal(none.allowed, true);
    assert.equal(none.matchedPolicy, null);
    const garbage = await simulate(res, HTTPBIN, { ...GET, token: 'deadbeef' });
    assert.equal(garbage.status, 401);
    assert.equal(garbage.allowed, false);
    assert.match(garbage.reason, /^Jwt is not in the form/);
    const ok = await simulate(res, HTTPBIN, { ...GET, token: sample('demo.jwt') });
    assert.equal(ok.status, 200);
    assert.ok(ok.trace.some((t) => t.includes(`request.auth.principal = "${SAMPLE_ISSUER}/${SAMPLE_ISSUER}"`)));
  });

  it('traces never contain the whole token', async () => {
    const token = sample('demo.jwt');
    const r = await simulate(resourcesOf(requestAuth()), HTTPBIN, { ...GET, token });
    assert.ok(r.trace.every((t) => !t.includes(token)));
    assert.ok(r.trace.some((t) => t.includes(token.slice(0, 12))));
  });

  it('adding an ALLOW policy on requestPrincipals makes the missing token 403 and the sample token 200', async () => {
    for (const policy of [REQUIRE_JWT, ANY_PRINCIPAL]) {
      const res = resourcesOf(requestAuth(), policy);
      const none = await simulate(res, HTTPBIN, GET);
      assert.equal(none.status, 403);
      assert.match(none.reason, /^RBAC: access denied/);
      assert.equal(none.matchedPolicy, null);
      const ok = await simulate(res, HTTPBIN, { ...GET, token: sample('demo.jwt') });
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.matchedPolicy, { namespace: 'foo', name: 'require-jwt', action: 'ALLOW', rule: 0 });
    }
  });

  it('a request.auth.claims[groups] condition admits the groups token and refuses the plain one', async () => {
    const res = resourcesOf(requestAuth(), GROUPS);
    const groups = await simulate(res, HTTPBIN, { ...GET, token: sample('groups-scope.jwt') });
    assert.equal(groups.status, 200);
    const plain = await simulate(res, HTTPBIN, { ...GET, token: sample('demo.jwt') });
    assert.equal(plain.status, 403);
    assert.ok(plain.trace.some((t) => t.includes('rules[0].when[request.auth.claims[groups]]')));
  });

  it('a token of an unknown issuer is 401 "Jwt issuer is not configured"', async () => {
    const key = await makeKey('RS256', 'k1');
    const token = await signToken(key.privateJwk, { iss: 'https://other.example.com', sub: 'x', exp: 4685989700 });
    const r = await simulate(resourcesOf(requestAuth()), HTTPBIN, { ...GET, token });
    assert.equal(r.status, 401);
    assert.equal(r.reason, 'Jwt issuer is not configured');
  });

  it('policies of other workloads, other namespaces and targetRefs do not apply; root-namespace ones do', async () => {
    const other = REQUIRE_JWT.replace('app: httpbin', 'app: reviews');
    const otherNs = REQUIRE_JWT.replace('namespace: foo', 'namespace: bar');
    const target = REQUIRE_JWT.replace(/  selector:\n    matchLabels:\n      app: httpbin\n/, '  targetRefs:\n  - kind: Gateway\n    group: gateway.networking.k8s.io\n    name: gw\n');
    const r = await simulate(resourcesOf(requestAuth(), other, otherNs, target), HTTPBIN, GET);
    assert.equal(r.status, 200);
    assert.ok(r.trace.some((t) => /targetRef/.test(t) && /not to a workload sidecar/.test(t)));
    assert.ok(r.trace.some((t) => /selector needs app=reviews/.test(t)));
    const mesh = REQUIRE_JWT.replace('namespace: foo', 'namespace: istio-system').replace(/  selector:\n    matchLabels:\n      app: httpbin\n/, '');
    const m = await simulate(resourcesOf(requestAuth(), mesh), HTTPBIN, GET);
    assert.equal(m.status, 403);
    const custom = await simulate(resourcesOf(requestAuth(), mesh), HTTPBIN, GET, { rootNamespace: 'mesh-root' });
    assert.equal(custom.status, 200);
  });
});

describeNeedingUnlicensed('the auth0-blog policies', 'simulate: Auth0 permissions scenario (auth0-blog/istio-auth0-integration policies)', { timeout: 120_000 }, () => {
  const ISSUER = 'https://dev-gypl8sw9.eu.auth0.com/';
  const POLICIES = 'auth0-blog-istio-auth0-integration/security/policies';
  let key: TestKey;
  let resources: ReturnType<typeof resourcesOf>;

  before(async () => {
    key = await makeKey('RS256', 'auth0-key');
    const ra = `apiVersion: security.istio.io/v1beta1
kind: RequestAuthentication
metadata:
  name: auth0
  namespace: demo
spec:
  jwtRules:
  - issuer: "${ISSUER}"
    jwks: '${JSON.stringify({ keys: [key.publicJwk] })}'
`;
    resources = resourcesOf(ra, readRealworld(`${POLICIES}/reviews-policy.yaml`), readRealworld(`${POLICIES}/details-policy.yaml`));
  });

  const token = (permissions: string[]): Promise<string> => signToken(key.privateJwk, { iss: ISSUER, sub: 'auth0|user', aud: 'bookinfo', exp: Math.floor(Date.now() / 1000) + 3600, permissions });
  const reviews: SimTarget = { namespace: 'demo', labels: { app: 'reviews', version: 'v1' } };
  const details: SimTarget = { namespace: 'demo', labels: { app: 'details', version: 'v1' } };
  const req: SimRequest = { method: 'GET', path: '/reviews/0', host: 'reviews:9080', port: 9080 };

  it('reviews needs read:book-reviews, details needs read:book-details', async () => {
    const reader = await token(['read:book-reviews']);
    const r1 = await simulate(resources, reviews, { ...req, token: reader });
    assert.equal(r1.status, 200);
    assert.deepEqual(r1.matchedPolicy, { namespace: 'demo', name: 'reviews-policy', action: 'ALLOW', rule: 0 });
    const r2 = await simulate(resources, details, { ...req, token: reader });
    assert.equal(r2.status, 403);
    const both = await token(['read:book-details', 'read:book-reviews']);
    assert.equal((await simulate(resources, details, { ...req, token: both })).status, 200);
    assert.equal((await simulate(resources, reviews, { ...req, token: both })).status, 200);
  });

  it('no token → 403; a token signed by another key → 401 "Jwt verification fails"', async () => {
    assert.equal((await simulate(resources, reviews, req)).status, 403);
    const other = await makeKey('RS256', 'auth0-key');
    const forged = await signToken(other.privateJwk, { iss: ISSUER, sub: 'x', permissions: ['read:book-reviews'] });
    const r = await simulate(resources, reviews, { ...req, token: forged });
    assert.equal(r.status, 401);
    assert.equal(r.reason, 'Jwt verification fails');
  });
});
