/**
 * "Check JWKS from the cluster" (client/src/kube/clusterJwks.ts) with the real kubectl against a
 * fake API server on 127.0.0.1 whose service proxy answers like the identity provider's Service.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { removeTempDir, tempDir } from '../helpers/tmp';
import { checkJwksThroughCluster, type ClusterJwksEngine, type ClusterJwksRequest } from '../../client/src/kube/clusterJwks';
import { kubectlProxyArgs } from '../../engine/src/jwks/clusterLocal';
import { keySetReport } from '../../engine/src/jwks/keys';
import { discoveryUrlOf } from '../../engine/src/jwks/resolve';
import { startFakeKubeApi, type FakeKubeApi } from '../helpers/fakeKubeApi';
import { makeKey, type TestKey } from '../helpers/jwks';

const KUBECTL = '/usr/bin/kubectl';
/** The engine functions the language server answers istio/kubectlProxyArgs and istio/analyzeKeySet with. */
const ENGINE: ClusterJwksEngine = { proxyArgs: async (url, opts) => kubectlProxyArgs(url, opts), analyzeKeySet: keySetReport };
const check = (r: ClusterJwksRequest) => checkJwksThroughCluster(r, ENGINE);

describe('checking a cluster-local JWKS through kubectl', { skip: !existsSync(KUBECTL) && 'no /usr/bin/kubectl' }, () => {
  let dir: string;
  let api: FakeKubeApi;
  let down: FakeKubeApi;
  let key: TestKey;
  let kubeconfig: string;

  before(async () => {
    dir = tempDir('cluster-jwks-');
    key = await makeKey('RS256', 'idp-key-1');
    api = await startFakeKubeApi({
      serviceProxy: ({ namespace, service, port, path: p }) => {
        if (namespace !== 'auth' || service !== 'keycloak' || port !== '8080') return undefined;
        if (p === 'realms/mesh/protocol/openid-connect/certs') return JSON.stringify({ keys: [key.publicJwk] });
        if (p === 'realms/mesh/.well-known/openid-configuration') {
          return JSON.stringify({ issuer: 'http://keycloak.auth.svc.cluster.local:8080/realms/mesh', jwks_uri: 'http://keycloak.auth.svc.cluster.local:8080/realms/mesh/protocol/openid-connect/certs' });
        }
        if (p === 'realms/private/certs') return JSON.stringify({ keys: [key.privateJwk] });
        if (p === 'realms/html/certs') return '<html>login</html>';
        return undefined;
      },
    });
    down = await startFakeKubeApi(); // every service proxy request: 503 ServiceUnavailable
    kubeconfig = path.join(dir, 'config');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters:
- { name: c1, cluster: { server: "${api.server}" } }
- { name: c2, cluster: { server: "${down.server}" } }
users:
- { name: u, user: { token: t } }
contexts:
- { name: dev, context: { cluster: c1, user: u } }
- { name: other, context: { cluster: c2, user: u } }
current-context: other
`,
    );
  });
  after(async () => {
    await api.close();
    await down.close();
    removeTempDir(dir);
  });

  const req = (fields: Partial<ClusterJwksRequest>): ClusterJwksRequest => ({
    context: 'dev',
    settings: { path: KUBECTL, kubeconfig, timeoutMs: 60_000 },
    env: { ...process.env, KUBECONFIG: '', HOME: dir, KUBECACHEDIR: path.join(dir, 'cache') },
    ...fields,
  });

  it('fetches the jwksUri through the service proxy with an explicit --context, and lists the keys', async () => {
    const r = await check(req({ jwksUri: 'http://keycloak.auth.svc.cluster.local:8080/realms/mesh/protocol/openid-connect/certs' }));
    assert.equal(r.ok, true, r.message);
    assert.match(r.message, /1 usable key\(s\): idp-key-1 RS256/);
    assert.deepEqual(r.keys.map((k) => k.kid), ['idp-key-1']);
    assert.equal(r.steps.length, 1);
    const argv = r.steps[0].argv;
    assert.deepEqual(argv.slice(argv.indexOf('--context'), argv.indexOf('--context') + 2), ['--context', 'dev'], 'the context is explicit, never the kubeconfig current-context');
    assert.ok(argv.includes('/api/v1/namespaces/auth/services/keycloak:8080/proxy/realms/mesh/protocol/openid-connect/certs'), argv.join(' '));
    const hit = api.requests.find((x) => x.path.includes('/proxy/'));
    assert.equal(hit?.path, '/api/v1/namespaces/auth/services/keycloak:8080/proxy/realms/mesh/protocol/openid-connect/certs');
    assert.equal(down.requests.filter((x) => x.path.includes('/proxy/')).length, 0, 'the current-context was not used');
  });

  it('a single-label host uses the RequestAuthentication namespace; an issuer goes through discovery first', async () => {
    const r = await check(req({ discoveryUrl: discoveryUrlOf('http://keycloak:8080/realms/mesh/'), namespace: 'auth' }));
    assert.equal(r.ok, true, r.message);
    assert.deepEqual(
      r.steps.map((s) => s.url),
      ['http://keycloak:8080/realms/mesh/.well-known/openid-configuration', 'http://keycloak.auth.svc.cluster.local:8080/realms/mesh/protocol/openid-connect/certs'],
    );
  });

  it('reports a missing Service, a Service without endpoints, private key material and a non-JSON body precisely', async () => {
    const missing = await check(req({ jwksUri: 'http://keyclaok.auth.svc:8080/realms/mesh/protocol/openid-connect/certs' }));
    assert.equal(missing.ok, false);
    assert.match(missing.message, /NotFound .*services "keyclaok" not found.*check the Service name, namespace, port and the path/);
    const unavailable = await check(req({ context: 'other', jwksUri: 'http://keycloak.auth.svc:8080/certs' }));
    assert.equal(unavailable.ok, false);
    assert.match(unavailable.message, /no ready endpoint/);
    const priv = await check(req({ jwksUri: 'http://keycloak.auth.svc:8080/realms/private/certs' }));
    assert.equal(priv.ok, false, 'private key material is a problem even though the public part is usable');
    assert.ok(priv.problems.some((p) => p.code === 'jwks-private-key'), JSON.stringify(priv.problems));
    const html = await check(req({ jwksUri: 'http://keycloak.auth.svc:8080/realms/html/certs' }));
    assert.match(html.message, /not JSON/);
  });

  it('says what to do when kubectl is missing or the URL is not cluster-local', async () => {
    const noKubectl = await check(req({ jwksUri: 'http://keycloak.auth.svc:8080/certs', settings: { path: path.join(dir, 'no-kubectl'), timeoutMs: 5000 } }));
    assert.match(noKubectl.message, /kubectl was not found .*istioSecurity\.kubectl\.path/);
    const external = await check(req({ jwksUri: 'https://idp.example.com/jwks.json' }));
    assert.equal(external.ok, false);
    assert.match(external.message, /not a cluster-local http\(s\) URL/);
    assert.equal(external.steps.length, 0, 'kubectl is not run');
  });
});
