import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { JwksCache } from '../../engine/src/jwks/index';
import {
  matchCidr,
  matchHost,
  matchNamespace,
  matchPath,
  matchPrincipal,
  matchRequestPrincipal,
  matchServiceAccount,
  matchTrustDomain,
  simulate,
  type SimRequest,
  type SimTarget,
} from '../../engine/src/simulate/index';
import { makeKey, sendJson, type TestKey } from '../helpers/jwks';
import { resourcesOf, signToken } from '../helpers/jwtSign';
import { startHttpServer, type LoopbackServer } from '../helpers/loopbackServers';

const ISS = 'https://idp.example.com';
const TARGET: SimTarget = { namespace: 'foo', labels: { app: 'api' } };
const REQ: SimRequest = { method: 'GET', path: '/api/v1/items?x=1', host: 'api.foo.svc:8080', port: 8080, sourcePrincipal: 'cluster.local/ns/bar/sa/client', sourceIp: '10.1.2.3' };

/** An AuthorizationPolicy on app=api in foo with the given action and YAML rules block. */
function policy(name: string, action: string, rules: string, extra = ''): string {
  return `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: ${name}
  namespace: foo
${extra}spec:
  selector: {matchLabels: {app: api}}
  action: ${action}
${rules}`;
}

const ALLOW = (rules: string): string => policy('p', 'ALLOW', `  rules:\n${rules}`);

/** Status of REQ (with overrides) against one ALLOW policy. */
async function allowStatus(rules: string, req: Partial<SimRequest> = {}, extra: string[] = []): Promise<number> {
  return (await simulate(resourcesOf(ALLOW(rules), ...extra), TARGET, { ...REQ, ...req })).status;
}

describe('matchers (Istio generator semantics)', { timeout: 120_000 }, () => {
  it('principals: exact, prefix, suffix, "*" (needs an mTLS identity)', () => {
    const id = 'spiffe://cluster.local/ns/bar/sa/client';
    assert.ok(matchPrincipal('cluster.local/ns/bar/sa/client', id));
    assert.ok(matchPrincipal('cluster.local/ns/bar/*', id));
    assert.ok(matchPrincipal('*/sa/client', id));
    assert.ok(matchPrincipal('*', id));
    assert.ok(!matchPrincipal('*', undefined));
    assert.ok(!matchPrincipal('cluster.local/ns/bar/sa/clien', id));
  });

  it('namespaces, service accounts, trust domains from the peer identity', () => {
    const id = 'spiffe://cluster.local/ns/bar/sa/client';
    assert.ok(matchNamespace('bar', id));
    assert.ok(matchNamespace('b*', id));
    assert.ok(!matchNamespace('ba', id));
    assert.ok(matchServiceAccount('bar/client', 'foo', id));
    assert.ok(!matchServiceAccount('client', 'foo', id), 'a bare name means the policy namespace');
    assert.ok(matchServiceAccount('client', 'bar', id));
    assert.ok(!matchServiceAccount('bar/client', 'foo', `${id}-junk`));
    assert.ok(matchTrustDomain('cluster.local', id));
    assert.ok(matchTrustDomain('*.local', id));
    assert.ok(!matchTrustDomain('cluster', id));
  });

  it('request principals: iss/sub split at the last slash, * forms', () => {
    assert.ok(matchRequestPrincipal(`${ISS}/u1`, ISS, 'u1'));
    assert.ok(matchRequestPrincipal('*', ISS, 'u1'));
    assert.ok(matchRequestPrincipal(`${ISS}/*`, ISS, 'u1'));
    assert.ok(matchRequestPrincipal('*/u1', ISS, 'u1'));
    assert.ok(matchRequestPrincipal(`${ISS}/u*`, ISS, 'u1'));
    // Split at the last "/": iss "https:/" and sub prefix "idp.", as istiod generates it.
    assert.ok(!matchRequestPrincipal('https://idp.*', ISS, 'u1'));
    assert.ok(matchRequestPrincipal('idp*', 'idp-a', 'u1'));
    assert.ok(!matchRequestPrincipal(`${ISS}//u1`, ISS, 'u1'));
    assert.ok(!matchRequestPrincipal('*', undefined, undefined));
  });

  it('hosts are case-insensitive with * forms; paths: exact, prefix, suffix, {*} and {**} templates', () => {
    assert.ok(matchHost('API.foo.svc:8080', 'api.foo.svc:8080'));
    assert.ok(matchHost('*.svc:8080', 'api.foo.svc:8080'));
    assert.ok(matchHost('api.*', 'API.foo'));
    assert.ok(!matchHost('api.foo.svc', 'api.foo.svc:8080'));
    assert.ok(matchPath('/api/v1/items', '/api/v1/items?x=1'));
    assert.ok(matchPath('/api/*', '/api/v1/items'));
    assert.ok(matchPath('*/items', '/api/v1/items'));
    assert.ok(matchPath('/api/{*}/items', '/api/v1/items'));
    assert.ok(!matchPath('/api/{*}/items', '/api/v1/x/items'));
    assert.ok(matchPath('/api/{**}', '/api/v1/x/items'));
    assert.ok(!matchPath('/api/{**}', '/api'));
    assert.ok(!matchPath('/API/v1/items', '/api/v1/items'));
  });

  it('CIDRs: v4 and v6; invalid values are undefined', () => {
    assert.equal(matchCidr('10.1.0.0/16', '10.1.2.3'), true);
    assert.equal(matchCidr('10.1.2.3', '10.1.2.3'), true);
    assert.equal(matchCidr('10.2.0.0/16', '10.1.2.3'), false);
    assert.equal(matchCidr('2001:db8::/32', '2001:db8::1'), true);
    assert.equal(matchCidr('10.1.0.0/16', '2001:db8::1'), false);
    assert.equal(matchCidr('10.1.0.0/33', '10.1.2.3'), undefined);
    assert.equal(matchCidr('not-an-ip', '10.1.2.3'), undefined);
  });
});

describe('simulate: rule fields', { timeout: 120_000 }, () => {
  it('source fields and their not* forms', async () => {
    assert.equal(await allowStatus('  - from:\n    - source: {principals: ["cluster.local/ns/bar/sa/client"]}\n'), 200);
    assert.equal(await allowStatus('  - from:\n    - source: {notPrincipals: ["cluster.local/ns/bar/*"]}\n'), 403);
    assert.equal(await allowStatus('  - from:\n    - source: {namespaces: ["bar"]}\n'), 200);
    assert.equal(await allowStatus('  - from:\n    - source: {notNamespaces: ["bar"]}\n'), 403);
    assert.equal(await allowStatus('  - from:\n    - source: {namespaces: ["bar"]}\n', { sourcePrincipal: undefined }), 403, 'plaintext: no namespace');
    assert.equal(await allowStatus('  - from:\n    - source: {namespaces: ["bar"]}\n', { sourcePrincipal: undefined, sourceNamespace: 'bar' }), 200);
    assert.equal(await allowStatus('  - from:\n    - source: {ipBlocks: ["10.1.0.0/16"]}\n'), 200);
    assert.equal(await allowStatus('  - from:\n    - source: {notIpBlocks: ["10.1.0.0/16"]}\n'), 403);
    assert.equal(await allowStatus('  - from:\n    - source: {serviceAccounts: ["bar/client"]}\n'), 200);
    assert.equal(await allowStatus('  - from:\n    - source: {notRequestPrincipals: ["*"]}\n'), 200, 'no token: not any principal');
  });

  it('from entries are ORed; fields inside one source are ANDed', async () => {
    assert.equal(await allowStatus('  - from:\n    - source: {namespaces: ["x"]}\n    - source: {ipBlocks: ["10.0.0.0/8"]}\n'), 200);
    assert.equal(await allowStatus('  - from:\n    - source: {namespaces: ["bar"], ipBlocks: ["192.168.0.0/16"]}\n'), 403);
  });

  it('operation fields and their not* forms', async () => {
    assert.equal(await allowStatus('  - to:\n    - operation: {methods: ["GET"], paths: ["/api/*"], ports: ["8080"], hosts: ["API.foo.svc:*"]}\n'), 200);
    assert.equal(await allowStatus('  - to:\n    - operation: {methods: ["get"]}\n'), 403, 'methods are case-sensitive');
    assert.equal(await allowStatus('  - to:\n    - operation: {notMethods: ["GET"]}\n'), 403);
    assert.equal(await allowStatus('  - to:\n    - operation: {notPaths: ["/admin/*"]}\n'), 200);
    assert.equal(await allowStatus('  - to:\n    - operation: {ports: ["9090"]}\n'), 403);
    assert.equal(await allowStatus('  - to:\n    - operation: {notHosts: ["*.svc:8080"]}\n'), 403);
    assert.equal(await allowStatus('  - to:\n    - operation: {paths: ["/api/{*}/items"]}\n'), 200);
  });

  it('when: headers, source.*, destination.port, unknown keys skip the rule', async () => {
    assert.equal(await allowStatus('  - when:\n    - {key: "request.headers[X-Team]", values: ["blue"]}\n', { headers: { 'x-team': 'blue' } }), 200);
    assert.equal(await allowStatus('  - when:\n    - {key: "request.headers[x-team]", values: ["*"]}\n', { headers: { 'X-Team': '' } }), 200, '"*" means present');
    assert.equal(await allowStatus('  - when:\n    - {key: "request.headers[x-team]", notValues: ["blue"]}\n', { headers: { 'x-team': 'blue' } }), 403);
    assert.equal(await allowStatus('  - when:\n    - {key: source.namespace, values: ["bar"]}\n    - {key: source.principal, values: ["*/sa/client"]}\n'), 200);
    assert.equal(await allowStatus('  - when:\n    - {key: source.ip, values: ["10.1.2.3"]}\n    - {key: destination.port, values: ["8080"]}\n'), 200);
    assert.equal(await allowStatus('  - when:\n    - {key: source.ip, notValues: ["10.1.2.3"]}\n'), 403);
    const r = await simulate(resourcesOf(ALLOW('  - when:\n    - {key: request.weird, values: ["x"]}\n')), TARGET, REQ);
    assert.equal(r.status, 403);
    assert.ok(r.trace.some((t) => /skipped by istiod \(unknown when key "request\.weird"\)/.test(t)));
  });

  it('an invalid value skips an ALLOW rule but only drops the value in a DENY rule', async () => {
    assert.equal(await allowStatus('  - from:\n    - source: {ipBlocks: ["10.1.0.0/16", "bad/99"]}\n'), 403);
    const deny = policy('d', 'DENY', '  rules:\n  - from:\n    - source: {ipBlocks: ["bad/99"]}\n');
    const r = await simulate(resourcesOf(deny), TARGET, REQ);
    assert.equal(r.status, 403, 'DENY with the only value dropped matches every request');
    assert.deepEqual(r.matchedPolicy, { namespace: 'foo', name: 'd', action: 'DENY', rule: 0 });
  });
});

describe('simulate: actions and precedence', { timeout: 120_000 }, () => {
  it('DENY wins over ALLOW; AUDIT and dry-run never decide; CUSTOM is assumed to allow', async () => {
    const allowAll = ALLOW('  - {}\n');
    const deny = policy('no-admin', 'DENY', '  rules:\n  - to:\n    - operation: {paths: ["/admin/*"]}\n');
    const r = await simulate(resourcesOf(allowAll, deny), TARGET, { ...REQ, path: '/admin/x' });
    assert.equal(r.status, 403);
    assert.deepEqual(r.matchedPolicy, { namespace: 'foo', name: 'no-admin', action: 'DENY', rule: 0 });
    assert.equal((await simulate(resourcesOf(allowAll, deny), TARGET, REQ)).status, 200);

    const dry = policy('dry', 'DENY', '  rules:\n  - {}\n', '  annotations: {"istio.io/dry-run": "true"}\n');
    const d = await simulate(resourcesOf(dry), TARGET, REQ);
    assert.equal(d.status, 200);
    assert.ok(d.trace.some((t) => /dry-run.*would match rules\[0\].*not enforced/.test(t)));

    const audit = policy('audit', 'AUDIT', '  rules:\n  - {}\n');
    assert.equal((await simulate(resourcesOf(audit), TARGET, REQ)).status, 200);

    const custom = policy('ext', 'CUSTOM', '  provider: {name: opa}\n  rules:\n  - {}\n');
    const c = await simulate(resourcesOf(custom), TARGET, REQ);
    assert.equal(c.status, 200);
    assert.ok(c.trace.some((t) => /external authorizer opa.*cannot be evaluated offline/.test(t)));
  });

  it('an ALLOW policy without rules denies everything; a DENY policy without rules denies nothing', async () => {
    const none = policy('allow-nothing', 'ALLOW', '');
    assert.equal((await simulate(resourcesOf(none), TARGET, REQ)).status, 403);
    assert.equal((await simulate(resourcesOf(policy('deny-nothing', 'DENY', '')), TARGET, REQ)).status, 200);
  });
});

describe('simulate: tokens and claims', { timeout: 120_000 }, () => {
  let key: TestKey;
  let server: LoopbackServer;

  before(async () => {
    key = await makeKey('RS256', 'k1');
    server = await startHttpServer((_req, res) => sendJson(res, { keys: [key.publicJwk] }));
  });
  after(() => server.close());

  const ra = (extra = ''): string => `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: ra, namespace: foo}
spec:
  jwtRules:
  - issuer: "${ISS}"
    jwks: '${JSON.stringify({ keys: [key.publicJwk] })}'
${extra}`;
  const token = (claims: object): Promise<string> => signToken(key.privateJwk, { iss: ISS, sub: 'u1', exp: Math.floor(Date.now() / 1000) + 600, ...claims });

  it('nested and list-valued claims, space-delimited scope, audiences, presenter', async () => {
    const t = await token({ realm: { roles: ['admin', 'dev'] }, scope: 'read write', aud: ['api', 'web'], azp: 'cli' });
    const when = (cond: string): string => `  - when:\n    - ${cond}\n`;
    assert.equal(await allowStatus(when('{key: "request.auth.claims[realm][roles]", values: ["admin"]}'), { token: t }, [ra()]), 200);
    assert.equal(await allowStatus(when('{key: "request.auth.claims[realm][roles]", values: ["root"]}'), { token: t }, [ra()]), 403);
    assert.equal(await allowStatus(when('{key: "request.auth.claims[scope]", values: ["write"]}'), { token: t }, [ra()]), 200);
    assert.equal(await allowStatus(when('{key: "request.auth.claims[realm][roles]", notValues: ["dev"]}'), { token: t }, [ra()]), 403);
    assert.equal(await allowStatus(when('{key: request.auth.audiences, values: ["web"]}'), { token: t }, [ra()]), 200);
    assert.equal(await allowStatus(when('{key: request.auth.presenter, values: ["cli"]}'), { token: t }, [ra()]), 200);
    assert.equal(await allowStatus(when(`{key: request.auth.principal, values: ["${ISS}/u1"]}`), { token: t }, [ra()]), 200);
    assert.equal(await allowStatus(when('{key: "request.auth.claims[realm][roles]", values: ["admin"]}'), {}, [ra()]), 403, 'no token, no claims');
  });

  it('custom token locations: fromHeaders with prefix and fromParams; the default header is then ignored', async () => {
    const t = await token({});
    const custom = ra('    fromHeaders: [{name: x-jwt, prefix: "Token "}]\n    fromParams: [jwt]\n');
    const anyPrincipal = '  - from:\n    - source: {requestPrincipals: ["*"]}\n';
    assert.equal(await allowStatus(anyPrincipal, { headers: { 'x-jwt': `Token ${t}` } }, [custom]), 200);
    assert.equal(await allowStatus(anyPrincipal, { path: `/api?jwt=${t}` }, [custom]), 200);
    assert.equal(await allowStatus(anyPrincipal, { token: t }, [custom]), 403, 'Authorization is not a location of this rule');
    assert.equal(await allowStatus(anyPrincipal, { path: `/api?access_token=${t}` }, [ra()]), 200, 'default query parameter');
  });

  it('jwksUri: keys fetched through the jwks module; offline, the trace says the signature was not checked', async () => {
    const remote = `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: remote, namespace: foo}
spec:
  jwtRules:
  - issuer: "${ISS}"
    jwksUri: "${server.origin}/jwks"
`;
    const good = await token({});
    const forged = await signToken((await makeKey('RS256', 'k1')).privateJwk, { iss: ISS, sub: 'u1' });
    const settings = { jwks: { cache: new JwksCache(), timeoutMs: 3000 } };
    const ok = await simulate(resourcesOf(remote), TARGET, { ...REQ, token: good }, settings);
    assert.equal(ok.status, 200, ok.trace.join('\n'));
    assert.ok(ok.trace.some((t) => t.includes(`signature with ${server.origin}/jwks`)));
    assert.equal((await simulate(resourcesOf(remote), TARGET, { ...REQ, token: forged }, settings)).status, 401);
    const offline = await simulate(resourcesOf(remote), TARGET, { ...REQ, token: forged }, { offline: true });
    assert.equal(offline.status, 200);
    assert.ok(offline.trace.some((t) => /signature NOT checked: offline/.test(t)));
  });

  it('expired token → 401 "Jwt is expired"; audience mismatch → 403 from jwt_authn', async () => {
    const expired = await token({ exp: Math.floor(Date.now() / 1000) - 3600 });
    const r = await simulate(resourcesOf(ra()), TARGET, { ...REQ, token: expired });
    assert.deepEqual([r.status, r.reason], [401, 'Jwt is expired']);
    const withAud = ra().replace(`    jwks:`, '    audiences: [api]\n    jwks:');
    const a = await simulate(resourcesOf(withAud), TARGET, { ...REQ, token: await token({ aud: 'web' }) });
    assert.deepEqual([a.status, a.reason], [403, 'Audiences in Jwt are not allowed']);
  });
});

describe('request principals: one matcher for the simulator and the cross rules', () => {
  it('splits at the last "/": an Auth0 issuer (trailing slash) needs "//*", and the cross rule agrees with the simulator', async () => {
    const { principalMatchesIssuer } = await import('../../engine/src/workspace/rules/jwt');
    const auth0 = 'https://tenant.eu.auth0.com/';
    assert.ok(!matchRequestPrincipal('https://tenant.eu.auth0.com/*', auth0, 'auth0|u'));
    assert.ok(matchRequestPrincipal('https://tenant.eu.auth0.com//*', auth0, 'auth0|u'));
    // The cross rule asks only "could a token of this issuer match?": the issuer side of the same matcher.
    const expected: Array<[string, boolean]> = [
      ['https://tenant.eu.auth0.com/*', false],
      ['https://tenant.eu.auth0.com//*', true],
      ['*', true],
      ['*/auth0|u', true],
      ['*.auth0.com//*', true],
      // Split at the last "/" even inside the scheme: issuer "https:/", subject prefix "tenant".
      ['https://tenant*', false],
      ['https://other.example.com/*', false],
    ];
    for (const [pattern, accepted] of expected) assert.equal(principalMatchesIssuer(pattern, auth0), accepted, pattern);
    assert.ok(matchRequestPrincipal('*/auth0|u', auth0, 'auth0|u'));
  });
});
